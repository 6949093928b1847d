// SPDX-License-Identifier: GPL-2.0
/*
 * SandBox Mode: the kernel side of the sandbox library runtime.
 *
 * Sandbox library code (kernel/sbm/lib/) may have writable globals, in
 * .sbm.data. Every call sees them as they are in the kernel image: with
 * strong isolation, each instance maps a private copy that is reset from
 * a pristine template before every call; with weak isolation, the one
 * global copy is reset, and calls are serialized. The heap arena of an
 * instance is handed to the runtime before each call and wiped after it.
 * After each call, the messages that sandboxed code logged are printed,
 * rate-limited, sanitized and prefixed with the sandboxed function.
 */

#define pr_fmt(fmt) "sbm: " fmt

#include <kunit/visibility.h>
#include <linux/ctype.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/sbm.h>
#include <linux/sbm_lib.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/sections.h>

#include "lib/runtime.h"
#include "sbm_internal.h"

static void *sbm_data_template __ro_after_init;
static DEFINE_MUTEX(sbm_weak_lock);

static size_t sbm_data_size(void)
{
	return __sbm_data_end - __sbm_data_start;
}

/* The runtime state as the kernel sees the copy that @sbm uses. */
static struct sbm_runtime *sbm_runtime_of(struct sbm *sbm)
{
	if (!sbm->strong)
		return &SBM_LIB(runtime);
	return sbm->data + ((char *)&SBM_LIB(runtime) - __sbm_data_start);
}

/**
 * sbm_lib_prepare() - set up the sandbox library runtime for a call
 * @sbm:	SBM instance
 *
 * Return: 0 or a negative errno. On success, sbm_lib_finish() must
 * follow the call.
 */
__sbm_hot int sbm_lib_prepare(struct sbm *sbm)
{
	size_t size = sbm_data_size();
	struct sbm_runtime *rt;
	int err;

	if (!sbm_data_template)
		return -ENOMEM;
	if (sbm->strong && !sbm->data) {
		sbm->data = sbm_fail_alloc() ? NULL :
			    __vmalloc(size, GFP_KERNEL_ACCOUNT);
		if (!sbm->data)
			return -ENOMEM;
		memcpy(sbm->data, sbm_data_template, size);
		err = arch_sbm_map_data(sbm);
		if (err)
			return err;
	} else if (sbm->strong) {
		/* Only what the last call wrote needs restoring. */
		arch_sbm_reset(sbm, sbm_image_addr(sbm, __sbm_data_start),
			       sbm->data, size, sbm_data_template);
	} else {
		mutex_lock(&sbm_weak_lock);
		memcpy(__sbm_data_start, sbm_data_template, size);
	}
	rt = sbm_runtime_of(sbm);
	rt->heap = sbm->heap ? sbm->heap_addr : 0;
	rt->heap_size = sbm->heap_size;
	return 0;
}

static __printf(2, 3) void sbm_lib_printk(int level, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vprintk_emit(0, level, NULL, fmt, args);
	va_end(args);
}

/*
 * Mask what looks like a kernel address in @line: 16 hexadecimal digits
 * from "ffff" on, or 20 decimal digits from "1844" on (the upper half,
 * printed with %lu).
 * A subverted sandbox knows kernel addresses (its code runs at them) and
 * could otherwise print them into the kernel log; other encodings remain
 * possible, which is why the log is rate-limited and capped.
 */
static void sbm_lib_mask_addresses(char *line)
{
	char *p = line, *q;

	while (*p) {
		if (!isxdigit(*p)) {
			p++;
			continue;
		}
		for (q = p; isxdigit(*q); q++)
			;
		if ((q - p >= 16 && !strncasecmp(p, "ffff", 4)) ||
		    (q - p == 20 && strspn(p, "0123456789") == 20 &&
		     !strncmp(p, "1844", 4)))
			memset(p, 'X', q - p);
		p = q;
	}
}

/**
 * sbm_lib_log_line() - take one line out of the log of a sandbox
 * @log:	the log; nothing in it is trusted
 * @len:	its length, at most %SBM_LOG_SIZE
 * @pos:	where the line starts; moved past its end
 * @line:	the line without its newline, truncated to fit, with every
 *		byte that is neither printable ASCII nor a tab replaced by '?',
 *		and digits that look like a kernel address by 'X'
 * @size:	size of @line, at least 1
 *
 * Return: the printk level of the line: the one it asks for, but never
 * more severe than a warning, which is also the default.
 */
VISIBLE_IF_KUNIT int sbm_lib_log_line(const char *log, size_t len,
				      size_t *pos, char *line, size_t size)
{
	int level = LOGLEVEL_WARNING;
	size_t i = *pos, n = 0;

	if (i + 1 < len && log[i] == KERN_SOH_ASCII &&
	    log[i + 1] >= '0' && log[i + 1] <= '7') {
		level = max(log[i + 1] - '0', LOGLEVEL_WARNING);
		i += 2;
	}
	for (; i < len && log[i] != '\n'; i++) {
		char c = log[i];

		if (n + 1 < size)
			line[n++] = (c == '\t' || (c >= ' ' && c <= '~')) ? c : '?';
	}
	line[n] = 0;
	sbm_lib_mask_addresses(line);
	*pos = i + 1;
	return level;
}
EXPORT_SYMBOL_IF_KUNIT(sbm_lib_log_line);

/* Print the log of one call. */
static __sbm_hot void sbm_lib_print_log(void *func,
					const struct sbm_runtime *rt)
{
	size_t len = min_t(unsigned long, READ_ONCE(rt->log_len), SBM_LOG_SIZE);
	unsigned long lost = READ_ONCE(rt->log_lost);
	size_t pos = 0;
	char line[160];
	int level;

	/* Per function: one flood does not hide other functions' logs. */
	while (pos < len) {
		level = sbm_lib_log_line(rt->log, len, &pos, line, sizeof(line));
		if (sbm_ratelimit(func, SBM_RATELIMIT_LOG))
			sbm_lib_printk(level, "sbm: %ps: %s\n", func, line);
	}
	if (lost && sbm_ratelimit(func, SBM_RATELIMIT_LOG))
		pr_warn("%ps: %lu bytes of messages lost\n", func, lost);
}

/**
 * sbm_lib_finish() - print the log of a call and wipe its heap
 * @sbm:	SBM instance
 * @func:	the sandboxed function
 */
__sbm_hot void sbm_lib_finish(struct sbm *sbm, void *func)
{
	sbm_lib_print_log(func, sbm_runtime_of(sbm));
	if (!sbm->strong)
		mutex_unlock(&sbm_weak_lock);
	if (sbm->heap && sbm->strong)
		arch_sbm_reset(sbm, sbm->heap_addr, sbm->heap, sbm->heap_size,
			       NULL);
	else if (sbm->heap)
		memset(sbm->heap, 0, sbm->heap_size);
}

/**
 * sbm_init_heap() - give an instance a heap for sandbox library code
 * @sbm:	SBM instance
 * @size:	size of the heap in bytes, at most %SBM_MAX_BUF_SIZE
 *
 * kmalloc(), vmalloc() and their kin in sandboxed library code allocate
 * from this heap; when it is exhausted, they return %NULL. The heap is
 * mapped only into this instance, and wiped after every call. Errors are
 * sticky, as for the buffer macros.
 *
 * Return: 0 or a negative errno: -EBUSY if the instance has a heap
 * already, -E2BIG if @size is too large, -ENOMEM.
 */
int sbm_init_heap(struct sbm *sbm, size_t size)
{
	int err;

	if (!sbm)
		return -EINVAL;
	if (sbm->error)
		return sbm->error;
	if (sbm->heap)
		err = -EBUSY;
	else if (!size)
		err = -EINVAL;
	else if (size > SBM_MAX_BUF_SIZE)
		err = -E2BIG;
	else
		err = 0;
	if (!err) {
		sbm->heap_size = PAGE_ALIGN(size);
		sbm->heap = sbm_fail_alloc() ? NULL :
			    __vmalloc(sbm->heap_size,
				      GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!sbm->heap)
			err = -ENOMEM;
		else if (sbm->strong)
			err = arch_sbm_map_heap(sbm);
		else
			sbm->heap_addr = (unsigned long)sbm->heap;
	}
	if (err && !sbm->error)
		sbm->error = err;
	return err;
}
EXPORT_SYMBOL_GPL(sbm_init_heap);

/* Release what sbm_lib_prepare() and sbm_init_heap() allocated. */
void sbm_lib_destroy(struct sbm *sbm)
{
	vfree(sbm->data);
	sbm->data = NULL;
	vfree(sbm->heap);
	sbm->heap = NULL;
	sbm->heap_size = 0;
}

/* Entry points of the sandboxed libraries, for modular users. */
#ifdef CONFIG_SANDBOX_MODE_LZ4
EXPORT_SYMBOL_GPL(SBM_LIB(decompress_lz4));
#endif
#ifdef CONFIG_SANDBOX_MODE_ZSTD
EXPORT_SYMBOL_GPL(SBM_LIB(decompress_zstd));
#endif
#ifdef CONFIG_SANDBOX_MODE_XZ
EXPORT_SYMBOL_GPL(SBM_LIB(decompress_xz));
#endif

static int __init sbm_lib_init(void)
{
	/* Without it, every call fails with -ENOMEM. */
	sbm_data_template = kmemdup(__sbm_data_start, sbm_data_size(),
				    GFP_KERNEL);
	return 0;
}
pure_initcall(sbm_lib_init);
