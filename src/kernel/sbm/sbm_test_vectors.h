/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inputs of the tests and the benchmark of the sandbox library, made at
 * build time (see Makefile).
 */
#ifndef __KERNEL_SBM_TEST_VECTORS_H
#define __KERNEL_SBM_TEST_VECTORS_H

#include <linux/types.h>

/* sbm_test_vectors.S: xz(1) output for seq(1) data of these sizes. */
extern const u8 sbm_test_xz_1[], sbm_test_xz_1_end[];
extern const u8 sbm_test_xz_4096[], sbm_test_xz_4096_end[];
extern const u8 sbm_test_xz_131072[], sbm_test_xz_131072_end[];
extern const u8 sbm_test_xz_1048576[], sbm_test_xz_1048576_end[];

/* sbm_test_cert.S: a certificate made with openssl(1). */
extern const u8 sbm_test_cert[], sbm_test_cert_end[];

#endif /* __KERNEL_SBM_TEST_VECTORS_H */
