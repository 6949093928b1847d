/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inputs of the KUnit tests of X.509 decoding in a sandbox: certificates
 * made with openssl(1) at build time (see Makefile), self-signed and issued.
 */
#include <linux/linkage.h>

	.section .rodata, "a"
	.globl	sbm_test_cert
sbm_test_cert:
	.incbin	"sbm_test_cert.der"
	.globl	sbm_test_cert_end
sbm_test_cert_end:
	.globl	sbm_test_leaf
sbm_test_leaf:
	.incbin	"sbm_test_leaf.der"
	.globl	sbm_test_leaf_end
sbm_test_leaf_end:
