/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inputs of the tests and the benchmark of the sandbox library, made at
 * build time (see Makefile), and the kernel's codecs as they use them.
 */
#ifndef __KERNEL_SBM_TEST_VECTORS_H
#define __KERNEL_SBM_TEST_VECTORS_H

#include <linux/types.h>

/* sbm_test_vectors.S: xz(1) output for seq(1) data of these sizes. */
extern const u8 sbm_test_xz_1[], sbm_test_xz_1_end[];
extern const u8 sbm_test_xz_4096[], sbm_test_xz_4096_end[];
extern const u8 sbm_test_xz_131072[], sbm_test_xz_131072_end[];
extern const u8 sbm_test_xz_1048576[], sbm_test_xz_1048576_end[];

/* sbm_test_cert.S: certificates made with openssl(1), self-signed and issued. */
extern const u8 sbm_test_cert[], sbm_test_cert_end[];
extern const u8 sbm_test_leaf[], sbm_test_leaf_end[];

/* sbm_test_codecs.c: native decompression, compression of inputs. */
int sbm_test_native_lz4(const void *in, size_t in_len, void *out,
			size_t out_len);
int sbm_test_native_zstd(const void *in, size_t in_len, void *out,
			 size_t out_len);
int sbm_test_native_xz(const void *in, size_t in_len, void *out,
		       size_t out_len);
int sbm_test_compress_lz4(const void *in, size_t len, void *out, size_t cap);
int sbm_test_compress_zstd(const void *in, size_t len, void *out, size_t cap);

#endif /* __KERNEL_SBM_TEST_VECTORS_H */
