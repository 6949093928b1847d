// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for SandBox Mode.
 *
 * "sbm_api" checks the API semantics with weak and with strong isolation.
 * "sbm_isolation" attacks strong isolation: every case asserts the exact
 * error, the CPU exception that stopped the sandbox, and that memory
 * around the caller's buffers and elsewhere in the kernel is unchanged.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/bvec.h>
#include <linux/delay.h>
#include <linux/fault-inject.h>
#include <linux/hw_breakpoint.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sbm.h>
#include <linux/slab.h>
#include <linux/tick.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#ifdef CONFIG_X86
#include <linux/cc_platform.h>
#include <linux/nmi.h>
#include <linux/processor.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/extable.h>
#include <asm/extable_fixup_types.h>
#include <asm/fixmap.h>
#include <asm/fpu/api.h>
#include <asm/fsgsbase.h>
#include <asm/insn.h>
#include <asm/kvm_para.h>
#include <asm/msr.h>
#include <asm/msr-trace.h>
#include <asm/nospec-branch.h>
#include <asm/pkru.h>
#include <asm/special_insns.h>
#include <asm/sbm.h>
#include <asm/sections.h>
#include <asm/trapnr.h>
#endif

#include "sbm_internal.h"
#include "sbm_test_funcs.h"

#define SBM_TEST_SIZE	100
#define SBM_CANARY	0xa5
#define SBM_FILL	0x3c

/* A buffer of the caller with canaries on both sides. */
struct sbm_test_buf {
	u8 pre[64];
	u8 data[SBM_TEST_SIZE];
	u8 post[64];
};

static unsigned long sbm_test_data = 0x5a5a5a5a;
static unsigned long sbm_test_bss;

static struct sbm_test_buf *sbm_test_buf_alloc(struct kunit *test, u8 fill)
{
	struct sbm_test_buf *b = kunit_kmalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	memset(b->pre, SBM_CANARY, sizeof(b->pre));
	memset(b->data, fill, sizeof(b->data));
	memset(b->post, SBM_CANARY, sizeof(b->post));
	return b;
}

static bool sbm_test_all(const u8 *p, u8 val, size_t len)
{
	return !memchr_inv(p, val, len);
}

/* Canaries intact, and the data still @fill (nothing copied back). */
static void sbm_test_expect_untouched(struct kunit *test,
				      const struct sbm_test_buf *b, u8 fill)
{
	KUNIT_EXPECT_TRUE(test, sbm_test_all(b->pre, SBM_CANARY, sizeof(b->pre)));
	KUNIT_EXPECT_TRUE(test, sbm_test_all(b->post, SBM_CANARY, sizeof(b->post)));
	KUNIT_EXPECT_TRUE(test, sbm_test_all(b->data, fill, sizeof(b->data)));
}

/* ---- Sandboxed functions ---- */

static SBM_DEFINE_FUNC(sbm_t_copy, const u8 *in, u8 *out, unsigned long len)
{
	unsigned long i;
	int sum = 0;

	for (i = 0; i < len; i++) {
		out[i] = in[i] ^ 0xff;
		sum += in[i];
	}
	return sum;
}

static SBM_DEFINE_FUNC(sbm_t_increment, u8 *buf, unsigned long len)
{
	unsigned long i;

	for (i = 0; i < len; i++)
		buf[i]++;
	return 0;
}

/* Count the non-zero bytes from the start of @buf's page to its end. */
static SBM_DEFINE_FUNC(sbm_t_nonzero, const u8 *buf, unsigned long len)
{
	const u8 *p = (const u8 *)((unsigned long)buf & PAGE_MASK);
	int n = 0;

	for (; p < buf + len; p++)
		n += *p != 0;
	return n;
}

/* The same for two buffers of @len bytes. */
static SBM_DEFINE_FUNC(sbm_t_nonzero2, const u8 *a, const u8 *b,
		       unsigned long len)
{
	const u8 *p = (const u8 *)((unsigned long)a & PAGE_MASK);
	const u8 *q = (const u8 *)((unsigned long)b & PAGE_MASK);
	int n = 0;

	for (; p < a + len; p++)
		n += *p != 0;
	for (; q < b + len; q++)
		n += *q != 0;
	return n;
}

static SBM_DEFINE_FUNC(sbm_t_noargs)
{
	return -ENOENT;
}

static SBM_DEFINE_FUNC(sbm_t_six, unsigned long a, unsigned long b,
		       unsigned long c, unsigned long d, unsigned long e,
		       unsigned long f)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f;
}

/* ---- API semantics, with weak and strong isolation ---- */

static const bool sbm_test_modes[] = { false, true };

static void sbm_test_mode_desc(const bool *strong, char *desc)
{
	strscpy(desc, *strong ? "strong" : "weak", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sbm_mode, sbm_test_modes, sbm_test_mode_desc);

static void sbm_test_init(struct kunit *test, struct sbm *sbm)
{
	bool strong = *(const bool *)test->param_value;

	if (strong && !sbm_strong_available())
		kunit_skip(test, "strong isolation not available");
	KUNIT_ASSERT_EQ(test, __sbm_init(sbm, strong), 0);
	KUNIT_ASSERT_EQ(test, sbm->strong, strong);
}

static void sbm_test_copy(struct kunit *test)
{
	struct sbm_test_buf *in = sbm_test_buf_alloc(test, 0);
	struct sbm_test_buf *out = sbm_test_buf_alloc(test, SBM_FILL);
	struct sbm sbm;
	int i, sum = 0, ret;

	for (i = 0; i < SBM_TEST_SIZE; i++) {
		in->data[i] = i;
		sum += i;
	}
	sbm_test_init(test, &sbm);
	ret = sbm_call(&sbm, sbm_t_copy,
		       SBM_COPY_IN(&sbm, in->data, SBM_TEST_SIZE),
		       SBM_COPY_OUT(&sbm, out->data, SBM_TEST_SIZE),
		       SBM_TEST_SIZE);
	KUNIT_EXPECT_EQ(test, ret, sum);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	for (i = 0; i < SBM_TEST_SIZE; i++) {
		KUNIT_EXPECT_EQ(test, out->data[i], (u8)(i ^ 0xff));
		KUNIT_EXPECT_EQ(test, in->data[i], (u8)i);
	}
	KUNIT_EXPECT_TRUE(test, sbm_test_all(out->pre, SBM_CANARY, 64));
	KUNIT_EXPECT_TRUE(test, sbm_test_all(out->post, SBM_CANARY, 64));
	KUNIT_EXPECT_TRUE(test, sbm_test_all(in->pre, SBM_CANARY, 64));
	KUNIT_EXPECT_TRUE(test, sbm_test_all(in->post, SBM_CANARY, 64));
	sbm_destroy(&sbm);
}

static void sbm_test_inout(struct kunit *test)
{
	struct sbm_test_buf *b = sbm_test_buf_alloc(test, 41);
	struct sbm sbm;

	sbm_test_init(test, &sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_increment,
				       SBM_COPY_INOUT(&sbm, b->data, SBM_TEST_SIZE),
				       SBM_TEST_SIZE), 0);
	sbm_test_expect_untouched(test, b, 42);
	sbm_destroy(&sbm);
}

/* A sandbox sees zeroes around its inputs and in its outputs, nothing stale. */
static void sbm_test_no_stale_data(struct kunit *test)
{
	struct sbm_test_buf *b = sbm_test_buf_alloc(test, 0);
	struct sbm sbm;
	int len;

	sbm_test_init(test, &sbm);
	for (len = 1; len <= SBM_TEST_SIZE; len += 33) {
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_nonzero,
					       SBM_COPY_IN(&sbm, b->data, len),
					       len), 0);
		memset(b->data, SBM_FILL, len);
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_nonzero,
					       SBM_COPY_OUT(&sbm, b->data, len),
					       len), 0);
		/* Only the output was copied back: zeroes. */
		KUNIT_EXPECT_TRUE(test, sbm_test_all(b->data, 0, len));
	}
	sbm_destroy(&sbm);
}

/* Return values are passed through and are not errors. */
static void sbm_test_return_values(struct kunit *test)
{
	struct sbm sbm;

	sbm_test_init(test, &sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_noargs), -ENOENT);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_six, 1, 2, 3, 4, 5, 6), 91);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_six, -1UL, 0, 0, 0, 0, 0), -1);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
}

/* The first error sticks; the function is never called after it. */
static void sbm_test_sticky_error(struct kunit *test)
{
	struct sbm_test_buf *b = sbm_test_buf_alloc(test, 1);
	struct sbm sbm;

	sbm_test_init(test, &sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_increment,
				       SBM_COPY_INOUT(&sbm, NULL, SBM_TEST_SIZE),
				       SBM_TEST_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -EINVAL);
	/* A valid call fails too, with the first error, and copies nothing. */
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_increment,
				       SBM_COPY_INOUT(&sbm, b->data, SBM_TEST_SIZE),
				       SBM_TEST_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_noargs), -EINVAL);
	/* Later errors do not replace the first one. */
	KUNIT_EXPECT_NULL(test, SBM_COPY_IN(&sbm, b->data, SBM_MAX_BUF_SIZE + 1));
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -EINVAL);
	sbm_test_expect_untouched(test, b, 1);
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_buffers), 0);
}

static void sbm_test_bad_buffers(struct kunit *test)
{
	struct sbm_test_buf *b = sbm_test_buf_alloc(test, 9);
	static const struct {
		bool null;
		size_t size;
		unsigned int flags;
		int err;
	} cases[] = {
		{ true, 16, SBM_BUF_IN, -EINVAL },
		{ false, 0, SBM_BUF_OUT, -EINVAL },
		{ false, SBM_MAX_BUF_SIZE + 1, SBM_BUF_IN, -E2BIG },
		{ false, SIZE_MAX, SBM_BUF_OUT, -E2BIG },
		{ false, 16, 0, -EINVAL },
		{ false, 16, 0x80, -EINVAL },
		/* An output kept in place has no buffer of the caller's. */
		{ false, 16, SBM_BUF_OUT | SBM_BUF_KEEP, -EINVAL },
		{ true, 16, SBM_BUF_IN | SBM_BUF_KEEP, -EINVAL },
		{ true, 16, SBM_BUF_INOUT | SBM_BUF_KEEP, -EINVAL },
		{ true, 16, SBM_BUF_KEEP, -EINVAL },
		{ true, 0, SBM_BUF_OUT | SBM_BUF_KEEP, -EINVAL },
	};
	struct sbm sbm;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		void *buf = b->data;

		if (cases[i].null)
			buf = NULL;
		sbm_test_init(test, &sbm);
		KUNIT_EXPECT_NULL(test, sbm_add_buf(&sbm, buf, cases[i].size,
						    cases[i].flags));
		KUNIT_EXPECT_EQ_MSG(test, sbm_call(&sbm, sbm_t_noargs),
				    cases[i].err, "case %d", i);
		KUNIT_EXPECT_EQ(test, sbm_error(&sbm), cases[i].err);
		sbm_destroy(&sbm);
	}
	sbm_test_expect_untouched(test, b, 9);

	sbm_test_init(test, &sbm);
	KUNIT_EXPECT_EQ(test, __sbm_call(&sbm, NULL, NULL, 0), -EINVAL);
	sbm_destroy(&sbm);
	/* A missing instance is an error too, not an oops. */
	KUNIT_EXPECT_EQ(test, __sbm_call(NULL, sbm_t_noargs, NULL, 0), -EINVAL);
	KUNIT_EXPECT_NULL(test, SBM_COPY_IN(NULL, b->data, 16));
	KUNIT_EXPECT_EQ(test, sbm_error(NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, __sbm_init(NULL, true), -EINVAL);
	sbm_destroy(NULL);
}

static void *sbm_test_alloc_fail(size_t size)
{
	return NULL;
}

static void sbm_test_alloc_failure(struct kunit *test)
{
	struct sbm_test_buf *in = sbm_test_buf_alloc(test, 3);
	struct sbm_test_buf *out = sbm_test_buf_alloc(test, 4);
	struct sbm sbm;
	void *first;

	sbm_test_init(test, &sbm);
	first = SBM_COPY_IN(&sbm, in->data, SBM_TEST_SIZE);
	KUNIT_EXPECT_NOT_NULL(test, first);
	sbm_cache_drain();
	kunit_activate_static_stub(test, sbm_alloc_area, sbm_test_alloc_fail);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_copy, first,
				       SBM_COPY_OUT(&sbm, out->data, SBM_TEST_SIZE),
				       SBM_TEST_SIZE), -ENOMEM);
	kunit_deactivate_static_stub(test, sbm_alloc_area);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -ENOMEM);
	sbm_test_expect_untouched(test, in, 3);
	sbm_test_expect_untouched(test, out, 4);
	/* The buffer prepared before the failure was released. */
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_buffers), 0);
	sbm_destroy(&sbm);
}

/* Unused buffers are dropped by sbm_destroy() without being copied. */
static void sbm_test_destroy_drops(struct kunit *test)
{
	struct sbm_test_buf *b = sbm_test_buf_alloc(test, 5);
	long instances = atomic_long_read(&sbm_stat_instances);
	struct sbm sbm;

	sbm_test_init(test, &sbm);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_instances), instances + 1);
	KUNIT_EXPECT_NOT_NULL(test, SBM_COPY_OUT(&sbm, b->data, SBM_TEST_SIZE));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_buffers), 1);
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_buffers), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_instances), instances);
	sbm_test_expect_untouched(test, b, 5);
	/* Use after destroy fails cleanly. */
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_noargs), -EBADF);
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_instances), instances);
}

static int sbm_test_area_allocs;

static void *sbm_test_count_alloc(size_t size)
{
	sbm_test_area_allocs++;
	return vmalloc(size);
}

/* One call that copies @in, all @fill, to @out; the result checked. */
static void sbm_test_copy_fill(struct kunit *test, struct sbm *sbm,
			       struct sbm_test_buf *in, struct sbm_test_buf *out,
			       int fill)
{
	memset(in->data, fill, SBM_TEST_SIZE);
	KUNIT_EXPECT_EQ(test, sbm_call(sbm, sbm_t_copy,
				       SBM_COPY_IN(sbm, in->data, SBM_TEST_SIZE),
				       SBM_COPY_OUT(sbm, out->data, SBM_TEST_SIZE),
				       SBM_TEST_SIZE), fill * SBM_TEST_SIZE);
	KUNIT_EXPECT_TRUE(test, sbm_test_all(out->data, fill ^ 0xff,
					     SBM_TEST_SIZE));
}

/*
 * Buffers of the sizes of the last call get its areas again, refilled:
 * what the sandbox wrote to an area in one call is gone in the next.
 */
static void sbm_test_spare_areas(struct kunit *test)
{
	struct sbm_test_buf *in = sbm_test_buf_alloc(test, 0);
	struct sbm_test_buf *out = sbm_test_buf_alloc(test, 0);
	long spares = atomic_long_read(&sbm_stat_spares);
	struct sbm sbm;
	u8 *big;
	int i;

	sbm_test_init(test, &sbm);
	sbm_cache_drain();
	sbm_test_area_allocs = 0;
	kunit_activate_static_stub(test, sbm_alloc_area, sbm_test_count_alloc);
	for (i = 0; i < 10; i++)
		sbm_test_copy_fill(test, &sbm, in, out, i);
	KUNIT_EXPECT_EQ(test, sbm_test_area_allocs, 2);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_spares), spares + 2);

	/* The areas the sandbox wrote to are all zeroes for an output. */
	memset(out->data, SBM_FILL, SBM_TEST_SIZE);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_nonzero,
				       SBM_COPY_OUT(&sbm, out->data, SBM_TEST_SIZE),
				       SBM_TEST_SIZE), 0);
	KUNIT_EXPECT_TRUE(test, sbm_test_all(out->data, 0, SBM_TEST_SIZE));
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_nonzero,
				       SBM_COPY_OUT(&sbm, out->data, SBM_TEST_SIZE),
				       SBM_TEST_SIZE), 0);

	/* Another size needs an area of its own. */
	big = kunit_kzalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_nonzero,
				       SBM_COPY_OUT(&sbm, big, 2 * PAGE_SIZE),
				       2 * PAGE_SIZE), 0);
	kunit_deactivate_static_stub(test, sbm_alloc_area);
	KUNIT_EXPECT_EQ(test, sbm_test_area_allocs, 3);
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_spares), spares);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_buffers), 0);
}

/*
 * An output area kept for the next call is wiped where the sandbox wrote
 * (with strong isolation, only there): whichever pages it wrote, the
 * first, a middle one, the last, or only the unused head of the area, the
 * next output of that size is all zeroes, to the sandbox and to the
 * caller. An area that held an input is refilled in full, for an output
 * or for a shorter input.
 */
static void sbm_test_spare_wiped(struct kunit *test)
{
	const size_t size = 4 * PAGE_SIZE + 100;
	const long offsets[] = { 0, PAGE_SIZE, 2 * PAGE_SIZE + 7, size - 1, -1 };
	const size_t lens[] = { 3000, 1000, 2000, 1, 4000, 4000 };
	u8 *out = kunit_kzalloc(test, size, GFP_KERNEL);
	u8 *in = kunit_kmalloc(test, size, GFP_KERNEL);
	struct sbm sbm;
	u8 *p;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, in);
	sbm_test_init(test, &sbm);
	for (i = 0; i < ARRAY_SIZE(offsets); i++) {
		p = SBM_COPY_OUT(&sbm, out, size);
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_write,
					       (unsigned long)(p + offsets[i])), 1);
		if (offsets[i] >= 0)
			KUNIT_EXPECT_EQ(test, out[offsets[i]], 0x42);
		memset(out, SBM_FILL, size);
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_nonzero,
					       SBM_COPY_OUT(&sbm, out, size), size),
				0);
		KUNIT_EXPECT_TRUE(test, sbm_test_all(out, 0, size));
	}
	memset(in, SBM_FILL, size);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_nonzero,
				       SBM_COPY_IN(&sbm, in, size), size),
			(int)size);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_nonzero,
				       SBM_COPY_OUT(&sbm, out, size), size), 0);
	/* A shorter input in the area of a longer one: no byte of it left. */
	for (i = 0; i < ARRAY_SIZE(lens); i++)
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_nonzero,
					       SBM_COPY_IN(&sbm, in, lens[i]),
					       lens[i]), (int)lens[i]);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
}

/*
 * The seed API's pattern, a new instance for every call, gets the areas
 * of the instances before from the cache that they share: no allocation
 * after the first call, and neither the inputs of an earlier instance nor
 * what its sandbox wrote reach the next one. The shrinker's way empties
 * the cache.
 */
static void sbm_test_area_cache(struct kunit *test)
{
	struct sbm_test_buf *in = sbm_test_buf_alloc(test, 0);
	struct sbm_test_buf *out = sbm_test_buf_alloc(test, 0);
	long spares = atomic_long_read(&sbm_stat_spares);
	struct sbm sbm;
	int i;

	sbm_cache_drain();
	sbm_test_area_allocs = 0;
	kunit_activate_static_stub(test, sbm_alloc_area, sbm_test_count_alloc);
	for (i = 1; i <= 10; i++) {
		sbm_test_init(test, &sbm);
		sbm_test_copy_fill(test, &sbm, in, out, i);
		sbm_destroy(&sbm);
	}
	KUNIT_EXPECT_EQ(test, sbm_test_area_allocs, 2);

	/* Both areas, the input's and the written output's, as outputs. */
	sbm_test_init(test, &sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_nonzero2,
				       SBM_COPY_OUT(&sbm, in->data, SBM_TEST_SIZE),
				       SBM_COPY_OUT(&sbm, out->data, SBM_TEST_SIZE),
				       SBM_TEST_SIZE), 0);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
	kunit_deactivate_static_stub(test, sbm_alloc_area);
	KUNIT_EXPECT_EQ(test, sbm_test_area_allocs, 2);
	KUNIT_EXPECT_EQ(test, sbm_cache_drain(), 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_spares), spares);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_buffers), 0);
}

/*
 * Input gathered from pages (an ITER_BVEC, as of a bio) is copied once,
 * from where the iterator stands; an iterator that runs short is -EFAULT.
 * An output kept in place is what the sandbox wrote, until the next
 * buffer, call or destroy; after a violation there is none; and its area
 * is filled anew before a sandbox sees it again.
 */
static void sbm_test_iter_and_keep(struct kunit *test)
{
	struct bio_vec bvec[3];
	struct iov_iter iter;
	struct page *pages[3];
	const u8 *kept;
	struct sbm sbm;
	int i, sum = 0;
	void *out;
	u8 *p;

	for (i = 0; i < 3; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		memset(page_address(pages[i]), i + 1, PAGE_SIZE);
		bvec_set_page(&bvec[i], pages[i], PAGE_SIZE, 0);
	}
	/* 100 bytes from the end of the first page to 100 into the third. */
	for (i = PAGE_SIZE - 100; i < 2 * PAGE_SIZE + 100; i++)
		sum += i / PAGE_SIZE + 1;

	sbm_test_init(test, &sbm);
	iov_iter_bvec(&iter, ITER_SOURCE, bvec, 3, 3 * PAGE_SIZE);
	iov_iter_advance(&iter, PAGE_SIZE - 100);
	out = SBM_OUT_KEEP(&sbm, PAGE_SIZE + 200);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_copy,
				       SBM_COPY_IN_ITER(&sbm, &iter, PAGE_SIZE + 200),
				       out, PAGE_SIZE + 200), sum);
	KUNIT_EXPECT_EQ(test, iov_iter_count(&iter), PAGE_SIZE - 100);
	kept = sbm_out_data(&sbm, out);
	KUNIT_ASSERT_NOT_NULL(test, kept);
	for (i = 0; i < PAGE_SIZE + 200; i++)
		if (kept[i] != (u8)(((i + PAGE_SIZE - 100) / PAGE_SIZE + 1) ^ 0xff))
			break;
	KUNIT_EXPECT_EQ(test, i, PAGE_SIZE + 200);
	KUNIT_EXPECT_NULL(test, sbm_out_data(&sbm, out + 1));
	KUNIT_EXPECT_NULL(test, sbm_out_data(&sbm, NULL));

	/* The next call's output of that size gets the area, zeroed. */
	p = SBM_OUT_KEEP(&sbm, PAGE_SIZE + 200);
	KUNIT_EXPECT_NULL(test, sbm_out_data(&sbm, out));
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_nonzero, p, PAGE_SIZE + 200), 0);
	KUNIT_EXPECT_NOT_NULL(test, sbm_out_data(&sbm, p));
	/* A call without buffers ends it too. */
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_noargs), -ENOENT);
	KUNIT_EXPECT_NULL(test, sbm_out_data(&sbm, p));

	/* Short: PAGE_SIZE - 100 bytes are left. */
	KUNIT_EXPECT_NULL(test, SBM_COPY_IN_ITER(&sbm, &iter, PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -EFAULT);
	sbm_destroy(&sbm);

	/* A violation (past the end of the output) leaves no output to read. */
	sbm_test_init(test, &sbm);
	p = SBM_OUT_KEEP(&sbm, 64);
	if (sbm.strong) {
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_write,
					       (unsigned long)p + 64), -EFAULT);
		KUNIT_EXPECT_NULL(test, sbm_out_data(&sbm, p));
	}
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_buffers), 0);
	for (i = 0; i < 3; i++)
		__free_page(pages[i]);
}

#ifdef CONFIG_FAIL_SBM_ALLOC
/*
 * With SBM's allocations failing at random, the seed API's whole round
 * either works or fails with -ENOMEM, copying nothing back, and nothing
 * leaks.
 */
static void sbm_test_alloc_faults(struct kunit *test)
{
	struct sbm_test_buf *in = sbm_test_buf_alloc(test, 7);
	struct sbm_test_buf *out = sbm_test_buf_alloc(test, SBM_FILL);
	long instances = atomic_long_read(&sbm_stat_instances);
	long spares = atomic_long_read(&sbm_stat_spares);
	bool strong = *(const bool *)test->param_value;
	unsigned int i, ok = 0, nomem = 0, bad = 0;
	struct sbm sbm;
	int ret;

	if (strong && !sbm_strong_available())
		kunit_skip(test, "strong isolation not available");
	sbm_fail_alloc_attr.probability = 10;
	sbm_fail_alloc_attr.interval = 1;
	sbm_fail_alloc_attr.verbose = 0;
	atomic_set(&sbm_fail_alloc_attr.times, -1);
	for (i = 0; i < 2000; i++) {
		__sbm_init(&sbm, strong);
		if (i % 2)
			sbm_init_heap(&sbm, SZ_16K);
		ret = sbm_call(&sbm, sbm_t_copy,
			       SBM_COPY_IN(&sbm, in->data, SBM_TEST_SIZE),
			       SBM_COPY_OUT(&sbm, out->data, SBM_TEST_SIZE),
			       SBM_TEST_SIZE);
		if (ret == -ENOMEM && sbm_test_all(out->data, SBM_FILL, SBM_TEST_SIZE))
			nomem++;
		else if (ret == 7 * SBM_TEST_SIZE &&
			 sbm_test_all(out->data, 7 ^ 0xff, SBM_TEST_SIZE))
			ok++;
		else
			bad++;
		memset(out->data, SBM_FILL, SBM_TEST_SIZE);
		sbm_destroy(&sbm);
	}
	atomic_set(&sbm_fail_alloc_attr.times, 0);
	sbm_fail_alloc_attr.probability = 0;
	kunit_info(test, "%u calls worked, %u failed with -ENOMEM", ok, nomem);
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_GT(test, ok, 0);
	KUNIT_EXPECT_GT(test, nomem, 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_instances), instances);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_buffers), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_spares), spares);
}
#endif

/* Many calls on one instance: correct results and nothing leaks. */
static void sbm_test_reuse(struct kunit *test)
{
	struct sbm_test_buf *in = sbm_test_buf_alloc(test, 0);
	struct sbm_test_buf *out = sbm_test_buf_alloc(test, 0);
	long instances = atomic_long_read(&sbm_stat_instances);
	struct sbm sbm;
	int i, ret;

	sbm_test_init(test, &sbm);
	for (i = 0; i < 500; i++) {
		memset(in->data, i & 0xff, SBM_TEST_SIZE);
		ret = sbm_call(&sbm, sbm_t_copy,
			       SBM_COPY_IN(&sbm, in->data, SBM_TEST_SIZE),
			       SBM_COPY_OUT(&sbm, out->data, SBM_TEST_SIZE),
			       SBM_TEST_SIZE);
		if (ret != (i & 0xff) * SBM_TEST_SIZE ||
		    !sbm_test_all(out->data, (i & 0xff) ^ 0xff, SBM_TEST_SIZE)) {
			KUNIT_FAIL(test, "call %d returned %d", i, ret);
			break;
		}
		if (atomic_long_read(&sbm_stat_buffers)) {
			KUNIT_FAIL(test, "buffers leaked after call %d", i);
			break;
		}
	}
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_instances), instances);
}

/* A function outside .sbm.text is refused, whatever the isolation. */
static int sbm_test_plain_func(void)
{
	return 0;
}

static void sbm_test_not_sandbox_code(struct kunit *test)
{
	struct sbm sbm;

	sbm_test_init(test, &sbm);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_test_plain_func), -EINVAL);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -EINVAL);
	sbm_destroy(&sbm);
}

/*
 * The module sandbox code that an instance remembers from an earlier
 * call is trusted only until a module goes: then it may be gone, and its
 * pages someone else's. Here the instance remembers a range of ordinary
 * kernel code, as it would if that module's pages had been reused.
 */
static void sbm_test_module_gone(struct kunit *test)
{
	unsigned long addr = (unsigned long)sbm_test_plain_func;
	struct sbm sbm;

	sbm_test_init(test, &sbm);
	/* A range looked up now... */
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_noargs), -ENOENT);
	sbm.mod_text[0] = addr & PAGE_MASK;
	sbm.mod_text[1] = (addr & PAGE_MASK) + PAGE_SIZE;
	/* ...then a module goes. */
	sbm_module_notify(NULL, MODULE_STATE_GOING, NULL);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_test_plain_func), -EINVAL);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -EINVAL);
	sbm_destroy(&sbm);
}

#ifdef CONFIG_KPROBES
static atomic_t sbm_test_probe_hits[3];

static int sbm_test_probe_pre(struct kprobe *p, struct pt_regs *regs)
{
	atomic_inc(&sbm_test_probe_hits[p->symbol_name[0] == 'a']);
	return 0;
}

static int sbm_test_probe_ret(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	atomic_inc(&sbm_test_probe_hits[2]);
	return 0;
}

/*
 * Probes on the API and on the architecture's C code do not disturb a
 * sandbox; probes in sandbox code and in the transition are refused.
 */
static void sbm_test_probes(struct kunit *test)
{
	static const char * const refused_syms[] = {
#ifdef CONFIG_X86_64
		"sbm_x86_enter", "sbm_x86_enter_once",
#endif
	};
	void *refused_funcs[] = { sbm_t_copy, sbm_t_noargs };
	bool strong = *(const bool *)test->param_value;
	struct sbm_test_buf *in = sbm_test_buf_alloc(test, 7);
	struct sbm_test_buf *out = sbm_test_buf_alloc(test, 0);
	struct kprobe *kp = kunit_kzalloc(test, 3 * sizeof(*kp), GFP_KERNEL);
	struct kretprobe *krp = kunit_kzalloc(test, sizeof(*krp), GFP_KERNEL);
	struct kprobe *kp_call = &kp[0], *kp_exec = &kp[1], *bad = &kp[2];
	struct sbm sbm;
	int i, ret;

	KUNIT_ASSERT_NOT_NULL(test, kp);
	KUNIT_ASSERT_NOT_NULL(test, krp);
	for (i = 0; i < ARRAY_SIZE(refused_funcs) + ARRAY_SIZE(refused_syms); i++) {
		memset(bad, 0, sizeof(*bad));
		if (i < ARRAY_SIZE(refused_funcs))
			bad->addr = refused_funcs[i];
		else
			bad->symbol_name = refused_syms[i - ARRAY_SIZE(refused_funcs)];
		ret = register_kprobe(bad);
		KUNIT_EXPECT_EQ_MSG(test, ret, -EINVAL, "%ps %s", bad->addr,
				    bad->symbol_name ?: "");
		if (!ret)
			unregister_kprobe(bad);
	}
	kp_call->symbol_name = "__sbm_call";
	kp_call->pre_handler = sbm_test_probe_pre;
	kp_exec->symbol_name = "arch_sbm_exec";
	kp_exec->pre_handler = sbm_test_probe_pre;
	krp->kp.symbol_name = "__sbm_call";
	krp->handler = sbm_test_probe_ret;
	for (i = 0; i < ARRAY_SIZE(sbm_test_probe_hits); i++)
		atomic_set(&sbm_test_probe_hits[i], 0);
	/* Nothing may skip or abort the test while the probes are in. */
	sbm_test_init(test, &sbm);
	KUNIT_EXPECT_EQ(test, register_kprobe(kp_call), 0);
	KUNIT_EXPECT_EQ(test, register_kprobe(kp_exec), 0);
	KUNIT_EXPECT_EQ(test, register_kretprobe(krp), 0);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_copy,
					       SBM_COPY_IN(&sbm, in->data, SBM_TEST_SIZE),
					       SBM_COPY_OUT(&sbm, out->data, SBM_TEST_SIZE),
					       SBM_TEST_SIZE), 7 * SBM_TEST_SIZE);
	unregister_kretprobe(krp);
	unregister_kprobe(kp_exec);
	unregister_kprobe(kp_call);
	sbm_destroy(&sbm);
	sbm_test_expect_untouched(test, out, 7 ^ 0xff);
	KUNIT_EXPECT_EQ(test, atomic_read(&sbm_test_probe_hits[0]), 10);
	KUNIT_EXPECT_EQ(test, atomic_read(&sbm_test_probe_hits[1]), strong ? 10 : 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&sbm_test_probe_hits[2]), 10);
}
#endif

/*
 * One instance, two CPUs: while a call runs, a second call of the same
 * instance, and a buffer for it, are refused with -EBUSY, and the first
 * call goes on as if nothing had happened.
 */
struct sbm_busy {
	struct sbm sbm;
	struct completion done;
	int ret;
};

static int sbm_busy_fn(void *data)
{
	struct sbm_busy *b = data;

	b->ret = sbm_call(&b->sbm, sbm_t_spin, 200UL * 1000 * 1000);
	complete(&b->done);
	return 0;
}

static void sbm_test_busy(struct kunit *test)
{
	struct sbm_busy *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	unsigned long arg = 1, deadline;
	struct task_struct *t;
	u8 byte = 0;
	int cpu;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	KUNIT_ASSERT_NOT_NULL(test, b);
	sbm_test_init(test, &b->sbm);
	b->sbm.timeout_ns = 0;
	init_completion(&b->done);
	cpu = cpumask_last(cpu_online_mask);
	set_cpus_allowed_ptr(current, cpumask_of(cpumask_first(cpu_online_mask)));
	t = kthread_run_on_cpu(sbm_busy_fn, b, cpu, "sbm_busy/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	deadline = jiffies + 10 * HZ;
	while (!atomic_read(&b->sbm.busy) && !completion_done(&b->done) &&
	       time_before(jiffies, deadline))
		cpu_relax();
	if (atomic_read(&b->sbm.busy)) {
		KUNIT_EXPECT_NULL(test, SBM_COPY_IN(&b->sbm, &byte, 1));
		KUNIT_EXPECT_EQ(test, __sbm_call(&b->sbm, sbm_t_spin, &arg, 1),
				-EBUSY);
		KUNIT_EXPECT_FALSE(test, completion_done(&b->done));
	} else {
		KUNIT_FAIL(test, "the first call never ran");
	}
	wait_for_completion(&b->done);
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	KUNIT_EXPECT_EQ(test, b->ret, 7);
	KUNIT_EXPECT_EQ(test, sbm_error(&b->sbm), 0);
	/* And the instance serves the next call. */
	KUNIT_EXPECT_EQ(test, __sbm_call(&b->sbm, sbm_t_spin, &arg, 1), 7);
	sbm_destroy(&b->sbm);
}

/*
 * Reports and logs are rate-limited per sandboxed function: one that
 * floods the log does not silence the reports of another.
 */
static void sbm_test_ratelimit_per_func(struct kunit *test)
{
	static char flooder, other;
	int i, passed = 0;

	for (i = 0; i < 100; i++)
		passed += sbm_ratelimit(&flooder, SBM_RATELIMIT_REPORT);
	KUNIT_EXPECT_LT(test, passed, 100);
	KUNIT_EXPECT_FALSE(test, sbm_ratelimit(&flooder, SBM_RATELIMIT_REPORT));
	KUNIT_EXPECT_TRUE(test, sbm_ratelimit(&other, SBM_RATELIMIT_REPORT));
	/* The log's limit is another one. */
	KUNIT_EXPECT_TRUE(test, sbm_ratelimit(&flooder, SBM_RATELIMIT_LOG));
}

static struct kunit_case sbm_api_cases[] = {
	KUNIT_CASE_PARAM(sbm_test_copy, sbm_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_test_inout, sbm_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_test_no_stale_data, sbm_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_test_return_values, sbm_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_test_sticky_error, sbm_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_test_bad_buffers, sbm_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_test_alloc_failure, sbm_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_test_destroy_drops, sbm_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_test_reuse, sbm_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_test_spare_areas, sbm_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_test_spare_wiped, sbm_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_test_area_cache, sbm_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_test_iter_and_keep, sbm_mode_gen_params),
#ifdef CONFIG_FAIL_SBM_ALLOC
	KUNIT_CASE_PARAM(sbm_test_alloc_faults, sbm_mode_gen_params),
#endif
	KUNIT_CASE_PARAM(sbm_test_not_sandbox_code, sbm_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_test_module_gone, sbm_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_test_busy, sbm_mode_gen_params),
	KUNIT_CASE(sbm_test_ratelimit_per_func),
#ifdef CONFIG_KPROBES
	KUNIT_CASE_PARAM(sbm_test_probes, sbm_mode_gen_params),
#endif
	{}
};

static struct kunit_suite sbm_api_suite = {
	.name = "sbm_api",
	.test_cases = sbm_api_cases,
};

/* ---- Adversarial tests of strong isolation ---- */

#ifdef CONFIG_X86_64

#define PF_WRITE	BIT(1)
#define PF_USER		BIT(2)
#define PF_INSTR	BIT(4)

static int sbm_isolation_init(struct kunit *test)
{
	if (!sbm_strong_available())
		kunit_skip(test, "strong isolation not available");
	return 0;
}

/* Expect @sbm to have been terminated by @vector with -EFAULT. */
static void sbm_expect_fault(struct kunit *test, struct sbm *sbm, int ret,
			     int vector)
{
	KUNIT_EXPECT_EQ(test, ret, -EFAULT);
	KUNIT_EXPECT_EQ(test, sbm_error(sbm), -EFAULT);
	KUNIT_EXPECT_EQ(test, sbm->fault.vector, vector);
}

/* Attack one address with @func; nothing may change anywhere. */
static void sbm_attack(struct kunit *test, void *func, unsigned long addr,
		       int vector, unsigned long pf_bits)
{
	struct sbm_test_buf *out = sbm_test_buf_alloc(test, SBM_FILL);
	unsigned long data = READ_ONCE(sbm_test_data);
	unsigned long bss = READ_ONCE(sbm_test_bss);
	struct sbm sbm;
	int ret;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	ret = __sbm_call(&sbm, func, &addr, 1);
	sbm_expect_fault(test, &sbm, ret, vector);
	if (vector == X86_TRAP_PF) {
		KUNIT_EXPECT_EQ(test, sbm.fault.address, addr);
		KUNIT_EXPECT_EQ(test, sbm.fault.error_code & pf_bits, pf_bits);
		KUNIT_EXPECT_TRUE(test, sbm.fault.error_code & PF_USER);
	}
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sbm_test_data), data);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sbm_test_bss), bss);
	sbm_test_expect_untouched(test, out, SBM_FILL);
}

/* Access @offset bytes from the start of a sandbox buffer. */
static void sbm_buffer_attack(struct kunit *test, void *func, bool out_buf,
			      long offset, unsigned long pf_bits)
{
	struct sbm_test_buf *b = sbm_test_buf_alloc(test, SBM_FILL);
	struct sbm sbm;
	unsigned long addr;
	u8 *copy;
	int ret;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	copy = out_buf ? SBM_COPY_OUT(&sbm, b->data, SBM_TEST_SIZE) :
			 SBM_COPY_IN(&sbm, b->data, SBM_TEST_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	addr = (unsigned long)copy + offset;
	ret = sbm_call(&sbm, (int (*)(unsigned long))func, addr);
	sbm_expect_fault(test, &sbm, ret, X86_TRAP_PF);
	KUNIT_EXPECT_EQ(test, sbm.fault.address, addr);
	KUNIT_EXPECT_EQ(test, sbm.fault.error_code & pf_bits, pf_bits);
	sbm_destroy(&sbm);
	sbm_test_expect_untouched(test, b, SBM_FILL);
}

static void sbm_test_write_past_output(struct kunit *test)
{
	sbm_buffer_attack(test, sbm_t_write, true, SBM_TEST_SIZE, PF_WRITE);
}

static void sbm_test_read_past_input(struct kunit *test)
{
	sbm_buffer_attack(test, sbm_t_read, false, SBM_TEST_SIZE, 0);
}

/* The copy ends at a page end; before it is the rest of its first page. */
static long sbm_before_page(void)
{
	return -(long)offset_in_page(PAGE_SIZE - SBM_TEST_SIZE) - 1;
}

static void sbm_test_write_before_output(struct kunit *test)
{
	sbm_buffer_attack(test, sbm_t_write, true, sbm_before_page(), PF_WRITE);
}

static void sbm_test_read_before_input(struct kunit *test)
{
	sbm_buffer_attack(test, sbm_t_read, false, sbm_before_page(), 0);
}

static void sbm_test_read_past_output(struct kunit *test)
{
	sbm_buffer_attack(test, sbm_t_read, true, SBM_TEST_SIZE, 0);
}

static void sbm_test_write_past_input(struct kunit *test)
{
	sbm_buffer_attack(test, sbm_t_write, false, SBM_TEST_SIZE, PF_WRITE);
}

static void sbm_test_write_input(struct kunit *test)
{
	sbm_buffer_attack(test, sbm_t_write, false, 0, PF_WRITE | PF_USER);
}

static void sbm_test_exec_output(struct kunit *test)
{
	sbm_buffer_attack(test, sbm_t_exec, true, 0, PF_INSTR);
}

/* A write that stays in the page of a copy changes only the copy. */
static void sbm_test_slack_contained(struct kunit *test)
{
	struct sbm_test_buf *b = sbm_test_buf_alloc(test, SBM_FILL);
	struct sbm sbm;
	u8 *copy;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	copy = SBM_COPY_INOUT(&sbm, b->data, SBM_TEST_SIZE);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_write, (unsigned long)(copy - 1)), 1);
	sbm_test_expect_untouched(test, b, SBM_FILL);
	sbm_destroy(&sbm);
}

static void sbm_test_write_kernel_data(struct kunit *test)
{
	sbm_attack(test, sbm_t_write, (unsigned long)&sbm_test_data,
		   X86_TRAP_PF, PF_WRITE | PF_USER);
}

static void sbm_test_read_kernel_data(struct kunit *test)
{
	sbm_attack(test, sbm_t_read, (unsigned long)&sbm_test_data,
		   X86_TRAP_PF, PF_USER);
}

static void sbm_test_write_kernel_bss(struct kunit *test)
{
	sbm_attack(test, sbm_t_write, (unsigned long)&sbm_test_bss,
		   X86_TRAP_PF, PF_WRITE | PF_USER);
}

static void sbm_test_read_kernel_bss(struct kunit *test)
{
	sbm_attack(test, sbm_t_read, (unsigned long)&sbm_test_bss,
		   X86_TRAP_PF, PF_USER);
}

static void sbm_test_write_kernel_stack(struct kunit *test)
{
	unsigned long local = 0x1234;

	sbm_attack(test, sbm_t_write, (unsigned long)&local, X86_TRAP_PF,
		   PF_WRITE | PF_USER);
	KUNIT_EXPECT_EQ(test, READ_ONCE(local), 0x1234);
}

static void sbm_test_read_heap(struct kunit *test)
{
	u8 *p = kunit_kzalloc(test, 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	sbm_attack(test, sbm_t_read, (unsigned long)p, X86_TRAP_PF, PF_USER);
}

/* The supervisor-only pages that are mapped stay out of reach. */
static void sbm_test_read_entry_area(struct kunit *test)
{
	struct desc_ptr gdt;

	native_store_gdt(&gdt);
	sbm_attack(test, sbm_t_read, gdt.address, X86_TRAP_PF, PF_USER);
}

#define PF_PROT		BIT(0)

/* The transition code and state are mapped, but for the kernel only. */
static void sbm_test_read_transition_text(struct kunit *test)
{
	sbm_attack(test, sbm_t_read, (unsigned long)sbm_x86_stubs, X86_TRAP_PF,
		   PF_USER | PF_PROT);
}

static void sbm_test_exec_transition_text(struct kunit *test)
{
	sbm_attack(test, sbm_t_exec, (unsigned long)sbm_x86_stubs, X86_TRAP_PF,
		   PF_INSTR | PF_USER | PF_PROT);
}

/*
 * SIDT, SGDT and STR: a #GP where UMIP is on, otherwise fixed values (the
 * fixmap aliases, the TSS selector), never a randomized address.
 */
static void sbm_test_descriptor_tables(struct kunit *test)
{
	static const struct {
		const char *name;
		void *func;
		unsigned long base;
		unsigned int limit;
	} insns[] = {
		{ "sidt", sbm_t_sidt, __fix_to_virt(FIX_SBM_IDT), IDT_ENTRIES * 16 - 1 },
		{ "sgdt", sbm_t_sgdt, __fix_to_virt(FIX_SBM_GDT), GDT_SIZE - 1 },
		{ "str", sbm_t_str, 0, GDT_ENTRY_TSS * 8 },
	};
	bool umip = cpu_feature_enabled(X86_FEATURE_UMIP);
	unsigned int i;

	kunit_info(test, "UMIP %s\n", umip ? "on" : "off");
	for (i = 0; i < ARRAY_SIZE(insns); i++) {
		struct desc_ptr seen = { .size = 0xdead, .address = 0xbad };
		unsigned long arg;
		struct sbm sbm;
		int ret;

		KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
		arg = (unsigned long)SBM_COPY_OUT(&sbm, &seen, sizeof(seen));
		KUNIT_ASSERT_NE(test, arg, 0);
		ret = __sbm_call(&sbm, insns[i].func, &arg, 1);
		if (umip) {
			sbm_expect_fault(test, &sbm, ret, X86_TRAP_GP);
			KUNIT_EXPECT_EQ(test, seen.size, 0xdead);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s", insns[i].name);
			KUNIT_EXPECT_EQ_MSG(test, seen.size, insns[i].limit,
					    "%s", insns[i].name);
			if (insns[i].base)
				KUNIT_EXPECT_EQ_MSG(test, seen.address, insns[i].base,
						    "%s", insns[i].name);
		}
		sbm_destroy(&sbm);
	}
}

static bool sbm_test_mce_recoverable;
static int sbm_test_mces, sbm_test_mce_copyin;

/*
 * Stands in for do_machine_check(), which needs a real machine check:
 * what it does for an error in kernel code with a recovery path. As its
 * grading does (error_context()), a read of user memory with such a path
 * is a copy from user space, for whose page it queues memory_failure():
 * the instruction at @regs->ip must read through a register that holds a
 * user address.
 */
static void sbm_test_fake_mce(struct pt_regs *regs)
{
	static const u8 mov_rax[] = { 0x48, 0x8b, 0x00 };	/* (%rax), %rax */
	u8 insn[sizeof(mov_rax)];

	sbm_test_mces++;
	if (ex_get_fixup_type(regs->ip) == EX_TYPE_UACCESS &&
	    !copy_from_kernel_nofault(insn, (void *)regs->ip, sizeof(insn)) &&
	    !memcmp(insn, mov_rax, sizeof(insn)) && regs->ax < TASK_SIZE_MAX &&
	    !user_mode(regs))
		sbm_test_mce_copyin++;
	if (sbm_test_mce_recoverable &&
	    ex_get_fixup_type(regs->ip) == EX_TYPE_UACCESS)
		fixup_exception(regs, X86_TRAP_MC, 0, 0);
}

/*
 * A machine check that hits a sandbox goes to the kernel's handler. If
 * the kernel recovers, the sandbox read poison: -EIO, nothing copied
 * back. Otherwise (an error elsewhere) the sandbox resumes.
 */
static void sbm_test_close_mc_gate(void *unused)
{
	sbm_x86_test_gate_dpl(X86_TRAP_MC, 0);
}

static void sbm_test_machine_check(struct kunit *test)
{
	int recoverable;

	/* Closed again when the test ends, however it ends. */
	sbm_x86_test_gate_dpl(X86_TRAP_MC, 3);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sbm_test_close_mc_gate,
							NULL), 0);
	kunit_activate_static_stub(test, sbm_x86_machine_check, sbm_test_fake_mce);
	for (recoverable = 1; recoverable >= 0; recoverable--) {
		struct sbm_test_buf *b = sbm_test_buf_alloc(test, SBM_FILL);
		struct sbm sbm;
		int ret;

		sbm_test_mce_recoverable = recoverable;
		sbm_test_mces = 0;
		sbm_test_mce_copyin = 0;
		KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
		ret = sbm_call(&sbm, sbm_t_int18,
			       SBM_COPY_OUT(&sbm, b->data, SBM_TEST_SIZE));
		KUNIT_EXPECT_EQ(test, sbm_test_mces, 1);
		/* So the kernel queues memory_failure() for the page. */
		KUNIT_EXPECT_EQ(test, sbm_test_mce_copyin, 1);
		if (recoverable) {
			KUNIT_EXPECT_EQ(test, ret, -EIO);
			KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -EIO);
			KUNIT_EXPECT_EQ(test, sbm.fault.vector, X86_TRAP_MC);
			sbm_test_expect_untouched(test, b, SBM_FILL);
		} else {
			KUNIT_EXPECT_EQ(test, ret, 1);
			KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
			KUNIT_EXPECT_EQ(test, b->data[0], 0x42);
		}
		sbm_destroy(&sbm);
	}
	kunit_deactivate_static_stub(test, sbm_x86_machine_check);
}

/*
 * Secrets in the FPU registers, as a task or kernel FPU code leaves them:
 * XSAVE in a sandbox faults (CR0.TS or the clear CR4.OSXSAVE), as the
 * boot found it does, or, where it found an emulator that lets it
 * through, finds the init state.
 */
static void sbm_test_fpu_registers(struct kunit *test)
{
	static const u8 secret[16] __aligned(16) = "SBM FPU secret!";
	u8 *out = kunit_kzalloc(test, SBM_T_XSAVE_SIZE, GFP_KERNEL);
	struct sbm sbm;
	unsigned int i;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, out);
	if (!boot_cpu_has(X86_FEATURE_XSAVE))
		kunit_skip(test, "no XSAVE");
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	kernel_fpu_begin();
	asm volatile("movdqa %0, %%xmm0; movdqa %0, %%xmm7; movdqa %0, %%xmm15"
		     :: "m" (secret));
	kernel_fpu_end();
	ret = sbm_call(&sbm, sbm_t_xsave_to,
		       SBM_COPY_OUT(&sbm, out, SBM_T_XSAVE_SIZE));
	if (!sbm_x86_fpu_reset || ret) {
		KUNIT_EXPECT_EQ(test, ret, -EFAULT);
		KUNIT_EXPECT_TRUE_MSG(test, sbm.fault.vector == X86_TRAP_NM ||
				      sbm.fault.vector == X86_TRAP_UD,
				      "vector %d", sbm.fault.vector);
		KUNIT_EXPECT_FALSE(test, memchr_inv(out, 0, SBM_T_XSAVE_SIZE));
	} else {
		kunit_info(test, "XSAVE did not fault (emulator)\n");
		for (i = 0; i + sizeof(secret) <= SBM_T_XSAVE_SIZE; i++)
			KUNIT_EXPECT_NE_MSG(test, memcmp(out + i, secret, sizeof(secret)),
					    0, "the secret at offset %u", i);
		/* The sandbox did save something: the legacy header. */
		KUNIT_EXPECT_FALSE(test, !memchr_inv(out, 0, 512));
	}
	sbm_destroy(&sbm);
}

/*
 * The FPU registers hold the init state when a sandbox runs, not what the
 * calling task or the kernel left in them: a sandbox cannot read them
 * (see sbm_test_fpu_registers()), but on CPUs affected by LazyFP a
 * speculative read could. The sandbox changes nothing in them, so what
 * they hold after the call is what it ran with.
 */
static void sbm_test_fpu_init_state(struct kunit *test)
{
	static const u8 secret[32] __aligned(32) = "SBM FPU secret, in all 32 bytes";
	u8 *seen = kunit_kzalloc(test, 16 * 32, GFP_KERNEL);
	bool avx = boot_cpu_has(X86_FEATURE_AVX);
	struct sbm sbm;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, seen);
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	kernel_fpu_begin();
	if (avx)
		asm volatile("vmovdqa %0, %%ymm0; vmovdqa %0, %%ymm1; vmovdqa %0, %%ymm7;"
			     "vmovdqa %0, %%ymm8; vmovdqa %0, %%ymm15" :: "m" (secret));
	else
		asm volatile("movdqa %0, %%xmm0; movdqa %0, %%xmm1; movdqa %0, %%xmm7;"
			     "movdqa %0, %%xmm8; movdqa %0, %%xmm15" :: "m" (secret));
	kernel_fpu_end();
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_spin, 1), 7);
	kernel_fpu_begin();
	if (avx)
		asm volatile("vmovdqu %%ymm0, 0(%0);    vmovdqu %%ymm1, 32(%0);\n"
			     "vmovdqu %%ymm2, 64(%0);   vmovdqu %%ymm3, 96(%0);\n"
			     "vmovdqu %%ymm4, 128(%0);  vmovdqu %%ymm5, 160(%0);\n"
			     "vmovdqu %%ymm6, 192(%0);  vmovdqu %%ymm7, 224(%0);\n"
			     "vmovdqu %%ymm8, 256(%0);  vmovdqu %%ymm9, 288(%0);\n"
			     "vmovdqu %%ymm10, 320(%0); vmovdqu %%ymm11, 352(%0);\n"
			     "vmovdqu %%ymm12, 384(%0); vmovdqu %%ymm13, 416(%0);\n"
			     "vmovdqu %%ymm14, 448(%0); vmovdqu %%ymm15, 480(%0)"
			     :: "r" (seen) : "memory");
	else
		asm volatile("movdqu %%xmm0, 0(%0);    movdqu %%xmm1, 32(%0);\n"
			     "movdqu %%xmm2, 64(%0);   movdqu %%xmm3, 96(%0);\n"
			     "movdqu %%xmm4, 128(%0);  movdqu %%xmm5, 160(%0);\n"
			     "movdqu %%xmm6, 192(%0);  movdqu %%xmm7, 224(%0);\n"
			     "movdqu %%xmm8, 256(%0);  movdqu %%xmm9, 288(%0);\n"
			     "movdqu %%xmm10, 320(%0); movdqu %%xmm11, 352(%0);\n"
			     "movdqu %%xmm12, 384(%0); movdqu %%xmm13, 416(%0);\n"
			     "movdqu %%xmm14, 448(%0); movdqu %%xmm15, 480(%0)"
			     :: "r" (seen) : "memory");
	kernel_fpu_end();
	sbm_destroy(&sbm);
	/* The init state: all zeroes, none of the secret. */
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_FALSE_MSG(test, memchr_inv(seen + 32 * i, 0, 32),
				       "%s%u: %*ph", avx ? "ymm" : "xmm", i, 32,
				       seen + 32 * i);
}

#ifdef CONFIG_KPROBES
static atomic_t sbm_test_hooks_run, sbm_test_hooks_fpu_off;

/* CR0.TS is set only while the CPU holds a sandbox's state. */
static void sbm_test_hook_ran(void)
{
	atomic_inc(&sbm_test_hooks_run);
	if (read_cr0() & X86_CR0_TS)
		atomic_inc(&sbm_test_hooks_fpu_off);
}

static int sbm_test_hook_pre(struct kprobe *p, struct pt_regs *regs)
{
	sbm_test_hook_ran();
	return 0;
}

static void sbm_test_hook_msr(void *data, unsigned int msr, u64 val,
			      int failed)
{
	sbm_test_hook_ran();
}

static int sbm_test_hook_ret(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	sbm_test_hook_ran();
	return 0;
}

/*
 * Kprobes on the kernel functions that a switch to a sandbox could call
 * (those that read segment bases and write CR0 and CR4), a kretprobe,
 * and the MSR tracepoints: none ever runs with the sandbox's CR0 (nor
 * CR4), where a hook that uses the FPU would have the #NM handler clear
 * CR0.TS for the sandbox. The switch is noinstr and calls none of them
 * (objtool checks it): they run, if at all, around it.
 */
static void sbm_test_switch_hooks(struct kunit *test)
{
	static const char * const syms[] = {
		"x86_gsbase_read_cpu_inactive", "native_write_cr0",
		"native_write_cr4", "cr4_read_shadow",
	};
	struct kprobe *kp = kunit_kcalloc(test, ARRAY_SIZE(syms), sizeof(*kp),
					  GFP_KERNEL);
	struct kretprobe *krp = kunit_kzalloc(test, sizeof(*krp), GFP_KERNEL);
	struct sbm sbm;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, kp);
	KUNIT_ASSERT_NOT_NULL(test, krp);
	for (i = 0; i < ARRAY_SIZE(syms); i++) {
		kp[i].symbol_name = syms[i];
		kp[i].pre_handler = sbm_test_hook_pre;
	}
	krp->kp.symbol_name = "native_write_cr0";
	krp->handler = sbm_test_hook_ret;
	atomic_set(&sbm_test_hooks_run, 0);
	atomic_set(&sbm_test_hooks_fpu_off, 0);
	/* Nothing may skip or abort the test while the hooks are in. */
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	for (i = 0; i < ARRAY_SIZE(syms); i++)
		KUNIT_EXPECT_EQ_MSG(test, register_kprobe(&kp[i]), 0, "%s", syms[i]);
	KUNIT_EXPECT_EQ(test, register_kretprobe(krp), 0);
	KUNIT_EXPECT_EQ(test, register_trace_read_msr(sbm_test_hook_msr, NULL), 0);
	KUNIT_EXPECT_EQ(test, register_trace_write_msr(sbm_test_hook_msr, NULL), 0);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_spin, 1000UL), 7);
	unregister_trace_write_msr(sbm_test_hook_msr, NULL);
	unregister_trace_read_msr(sbm_test_hook_msr, NULL);
	tracepoint_synchronize_unregister();
	unregister_kretprobe(krp);
	for (i = 0; i < ARRAY_SIZE(syms); i++)
		unregister_kprobe(&kp[i]);
	sbm_destroy(&sbm);
	kunit_info(test, "%d hooks ran", atomic_read(&sbm_test_hooks_run));
	KUNIT_EXPECT_EQ(test, atomic_read(&sbm_test_hooks_fpu_off), 0);
}
#endif

/*
 * On CPUs affected by Meltdown a sandbox could read its transition page:
 * the kernel's CR3 is not kept there, nor left behind by interrupted
 * transitions. Elsewhere it is, which shows that the scan finds it. The
 * kernel's stack pointer is never there (it is per-CPU data).
 */
static void sbm_test_transition_page_secrets(struct kunit *test)
{
	unsigned long stack = (unsigned long)task_stack_page(current);
	bool meltdown = boot_cpu_has_bug(X86_BUG_CPU_MELTDOWN);
	unsigned long cr3[2], *page;
	int i, found_cr3 = 0, found_sp = 0;
	struct sbm sbm;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	cr3[0] = __native_read_cr3() & CR3_ADDR_MASK;
	/* Long enough for interrupts to come. */
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_spin, 10UL * 1000 * 1000), 7);
	cr3[1] = __native_read_cr3() & CR3_ADDR_MASK;
	page = (void *)((unsigned long)sbm_x86_test_tstate(&sbm) & PAGE_MASK);
	for (i = 0; i < PAGE_SIZE / sizeof(*page); i++) {
		if ((page[i] & CR3_ADDR_MASK) == cr3[0] ||
		    (page[i] & CR3_ADDR_MASK) == cr3[1])
			found_cr3++;
		if (page[i] >= stack && page[i] < stack + THREAD_SIZE)
			found_sp++;
	}
	kunit_info(test, "Meltdown: %s; %d words like CR3, %d like the stack, %u exits\n",
		   meltdown ? "yes" : "no", found_cr3, found_sp, sbm.exits);
	if (meltdown)
		KUNIT_EXPECT_EQ(test, found_cr3, 0);
	else
		KUNIT_EXPECT_GT(test, found_cr3, 0);
	KUNIT_EXPECT_EQ(test, found_sp, 0);
	sbm_destroy(&sbm);
}

/*
 * CR2 holds the address of the last page fault on the CPU, whoever took
 * it. A sandbox on a Meltdown-affected CPU can read its transition page:
 * only its own page faults may leave their address there, and none may
 * stay for the next call. Here one sandbox faults at a marked address,
 * and another, on the same CPU, must not find it in its page after a
 * call that ends without a fault, nor after one that ends with its own.
 */
static void sbm_test_transition_page_cr2(struct kunit *test)
{
	const unsigned long marker = 0x5bd1e995000UL;
	bool moot = false;
	unsigned long *page;
	struct sbm a, b;
	int i, round, found = 0;

	KUNIT_ASSERT_EQ(test, sbm_init(&a), 0);
	KUNIT_ASSERT_EQ(test, sbm_init(&b), 0);
	page = (void *)((unsigned long)sbm_x86_test_tstate(&b) & PAGE_MASK);
	migrate_disable();
	sbm_expect_fault(test, &a, sbm_call(&a, sbm_t_read, marker),
			 X86_TRAP_PF);
	KUNIT_EXPECT_EQ(test, a.fault.address, marker);
	for (round = 0; round < 2; round++) {
		if (round)
			sbm_expect_fault(test, &b, sbm_call(&b, sbm_t_read, 0UL),
					 X86_TRAP_PF);
		else
			KUNIT_EXPECT_EQ(test, sbm_call(&b, sbm_t_spin, 1000UL), 7);
		/* Another page fault on this CPU would make the test moot. */
		if (!round && read_cr2() != marker)
			moot = true;
		for (i = 0; i < PAGE_SIZE / sizeof(*page); i++)
			found += page[i] == marker;
	}
	migrate_enable();
	sbm_destroy(&b);
	sbm_destroy(&a);
	if (moot)
		kunit_skip(test, "CR2 changed before the test could look");
	KUNIT_EXPECT_EQ(test, found, 0);
}

/*
 * The sandbox's registers pass through its transition page, which a
 * sandbox on a Meltdown-affected CPU can read: none may be left there for
 * the next call, or the next instance from the pool, to find.
 */
static void sbm_test_transition_page_registers(struct kunit *test)
{
	const unsigned long marker = 0x5bd1e9955bd1e995UL;
	unsigned long *page;
	struct sbm sbm;
	int i, found = 0;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_marker, marker),
			(int)lower_32_bits(marker));
	page = (void *)((unsigned long)sbm_x86_test_tstate(&sbm) & PAGE_MASK);
	for (i = 0; i < PAGE_SIZE / sizeof(*page); i++)
		found += page[i] == marker;
	KUNIT_EXPECT_EQ(test, found, 0);
	sbm_destroy(&sbm);
}

/* The VERW operand: mapped for the transition code, not for the sandbox. */
static void sbm_test_read_verw_selector(struct kunit *test)
{
	sbm_attack(test, sbm_t_read, (unsigned long)&x86_verw_sel, X86_TRAP_PF,
		   PF_USER | PF_PROT);
}

/* The instance's own transition page: supervisor-only, read and write. */
static void sbm_test_transition_state(struct kunit *test)
{
	static const struct {
		void *func;
		unsigned long pf_bits;
	} attacks[] = {
		{ sbm_t_read, PF_USER | PF_PROT },
		{ sbm_t_write, PF_WRITE | PF_USER | PF_PROT },
	};
	unsigned long addr, *word;
	struct sbm sbm;
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(attacks); i++) {
		KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
		/* A word of the transition stack that no transition reaches. */
		word = (void *)sbm_x86_test_tstate(&sbm) - 1024;
		*word = 0x5a5a5a5a;
		addr = (unsigned long)word;
		ret = __sbm_call(&sbm, attacks[i].func, &addr, 1);
		sbm_expect_fault(test, &sbm, ret, X86_TRAP_PF);
		KUNIT_EXPECT_EQ(test, sbm.fault.address, addr);
		KUNIT_EXPECT_EQ(test, sbm.fault.error_code & attacks[i].pf_bits,
				attacks[i].pf_bits);
		KUNIT_EXPECT_EQ(test, *word, 0x5a5a5a5a);
		sbm_destroy(&sbm);
	}
}

static void sbm_test_write_user_memory(struct kunit *test)
{
	sbm_attack(test, sbm_t_write, 0x400000, X86_TRAP_PF, PF_WRITE | PF_USER);
}

/* Another sandbox's copy, at its kernel address. */
static void sbm_test_other_sandbox(struct kunit *test)
{
	struct sbm_test_buf *b = sbm_test_buf_alloc(test, SBM_FILL);
	struct sbm_buf *victim;
	struct sbm other;

	KUNIT_ASSERT_EQ(test, sbm_init(&other), 0);
	KUNIT_ASSERT_NOT_NULL(test, SBM_COPY_INOUT(&other, b->data, SBM_TEST_SIZE));
	victim = list_first_entry(&other.bufs, struct sbm_buf, list);
	sbm_attack(test, sbm_t_write, (unsigned long)victim->data, X86_TRAP_PF,
		   PF_WRITE | PF_USER);
	KUNIT_EXPECT_TRUE(test, sbm_test_all(victim->data, SBM_FILL, SBM_TEST_SIZE));
	KUNIT_EXPECT_EQ(test, sbm_call(&other, sbm_t_increment, victim->sbm_addr,
				       SBM_TEST_SIZE), 0);
	sbm_test_expect_untouched(test, b, SBM_FILL + 1);
	sbm_destroy(&other);
}

static void sbm_test_exec_kernel_text(struct kunit *test)
{
	sbm_attack(test, sbm_t_exec, (unsigned long)&kfree, X86_TRAP_PF,
		   PF_INSTR | PF_USER);
}

static u8 sbm_test_code[16] = { 0xc3 };

static void sbm_test_exec_kernel_data(struct kunit *test)
{
	sbm_attack(test, sbm_t_exec, (unsigned long)sbm_test_code, X86_TRAP_PF,
		   PF_INSTR | PF_USER);
}

static void sbm_test_exec_stack(struct kunit *test)
{
	struct sbm sbm;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	sbm_expect_fault(test, &sbm, sbm_call(&sbm, sbm_t_exec_stack), X86_TRAP_PF);
	KUNIT_EXPECT_EQ(test, sbm.fault.error_code & PF_INSTR, PF_INSTR);
	sbm_destroy(&sbm);
}

static void sbm_test_stack_overflow(struct kunit *test)
{
	struct sbm sbm;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_recurse, 4), 4 + 3 + 2 + 1);
	sbm_expect_fault(test, &sbm, sbm_call(&sbm, sbm_t_recurse, 1000),
			 X86_TRAP_PF);
	KUNIT_EXPECT_EQ(test, sbm.fault.error_code & PF_WRITE, PF_WRITE);
	sbm_destroy(&sbm);
}

static void sbm_test_divide_error(struct kunit *test)
{
	struct sbm sbm;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_divide, 84, 2), 42);
	sbm_expect_fault(test, &sbm, sbm_call(&sbm, sbm_t_divide, 1, 0),
			 X86_TRAP_DE);
	sbm_destroy(&sbm);
}

struct sbm_insn_case {
	const char *name;
	int (*func)(void);
	int vector;
	long error_code;	/* -1: any */
	int feature;		/* needed for @vector; #UD without it */
	bool osxsave;		/* #UD too: sandboxes run with CR4.OSXSAVE clear */
};

static const struct sbm_insn_case sbm_insn_cases[] = {
	{ "cli", sbm_t_cli, X86_TRAP_GP, 0 },
	{ "sti", sbm_t_sti, X86_TRAP_GP, 0 },
	{ "hlt", sbm_t_hlt, X86_TRAP_GP, 0 },
	{ "wrmsr", sbm_t_wrmsr, X86_TRAP_GP, 0 },
	{ "rdmsr", sbm_t_rdmsr, X86_TRAP_GP, 0 },
	{ "mov_cr3", sbm_t_mov_cr3, X86_TRAP_GP, 0 },
	{ "lgdt", sbm_t_lgdt, X86_TRAP_GP, 0 },
	{ "lidt", sbm_t_lidt, X86_TRAP_GP, 0 },
	{ "in", sbm_t_in, X86_TRAP_GP, 0 },
	{ "out", sbm_t_out, X86_TRAP_GP, 0 },
	{ "int3", sbm_t_int3, X86_TRAP_GP, X86_TRAP_BP * 8 + 2 },
	{ "ud2", sbm_t_ud2, X86_TRAP_UD, 0 },
	{ "syscall", sbm_t_syscall, X86_TRAP_UD, 0 },
	{ "sysenter", sbm_t_sysenter, -1, -1 },
	{ "int80", sbm_t_int80, X86_TRAP_GP, 0x80 * 8 + 2 },
	{ "int_timer", sbm_t_int_timer, X86_TRAP_GP, 0xec * 8 + 2 },
	{ "swapgs", sbm_t_swapgs, X86_TRAP_GP, 0 },
	{ "fpu", sbm_t_fpu, X86_TRAP_NM, 0 },
	{ "sse", sbm_t_sse, X86_TRAP_NM, 0 },
	{ "fxsave", sbm_t_fxsave, X86_TRAP_NM, 0, X86_FEATURE_FXSR },
	{ "fnstenv", sbm_t_fnstenv, X86_TRAP_NM, 0 },
	{ "stmxcsr", sbm_t_stmxcsr, X86_TRAP_NM, 0 },
	{ "mmx", sbm_t_mmx, X86_TRAP_NM, 0 },
	{ "avx", sbm_t_avx, X86_TRAP_NM, 0, X86_FEATURE_AVX, true },
	{ "avx512", sbm_t_avx512, X86_TRAP_NM, 0, X86_FEATURE_AVX512F, true },
	{ "amx", sbm_t_amx, X86_TRAP_NM, 0, X86_FEATURE_AMX_TILE, true },
	/* The calling task's registers are live: no loading them either. */
	{ "xsave", sbm_t_xsave, X86_TRAP_NM, 0, X86_FEATURE_XSAVE, true },
	{ "xrstor", sbm_t_xrstor, X86_TRAP_NM, 0, X86_FEATURE_XSAVE, true },
	{ "fxrstor", sbm_t_fxrstor, X86_TRAP_NM, 0, X86_FEATURE_FXSR },
	{ "invlpg", sbm_t_invlpg, X86_TRAP_GP, 0 },
	/* A fixed policy, whatever the calling task may do: no counters. */
	{ "rdpmc", sbm_t_rdpmc, X86_TRAP_GP, 0 },
	{ "rdtsc", sbm_t_rdtsc, X86_TRAP_GP, 0 },
	{ "rdtscp", sbm_t_rdtscp, X86_TRAP_GP, 0 },
};

static void sbm_insn_desc(const struct sbm_insn_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sbm_insn, sbm_insn_cases, sbm_insn_desc);

/* Privileged and system-call instructions terminate the sandbox. */
static void sbm_test_instruction(struct kunit *test)
{
	const struct sbm_insn_case *c = test->param_value;
	unsigned long data = READ_ONCE(sbm_test_data);
	struct sbm sbm;
	int ret;

	/* Where XSAVE gets through, the entry resets the registers. */
	if (c->feature == X86_FEATURE_XSAVE && sbm_x86_fpu_reset)
		kunit_skip(test, "XSAVE does not fault on this CPU");
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	ret = sbm_call(&sbm, c->func);
	KUNIT_EXPECT_EQ(test, ret, -EFAULT);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -EFAULT);
	if ((c->feature && !boot_cpu_has(c->feature)) || c->osxsave)
		KUNIT_EXPECT_TRUE_MSG(test, sbm.fault.vector == X86_TRAP_UD ||
				      sbm.fault.vector == c->vector,
				      "vector %d", sbm.fault.vector);
	else if (c->vector >= 0)
		KUNIT_EXPECT_EQ(test, sbm.fault.vector, c->vector);
	else
		KUNIT_EXPECT_TRUE(test, sbm.fault.vector == X86_TRAP_GP ||
				  sbm.fault.vector == X86_TRAP_UD);
	/*
	 * For INT n through a DPL 0 gate the CPU reports the gate with the
	 * IDT flag: n * 8 + 2. QEMU's TCG reports n * 16 + 2 (the gate's byte
	 * offset); accept both, the vector must match either way.
	 */
	if (c->error_code >= 0 && (c->error_code & 2))
		KUNIT_EXPECT_TRUE_MSG(test, sbm.fault.error_code == c->error_code ||
				      sbm.fault.error_code ==
				      (c->error_code & ~7UL) * 2 + 2,
				      "error code %#lx", sbm.fault.error_code);
	else if (c->error_code >= 0)
		KUNIT_EXPECT_EQ(test, sbm.fault.error_code, c->error_code);
	KUNIT_EXPECT_TRUE(test, sbm.fault.ip >= (unsigned long)c->func &&
			  sbm.fault.ip < (unsigned long)c->func + 64);
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sbm_test_data), data);
}

/* An endless loop is stopped by the CPU time budget. */
static void sbm_test_timeout(struct kunit *test)
{
	struct sbm_test_buf *b = sbm_test_buf_alloc(test, SBM_FILL);
	unsigned long start = jiffies;
	struct sbm sbm;
	int ret;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	sbm.timeout_ns = 200 * NSEC_PER_MSEC;
	ret = sbm_call(&sbm, sbm_t_increment,
		       SBM_COPY_INOUT(&sbm, b->data, SBM_TEST_SIZE), 0) ?:
	      sbm_call(&sbm, sbm_t_spin, 0);
	KUNIT_EXPECT_EQ(test, ret, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, sbm.fault.vector, -1);
	/* The timer interrupt kept being served while the sandbox ran. */
	KUNIT_EXPECT_GE(test, jiffies - start, msecs_to_jiffies(150));
	sbm_destroy(&sbm);
	sbm_test_expect_untouched(test, b, SBM_FILL);
}

struct sbm_test_budget {
	struct completion done;
	int ret;
	unsigned int exits;
	u64 ns;
};

static int sbm_test_budget_fn(void *arg)
{
	struct sbm_test_budget *b = arg;
	u64 start = ktime_get_ns();
	struct sbm sbm;

	b->ret = sbm_init(&sbm);
	if (!b->ret) {
		sbm.timeout_ns = 100 * NSEC_PER_MSEC;
		b->ret = sbm_call(&sbm, sbm_t_spin, 0);
		b->exits = sbm.exits;
		sbm_destroy(&sbm);
	}
	b->ns = ktime_get_ns() - start;
	complete(&b->done);
	return 0;
}

/*
 * On a nohz_full CPU the tick stops while one task runs, and with it the
 * interrupts that the budget is checked on: a timer still ends the
 * sandbox in time.
 */
static void sbm_test_timeout_nohz_full(struct kunit *test)
{
	/* Static: it must outlive a test that gives up waiting. */
	static struct sbm_test_budget b;
	struct task_struct *t;
	int cpu;

	for_each_online_cpu(cpu)
		if (tick_nohz_full_cpu(cpu))
			break;
	if (cpu >= nr_cpu_ids)
		kunit_skip(test, "no nohz_full CPU (boot with nohz_full=)");
	init_completion(&b.done);
	t = kthread_run_on_cpu(sbm_test_budget_fn, &b, cpu, "sbm_budget/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	KUNIT_ASSERT_TRUE_MSG(test, wait_for_completion_timeout(&b.done, 20 * HZ),
			      "sandbox still running after 20 s");
	KUNIT_EXPECT_EQ(test, b.ret, -ETIMEDOUT);
	KUNIT_EXPECT_LT(test, b.ns, 2000 * NSEC_PER_MSEC);
	kunit_info(test, "CPU %d: -ETIMEDOUT after %llu ms, %u exits\n", cpu,
		   div_u64(b.ns, NSEC_PER_MSEC), b.exits);
}

/* A long sandbox is interrupted, preempted and resumed transparently. */
static void sbm_test_long_running(struct kunit *test)
{
	unsigned long start = jiffies;
	struct sbm sbm;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	sbm.timeout_ns = 0;
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_spin, 50UL * 1000 * 1000), 7);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	kunit_info(test, "50M iterations took %u ms", jiffies_to_msecs(jiffies - start));
	sbm_destroy(&sbm);
}

struct sbm_test_worker {
	struct completion done;
	unsigned long iterations;
	int failures;
	int id;
};

/* Mix of clean calls, faults and timeouts, on every CPU at once. */
static int sbm_test_worker_fn(void *data)
{
	struct sbm_test_worker *w = data;
	u8 in[32], out[32];
	unsigned long i;
	struct sbm sbm;
	int ret;

	for (i = 0; i < w->iterations; i++) {
		memset(in, w->id + i, sizeof(in));
		if (sbm_init(&sbm)) {
			w->failures++;
			continue;
		}
		switch (i % 3) {
		case 0:
			ret = sbm_call(&sbm, sbm_t_copy, SBM_COPY_IN(&sbm, in, 32),
				       SBM_COPY_OUT(&sbm, out, 32), 32);
			if (ret != ((w->id + i) & 0xff) * 32 ||
			    !sbm_test_all(out, (w->id + i) ^ 0xff, 32))
				w->failures++;
			break;
		case 1:
			ret = sbm_call(&sbm, sbm_t_write, (unsigned long)&sbm_test_data);
			if (ret != -EFAULT)
				w->failures++;
			break;
		case 2:
			sbm.timeout_ns = 20 * NSEC_PER_MSEC;
			ret = sbm_call(&sbm, sbm_t_spin, 0);
			if (ret != -ETIMEDOUT)
				w->failures++;
			break;
		}
		sbm_destroy(&sbm);
	}
	complete(&w->done);
	return 0;
}

static void sbm_test_concurrent(struct kunit *test)
{
	unsigned long data = READ_ONCE(sbm_test_data);
	long instances = atomic_long_read(&sbm_stat_instances);
	struct sbm_test_worker w[4];
	struct task_struct *t;
	int i, cpu;

	for (i = 0; i < ARRAY_SIZE(w); i++) {
		init_completion(&w[i].done);
		w[i].iterations = 30;
		w[i].failures = 0;
		w[i].id = i;
		cpu = i % num_online_cpus();
		t = kthread_run_on_cpu(sbm_test_worker_fn, &w[i], cpu, "sbm_test/%u");
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	}
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		wait_for_completion(&w[i].done);
		KUNIT_EXPECT_EQ_MSG(test, w[i].failures, 0, "worker %d", i);
	}
	KUNIT_EXPECT_EQ(test, READ_ONCE(sbm_test_data), data);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_instances), instances);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_stat_buffers), 0);
}

/* NMIs that arrive while a sandbox runs reach the kernel's handlers. */
static atomic_t sbm_test_nmis;
static int sbm_test_nmi_cpu = -1;

static int sbm_test_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	if (smp_processor_id() != READ_ONCE(sbm_test_nmi_cpu))
		return NMI_DONE;
	atomic_inc(&sbm_test_nmis);
	return NMI_HANDLED;
}

struct sbm_test_spinner {
	struct completion started, done;
	u64 timeout_ns;
	int ret;
};

static int sbm_test_spinner_fn(void *data)
{
	struct sbm_test_spinner *s = data;
	struct sbm sbm;

	if (sbm_init(&sbm)) {
		s->ret = -ENOMEM;
	} else {
		WRITE_ONCE(sbm_test_nmi_cpu, smp_processor_id());
		sbm.timeout_ns = s->timeout_ns;
		complete(&s->started);
		/* Endless if it has a budget. */
		s->ret = sbm_call(&sbm, sbm_t_spin,
				  s->timeout_ns ? 0 : 1000UL * 1000 * 1000);
		sbm_destroy(&sbm);
	}
	complete(&s->started);
	complete(&s->done);
	return 0;
}

static void sbm_test_ipi_fn(void *info)
{
	*(int *)info = smp_processor_id();
}

static void sbm_test_nmi(struct kunit *test)
{
	struct sbm_test_spinner s = { .ret = -EINVAL };
	struct task_struct *t;
	int i, sent = 0, cpu, ipi_cpu;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	init_completion(&s.started);
	init_completion(&s.done);
	atomic_set(&sbm_test_nmis, 0);
	KUNIT_ASSERT_EQ(test, register_nmi_handler(NMI_LOCAL, sbm_test_nmi_handler,
						   0, "sbm_test"), 0);
	cpu = cpumask_next(smp_processor_id(), cpu_online_mask);
	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	t = kthread_run_on_cpu(sbm_test_spinner_fn, &s, cpu, "sbm_nmi/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&s.started);
	for (i = 0; i < 20 && !completion_done(&s.done); i++) {
		__apic_send_IPI(cpu, NMI_VECTOR);
		sent++;
		usleep_range(5000, 6000);
	}
	/* A function-call IPI is served while the sandbox still runs. */
	ipi_cpu = -1;
	KUNIT_EXPECT_EQ(test, smp_call_function_single(cpu, sbm_test_ipi_fn,
						       &ipi_cpu, 1), 0);
	KUNIT_EXPECT_EQ(test, ipi_cpu, cpu);
	KUNIT_EXPECT_FALSE(test, completion_done(&s.done));
	wait_for_completion(&s.done);
	unregister_nmi_handler(NMI_LOCAL, "sbm_test");
	WRITE_ONCE(sbm_test_nmi_cpu, -1);
	KUNIT_EXPECT_EQ(test, s.ret, 7);
	KUNIT_EXPECT_GT(test, sent, 0);
	KUNIT_EXPECT_GT(test, atomic_read(&sbm_test_nmis), 0);
	kunit_info(test, "%d NMIs sent, %d handled", sent, atomic_read(&sbm_test_nmis));
}

/*
 * A KVM async page fault that the host injects into a running sandbox is
 * the host's: the kernel waits on its token and resumes the sandbox,
 * which here faults again, on its own, since the page is not mapped.
 */
static unsigned int sbm_test_apf_reads, sbm_test_apf_waits;
static u32 sbm_test_apf_token;

static u32 sbm_test_fake_apf_flags(void)
{
	return sbm_test_apf_reads++ ? 0 : KVM_PV_REASON_PAGE_NOT_PRESENT;
}

static void sbm_test_fake_apf_wait(u32 token)
{
	sbm_test_apf_waits++;
	sbm_test_apf_token = token;
}

static void sbm_test_async_pf(struct kunit *test)
{
	unsigned long addr = 2 * PAGE_SIZE;
	struct sbm sbm;

	sbm_test_apf_reads = 0;
	sbm_test_apf_waits = 0;
	kunit_activate_static_stub(test, sbm_x86_async_pf_flags,
				   sbm_test_fake_apf_flags);
	kunit_activate_static_stub(test, sbm_x86_async_pf_wait,
				   sbm_test_fake_apf_wait);
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	sbm_expect_fault(test, &sbm, sbm_call(&sbm, sbm_t_read, addr),
			 X86_TRAP_PF);
	KUNIT_EXPECT_EQ(test, sbm.fault.address, addr);
	KUNIT_EXPECT_GE(test, sbm.exits, 1);
	sbm_destroy(&sbm);
	kunit_deactivate_static_stub(test, sbm_x86_async_pf_wait);
	kunit_deactivate_static_stub(test, sbm_x86_async_pf_flags);
	KUNIT_EXPECT_EQ(test, sbm_test_apf_waits, 1);
	KUNIT_EXPECT_EQ(test, sbm_test_apf_token, (u32)addr);
	KUNIT_EXPECT_EQ(test, sbm_test_apf_reads, 2);
}

/* Where the sender runs: the first online CPU that is not @cpu. */
static int sbm_other_cpu(int cpu)
{
	int other;

	for_each_online_cpu(other)
		if (other != cpu)
			return other;
	return -1;
}

/*
 * The CPU time budget is the sandbox's own: interrupts that it left for,
 * served on its way out, do not count. A sandbox that needs about 60 ms
 * of its own runs with a budget of 200 ms, while a timer on its CPU
 * fires every 50 ms and spends 40 ms in its handler: more than the
 * budget goes to the interrupts.
 */
struct sbm_budget {
	struct sbm sbm;
	struct hrtimer timer;
	unsigned long iterations;
	unsigned int fired;
	u64 ns;
	int ret;
};

static enum hrtimer_restart sbm_budget_timer(struct hrtimer *timer)
{
	struct sbm_budget *b = container_of(timer, struct sbm_budget, timer);

	b->fired++;
	mdelay(40);
	hrtimer_forward_now(timer, ms_to_ktime(50));
	return HRTIMER_RESTART;
}

static void sbm_test_budget_own_time(struct kunit *test)
{
	struct sbm_budget *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	unsigned long probe = 1UL << 20;
	u64 ns = 0, t0;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	/* How many iterations take 60 ms: the fastest of three. */
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, sbm_init(&b->sbm), 0);
		b->sbm.timeout_ns = 0;
		t0 = ktime_get_ns();
		KUNIT_ASSERT_EQ(test, sbm_call(&b->sbm, sbm_t_spin, probe), 7);
		t0 = ktime_get_ns() - t0;
		ns = i ? min(ns, t0) : t0;
		sbm_destroy(&b->sbm);
	}
	b->iterations = div64_u64(probe * 60 * NSEC_PER_MSEC, max_t(u64, ns, 1));

	KUNIT_ASSERT_EQ(test, sbm_init(&b->sbm), 0);
	b->sbm.timeout_ns = 200 * NSEC_PER_MSEC;
	hrtimer_init(&b->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	b->timer.function = sbm_budget_timer;
	migrate_disable();
	hrtimer_start(&b->timer, ms_to_ktime(5), HRTIMER_MODE_REL_PINNED_HARD);
	t0 = ktime_get_ns();
	b->ret = sbm_call(&b->sbm, sbm_t_spin, b->iterations);
	b->ns = ktime_get_ns() - t0;
	hrtimer_cancel(&b->timer);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, b->ret, 7);
	KUNIT_EXPECT_EQ(test, sbm_error(&b->sbm), 0);
	kunit_info(test, "%lu iterations, the timer fired %u times, %u exits, the call took %llu ms",
		   b->iterations, b->fired, b->sbm.exits,
		   div_u64(b->ns, NSEC_PER_MSEC));
	sbm_destroy(&b->sbm);
	/* The interrupts made the call take longer than its budget. */
	KUNIT_EXPECT_GT(test, b->ns, 200 * NSEC_PER_MSEC);
}

/*
 * A storm: one CPU makes faulting calls of every kind, each on a fresh
 * instance, while another CPU sends it NMIs and function-call IPIs, or
 * IPIs alone. Most of such a call is spent in the switch and in the
 * transitions, where the kernel's own NMI, #DB and #MC entries must find
 * a kernel they can run on: its GDT among others, from which they read
 * the CPU number where the CPU lacks RDPID. Paced, every NMI is waited
 * for (none may be lost, and each must be handled exactly once); in a
 * burst, many land in transitions (counted, the replay path).
 */
#define SBM_STORM_CALLS		10000
#define SBM_STORM_TIMEOUT	(120 * HZ)

enum sbm_storm_mode { SBM_STORM_PACED, SBM_STORM_BURST, SBM_STORM_IPI };

/* INT3 meets a gate for the kernel only; QEMU's TCG takes ICEBP as #UD. */
static const struct sbm_storm_kind {
	void *func;
	int vector, or_vector;
} sbm_storm_kinds[] = {
	{ sbm_t_ud2, X86_TRAP_UD, X86_TRAP_UD },
	{ sbm_t_int3, X86_TRAP_GP, X86_TRAP_GP },
	{ sbm_t_read, X86_TRAP_PF, X86_TRAP_PF },
	{ sbm_t_sse, X86_TRAP_NM, X86_TRAP_NM },
	{ sbm_t_icebp, X86_TRAP_DB, X86_TRAP_UD },
};

struct sbm_storm {
	struct completion done;
	atomic_t calls;
	unsigned int wrong;
	int bad_kind, bad_ret, bad_vector;
};

static int sbm_storm_fn(void *data)
{
	struct sbm_storm *s = data;
	unsigned long arg = PAGE_SIZE;	/* unmapped in every sandbox */
	unsigned int i, k;
	struct sbm sbm;
	int ret;

	for (i = 0; i < SBM_STORM_CALLS; i++) {
		k = i % ARRAY_SIZE(sbm_storm_kinds);
		ret = sbm_init(&sbm);
		if (!ret)
			ret = __sbm_call(&sbm, sbm_storm_kinds[k].func, &arg, 1);
		if ((ret != -EFAULT ||
		     (sbm.fault.vector != sbm_storm_kinds[k].vector &&
		      sbm.fault.vector != sbm_storm_kinds[k].or_vector)) &&
		    !s->wrong++) {
			s->bad_kind = k;
			s->bad_ret = ret;
			s->bad_vector = sbm.fault.vector;
		}
		sbm_destroy(&sbm);
		atomic_inc(&s->calls);
	}
	complete(&s->done);
	return 0;
}

static atomic_t sbm_test_unknown_nmis;

static int sbm_test_unknown_nmi(unsigned int type, struct pt_regs *regs)
{
	atomic_inc(&sbm_test_unknown_nmis);
	return NMI_HANDLED;
}

/* Wait until the NMI count moves past @before; false after a second. */
static bool sbm_storm_wait_nmi(int before)
{
	unsigned long deadline = jiffies + HZ;

	while (atomic_read(&sbm_test_nmis) == before) {
		if (time_after(jiffies, deadline))
			return false;
		cpu_relax();
	}
	return true;
}

static const char * const sbm_storm_names[] = {
	[SBM_STORM_PACED] = "nmi_ipi_paced",
	[SBM_STORM_BURST] = "nmi_ipi_burst",
	[SBM_STORM_IPI] = "ipi_only",
};

static const enum sbm_storm_mode sbm_storm_modes[] = {
	SBM_STORM_PACED, SBM_STORM_BURST, SBM_STORM_IPI,
};

static void sbm_storm_desc(const enum sbm_storm_mode *m, char *desc)
{
	strscpy(desc, sbm_storm_names[*m], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sbm_storm, sbm_storm_modes, sbm_storm_desc);

static void sbm_test_storm(struct kunit *test)
{
	enum sbm_storm_mode mode = *(const enum sbm_storm_mode *)test->param_value;
	struct sbm_storm *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	unsigned long taint = get_taint(), end;
	long replays = atomic_long_read(&sbm_x86_transition_nmis);
	int sent = 0, lost = 0, ipis = 0, ipi_bad = 0, ipi_cpu, cpu, me;
	struct task_struct *t;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	KUNIT_ASSERT_NOT_NULL(test, s);
	init_completion(&s->done);
	atomic_set(&sbm_test_nmis, 0);
	atomic_set(&sbm_test_unknown_nmis, 0);
	cpu = cpumask_last(cpu_online_mask);
	me = sbm_other_cpu(cpu);
	/* The sender stays off the storm's CPU. */
	set_cpus_allowed_ptr(current, cpumask_of(me));
	WRITE_ONCE(sbm_test_nmi_cpu, cpu);
	KUNIT_ASSERT_EQ(test, register_nmi_handler(NMI_LOCAL, sbm_test_nmi_handler,
						   0, "sbm_test"), 0);
	KUNIT_ASSERT_EQ(test, register_nmi_handler(NMI_UNKNOWN, sbm_test_unknown_nmi,
						   0, "sbm_test"), 0);
	t = kthread_run_on_cpu(sbm_storm_fn, s, cpu, "sbm_storm/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));

	end = jiffies + SBM_STORM_TIMEOUT;
	while (!completion_done(&s->done) && time_before(jiffies, end)) {
		if (mode != SBM_STORM_IPI) {
			int before = atomic_read(&sbm_test_nmis);

			__apic_send_IPI(cpu, NMI_VECTOR);
			sent++;
			if (mode == SBM_STORM_PACED && !sbm_storm_wait_nmi(before))
				lost++;
		}
		if (mode != SBM_STORM_BURST || sent % 16 == 0) {
			ipi_cpu = -1;
			if (smp_call_function_single(cpu, sbm_test_ipi_fn,
						     &ipi_cpu, 1) || ipi_cpu != cpu)
				ipi_bad++;
			ipis++;
		}
		cond_resched();
	}
	KUNIT_EXPECT_TRUE_MSG(test, completion_done(&s->done),
			      "%d of %d calls in %d s", atomic_read(&s->calls),
			      SBM_STORM_CALLS, SBM_STORM_TIMEOUT / HZ);
	wait_for_completion(&s->done);
	/* Every NMI sent is handled before the handlers go. */
	if (mode == SBM_STORM_BURST)
		sbm_storm_wait_nmi(sent - 1);
	unregister_nmi_handler(NMI_UNKNOWN, "sbm_test");
	unregister_nmi_handler(NMI_LOCAL, "sbm_test");
	WRITE_ONCE(sbm_test_nmi_cpu, -1);
	set_cpus_allowed_ptr(current, cpu_possible_mask);

	KUNIT_EXPECT_EQ_MSG(test, s->wrong, 0,
			    "first: kind %d returned %d, vector %d", s->bad_kind,
			    s->bad_ret, s->bad_vector);
	KUNIT_EXPECT_EQ(test, ipi_bad, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&sbm_test_unknown_nmis), 0);
	KUNIT_EXPECT_EQ(test, get_taint(), taint);
	if (mode == SBM_STORM_PACED) {
		KUNIT_EXPECT_EQ(test, lost, 0);
		KUNIT_EXPECT_EQ(test, atomic_read(&sbm_test_nmis), sent);
	} else if (mode == SBM_STORM_BURST) {
		/* NMIs sent while one is pending merge: not more than sent. */
		KUNIT_EXPECT_GT(test, atomic_read(&sbm_test_nmis), 0);
		KUNIT_EXPECT_LE(test, atomic_read(&sbm_test_nmis), sent);
	} else {
		KUNIT_EXPECT_EQ(test, atomic_read(&sbm_test_nmis), 0);
	}
	kunit_info(test, "%d calls, %d NMIs sent, %d handled, %ld in transitions, %d IPIs",
		   atomic_read(&s->calls), sent, atomic_read(&sbm_test_nmis),
		   atomic_long_read(&sbm_x86_transition_nmis) - replays, ipis);
}

/*
 * A kernel hardware breakpoint on data that the switch touches while the
 * kernel's IDT is loaded, before DR7 is cleared on the way in and after
 * it is restored on the way out: the segment state of the instance. Its
 * #DB goes to the kernel's handler, which must find a kernel it can run
 * on, at every entry and exit of calls that interrupts keep leaving.
 */
static atomic_t sbm_test_bp_hits, sbm_test_bp_elsewhere;

/*
 * Only the storm's CPU touches the data: a hit that the handler finds on
 * another CPU ran on another CPU's per-CPU data.
 */
static void sbm_test_bp_handler(struct perf_event *bp,
				struct perf_sample_data *data,
				struct pt_regs *regs)
{
	if (smp_processor_id() == READ_ONCE(sbm_test_nmi_cpu))
		atomic_inc(&sbm_test_bp_hits);
	else
		atomic_inc(&sbm_test_bp_elsewhere);
}

struct sbm_bp_storm {
	struct completion ready, armed, done;
	struct sbm sbm;
	unsigned int wrong;
	int ret;
};

static int sbm_bp_storm_fn(void *data)
{
	struct sbm_bp_storm *s = data;
	unsigned int i;
	int ret;

	s->ret = sbm_init(&s->sbm);
	complete(&s->ready);
	if (s->ret)
		return 0;
	wait_for_completion(&s->armed);
	for (i = 0; i < SBM_STORM_CALLS / 10; i++) {
		ret = sbm_call(&s->sbm, sbm_t_spin, 1000);
		if (ret != 7)
			s->wrong++;
	}
	complete(&s->done);
	return 0;
}

static void sbm_test_storm_breakpoint(struct kunit *test)
{
	struct sbm_bp_storm *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	unsigned long taint = get_taint();
	struct perf_event_attr attr;
	struct perf_event * __percpu *bp;
	struct task_struct *t;
	int cpu, ipis = 0, sent = 0;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	KUNIT_ASSERT_NOT_NULL(test, s);
	init_completion(&s->ready);
	init_completion(&s->armed);
	init_completion(&s->done);
	atomic_set(&sbm_test_bp_hits, 0);
	atomic_set(&sbm_test_bp_elsewhere, 0);
	atomic_set(&sbm_test_nmis, 0);
	cpu = cpumask_last(cpu_online_mask);
	set_cpus_allowed_ptr(current, cpumask_of(sbm_other_cpu(cpu)));
	WRITE_ONCE(sbm_test_nmi_cpu, cpu);
	t = kthread_run_on_cpu(sbm_bp_storm_fn, s, cpu, "sbm_bp/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&s->ready);
	KUNIT_ASSERT_EQ(test, s->ret, 0);

	hw_breakpoint_init(&attr);
	attr.bp_addr = (unsigned long)sbm_x86_test_segs(&s->sbm);
	attr.bp_len = HW_BREAKPOINT_LEN_8;
	attr.bp_type = HW_BREAKPOINT_W | HW_BREAKPOINT_R;
	bp = register_wide_hw_breakpoint(&attr, sbm_test_bp_handler, NULL);
	if (IS_ERR((void __force *)bp)) {
		complete(&s->armed);
		wait_for_completion(&s->done);
		sbm_destroy(&s->sbm);
		kunit_skip(test, "no hardware breakpoint: %ld",
			   PTR_ERR((void __force *)bp));
	}
	KUNIT_ASSERT_EQ(test, register_nmi_handler(NMI_LOCAL, sbm_test_nmi_handler,
						   0, "sbm_test"), 0);
	complete(&s->armed);
	while (!completion_done(&s->done)) {
		int before = atomic_read(&sbm_test_nmis), ipi_cpu = -1;

		__apic_send_IPI(cpu, NMI_VECTOR);
		sent++;
		sbm_storm_wait_nmi(before);
		smp_call_function_single(cpu, sbm_test_ipi_fn, &ipi_cpu, 1);
		ipis++;
		cond_resched();
	}
	unregister_wide_hw_breakpoint(bp);
	unregister_nmi_handler(NMI_LOCAL, "sbm_test");
	WRITE_ONCE(sbm_test_nmi_cpu, -1);
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	KUNIT_EXPECT_EQ(test, s->wrong, 0);
	KUNIT_EXPECT_EQ(test, sbm_error(&s->sbm), 0);
	sbm_destroy(&s->sbm);
	KUNIT_EXPECT_GT(test, atomic_read(&sbm_test_bp_hits), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&sbm_test_bp_elsewhere), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&sbm_test_nmis), sent);
	KUNIT_EXPECT_EQ(test, get_taint(), taint);
	kunit_info(test, "%d breakpoint hits, %d NMIs, %d IPIs",
		   atomic_read(&sbm_test_bp_hits), sent, ipis);
}

/*
 * PKRU: every call starts with the rights that every task starts with,
 * whatever the calling task's are (so it learns nothing of them), and
 * what the sandbox sets stays in the sandbox, for a task with the default
 * rights (PKRU is then not written on the way in) and for one without.
 */
static void sbm_test_pkru(struct kunit *test)
{
	u32 init = pkru_get_init_value() & ~(PKRU_AD_BIT | PKRU_WD_BIT);
	u32 saved = read_pkru(), task, seen;
	struct sbm sbm;
	int i, call, ret;

	if (!cpu_feature_enabled(X86_FEATURE_OSPKE))
		kunit_skip(test, "protection keys not enabled");
	for (i = 0; i < 2; i++) {
		/* The second task also denies writes with key 5. */
		task = i ? init | PKRU_WD_BIT << (5 * PKRU_BITS_PER_PKEY) : init;
		write_pkru(task);
		KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
		for (call = 0; call < 2; call++) {
			seen = 0;
			ret = sbm_call(&sbm, sbm_t_pkru,
				       SBM_COPY_OUT(&sbm, &seen, sizeof(seen)),
				       task ^ PKRU_AD_BIT << (7 * PKRU_BITS_PER_PKEY));
			KUNIT_EXPECT_EQ(test, ret, 0);
			KUNIT_EXPECT_EQ_MSG(test, seen, init, "task %d call %d", i, call);
			KUNIT_EXPECT_EQ_MSG(test, read_pkru(), task, "task %d call %d",
					    i, call);
		}
		sbm_destroy(&sbm);
	}
	write_pkru(saved);
}

/* Kernel and task state that a sandbox must not be able to change. */
struct sbm_test_cpu_state {
	unsigned long flags, fsbase, gsbase, cr0, cr4, sp0, ist_df;
	u64 efer;
	struct desc_ptr idt;
	unsigned short ds, es, fs, gs, ss;
};

static void sbm_test_cpu_state(struct sbm_test_cpu_state *st)
{
	memset(st, 0, sizeof(*st));
	local_irq_disable();
	st->flags = native_save_fl() & ~X86_EFLAGS_IF;
	st->fsbase = x86_fsbase_read_cpu();
	st->gsbase = x86_gsbase_read_cpu_inactive();
	st->cr0 = read_cr0();
	st->cr4 = __read_cr4();
	st->sp0 = this_cpu_read(cpu_tss_rw.x86_tss.sp0);
	st->ist_df = this_cpu_read(cpu_tss_rw.x86_tss.ist[SBM_IST_DF - 1]);
	rdmsrl(MSR_EFER, st->efer);
	store_idt(&st->idt);
	savesegment(ds, st->ds);
	savesegment(es, st->es);
	savesegment(fs, st->fs);
	savesegment(gs, st->gs);
	savesegment(ss, st->ss);
	local_irq_enable();
}

/* Segments, bases and flags changed in the sandbox stay in the sandbox. */
static void sbm_test_state_restored(struct kunit *test)
{
	struct sbm_test_cpu_state before, after;
	unsigned long mode;
	struct sbm sbm;
	int ret;

	for (mode = 0; mode < 3; mode++) {
		migrate_disable();
		sbm_test_cpu_state(&before);
		KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
		ret = sbm_call(&sbm, sbm_t_clobber, mode);
		sbm_test_cpu_state(&after);
		migrate_enable();
		if (mode == 0)
			KUNIT_EXPECT_EQ(test, ret, 0);
		else
			KUNIT_EXPECT_EQ(test, ret, -EFAULT);
		sbm_destroy(&sbm);
		KUNIT_EXPECT_EQ_MSG(test, after.flags, before.flags, "mode %lu", mode);
		KUNIT_EXPECT_EQ(test, after.fsbase, before.fsbase);
		KUNIT_EXPECT_EQ(test, after.gsbase, before.gsbase);
		KUNIT_EXPECT_EQ(test, after.cr0, before.cr0);
		KUNIT_EXPECT_EQ(test, after.cr4, before.cr4);
		KUNIT_EXPECT_EQ(test, after.sp0, before.sp0);
		KUNIT_EXPECT_EQ(test, after.ist_df, before.ist_df);
		KUNIT_EXPECT_EQ(test, after.efer, before.efer);
		KUNIT_EXPECT_EQ(test, after.idt.address, before.idt.address);
		KUNIT_EXPECT_EQ(test, after.ds, before.ds);
		KUNIT_EXPECT_EQ(test, after.es, before.es);
		KUNIT_EXPECT_EQ(test, after.fs, before.fs);
		KUNIT_EXPECT_EQ(test, after.gs, before.gs);
		/* Not NULL, which leaving CPL3 loads (SYSRET_SS_ATTRS). */
		KUNIT_EXPECT_EQ(test, after.ss, __KERNEL_DS);
	}
	KUNIT_EXPECT_TRUE(test, !boot_cpu_has(X86_FEATURE_SMEP) ||
			  (after.cr4 & X86_CR4_SMEP));
	KUNIT_EXPECT_TRUE(test, !boot_cpu_has(X86_FEATURE_SMAP) ||
			  (after.cr4 & X86_CR4_SMAP));
}

/*
 * Every stub of the sandbox IDT starts with ENDBR64 where IBT is built in
 * (event delivery checks it), gives every vector the same stack layout (a
 * zero where the CPU pushes no error code, then the vector) and jumps to
 * the common code, all within its SBM_STUB_SIZE bytes.
 */
static void sbm_test_idt_stubs(struct kunit *test)
{
	static const u8 endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	const u8 *stubs = (const u8 *)sbm_x86_stubs, *stubs_end;
	const u8 *common = NULL;
	int v;

	/* Keep the compiler from referencing the code behind the stubs. */
	OPTIMIZER_HIDE_VAR(stubs);
	stubs_end = stubs + 256 * SBM_STUB_SIZE;
	for (v = 0; v < 256; v++) {
		const u8 *p = stubs + v * SBM_STUB_SIZE;
		const u8 *end = p + SBM_STUB_SIZE;
		bool has_error = v < 32 && (SBM_ERRCODE_VECTORS & BIT(v));
		long pushed[2] = { -1, -1 };
		const u8 *target = NULL;
		struct insn insn;
		int n = 0;

		if (IS_ENABLED(CONFIG_X86_KERNEL_IBT)) {
			KUNIT_EXPECT_TRUE_MSG(test, !memcmp(p, endbr64, 4),
					      "vector %d: no ENDBR64", v);
			p += 4;
		}
		while (p < end && !target) {
			if (insn_decode_kernel(&insn, p)) {
				KUNIT_FAIL(test, "vector %d: bad instruction", v);
				return;
			}
			if ((insn.opcode.bytes[0] == 0x6a ||
			     insn.opcode.bytes[0] == 0x68) && n < 2)
				pushed[n++] = insn.immediate.value;
			else if (insn.opcode.bytes[0] == 0xe9 ||
				 insn.opcode.bytes[0] == 0xeb)
				target = p + insn.length + insn.immediate.value;
			p += insn.length;
		}
		KUNIT_EXPECT_LE_MSG(test, (unsigned long)p, (unsigned long)end,
				    "vector %d: stub too long", v);
		KUNIT_EXPECT_TRUE_MSG(test, target &&
				      (target < stubs || target >= stubs_end),
				      "vector %d: no jump out of the stubs", v);
		common = common ?: target;
		KUNIT_EXPECT_PTR_EQ_MSG(test, target, common, "vector %d", v);
		if (has_error) {
			KUNIT_EXPECT_EQ_MSG(test, n, 1, "vector %d", v);
			KUNIT_EXPECT_EQ_MSG(test, pushed[0], v, "vector %d", v);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, n, 2, "vector %d", v);
			KUNIT_EXPECT_EQ_MSG(test, pushed[0], 0, "vector %d", v);
			KUNIT_EXPECT_EQ_MSG(test, pushed[1], v, "vector %d", v);
		}
	}
	/*
	 * Where SMAP is on, the common code first clears the AC flag that a
	 * sandbox may have set, as every kernel entry does.
	 */
	if (common && cpu_feature_enabled(X86_FEATURE_SMAP)) {
		static const u8 clac[] = { 0x0f, 0x01, 0xca };

		KUNIT_EXPECT_TRUE_MSG(test, !memcmp(common, clac, sizeof(clac)),
				      "%pS: %3ph", common, common);
	}
}

/*
 * Whether @p is in one of the speculation mitigations of the transition
 * code. They are the kernel's entry macros and run where GS and CR3 are
 * certainly the kernel's: before the sandbox is entered, or after SWAPGS
 * and the switch to the kernel page tables when it was left.
 */
static bool sbm_in_mitigation(const u8 *p)
{
	struct sbm_x86_mitigation m[SBM_X86_MITIGATIONS];
	int i;

	sbm_x86_mitigations(m);
	for (i = 0; i < SBM_X86_MITIGATIONS; i++)
		if (m[i].site && p >= m[i].site && p < m[i].end)
			return true;
	return false;
}

/* Where GS is certainly the kernel's, see below. */
static bool sbm_gs_allowed(const u8 *p)
{
	return sbm_in_mitigation(p) || p == sbm_x86_site_kernel_sp_store ||
	       p == sbm_x86_site_kernel_sp_load ||
	       p == sbm_x86_site_kernel_gdt_load;
}

/*
 * The transition code finds its state from its stack pointer alone. A
 * CPU number from LSL, RDPID or RDTSCP has 12 bits, so with NR_CPUS=8192
 * CPU 4096 would read as CPU 0; and GS may hold the sandbox's base. None
 * of them may appear in it, GS but in the mitigations, where the
 * kernel's stack pointer is stored before entry and loaded after SWAPGS
 * on the way back (sbm_x86_kernel_sp), and where the kernel's GDT is
 * loaded after SWAPGS (sbm_x86_kernel_gdt).
 */
static void sbm_test_no_cpu_number(struct kunit *test)
{
	const u8 *p = (const u8 *)__sbm_entry_text_start;
	const u8 *enter = (const u8 *)sbm_x86_enter;
	struct insn insn;
	int i, n = 0;

	/* Keep the compiler from referencing the padding before it. */
	OPTIMIZER_HIDE_VAR(enter);
	while (p < (const u8 *)__sbm_entry_text_end) {
		const u8 *op = insn.opcode.bytes;

		/* Call depth accounting, for the C caller, on kernel GS. */
		if (IS_ENABLED(CONFIG_CALL_PADDING) && p < enter &&
		    p >= enter - CONFIG_FUNCTION_PADDING_BYTES) {
			p = enter;
			continue;
		}
		if (insn_decode_kernel(&insn, p)) {
			KUNIT_FAIL(test, "cannot decode at %pS", p);
			return;
		}
		KUNIT_EXPECT_FALSE_MSG(test, op[0] == 0x0f && op[1] == 0x03,
				       "LSL at %pS", p);
		KUNIT_EXPECT_FALSE_MSG(test, op[0] == 0x0f && op[1] == 0x01 &&
				       insn.modrm.bytes[0] == 0xf9,
				       "RDTSCP at %pS", p);
		KUNIT_EXPECT_FALSE_MSG(test, op[0] == 0x0f && op[1] == 0xc7 &&
				       X86_MODRM_MOD(insn.modrm.value) == 3 &&
				       X86_MODRM_REG(insn.modrm.value) == 7,
				       "RDPID at %pS", p);
		for (i = 0; i < insn.prefixes.nbytes && !sbm_gs_allowed(p); i++)
			KUNIT_EXPECT_NE_MSG(test, insn.prefixes.bytes[i], 0x65,
					    "GS-relative access at %pS", p);
		p += insn.length;
		n++;
	}
	/* The stubs alone are more than 256 instructions. */
	KUNIT_EXPECT_GT(test, n, 3 * 256);
}

/* A terminated sandbox's call chain, from its stack, and nothing else. */
static void sbm_test_fault_trace(struct kunit *test)
{
	char name[KSYM_SYMBOL_LEN];
	unsigned int i, deep = 0;
	unsigned long addr;
	struct sbm sbm;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	sbm_expect_fault(test, &sbm, sbm_call(&sbm, sbm_t_deep_write, 3,
					      (unsigned long)&sbm_test_data),
			 X86_TRAP_PF);
	KUNIT_EXPECT_GE(test, sbm.fault.trace_len, 3);
	KUNIT_EXPECT_LE(test, sbm.fault.trace_len, SBM_FAULT_TRACE);
	for (i = 0; i < sbm.fault.trace_len; i++) {
		addr = sbm.fault.trace[i];
		KUNIT_EXPECT_TRUE(test, addr >= (unsigned long)__sbm_text_start);
		KUNIT_EXPECT_TRUE(test, addr < (unsigned long)__sbm_text_end);
		snprintf(name, sizeof(name), "%ps", (void *)addr);
		deep += !strcmp(name, "sbm_t_deep_write");
	}
	KUNIT_EXPECT_EQ(test, deep, 3);
	sbm_destroy(&sbm);
}

/* What a call leaves on the sandbox stack is gone for the next call. */
static void sbm_test_stack_wiped(struct kunit *test)
{
	struct sbm sbm;
	int round;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	for (round = 0; round < 3; round++) {
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_stack_fill,
					       0x5a5a5a5a5a5a5a5aUL), 0);
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_stack_scan), 0);
	}
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
}

/*
 * The return address of a sandboxed function is on the sandbox stack, put
 * there by the kernel. A sandbox that replaced it and still ended its
 * call cleanly leaves nothing for the next call, of the same instance or
 * of the next owner of a pooled one: that returns to the kernel as usual.
 */
static void sbm_test_return_address(struct kunit *test)
{
	const unsigned long to[] = { 0, (unsigned long)sbm_t_spin,
				     (unsigned long)sbm_t_return_to };
	struct sbm sbm;
	int i;

	for (i = 0; i < ARRAY_SIZE(to); i++) {
		KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_return_to, to[i]), 7);
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_return_to, to[i]), 7);
		KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
		sbm_destroy(&sbm);
	}
}

/*
 * Where the sandbox runs: no page that it can reach lies in the upper
 * half, where LASS would fault it and where the kernel is; its code is
 * where arch_sbm_image_addr() says, and not at the kernel's address.
 */
struct sbm_user_walk {
	unsigned long pages, upper, code_pte, kernel_pte;
	unsigned long code, kernel;
};

static int sbm_user_walk_fn(void *arg, unsigned long va, unsigned long pte)
{
	struct sbm_user_walk *w = arg;

	w->pages++;
	if ((long)va < 0)
		w->upper++;
	if (va == w->code)
		w->code_pte = pte;
	if (va == w->kernel)
		w->kernel_pte = pte;
	return 0;
}

static void sbm_test_layout(struct kunit *test)
{
	unsigned long func = (unsigned long)sbm_t_noargs;
	struct sbm_user_walk w = { .kernel = func & PAGE_MASK };
	struct sbm sbm;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_noargs), -ENOENT);
	w.code = sbm_image_addr(&sbm, (void *)func) & PAGE_MASK;
	KUNIT_EXPECT_GE(test, w.code, (unsigned long)BIT(46));
	KUNIT_EXPECT_LT(test, w.code, (unsigned long)BIT(47));
	KUNIT_EXPECT_EQ(test, sbm_x86_test_user_pages(&sbm, sbm_user_walk_fn, &w), 0);
	KUNIT_EXPECT_GT(test, w.pages, 0);
	KUNIT_EXPECT_EQ(test, w.upper, 0);
	KUNIT_EXPECT_EQ(test, w.kernel_pte, 0);
	KUNIT_EXPECT_EQ(test, w.code_pte & PTE_PFN_MASK,
			PFN_PHYS(PHYS_PFN(__pa_symbol(func))));
	KUNIT_EXPECT_EQ(test, w.code_pte & _PAGE_NX, 0);
	KUNIT_EXPECT_EQ(test, w.code_pte & _PAGE_RW, 0);
	sbm_destroy(&sbm);
}

/*
 * What a sandbox can read holds no kernel address: its constants, data,
 * heap and stack (with the return address on top), as the next call finds
 * them. Every aligned word counts that points into the kernel image, a
 * module, the direct map, vmalloc space or the struct page array. Code
 * pages are counted, not searched: instructions hold such bit patterns by
 * chance ("mov $-1, %eax" after three bytes of the right values is one
 * in a kernel at 0xffffffffb8000000); that sandbox code makes no absolute
 * reference at all is modpost's check.
 */
struct sbm_scan {
	struct kunit *test;
	unsigned long pages, code, found;
};

static bool sbm_scan_kernel_addr(unsigned long v)
{
	bool ret;

	if (v >= (unsigned long)_text && v < (unsigned long)_end)
		return true;
	preempt_disable();
	ret = is_module_address(v);
	preempt_enable();
	return ret || (v >= PAGE_OFFSET && v < PAGE_OFFSET + PFN_PHYS(max_pfn)) ||
	       is_vmalloc_addr((void *)v) ||
	       (v >= VMEMMAP_START &&
		v < VMEMMAP_START + max_pfn * sizeof(struct page));
}

static int sbm_scan_fn(void *arg, unsigned long va, unsigned long pte)
{
	const u8 *page = pfn_to_kaddr(pte_pfn(__pte(pte)));
	struct sbm_scan *s = arg;
	unsigned long v;
	unsigned int off;

	s->pages++;
	if (!(pte & _PAGE_NX)) {
		s->code++;
		return 0;
	}
	for (off = 0; off < PAGE_SIZE; off += sizeof(v)) {
		v = *(const unsigned long *)(page + off);
		if (!sbm_scan_kernel_addr(v))
			continue;
		if (s->found++ < 8)
			kunit_info(s->test, "%#lx holds %#lx (%pS)", va + off, v,
				   (void *)v);
	}
	return 0;
}

static void sbm_test_no_kernel_addresses(struct kunit *test)
{
	struct sbm_scan s = { .test = test };
	struct sbm sbm;

	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
#ifdef CONFIG_SANDBOX_MODE_LIB
	KUNIT_ASSERT_EQ(test, sbm_init_heap(&sbm, 4 * PAGE_SIZE), 0);
#endif
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_t_noargs), -ENOENT);
	KUNIT_EXPECT_EQ(test, sbm_x86_test_user_pages(&sbm, sbm_scan_fn, &s), 0);
	kunit_info(test, "%lu pages scanned, %lu of code not", s.pages - s.code,
		   s.code);
	KUNIT_EXPECT_GT(test, s.pages - s.code, 4);
	KUNIT_EXPECT_GT(test, s.code, 0);
	KUNIT_EXPECT_EQ(test, s.found, 0);
	sbm_destroy(&sbm);
}

/*
 * sbm_t_regs(out, rounds, fsgsbase) stores the registers as the sandbox
 * got them (SBM_T_REG_*), then holds one pattern in every general purpose
 * register for @rounds rounds of checking them all: the interrupts and
 * NMIs that leave and resume the sandbox in between must give back what
 * it had, and nothing of the kernel's. Returns 0, or 1 if a register
 * changed.
 */
enum {
	SBM_T_REG_AX, SBM_T_REG_BX, SBM_T_REG_CX, SBM_T_REG_DX, SBM_T_REG_SI,
	SBM_T_REG_DI, SBM_T_REG_BP, SBM_T_REG_SP, SBM_T_REG_R8, SBM_T_REG_R9,
	SBM_T_REG_R10, SBM_T_REG_R11, SBM_T_REG_R12, SBM_T_REG_R13,
	SBM_T_REG_R14, SBM_T_REG_R15, SBM_T_REG_RET, SBM_T_REG_FLAGS,
	SBM_T_REG_FS, SBM_T_REG_GS, SBM_T_REGS
};

SBM_DEFINE_FUNC(sbm_t_regs, unsigned long *out, unsigned long rounds,
		unsigned long fsgsbase);

#define SBM_T_REGS_CHECK(reg)	"cmpq (%rsp), %" reg "\n\tjne 3f\n\t"

asm(".pushsection .sbm.text, \"ax\"\n"
	".type sbm_t_regs, @function\n"
	"sbm_t_regs:\n\t"
	ASM_ENDBR
	"movq %rax, 0(%rdi)\n\tmovq %rbx, 8(%rdi)\n\tmovq %rcx, 16(%rdi)\n\t"
	"movq %rdx, 24(%rdi)\n\tmovq %rsi, 32(%rdi)\n\tmovq %rdi, 40(%rdi)\n\t"
	"movq %rbp, 48(%rdi)\n\tmovq %rsp, 56(%rdi)\n\tmovq %r8, 64(%rdi)\n\t"
	"movq %r9, 72(%rdi)\n\tmovq %r10, 80(%rdi)\n\tmovq %r11, 88(%rdi)\n\t"
	"movq %r12, 96(%rdi)\n\tmovq %r13, 104(%rdi)\n\tmovq %r14, 112(%rdi)\n\t"
	"movq %r15, 120(%rdi)\n\tmovq (%rsp), %rax\n\tmovq %rax, 128(%rdi)\n\t"
	"pushfq\n\tpopq 136(%rdi)\n\t"
	"testq %rdx, %rdx\n\tjz 1f\n\t"
	"rdfsbase %rax\n\tmovq %rax, 144(%rdi)\n\t"
	"rdgsbase %rax\n\tmovq %rax, 152(%rdi)\n"
	"1:\tpushq %rbx\n\tpushq %rbp\n\tpushq %r12\n\tpushq %r13\n\t"
	"pushq %r14\n\tpushq %r15\n\t"
	"movq %rsi, %rcx\n\t"
	"movabsq $0x5aa55aa5a55aa55a, %rax\n\tpushq %rax\n\t"
	"movq %rax, %rbx\n\tmovq %rax, %rdx\n\tmovq %rax, %rsi\n\t"
	"movq %rax, %rdi\n\tmovq %rax, %rbp\n\tmovq %rax, %r8\n\t"
	"movq %rax, %r9\n\tmovq %rax, %r10\n\tmovq %rax, %r11\n\t"
	"movq %rax, %r12\n\tmovq %rax, %r13\n\tmovq %rax, %r14\n\t"
	"movq %rax, %r15\n"
	"2:\t"
	SBM_T_REGS_CHECK("rax") SBM_T_REGS_CHECK("rbx") SBM_T_REGS_CHECK("rdx")
	SBM_T_REGS_CHECK("rsi") SBM_T_REGS_CHECK("rdi") SBM_T_REGS_CHECK("rbp")
	SBM_T_REGS_CHECK("r8") SBM_T_REGS_CHECK("r9") SBM_T_REGS_CHECK("r10")
	SBM_T_REGS_CHECK("r11") SBM_T_REGS_CHECK("r12") SBM_T_REGS_CHECK("r13")
	SBM_T_REGS_CHECK("r14") SBM_T_REGS_CHECK("r15")
	"decq %rcx\n\tjnz 2b\n\t"
	"xorl %eax, %eax\n\tjmp 4f\n"
	"3:\tmovl $1, %eax\n"
	"4:\taddq $8, %rsp\n\tpopq %r15\n\tpopq %r14\n\tpopq %r13\n\t"
	"popq %r12\n\tpopq %rbp\n\tpopq %rbx\n\tret\n\tint3\n"
	".size sbm_t_regs, .-sbm_t_regs\n"
	".popsection");

#define SBM_T_REGS_ROUNDS	10000000

struct sbm_regs_run {
	struct completion done;
	unsigned long regs[SBM_T_REGS];
	unsigned long ret_addr, exits;
	int ret;
};

static int sbm_regs_fn(void *data)
{
	struct sbm_regs_run *r = data;
	struct sbm sbm;

	r->ret = sbm_init(&sbm);
	if (!r->ret) {
		r->ret = sbm_call(&sbm, sbm_t_regs,
				  SBM_COPY_OUT(&sbm, r->regs, sizeof(r->regs)),
				  SBM_T_REGS_ROUNDS,
				  cpu_feature_enabled(X86_FEATURE_FSGSBASE));
		r->ret_addr = sbm_image_addr(&sbm, sbm_x86_sandbox_exit);
		r->exits = sbm.exits;
	}
	sbm_destroy(&sbm);
	complete(&r->done);
	return 0;
}

static void sbm_test_registers(struct kunit *test)
{
	struct sbm_regs_run *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	int cpu, me, nmis = 0, ipi_cpu, i;
	struct task_struct *t;

	KUNIT_ASSERT_NOT_NULL(test, r);
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	init_completion(&r->done);
	atomic_set(&sbm_test_nmis, 0);
	cpu = cpumask_last(cpu_online_mask);
	me = sbm_other_cpu(cpu);
	set_cpus_allowed_ptr(current, cpumask_of(me));
	WRITE_ONCE(sbm_test_nmi_cpu, cpu);
	KUNIT_ASSERT_EQ(test, register_nmi_handler(NMI_LOCAL, sbm_test_nmi_handler,
						   0, "sbm_test"), 0);
	t = kthread_run_on_cpu(sbm_regs_fn, r, cpu, "sbm_regs/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	while (!completion_done(&r->done)) {
		int before = atomic_read(&sbm_test_nmis);

		__apic_send_IPI(cpu, NMI_VECTOR);
		sbm_storm_wait_nmi(before);
		nmis++;
		smp_call_function_single(cpu, sbm_test_ipi_fn, &ipi_cpu, 1);
		usleep_range(1000, 2000);
	}
	unregister_nmi_handler(NMI_LOCAL, "sbm_test");
	WRITE_ONCE(sbm_test_nmi_cpu, -1);
	set_cpus_allowed_ptr(current, cpu_possible_mask);

	kunit_info(test, "%lu exits, %d NMIs sent", r->exits, nmis);
	KUNIT_EXPECT_EQ(test, r->ret, 0);
	KUNIT_EXPECT_GT(test, r->exits, 2);
	for (i = 0; i < SBM_T_REGS; i++) {
		unsigned long v = r->regs[i];

		switch (i) {
		case SBM_T_REG_DI:
			KUNIT_EXPECT_LT(test, v, (unsigned long)BIT(46));
			break;
		case SBM_T_REG_SI:
			KUNIT_EXPECT_EQ(test, v, SBM_T_REGS_ROUNDS);
			break;
		case SBM_T_REG_DX:
			KUNIT_EXPECT_EQ(test, v, cpu_feature_enabled(X86_FEATURE_FSGSBASE));
			break;
		case SBM_T_REG_SP:
			KUNIT_EXPECT_LT(test, v, (unsigned long)BIT(46));
			KUNIT_EXPECT_NE(test, v, 0);
			break;
		case SBM_T_REG_RET:
			KUNIT_EXPECT_EQ(test, v, r->ret_addr);
			KUNIT_EXPECT_LT(test, v, (unsigned long)BIT(47));
			break;
		case SBM_T_REG_FLAGS:
			KUNIT_EXPECT_EQ(test, v & ~(X86_EFLAGS_IF | X86_EFLAGS_FIXED |
						    X86_EFLAGS_ZF | X86_EFLAGS_PF),
					0);
			break;
		default:
			KUNIT_EXPECT_EQ_MSG(test, v, 0, "register %d", i);
		}
	}
}

/*
 * NMIs sent to a CPU that runs a sandbox (a nohz_full one if there is
 * one) for 1 s of its CPU time, each as soon as the one before was
 * handled, so that many land in the exit and re-entry that the one
 * before caused. Each is handled before the next is sent, also one that
 * hit the way into the sandbox: that one makes the sandbox leave again
 * after one instruction (counted as a forced step) instead of running on
 * until its next exit. Under TCG, NMIs land in the sandbox itself; the
 * way in is tested deterministically by sbm_test_nmi_entry.
 */
static void sbm_test_nmi_paced(struct kunit *test)
{
	struct sbm_test_spinner s = {
		.ret = -EINVAL,
		.timeout_ns = NSEC_PER_SEC,
	};
	long steps = atomic_long_read(&sbm_x86_forced_steps);
	long replays = atomic_long_read(&sbm_x86_transition_nmis);
	int sent = 0, lost = 0, cpu, me;
	struct task_struct *t;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	init_completion(&s.started);
	init_completion(&s.done);
	atomic_set(&sbm_test_nmis, 0);
	cpu = cpumask_last(cpu_online_mask);
	for_each_online_cpu(me)
		if (tick_nohz_full_cpu(me))
			cpu = me;
	me = sbm_other_cpu(cpu);
	set_cpus_allowed_ptr(current, cpumask_of(me));
	KUNIT_ASSERT_EQ(test, register_nmi_handler(NMI_LOCAL, sbm_test_nmi_handler,
						   0, "sbm_test"), 0);
	t = kthread_run_on_cpu(sbm_test_spinner_fn, &s, cpu, "sbm_nmi/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&s.started);
	while (!completion_done(&s.done)) {
		int before = atomic_read(&sbm_test_nmis);

		__apic_send_IPI(cpu, NMI_VECTOR);
		sent++;
		if (!sbm_storm_wait_nmi(before))
			lost++;
		/* A stop_machine() would wait for this CPU forever. */
		cond_resched();
	}
	wait_for_completion(&s.done);
	unregister_nmi_handler(NMI_LOCAL, "sbm_test");
	WRITE_ONCE(sbm_test_nmi_cpu, -1);
	set_cpus_allowed_ptr(current, cpu_possible_mask);

	kunit_info(test, "CPU %d%s: %d NMIs, %ld in transitions, %ld forced steps",
		   cpu, tick_nohz_full_cpu(cpu) ? " (nohz_full)" : "", sent,
		   atomic_long_read(&sbm_x86_transition_nmis) - replays,
		   atomic_long_read(&sbm_x86_forced_steps) - steps);
	KUNIT_EXPECT_GT(test, sent, 0);
	KUNIT_EXPECT_EQ(test, lost, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&sbm_test_nmis), sent);
	KUNIT_EXPECT_EQ(test, s.ret, -ETIMEDOUT);
}

/*
 * An NMI on the way into a sandbox, deterministically: with
 * sbm_x86_test_nmi_entry, every entry raises one (INT 2, to the sandbox
 * IDT's NMI gate) right after the sandbox IDT is loaded. Each must make
 * the sandbox leave after one instruction and be handled then, not at
 * whatever exit comes next: the sandbox runs single-stepped, every entry
 * a forced step and every NMI handled, and still computes its result.
 */
static void sbm_test_nmi_entry(struct kunit *test)
{
	long steps = atomic_long_read(&sbm_x86_forced_steps);
	int cpu = raw_smp_processor_id();
	struct sbm sbm;
	int ret;

	set_cpus_allowed_ptr(current, cpumask_of(cpu));
	cpu = raw_smp_processor_id();
	atomic_set(&sbm_test_nmis, 0);
	WRITE_ONCE(sbm_test_nmi_cpu, cpu);
	KUNIT_ASSERT_EQ(test, register_nmi_handler(NMI_LOCAL, sbm_test_nmi_handler,
						   0, "sbm_test"), 0);
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	WRITE_ONCE(sbm_x86_test_nmi_entry, true);
	ret = sbm_call(&sbm, sbm_t_spin, 100);
	WRITE_ONCE(sbm_x86_test_nmi_entry, false);
	steps = atomic_long_read(&sbm_x86_forced_steps) - steps;
	unregister_nmi_handler(NMI_LOCAL, "sbm_test");
	WRITE_ONCE(sbm_test_nmi_cpu, -1);
	set_cpus_allowed_ptr(current, cpu_possible_mask);

	kunit_info(test, "%ld forced steps, %u exits, %d NMIs handled", steps,
		   sbm.exits, atomic_read(&sbm_test_nmis));
	KUNIT_EXPECT_EQ(test, ret, 7);
	/* The last entry steps into the UD2 that ends the call. */
	KUNIT_EXPECT_EQ(test, steps, (long)sbm.exits + 1);
	KUNIT_EXPECT_GT(test, steps, 100);
	KUNIT_EXPECT_EQ(test, atomic_read(&sbm_test_nmis), steps);
	sbm_destroy(&sbm);
}

static struct kunit_case sbm_isolation_cases[] = {
	KUNIT_CASE(sbm_test_idt_stubs),
	KUNIT_CASE(sbm_test_layout),
	KUNIT_CASE(sbm_test_no_kernel_addresses),
	KUNIT_CASE(sbm_test_registers),
	KUNIT_CASE_SLOW(sbm_test_nmi_paced),
	KUNIT_CASE(sbm_test_nmi_entry),
	KUNIT_CASE(sbm_test_no_cpu_number),
	KUNIT_CASE(sbm_test_state_restored),
	KUNIT_CASE(sbm_test_pkru),
	KUNIT_CASE(sbm_test_write_past_output),
	KUNIT_CASE(sbm_test_read_past_input),
	KUNIT_CASE(sbm_test_read_past_output),
	KUNIT_CASE(sbm_test_write_past_input),
	KUNIT_CASE(sbm_test_write_before_output),
	KUNIT_CASE(sbm_test_read_before_input),
	KUNIT_CASE(sbm_test_write_input),
	KUNIT_CASE(sbm_test_exec_output),
	KUNIT_CASE(sbm_test_slack_contained),
	KUNIT_CASE(sbm_test_write_kernel_data),
	KUNIT_CASE(sbm_test_read_kernel_data),
	KUNIT_CASE(sbm_test_write_kernel_bss),
	KUNIT_CASE(sbm_test_read_kernel_bss),
	KUNIT_CASE(sbm_test_write_kernel_stack),
	KUNIT_CASE(sbm_test_read_heap),
	KUNIT_CASE(sbm_test_read_entry_area),
	KUNIT_CASE(sbm_test_read_transition_text),
	KUNIT_CASE(sbm_test_exec_transition_text),
	KUNIT_CASE(sbm_test_read_verw_selector),
	KUNIT_CASE(sbm_test_descriptor_tables),
	KUNIT_CASE(sbm_test_machine_check),
	KUNIT_CASE(sbm_test_fpu_registers),
	KUNIT_CASE(sbm_test_fpu_init_state),
#ifdef CONFIG_KPROBES
	KUNIT_CASE(sbm_test_switch_hooks),
#endif
	KUNIT_CASE(sbm_test_transition_page_secrets),
	KUNIT_CASE(sbm_test_transition_page_registers),
	KUNIT_CASE(sbm_test_transition_page_cr2),
	KUNIT_CASE(sbm_test_transition_state),
	KUNIT_CASE(sbm_test_write_user_memory),
	KUNIT_CASE(sbm_test_other_sandbox),
	KUNIT_CASE(sbm_test_exec_kernel_text),
	KUNIT_CASE(sbm_test_exec_kernel_data),
	KUNIT_CASE(sbm_test_exec_stack),
	KUNIT_CASE(sbm_test_stack_overflow),
	KUNIT_CASE(sbm_test_stack_wiped),
	KUNIT_CASE(sbm_test_return_address),
	KUNIT_CASE(sbm_test_fault_trace),
	KUNIT_CASE(sbm_test_divide_error),
	KUNIT_CASE_PARAM(sbm_test_instruction, sbm_insn_gen_params),
	KUNIT_CASE(sbm_test_timeout),
	KUNIT_CASE(sbm_test_timeout_nohz_full),
	KUNIT_CASE(sbm_test_long_running),
	KUNIT_CASE(sbm_test_concurrent),
	KUNIT_CASE(sbm_test_nmi),
	KUNIT_CASE(sbm_test_async_pf),
	KUNIT_CASE(sbm_test_budget_own_time),
	KUNIT_CASE_PARAM(sbm_test_storm, sbm_storm_gen_params),
	KUNIT_CASE(sbm_test_storm_breakpoint),
	{}
};

static struct kunit_suite sbm_isolation_suite = {
	.name = "sbm_isolation",
	.init = sbm_isolation_init,
	.test_cases = sbm_isolation_cases,
};

/* ---- When strong isolation is used ---- */

struct sbm_env_case {
	const char *name;
	struct sbm_x86_env env;
	const char *why;
};

static const struct sbm_env_case sbm_env_cases[] = {
	{ "bare_metal_or_kvm", {}, NULL },
	{ "xen_pv", { .xen_pv = true }, "Xen PV guest" },
	{ "fred", { .fred = true }, "FRED is active" },
	{ "sev_es", { .sev_es = true }, "SEV-ES guest, #VC could hit a transition" },
	{ "tdx", { .tdx = true }, "TDX guest, #VE could hit a transition" },
	{ "xen_pv_fred", { .xen_pv = true, .fred = true }, "Xen PV guest" },
};

static void sbm_env_desc(const struct sbm_env_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sbm_env, sbm_env_cases, sbm_env_desc);

/* The decision, fed with the facts of CPUs and hypervisors QEMU lacks. */
static void sbm_test_env(struct kunit *test)
{
	const struct sbm_env_case *c = test->param_value;
	const char *why = sbm_x86_unsupported(&c->env);

	if (c->why)
		KUNIT_EXPECT_STREQ(test, why, c->why);
	else
		KUNIT_EXPECT_NULL(test, why);
}

/* This machine: strong isolation unless its facts say no. */
static void sbm_test_env_here(struct kunit *test)
{
	const struct sbm_x86_env env = {
		.xen_pv	= cpu_feature_enabled(X86_FEATURE_XENPV),
		.fred	= cpu_feature_enabled(X86_FEATURE_FRED),
		.sev_es	= cc_platform_has(CC_ATTR_GUEST_STATE_ENCRYPT),
		.tdx	= cpu_feature_enabled(X86_FEATURE_TDX_GUEST),
	};

	KUNIT_EXPECT_EQ(test, arch_sbm_available(), !sbm_x86_unsupported(&env));
}

static struct kunit_case sbm_x86_env_cases[] = {
	KUNIT_CASE_PARAM(sbm_test_env, sbm_env_gen_params),
	KUNIT_CASE(sbm_test_env_here),
	{}
};

static struct kunit_suite sbm_x86_env_suite = {
	.name = "sbm_x86_env",
	.test_cases = sbm_x86_env_cases,
};

kunit_test_suites(&sbm_api_suite, &sbm_isolation_suite, &sbm_x86_env_suite);
#else
kunit_test_suites(&sbm_api_suite);
#endif /* CONFIG_X86_64 */

MODULE_DESCRIPTION("KUnit tests for SandBox Mode");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
