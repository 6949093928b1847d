/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Input of the KUnit tests of X.509 decoding in a sandbox: a certificate
 * made with openssl(1) at build time (see Makefile).
 */
#include <linux/linkage.h>

	.section .rodata, "a"
	.globl	sbm_test_cert
sbm_test_cert:
	.incbin	"sbm_test_cert.der"
	.globl	sbm_test_cert_end
sbm_test_cert_end:
