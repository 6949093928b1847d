// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the sandboxed decompressors (kernel/sbm/lib/decompress_*.c):
 *
 *  - valid inputs of 1 byte, 4 KiB, 128 KiB (a SquashFS block) and 1 MiB
 *    (the largest SquashFS block) decompress bit-identically to the native
 *    copy of the library;
 *  - a deterministic corpus of malformed inputs (truncations, bit flips,
 *    lying length fields) fails in the sandbox as it fails natively, or is
 *    contained (-EFAULT, -ETIMEDOUT), and never harms memory around the
 *    caller's buffers;
 *  - with CONFIG_SANDBOX_MODE_LIB_PLANTED_BUG, a crafted input that drives a
 *    real buffer overflow in the sandboxed copy is contained.
 *
 * LZ4 and Zstandard inputs are compressed at run time with the kernel's own
 * compressors; XZ inputs were made with xz(1) at build time.
 */

#include <kunit/test.h>
#include <linux/sbm.h>
#include <linux/sbm_lib.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>

#include "sbm_internal.h"
#include "sbm_test_vectors.h"

#define SBM_DT_CANARY		0xa5
#define SBM_DT_FILL		0x3c
#define SBM_DT_GUARD		64
#define SBM_DT_MUTANTS		200
#define SBM_DT_BIG_MUTANTS	24

KUNIT_DEFINE_ACTION_WRAPPER(sbm_dt_kvfree, kvfree, const void *);

/* Memory that lives as long as the test, possibly vmalloc'ed. */
static void *sbm_dt_alloc(struct kunit *test, size_t size)
{
	void *p = kvmalloc(size, GFP_KERNEL);

	if (p && kunit_add_action_or_reset(test, sbm_dt_kvfree, p))
		return NULL;
	return p;
}

struct sbm_dt_algo {
	const char *name;
	int (*sbm_func)(const void *in, unsigned long in_len, void *out,
			unsigned long out_len);
	size_t heap;
	int (*native)(const void *in, size_t in_len, void *out, size_t out_len);
	int (*compress)(const void *in, size_t len, void *out, size_t cap);
	const u8 *vectors[4][2];
};

static const struct sbm_dt_algo sbm_dt_algos[] = {
	{
		.name = "lz4", .sbm_func = SBM_LIB(decompress_lz4),
		.heap = SBM_LZ4_HEAP_SIZE, .native = sbm_test_native_lz4,
		.compress = sbm_test_compress_lz4,
	}, {
		.name = "zstd", .sbm_func = SBM_LIB(decompress_zstd),
		.heap = SBM_ZSTD_HEAP_SIZE, .native = sbm_test_native_zstd,
		.compress = sbm_test_compress_zstd,
	}, {
		.name = "xz", .sbm_func = SBM_LIB(decompress_xz),
		.heap = SBM_XZ_HEAP_SIZE, .native = sbm_test_native_xz,
		.vectors = {
			{ sbm_test_xz_1, sbm_test_xz_1_end },
			{ sbm_test_xz_4096, sbm_test_xz_4096_end },
			{ sbm_test_xz_131072, sbm_test_xz_131072_end },
			{ sbm_test_xz_1048576, sbm_test_xz_1048576_end },
		},
	},
};

static const size_t sbm_dt_sizes[] = { 1, SZ_4K, SZ_128K, SZ_1M };

/* The test's parameter: an algorithm, with weak or strong isolation. */
struct sbm_dt_param {
	const struct sbm_dt_algo *algo;
	bool strong;
};

static struct sbm_dt_param sbm_dt_params[2 * ARRAY_SIZE(sbm_dt_algos)];

static const void *sbm_dt_gen_params(const void *prev, char *desc)
{
	const struct sbm_dt_param *p = prev;
	size_t i = p ? p - sbm_dt_params + 1 : 0;

	if (i >= ARRAY_SIZE(sbm_dt_params))
		return NULL;
	sbm_dt_params[i].algo = &sbm_dt_algos[i / 2];
	sbm_dt_params[i].strong = i % 2;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s_%s", sbm_dt_params[i].algo->name,
		 i % 2 ? "strong" : "weak");
	return &sbm_dt_params[i];
}

/* seq(1) output, as the XZ vectors were made from: "1\n2\n3\n..." */
static void sbm_dt_seq(u8 *buf, size_t len)
{
	size_t pos = 0;
	unsigned int n;

	for (n = 1; pos < len; n++)
		pos += scnprintf(buf + pos, len - pos + 1, "%u\n", n);
}

/* A compressed input of @size bytes of data, made or taken from vectors. */
static u8 *sbm_dt_input(struct kunit *test, const struct sbm_dt_algo *a,
			int idx, size_t *len)
{
	size_t size = sbm_dt_sizes[idx];
	u8 *data, *comp;
	int ret;

	if (!a->compress) {
		*len = a->vectors[idx][1] - a->vectors[idx][0];
		return (u8 *)a->vectors[idx][0];
	}
	data = sbm_dt_alloc(test, size + 1);
	comp = sbm_dt_alloc(test, 2 * size + 1024);
	if (!data || !comp)
		return NULL;
	sbm_dt_seq(data, size);
	ret = a->compress(data, size, comp, 2 * size + 1024);
	if (ret < 0)
		return NULL;
	*len = ret;
	return comp;
}

/* An output buffer with canaries on both sides, filled with SBM_DT_FILL. */
static u8 *sbm_dt_outbuf(struct kunit *test, size_t len)
{
	u8 *b = sbm_dt_alloc(test, len + 2 * SBM_DT_GUARD);

	if (!b)
		return NULL;
	memset(b, SBM_DT_CANARY, SBM_DT_GUARD);
	memset(b + SBM_DT_GUARD, SBM_DT_FILL, len);
	memset(b + SBM_DT_GUARD + len, SBM_DT_CANARY, SBM_DT_GUARD);
	return b + SBM_DT_GUARD;
}

static bool sbm_dt_canaries_ok(const u8 *out, size_t len)
{
	return !memchr_inv(out - SBM_DT_GUARD, SBM_DT_CANARY, SBM_DT_GUARD) &&
	       !memchr_inv(out + len, SBM_DT_CANARY, SBM_DT_GUARD);
}

/* Run the sandboxed decompressor; *@err gets the instance's error. */
static int sbm_dt_sandboxed(const struct sbm_dt_param *p, const void *in,
			    size_t in_len, void *out, size_t out_len, int *err)
{
	struct sbm sbm;
	int ret;

	__sbm_init(&sbm, p->strong);
	if (p->algo->heap)
		sbm_init_heap(&sbm, p->algo->heap);
	ret = sbm_call(&sbm, p->algo->sbm_func,
		       SBM_COPY_IN(&sbm, in, in_len), in_len,
		       SBM_COPY_OUT(&sbm, out, out_len), out_len);
	*err = sbm_error(&sbm);
	sbm_destroy(&sbm);
	return ret;
}

static void sbm_dt_init(struct kunit *test)
{
	const struct sbm_dt_param *p = test->param_value;

	if (p->strong && !sbm_strong_available())
		kunit_skip(test, "strong isolation not available");
}

/* Valid inputs decompress as with the native copy, bit for bit. */
static void sbm_dt_valid(struct kunit *test)
{
	const struct sbm_dt_param *p = test->param_value;
	int i, ret, native, err;

	sbm_dt_init(test);
	for (i = 0; i < ARRAY_SIZE(sbm_dt_sizes); i++) {
		size_t size = sbm_dt_sizes[i], in_len;
		u8 *in = sbm_dt_input(test, p->algo, i, &in_len);
		u8 *out = sbm_dt_outbuf(test, size);
		u8 *ref = sbm_dt_alloc(test, size);

		KUNIT_ASSERT_NOT_NULL(test, in);
		KUNIT_ASSERT_NOT_NULL(test, out);
		KUNIT_ASSERT_NOT_NULL(test, ref);
		native = p->algo->native(in, in_len, ref, size);
		KUNIT_EXPECT_EQ_MSG(test, native, (int)size, "native, %zu bytes", size);
		ret = sbm_dt_sandboxed(p, in, in_len, out, size, &err);
		KUNIT_EXPECT_EQ_MSG(test, ret, (int)size, "%zu bytes", size);
		KUNIT_EXPECT_EQ(test, err, 0);
		KUNIT_EXPECT_TRUE_MSG(test, !memcmp(out, ref, size),
				      "%zu bytes differ from the native copy", size);
		KUNIT_EXPECT_TRUE(test, sbm_dt_canaries_ok(out, size));

		/* Too little room is an error, as it is natively. */
		if (size > 1) {
			native = p->algo->native(in, in_len, ref, size - 1);
			ret = sbm_dt_sandboxed(p, in, in_len, out, size - 1, &err);
			KUNIT_EXPECT_LT(test, native, 0);
			KUNIT_EXPECT_LT(test, ret, 0);
			KUNIT_EXPECT_EQ(test, err, 0);
			KUNIT_EXPECT_TRUE(test, sbm_dt_canaries_ok(out, size));
		}
	}
}

/* A small deterministic generator for the mutations. */
static u32 sbm_dt_rand(u32 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/*
 * Mutation @n of @src into @dst: truncations, bit flips, and bytes that
 * make length fields lie (0xff, 0x00, a large little-endian word), in the
 * headers or anywhere.
 */
static size_t sbm_dt_mutate(const u8 *src, size_t len, u8 *dst, unsigned int n)
{
	u32 state = 0x9e3779b9 ^ (n * 2654435761u);
	size_t pos, head = min_t(size_t, len, 24);
	int i;

	memcpy(dst, src, len);
	sbm_dt_rand(&state);
	switch (n % 5) {
	case 0:		/* truncation */
		return 1 + sbm_dt_rand(&state) % (len - 1);
	case 1:		/* one to three bit flips */
		for (i = 0; i <= n % 3; i++) {
			pos = sbm_dt_rand(&state) % len;
			dst[pos] ^= 1 << (sbm_dt_rand(&state) % 8);
		}
		return len;
	case 2:		/* a header byte set to 0xff or 0x00 */
		pos = sbm_dt_rand(&state) % head;
		dst[pos] = (n / 5) % 2 ? 0xff : 0x00;
		return len;
	case 3:		/* a lying 32-bit length anywhere */
		pos = sbm_dt_rand(&state) % (len - 3);
		put_unaligned_le32(0x7ffffff0 | (n & 0xf), dst + pos);
		return len;
	default:	/* random bytes in the headers */
		for (i = 0; i < 4; i++)
			dst[sbm_dt_rand(&state) % head] = sbm_dt_rand(&state);
		return len;
	}
}

static void sbm_dt_corpus_one(struct kunit *test, const struct sbm_dt_param *p,
			      int idx, unsigned int count, int *decoded,
			      int *contained)
{
	size_t size = sbm_dt_sizes[idx], in_len, len;
	u8 *in = sbm_dt_input(test, p->algo, idx, &in_len);
	u8 *bad = sbm_dt_alloc(test, in_len);
	u8 *ref = sbm_dt_alloc(test, size);
	u8 *out = sbm_dt_outbuf(test, size);
	unsigned int n;
	int ret, native, err;

	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, bad);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	KUNIT_ASSERT_NOT_NULL(test, out);
	for (n = 0; n < count; n++) {
		len = sbm_dt_mutate(in, in_len, bad, n);
		native = p->algo->native(bad, len, ref, size);
		memset(out, SBM_DT_FILL, size);
		ret = sbm_dt_sandboxed(p, bad, len, out, size, &err);

		if (!sbm_dt_canaries_ok(out, size))
			KUNIT_FAIL(test, "mutant %u: canaries overwritten", n);
		if (err) {
			/* A violation: contained, and nothing copied back. */
			(*contained)++;
			if ((err != -EFAULT && err != -ETIMEDOUT) ||
			    memchr_inv(out, SBM_DT_FILL, size))
				KUNIT_FAIL(test, "mutant %u: error %d, output %s", n,
					   err, memchr_inv(out, SBM_DT_FILL, size) ?
					   "copied back" : "untouched");
			continue;
		}
		if (native >= 0)
			(*decoded)++;
		if (native < 0 ? ret >= 0 :
		    ret != native || memcmp(out, ref, native))
			KUNIT_FAIL(test, "mutant %u of %zu bytes: %d, natively %d",
				   n, len, ret, native);
	}
}

/* Malformed inputs fail as they do natively, or are contained. */
static void sbm_dt_corpus(struct kunit *test)
{
	const struct sbm_dt_param *p = test->param_value;
	int decoded = 0, contained = 0;

	sbm_dt_init(test);
	sbm_dt_corpus_one(test, p, 1, SBM_DT_MUTANTS, &decoded, &contained);
	sbm_dt_corpus_one(test, p, 2, SBM_DT_BIG_MUTANTS, &decoded, &contained);
	kunit_info(test, "%d malformed inputs: %d decoded anyway, %d contained",
		   SBM_DT_MUTANTS + SBM_DT_BIG_MUTANTS, decoded, contained);
}

#ifdef CONFIG_SANDBOX_MODE_LIB_PLANTED_BUG
static unsigned long sbm_dt_victim = 0x600dcafe;

/*
 * The planted bug: a stored block whose length is trusted. A length much
 * larger than the output overflows it, in the sandbox's memory only.
 */
static void sbm_dt_planted_bug(struct kunit *test)
{
	const struct sbm_dt_param *p = test->param_value;
	const size_t size = SZ_4K;
	u8 in[SBM_PLANTED_BUG_HDR + 16];
	u8 *out = sbm_dt_outbuf(test, size);
	struct sbm sbm;
	int ret;

	if (!p->strong)
		kunit_skip(test, "weak isolation does not contain the overflow");
	sbm_dt_init(test);
	KUNIT_ASSERT_NOT_NULL(test, out);
	memset(in, 'X', sizeof(in));
	memcpy(in, SBM_PLANTED_BUG_MAGIC, 4);
	put_unaligned_le32(16 * SZ_1M, in + 4);

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	if (p->algo->heap)
		KUNIT_ASSERT_EQ(test, sbm_init_heap(&sbm, p->algo->heap), 0);
	ret = sbm_call(&sbm, p->algo->sbm_func,
		       SBM_COPY_IN(&sbm, in, sizeof(in)), sizeof(in),
		       SBM_COPY_OUT(&sbm, out, size), size);
	KUNIT_EXPECT_EQ(test, ret, -EFAULT);
	KUNIT_EXPECT_EQ(test, sbm.fault.vector, 14);
	KUNIT_EXPECT_TRUE(test, sbm.fault.ip >= (unsigned long)__sbm_text_start &&
			  sbm.fault.ip < (unsigned long)__sbm_text_end);
	sbm_destroy(&sbm);
	KUNIT_EXPECT_TRUE(test, sbm_dt_canaries_ok(out, size));
	KUNIT_EXPECT_FALSE(test, memchr_inv(out, SBM_DT_FILL, size));
	KUNIT_EXPECT_EQ(test, READ_ONCE(sbm_dt_victim), 0x600dcafe);
}
#endif

static struct kunit_case sbm_decompress_cases[] = {
	KUNIT_CASE_PARAM(sbm_dt_valid, sbm_dt_gen_params),
	KUNIT_CASE_PARAM(sbm_dt_corpus, sbm_dt_gen_params),
#ifdef CONFIG_SANDBOX_MODE_LIB_PLANTED_BUG
	KUNIT_CASE_PARAM(sbm_dt_planted_bug, sbm_dt_gen_params),
#endif
	{}
};

static struct kunit_suite sbm_decompress_suite = {
	.name = "sbm_decompress",
	.test_cases = sbm_decompress_cases,
};

kunit_test_suites(&sbm_decompress_suite);

MODULE_DESCRIPTION("KUnit tests for the sandboxed decompressors");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
