/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inputs of the KUnit tests of the sandboxed XZ decompressor: seq(1) data
 * of 1, 4096, 131072 and 1048576 bytes, compressed with xz(1) at build
 * time as the kernel compresses modules (see Makefile).
 */
#include <linux/linkage.h>

.macro SBM_TEST_XZ size
	.globl	sbm_test_xz_\size
sbm_test_xz_\size:
	.incbin	"sbm_test_\size\().xz"
	.globl	sbm_test_xz_\size\()_end
sbm_test_xz_\size\()_end:
.endm

	.section .rodata, "a"
	SBM_TEST_XZ 1
	SBM_TEST_XZ 4096
	SBM_TEST_XZ 131072
	SBM_TEST_XZ 1048576

