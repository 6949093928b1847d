// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the sandbox library runtime (kernel/sbm/lib/): the heap,
 * the log, the private copy of sandbox data and the shared constants, each
 * used and attacked from inside a sandbox.
 */

#include <kunit/test.h>
#include <linux/kern_levels.h>
#include <linux/sbm.h>
#include <linux/sbm_lib.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <asm/sections.h>

#include "lib/runtime.h"
#include "sbm_internal.h"

#define SBM_RT_HEAP	SZ_16K
#define PF_WRITE	BIT(1)
#define PF_USER		BIT(2)

/* The runtime, as sandbox code calls it. */
void *SBM_LIB(sbm_heap_alloc)(size_t size, bool zero);
void SBM_LIB(sbm_heap_free)(const void *p);
int SBM_LIB(sbm_log)(const char *fmt, ...);

static unsigned long sbm_rt_victim = 0x600dcafe;

/* ---- Sandboxed functions ---- */

/* Allocate @size bytes until the heap is exhausted; count. */
static SBM_DEFINE_FUNC(sbm_rt_exhaust, unsigned long size)
{
	int n = 0;

	while (SBM_LIB(sbm_heap_alloc)(size, false))
		n++;
	return n;
}

/* Freeing the most recent block gives its room back. */
static SBM_DEFINE_FUNC(sbm_rt_free_last)
{
	void *a = SBM_LIB(sbm_heap_alloc)(100, false), *b;

	SBM_LIB(sbm_heap_free)(a);
	b = SBM_LIB(sbm_heap_alloc)(100, true);
	return a && a == b;
}

/* Fill the whole heap with @c, or count its bytes that are not zero. */
static SBM_DEFINE_FUNC(sbm_rt_heap_fill, unsigned long c)
{
	u8 *p = (u8 *)SBM_LIB(runtime).heap;
	unsigned long i, n = 0;

	for (i = 0; i < SBM_LIB(runtime).heap_size; i++) {
		if (c)
			p[i] = c;
		else
			n += p[i] != 0;
	}
	return n;
}

/* Write one byte at @offset from the start of the heap. */
static SBM_DEFINE_FUNC(sbm_rt_heap_poke, unsigned long offset)
{
	*((u8 *)SBM_LIB(runtime).heap + offset) = 1;
	return 0;
}

/* Point the heap elsewhere, then allocate and write. */
static SBM_DEFINE_FUNC(sbm_rt_heap_redirect, unsigned long addr)
{
	unsigned long *p;

	SBM_LIB(runtime).heap = addr;
	SBM_LIB(runtime).heap_brk = 0;
	p = SBM_LIB(sbm_heap_alloc)(64, false);
	if (p)
		WRITE_ONCE(p[-1], 0x42);
	return !!p;
}

/* Leave state behind in the runtime, or check that none was left. */
static SBM_DEFINE_FUNC(sbm_rt_state, unsigned long leave)
{
	if (leave) {
		SBM_LIB(runtime).heap_brk = 4096;
		SBM_LIB(runtime).heap_last = 4096;
		return 0;
	}
	return SBM_LIB(runtime).heap_brk || SBM_LIB(runtime).heap_last ||
	       SBM_LIB(runtime).log_len || SBM_LIB(runtime).log_lost;
}

/* What sbm_rt_log() logs: the sandbox cannot see the kernel's strings. */
struct sbm_rt_strings {
	char fmt[3][64];
	char s[3][8];
};

static const struct sbm_rt_strings sbm_rt_strings = {
	.fmt = { KERN_ERR "x=%d s=%s %05ld %x %#x|%-4s|%3c|%%|%.2s",
		 "no level, no newline", "at %p, %pS" },
	.s = { "abc", "ab", "xyz" },
};

/* Log a few formats and hand the log back. */
static SBM_DEFINE_FUNC(sbm_rt_log, const struct sbm_rt_strings *str,
		       char *out, unsigned long size)
{
	struct sbm_runtime *rt;
	unsigned long i;

	SBM_LIB(sbm_log)(str->fmt[0], 42, str->s[0], -7L, 0xffu, 31u, str->s[1],
			 'z', str->s[2]);
	SBM_LIB(sbm_log)(str->fmt[1]);
	/* Sandbox code and stack: addresses that must not get out. */
	SBM_LIB(sbm_log)(str->fmt[2], __builtin_return_address(0), &i);
	rt = SBM_LIB(sbm_runtime)();
	for (i = 0; i < size && i < rt->log_len; i++)
		out[i] = rt->log[i];
	return i;
}

/* Make the log say it is huge and full of garbage. */
static SBM_DEFINE_FUNC(sbm_rt_log_garbage)
{
	struct sbm_runtime *rt = SBM_LIB(sbm_runtime)();
	unsigned long i;

	for (i = 0; i < SBM_LOG_SIZE; i++)
		rt->log[i] = i % 3 ? (char)(i * 37) : '\n';
	rt->log_len = ~0UL;
	rt->log_lost = ~0UL;
	return 0;
}

static SBM_DEFINE_FUNC(sbm_rt_write, unsigned long addr)
{
	WRITE_ONCE(*(u8 *)addr, 0x42);
	return 1;
}

static SBM_DEFINE_FUNC(sbm_rt_read, unsigned long addr)
{
	return READ_ONCE(*(u8 *)addr);
}

/* ---- Tests ---- */

static const bool sbm_rt_modes[] = { false, true };

static void sbm_rt_mode_desc(const bool *strong, char *desc)
{
	strscpy(desc, *strong ? "strong" : "weak", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sbm_rt_mode, sbm_rt_modes, sbm_rt_mode_desc);

static void sbm_rt_init(struct kunit *test, struct sbm *sbm, size_t heap)
{
	bool strong = test->param_value ? *(const bool *)test->param_value : true;

	if (strong && !sbm_strong_available())
		kunit_skip(test, "strong isolation not available");
	KUNIT_ASSERT_EQ(test, __sbm_init(sbm, strong), 0);
	if (heap)
		KUNIT_ASSERT_EQ(test, sbm_init_heap(sbm, heap), 0);
}

/* The heap hands out what it has, then NULL: the library's -ENOMEM path. */
static void sbm_rt_heap(struct kunit *test)
{
	struct sbm sbm;

	sbm_rt_init(test, &sbm, SBM_RT_HEAP);
	/* 1000 bytes and a 16-byte header, rounded to 1024. */
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_exhaust, 1000), 16);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_exhaust, SBM_RT_HEAP), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_exhaust, -1UL), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_free_last), 1);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);

	/* No heap: every allocation fails. */
	sbm_rt_init(test, &sbm, 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_exhaust, 16), 0);
	sbm_destroy(&sbm);

	/* Bad sizes are refused, and sticky. */
	sbm_rt_init(test, &sbm, 0);
	KUNIT_EXPECT_EQ(test, sbm_init_heap(&sbm, SBM_MAX_BUF_SIZE + 1), -E2BIG);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_exhaust, 16), -E2BIG);
	sbm_destroy(&sbm);
	sbm_rt_init(test, &sbm, SBM_RT_HEAP);
	KUNIT_EXPECT_EQ(test, sbm_init_heap(&sbm, SBM_RT_HEAP), -EBUSY);
	sbm_destroy(&sbm);
}

/* Nothing of a call is left in the heap or the runtime for the next one. */
static void sbm_rt_no_stale_state(struct kunit *test)
{
	struct sbm sbm;

	sbm_rt_init(test, &sbm, SBM_RT_HEAP);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_heap_fill, 0xaa), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_heap_fill, 0), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_state, 1), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_state, 0), 0);
	sbm_destroy(&sbm);
}

/* One instance's heap is not another's, though the address is the same. */
static void sbm_rt_heap_private(struct kunit *test)
{
	struct sbm a, b;

	sbm_rt_init(test, &a, SBM_RT_HEAP);
	sbm_rt_init(test, &b, SBM_RT_HEAP);
	KUNIT_EXPECT_EQ(test, a.heap_addr, b.heap_addr);
	KUNIT_EXPECT_EQ(test, sbm_call(&a, sbm_rt_heap_fill, 0x55), 0);
	memset(a.heap, 0x55, SBM_RT_HEAP);	/* as if it had not been wiped */
	KUNIT_EXPECT_EQ(test, sbm_call(&b, sbm_rt_heap_fill, 0), 0);
	/* And b cannot reach a's heap at its kernel address. */
	KUNIT_EXPECT_EQ(test, sbm_call(&b, sbm_rt_read, (unsigned long)a.heap),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, b.fault.address, (unsigned long)a.heap);
	sbm_destroy(&b);
	sbm_destroy(&a);
}

/* The heap ends at an unmapped page. */
static void sbm_rt_heap_overflow(struct kunit *test)
{
	struct sbm sbm;

	sbm_rt_init(test, &sbm, SBM_RT_HEAP);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_heap_poke, SBM_RT_HEAP - 1), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_heap_poke, SBM_RT_HEAP), -EFAULT);
	KUNIT_EXPECT_EQ(test, sbm.fault.vector, 14);
	KUNIT_EXPECT_EQ(test, sbm.fault.address, sbm.heap_addr + SBM_RT_HEAP);
	sbm_destroy(&sbm);
}

/* A sandbox that points its heap at the kernel only faults. */
static void sbm_rt_heap_redirect_test(struct kunit *test)
{
	unsigned long victim = READ_ONCE(sbm_rt_victim);
	struct sbm sbm;

	sbm_rt_init(test, &sbm, SBM_RT_HEAP);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_heap_redirect,
				       (unsigned long)&sbm_rt_victim + 16), -EFAULT);
	KUNIT_EXPECT_EQ(test, sbm.fault.error_code & (PF_WRITE | PF_USER),
			PF_WRITE | PF_USER);
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sbm_rt_victim), victim);
}

/* The formatter, as the sandbox log sees it. */
static void sbm_rt_log_format(struct kunit *test)
{
	static const char want[] =
		KERN_ERR "x=42 s=abc -0007 ff 0x1f|ab  |  z|%|xy\n"
		KERN_WARNING "no level, no newline\n"
		KERN_WARNING "at (____ptrval____), (____ptrval____)\n";
	char *out = kunit_kzalloc(test, 256, GFP_KERNEL);
	struct sbm sbm;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, out);
	sbm_rt_init(test, &sbm, 0);
	ret = sbm_call(&sbm, sbm_rt_log,
		       SBM_COPY_IN(&sbm, &sbm_rt_strings, sizeof(sbm_rt_strings)),
		       SBM_COPY_OUT(&sbm, out, 256), 256);
	KUNIT_EXPECT_EQ(test, ret, (int)strlen(want));
	KUNIT_EXPECT_STREQ(test, out, want);
	sbm_destroy(&sbm);
}

/* A log that lies about its size is clamped and sanitized. */
static void sbm_rt_log_lies(struct kunit *test)
{
	struct sbm sbm;

	sbm_rt_init(test, &sbm, 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_log_garbage), 0);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	sbm_destroy(&sbm);
}

/*
 * What a sandbox logs reaches the kernel log tamed: no more severe than a
 * warning, and with nothing but printable ASCII and tabs.
 */
static void sbm_rt_log_tamed(struct kunit *test)
{
	static const char log[] = KERN_EMERG "emerg\n" KERN_DEBUG "debug\n"
		"\x1b[2J\r\x7f\x80\tok\n\001\071x\n\001";	/* \071 is '9' */
	static const struct {
		int level;
		const char *line;
	} want[] = {
		{ LOGLEVEL_WARNING, "emerg" },
		{ LOGLEVEL_DEBUG, "debug" },
		{ LOGLEVEL_WARNING, "?[2J???" },	/* truncated to fit */
		{ LOGLEVEL_WARNING, "?9x" },
		{ LOGLEVEL_WARNING, "?" },
	};
	size_t pos = 0, len = sizeof(log) - 1;
	unsigned int i;
	char line[8];

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		KUNIT_EXPECT_EQ(test, sbm_lib_log_line(log, len, &pos, line,
						       sizeof(line)),
				want[i].level);
		KUNIT_EXPECT_STREQ(test, line, want[i].line);
	}
	KUNIT_EXPECT_GT(test, pos, len);
}

/*
 * What looks like a kernel address in a sandbox's log line is masked: a
 * subverted sandbox knows where its code is, in the kernel image.
 */
static void sbm_rt_log_addresses(struct kunit *test)
{
	static const char log[] =
		"at ffffffff81234567, 18446744071562067968 and 0xFFFF8880deadbeef\n"
		"ffee 1234 abcdef0123 12345678901234567890x\n";
	static const char * const want[] = {
		"at XXXXXXXXXXXXXXXX, XXXXXXXXXXXXXXXXXXXX and 0xXXXXXXXXXXXXXXXX",
		"ffee 1234 abcdef0123 12345678901234567890x",
	};
	size_t pos = 0, len = sizeof(log) - 1;
	unsigned int i;
	char line[96];

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		sbm_lib_log_line(log, len, &pos, line, sizeof(line));
		KUNIT_EXPECT_STREQ(test, line, want[i]);
	}
}

/* Sandbox constants are read-only, and the kernel's are out of reach. */
static void sbm_rt_rodata(struct kunit *test)
{
	unsigned long start, end;
	struct sbm sbm;
	int ret;

	sbm_rt_init(test, &sbm, 0);
	start = sbm_image_addr(&sbm, __sbm_rodata_start);
	end = sbm_image_addr(&sbm, __sbm_rodata_end);
	ret = sbm_call(&sbm, sbm_rt_read, start);
	KUNIT_EXPECT_GE(test, ret, 0);
	KUNIT_EXPECT_EQ(test, ret, *(u8 *)__sbm_rodata_start);
	sbm_destroy(&sbm);

	sbm_rt_init(test, &sbm, 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_write, start), -EFAULT);
	KUNIT_EXPECT_EQ(test, sbm.fault.error_code & (PF_WRITE | PF_USER),
			PF_WRITE | PF_USER);
	sbm_destroy(&sbm);

	sbm_rt_init(test, &sbm, 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_read, end), -EFAULT);
	KUNIT_EXPECT_EQ(test, sbm.fault.address, end);
	sbm_destroy(&sbm);

	sbm_rt_init(test, &sbm, 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_read, start - 1), -EFAULT);
	sbm_destroy(&sbm);
}

/* Sandbox data is a private copy: the kernel's stays as it was. */
static void sbm_rt_data(struct kunit *test)
{
	unsigned long before = READ_ONCE(SBM_LIB(runtime).log_lost);
	unsigned long addr, end;
	struct sbm sbm;

	sbm_rt_init(test, &sbm, 0);
	addr = sbm_image_addr(&sbm, &SBM_LIB(runtime).log_lost);
	end = sbm_image_addr(&sbm, __sbm_data_end);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_write, addr), 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(SBM_LIB(runtime).log_lost), before);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_rt_write, end), -EFAULT);
	KUNIT_EXPECT_EQ(test, sbm.fault.address, end);
	sbm_destroy(&sbm);
}

/*
 * A new instance may get the page tables of a destroyed one, but none of
 * what was its own: its heap, its buffers, what it left in its data.
 */
static void sbm_rt_reused_instance(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	unsigned long heap, copy;
	struct sbm a, b;
	void *arch, *data;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	sbm_rt_init(test, &a, SBM_RT_HEAP);
	KUNIT_EXPECT_EQ(test, sbm_call(&a, sbm_rt_heap_fill, 0xaa), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&a, sbm_rt_state, 1), 0);
	copy = (unsigned long)SBM_COPY_IN(&a, buf, 64);
	KUNIT_EXPECT_EQ(test, sbm_call(&a, sbm_rt_read, copy), 0);
	heap = a.heap_addr;
	arch = a.arch;
	data = a.data;
	sbm_destroy(&a);

	/* The most recently destroyed instance is handed out first. */
	sbm_rt_init(test, &b, 0);
	KUNIT_EXPECT_PTR_EQ(test, b.arch, arch);
	/* With the copy of the data that a's sandbox wrote to. */
	KUNIT_EXPECT_PTR_EQ(test, b.data, data);
	KUNIT_EXPECT_EQ(test, sbm_call(&b, sbm_rt_state, 0), 0);
	KUNIT_EXPECT_EQ(test, sbm_call(&b, sbm_rt_read, copy), -EFAULT);
	KUNIT_EXPECT_EQ(test, b.fault.address, copy);
	arch = b.arch;
	sbm_destroy(&b);

	sbm_rt_init(test, &b, 0);
	KUNIT_EXPECT_PTR_EQ(test, b.arch, arch);
	KUNIT_EXPECT_EQ(test, sbm_call(&b, sbm_rt_read, heap), -EFAULT);
	KUNIT_EXPECT_EQ(test, b.fault.address, heap);
	sbm_destroy(&b);
}

static struct kunit_case sbm_runtime_cases[] = {
	KUNIT_CASE_PARAM(sbm_rt_heap, sbm_rt_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_rt_no_stale_state, sbm_rt_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_rt_log_format, sbm_rt_mode_gen_params),
	KUNIT_CASE_PARAM(sbm_rt_log_lies, sbm_rt_mode_gen_params),
	KUNIT_CASE(sbm_rt_log_tamed),
	KUNIT_CASE(sbm_rt_log_addresses),
	KUNIT_CASE(sbm_rt_heap_private),
	KUNIT_CASE(sbm_rt_heap_overflow),
	KUNIT_CASE(sbm_rt_reused_instance),
	KUNIT_CASE(sbm_rt_heap_redirect_test),
	KUNIT_CASE(sbm_rt_rodata),
	KUNIT_CASE(sbm_rt_data),
	{}
};

static struct kunit_suite sbm_runtime_suite = {
	.name = "sbm_runtime",
	.test_cases = sbm_runtime_cases,
};

kunit_test_suites(&sbm_runtime_suite);

MODULE_DESCRIPTION("KUnit tests for the SandBox Mode library runtime");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
