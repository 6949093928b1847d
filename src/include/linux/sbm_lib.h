/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SandBox Mode library code: sandboxed copies of kernel libraries and the
 * entry points through which kernel code runs them in a sandbox.
 *
 * Sandbox library objects are built from kernel/sbm/lib/ and carry the
 * prefix SBM_LIB() in the kernel's symbol table; kernel code refers to
 * their entry points by that name, for instance:
 *
 *	sbm_init(&sbm);
 *	sbm_init_heap(&sbm, SBM_XZ_HEAP_SIZE);
 *	ret = sbm_call(&sbm, SBM_LIB(decompress_xz),
 *		       SBM_COPY_IN(&sbm, in, in_len), in_len,
 *		       SBM_COPY_OUT(&sbm, out, out_len), out_len);
 *	sbm_destroy(&sbm);
 *
 * See Documentation/security/sandbox-mode.rst.
 */
#ifndef __LINUX_SBM_LIB_H
#define __LINUX_SBM_LIB_H

#include <linux/sizes.h>

/* The name of a sandbox library symbol in the kernel. */
#define SBM_LIB(name)		__sbm_lib_##name

/* Heap sizes that the decompressors need. */
#define SBM_LZ4_HEAP_SIZE	0
#define SBM_ZSTD_HEAP_SIZE	SZ_256K
#define SBM_XZ_HEAP_SIZE	SZ_64K

/*
 * With CONFIG_SANDBOX_MODE_LIB_PLANTED_BUG, each decompressor also takes
 * "stored" blocks: SBM_PLANTED_BUG_MAGIC, a 32-bit little-endian length
 * and a fill byte. The length is not checked: a test plants this bug to
 * show that an overflow in sandboxed code is contained.
 */
#define SBM_PLANTED_BUG_MAGIC	"SBM!"
#define SBM_PLANTED_BUG_HDR	9

#ifdef __SBM_LIB__
/* Names inside the sandbox library. */
#define __SBM_LIB_NAME(name)	name
#else
#define __SBM_LIB_NAME(name)	SBM_LIB(name)
#endif

int __SBM_LIB_NAME(decompress_lz4)(const void *in, unsigned long in_len,
				       void *out, unsigned long out_len);
int __SBM_LIB_NAME(decompress_zstd)(const void *in, unsigned long in_len,
					void *out, unsigned long out_len);
int __SBM_LIB_NAME(decompress_xz)(const void *in, unsigned long in_len,
				      void *out, unsigned long out_len);

#if defined(__SBM_LIB__) && defined(CONFIG_SANDBOX_MODE_LIB_PLANTED_BUG)
#include <linux/string.h>
#include <linux/unaligned.h>

/* The planted bug; for the tests only. */
static inline int sbm_planted_bug(const void *in, unsigned long in_len,
				  void *out)
{
	const u8 *p = in;
	u32 len;

	if (in_len < SBM_PLANTED_BUG_HDR || memcmp(p, SBM_PLANTED_BUG_MAGIC, 4))
		return -ENOENT;
	len = get_unaligned_le32(p + 4);
	/* BUG: len is not checked against the size of out. */
	memset(out, p[8], len);
	return len;
}
#else
static inline int sbm_planted_bug(const void *in, unsigned long in_len,
				  void *out)
{
	return -ENOENT;
}
#endif

#endif /* __LINUX_SBM_LIB_H */
