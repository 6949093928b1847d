// SPDX-License-Identifier: GPL-2.0
/*
 * SandBox Mode (SBM) core: buffer management and weak isolation.
 *
 * Every buffer handed to a sandbox is copied into its own vmalloc area.
 * The copy is placed at the very end of the area, so the guard page that
 * vmalloc leaves behind every area catches the first byte written or read
 * past the end. The page before the area is never mapped either: it is
 * the guard page of the previous area or a hole. Architectures that
 * implement the arch_sbm_*() hooks add strong isolation on top of this.
 */

#define pr_fmt(fmt) "sbm: " fmt

#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sbm.h>
#include <linux/sched/clock.h>
#include <linux/shrinker.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>
#include <asm/sections.h>

#define CREATE_TRACE_POINTS
#include <trace/events/sbm.h>

#include "sbm_internal.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "sbm."

static bool sbm_force_weak __ro_after_init;

static unsigned int sbm_timeout_ms = 1000;
module_param_named(timeout_ms, sbm_timeout_ms, uint, 0644);
MODULE_PARM_DESC(timeout_ms,
		 "Default CPU time budget of one sbm_call() in ms (0: none)");

atomic_long_t sbm_stat_instances = ATOMIC_LONG_INIT(0);
EXPORT_SYMBOL_IF_KUNIT(sbm_stat_instances);
atomic_long_t sbm_stat_buffers = ATOMIC_LONG_INIT(0);
EXPORT_SYMBOL_IF_KUNIT(sbm_stat_buffers);
atomic_long_t sbm_stat_spares = ATOMIC_LONG_INIT(0);
EXPORT_SYMBOL_IF_KUNIT(sbm_stat_spares);

/*
 * An instance keeps the areas of up to SBM_SPARES buffers of its last
 * call, none larger than SBM_SPARE_MAX_SIZE, for a later buffer of the
 * same area size: most callers pass buffers of the same sizes on every
 * call, and vmalloc() and vfree() cost more than the call itself.
 */
#define SBM_SPARES		4
#define SBM_SPARE_MAX_SIZE	SZ_4M

/*
 * The spare areas of destroyed instances wait in a cache that all
 * instances share, up to SBM_CACHE_SIZE bytes: the seed API's pattern
 * (sbm_init(), buffers, sbm_call(), sbm_destroy()) would otherwise
 * vmalloc() and vfree() every area on every call. Nothing passes from one
 * instance to the next through an area: it is refilled before each use,
 * or all zeroes (see sbm_wipe_spare()).
 */
#define SBM_CACHE_SIZE		SZ_8M

static LIST_HEAD(sbm_cache);
static size_t sbm_cache_bytes;
static DEFINE_SPINLOCK(sbm_cache_lock);

static int __init sbm_setup(char *str)
{
	if (!str)
		return -EINVAL;
	if (!strcmp(str, "weak"))
		sbm_force_weak = true;
	else if (strcmp(str, "strong"))
		pr_warn("unknown sbm= option '%s' ignored\n", str);
	return 0;
}
early_param("sbm", sbm_setup);

/**
 * sbm_strong_available() - check whether new instances get strong isolation
 *
 * Return: true unless strong isolation is unsupported or disabled with
 * ``sbm=weak``.
 */
bool sbm_strong_available(void)
{
	return IS_ENABLED(CONFIG_HAVE_ARCH_SBM) && !sbm_force_weak &&
	       arch_sbm_available();
}
EXPORT_SYMBOL_GPL(sbm_strong_available);

static void sbm_set_error(struct sbm *sbm, int err)
{
	if (!sbm->error)
		sbm->error = err;
}

/**
 * __sbm_init() - initialize an SBM instance with a chosen isolation level
 * @sbm:	SBM instance
 * @strong:	request strong isolation; ignored if it is unavailable
 *
 * Return: 0 on success, or a negative errno (also kept in @sbm).
 */
int __sbm_init(struct sbm *sbm, bool strong)
{
	int err;

	if (!sbm)
		return -EINVAL;
	memset(sbm, 0, sizeof(*sbm));
	INIT_LIST_HEAD(&sbm->bufs);
	INIT_LIST_HEAD(&sbm->spare);
	INIT_LIST_HEAD(&sbm->kept);
	sbm->timeout_ns = (u64)READ_ONCE(sbm_timeout_ms) * NSEC_PER_MSEC;
	sbm->fault.vector = -1;
	sbm->strong = strong && sbm_strong_available();
	if (sbm->strong) {
		err = arch_sbm_init(sbm);
		if (err) {
			sbm->strong = false;
			sbm->error = err;
		}
	}
	/* Counted even on failure: sbm_destroy() is called either way. */
	atomic_long_inc(&sbm_stat_instances);
	return sbm->error;
}
EXPORT_SYMBOL_IF_KUNIT(__sbm_init);

/**
 * sbm_init() - initialize an SBM instance
 * @sbm:	SBM instance
 *
 * Uses strong isolation where the architecture provides it and it was not
 * disabled with ``sbm=weak``. On failure the error is also kept in @sbm,
 * so sbm_call() fails with it and sbm_destroy() is still safe to call.
 *
 * Return: 0 on success, or a negative errno (-EINVAL if @sbm is %NULL).
 */
int sbm_init(struct sbm *sbm)
{
	return __sbm_init(sbm, true);
}
EXPORT_SYMBOL_GPL(sbm_init);

VISIBLE_IF_KUNIT void *sbm_alloc_area(size_t size)
{
	KUNIT_STATIC_STUB_REDIRECT(sbm_alloc_area, size);
	if (sbm_fail_alloc())
		return NULL;
	return __vmalloc(size, GFP_KERNEL_ACCOUNT);
}
EXPORT_SYMBOL_IF_KUNIT(sbm_alloc_area);

static void sbm_free_area(struct sbm_buf *buf)
{
	list_del(&buf->list);
	vfree(buf->area);
	kfree(buf);
}

/*
 * What of a spare area is still zeroes, with strong isolation. The area
 * of an output buffer held zeroes where the sandbox did not write, and
 * nothing else was written to it: the architecture knows which pages the
 * sandbox wrote (see arch_sbm_reset()), and wiping only those leaves the
 * area zeroed for its next use. The sandbox cannot write to an input at
 * all, so what was zeroed before the copy still is.
 */
static void sbm_wipe_spare(struct sbm *sbm, struct sbm_buf *buf)
{
	buf->zero_head = 0;
	if (!sbm->strong)
		return;
	if (buf->flags == SBM_BUF_IN) {
		buf->zero_head = buf->area_size - buf->size;
	} else if (buf->flags == SBM_BUF_OUT) {
		arch_sbm_reset(sbm, (unsigned long)buf->sbm_addr -
			       (buf->data - buf->area), buf->area,
			       buf->area_size, NULL);
		buf->zero_head = buf->area_size;
	}
}

/* Zero the first @len bytes of the area of @buf, but what still is. */
static void sbm_zero_head(struct sbm_buf *buf, size_t len)
{
	if (buf->zero_head < len)
		memset(buf->area + buf->zero_head, 0, len - buf->zero_head);
}

/* How many spare areas @sbm keeps. */
static unsigned int sbm_count_spares(struct sbm *sbm)
{
	struct sbm_buf *buf;
	unsigned int n = 0;

	list_for_each_entry(buf, &sbm->spare, list)
		n++;
	return n;
}

/*
 * Keep the area of @buf as a spare if there is room for it (@spares kept
 * so far); return whether it was kept.
 */
static bool sbm_keep_spare(struct sbm *sbm, struct sbm_buf *buf,
			   unsigned int *spares)
{
	if (*spares >= SBM_SPARES || buf->area_size > SBM_SPARE_MAX_SIZE)
		return false;
	list_move(&buf->list, &sbm->spare);
	atomic_long_inc(&sbm_stat_spares);
	(*spares)++;
	return true;
}

/* Release the buffers of a call; keep some areas for the next one. */
static __sbm_hot void sbm_release_bufs(struct sbm *sbm)
{
	unsigned int spares = sbm_count_spares(sbm);
	struct sbm_buf *buf, *tmp;

	/* Still mapped: the architecture reads what the sandbox wrote. */
	list_for_each_entry_safe(buf, tmp, &sbm->bufs, list) {
		atomic_long_dec(&sbm_stat_buffers);
		if (sbm->error)
			continue;
		if (buf->flags & SBM_BUF_KEEP)
			/* Read in place until the next call; filled anew after. */
			list_move(&buf->list, &sbm->kept);
		else if (sbm_keep_spare(sbm, buf, &spares))
			sbm_wipe_spare(sbm, buf);
	}
	if (sbm->strong)
		arch_sbm_unmap_bufs(sbm);
	list_for_each_entry_safe(buf, tmp, &sbm->bufs, list)
		sbm_free_area(buf);
}

/* The outputs of the last call that the caller read in place are spares. */
static __sbm_hot void sbm_drop_kept(struct sbm *sbm)
{
	struct sbm_buf *buf, *tmp;
	unsigned int spares;

	if (list_empty(&sbm->kept))
		return;
	spares = sbm_count_spares(sbm);
	list_for_each_entry_safe(buf, tmp, &sbm->kept, list)
		if (!sbm_keep_spare(sbm, buf, &spares))
			sbm_free_area(buf);
}

/*
 * An area of exactly @area_size bytes in @list, or %NULL: a zeroed one
 * for an output buffer (@flags), which then needs no filling, and one
 * that is not for an input, which is filled anyway.
 */
static struct sbm_buf *sbm_find_area(struct list_head *list, size_t area_size,
				     unsigned int flags)
{
	bool zeroed = !(flags & SBM_BUF_IN);
	struct sbm_buf *buf, *found = NULL;

	list_for_each_entry(buf, list, list) {
		bool all_zero = buf->zero_head == area_size;

		if (buf->area_size != area_size)
			continue;
		if (all_zero == zeroed)
			return buf;
		found = found ?: buf;
	}
	return found;
}

/* A spare area of the instance, see sbm_find_area(). */
static struct sbm_buf *sbm_take_spare(struct sbm *sbm, size_t area_size,
				      unsigned int flags)
{
	struct sbm_buf *buf = sbm_find_area(&sbm->spare, area_size, flags);

	if (buf) {
		list_del(&buf->list);
		atomic_long_dec(&sbm_stat_spares);
	}
	return buf;
}

/* An area of @area_size bytes from the cache, or a new one, or %NULL. */
static struct sbm_buf *sbm_new_area(size_t area_size, unsigned int flags)
{
	struct sbm_buf *buf;

	/* Fault injection fails a hit in the cache as the allocation it saves. */
	if (sbm_fail_alloc())
		return NULL;
	spin_lock(&sbm_cache_lock);
	buf = sbm_find_area(&sbm_cache, area_size, flags);
	if (buf) {
		list_del(&buf->list);
		sbm_cache_bytes -= area_size;
	}
	spin_unlock(&sbm_cache_lock);
	if (buf)
		return buf;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return NULL;
	buf->area_size = area_size;
	buf->area = sbm_alloc_area(area_size);
	if (!buf->area) {
		kfree(buf);
		return NULL;
	}
	return buf;
}

/* Keep the spare area @buf in the cache, or free it if that is full. */
static void sbm_cache_put(struct sbm_buf *buf)
{
	bool kept = false;

	spin_lock(&sbm_cache_lock);
	if (sbm_cache_bytes + buf->area_size <= SBM_CACHE_SIZE) {
		list_move(&buf->list, &sbm_cache);
		sbm_cache_bytes += buf->area_size;
		kept = true;
	}
	spin_unlock(&sbm_cache_lock);
	if (!kept)
		sbm_free_area(buf);
}

/**
 * sbm_cache_drain() - free the areas in the cache
 *
 * Return: the number of bytes freed.
 */
VISIBLE_IF_KUNIT size_t sbm_cache_drain(void)
{
	struct sbm_buf *buf, *tmp;
	size_t freed;
	LIST_HEAD(list);

	spin_lock(&sbm_cache_lock);
	list_splice_init(&sbm_cache, &list);
	freed = sbm_cache_bytes;
	sbm_cache_bytes = 0;
	spin_unlock(&sbm_cache_lock);
	list_for_each_entry_safe(buf, tmp, &list, list)
		sbm_free_area(buf);
	return freed;
}
EXPORT_SYMBOL_IF_KUNIT(sbm_cache_drain);

/* Under memory pressure, the cache goes. */
static unsigned long sbm_cache_count(struct shrinker *shrinker,
				     struct shrink_control *sc)
{
	return (READ_ONCE(sbm_cache_bytes) >> PAGE_SHIFT) ?: SHRINK_EMPTY;
}

static unsigned long sbm_cache_scan(struct shrinker *shrinker,
				    struct shrink_control *sc)
{
	return sbm_cache_drain() >> PAGE_SHIFT;
}

static int __init sbm_cache_init(void)
{
	struct shrinker *shrinker = shrinker_alloc(0, "sbm-areas");

	if (!shrinker)
		return -ENOMEM;
	shrinker->count_objects = sbm_cache_count;
	shrinker->scan_objects = sbm_cache_scan;
	shrinker_register(shrinker);
	return 0;
}
late_initcall(sbm_cache_init);

/**
 * sbm_destroy() - release all resources of an SBM instance
 * @sbm:	SBM instance
 *
 * Buffers added but not consumed by sbm_call() are dropped without being
 * copied back.
 */
void sbm_destroy(struct sbm *sbm)
{
	struct sbm_buf *buf, *tmp;

	if (!sbm)
		return;
	sbm_release_bufs(sbm);
	sbm_drop_kept(sbm);
	list_for_each_entry_safe(buf, tmp, &sbm->spare, list) {
		atomic_long_dec(&sbm_stat_spares);
		sbm_cache_put(buf);
	}
	if (sbm->strong) {
		arch_sbm_destroy(sbm);
		sbm->strong = false;
	}
	sbm_lib_destroy(sbm);
	if (sbm->error != -EBADF)
		atomic_long_dec(&sbm_stat_instances);
	/* Any later use fails instead of touching freed state. */
	sbm->error = -EBADF;
}
EXPORT_SYMBOL_GPL(sbm_destroy);

/*
 * A buffer of @size bytes for the next call, on @sbm->bufs, its area not
 * filled yet; %NULL on error, which is recorded in @sbm.
 */
static struct sbm_buf *sbm_get_buf(struct sbm *sbm, const void *orig,
				   size_t size, unsigned int flags)
{
	struct sbm_buf *sbuf;

	if (size > SBM_MAX_BUF_SIZE) {
		sbm_set_error(sbm, -E2BIG);
		return NULL;
	}
	sbm_drop_kept(sbm);
	sbuf = sbm_take_spare(sbm, PAGE_ALIGN(size), flags) ?:
	       sbm_new_area(PAGE_ALIGN(size), flags);
	if (!sbuf) {
		sbm_set_error(sbm, -ENOMEM);
		return NULL;
	}
	sbuf->orig = (void *)orig;
	sbuf->size = size;
	sbuf->flags = flags;
	sbuf->data = sbuf->area + sbuf->area_size - size;
	sbuf->sbm_addr = sbuf->data;
	list_add_tail(&sbuf->list, &sbm->bufs);
	atomic_long_inc(&sbm_stat_buffers);
	return sbuf;
}

/* Map a filled buffer; return its address for the sandbox, or %NULL. */
static void *sbm_map_buf(struct sbm *sbm, struct sbm_buf *sbuf)
{
	int err;

	sbuf->zero_head = 0;
	if (sbm->strong) {
		err = arch_sbm_map_buf(sbm, sbuf);
		if (err) {
			sbm_set_error(sbm, err);
			return NULL;
		}
	}
	return sbuf->sbm_addr;
}

/**
 * sbm_add_buf() - prepare a buffer for the next sbm_call()
 * @sbm:	SBM instance
 * @buf:	the caller's buffer; %NULL with %SBM_BUF_KEEP
 * @size:	size of @buf in bytes, at most %SBM_MAX_BUF_SIZE
 * @flags:	%SBM_BUF_IN, %SBM_BUF_OUT, %SBM_BUF_INOUT, or
 *		%SBM_BUF_OUT | %SBM_BUF_KEEP
 *
 * Use SBM_COPY_IN(), SBM_COPY_OUT(), SBM_COPY_INOUT() or SBM_OUT_KEEP()
 * instead of calling this directly. Errors are sticky: once one happened,
 * this does nothing.
 *
 * Return: the address of the copy for the sandbox, or %NULL on error.
 */
void *sbm_add_buf(struct sbm *sbm, const void *buf, size_t size,
		  unsigned int flags)
{
	struct sbm_buf *sbuf;
	bool keep = flags & SBM_BUF_KEEP;

	/* Not while another CPU is in a call of @sbm: see __sbm_call(). */
	if (!sbm || sbm->error || atomic_read(&sbm->busy))
		return NULL;
	if (!size || !flags || (flags & ~(SBM_BUF_INOUT | SBM_BUF_KEEP)) ||
	    (keep ? buf || flags != (SBM_BUF_OUT | SBM_BUF_KEEP) : !buf)) {
		sbm_set_error(sbm, -EINVAL);
		return NULL;
	}
	sbuf = sbm_get_buf(sbm, buf, size, flags);
	if (!sbuf)
		return NULL;

	/*
	 * Fill every byte once; the sandbox must see no stale memory. What
	 * of a spare area is zeroes already needs no filling.
	 */
	if (flags & SBM_BUF_IN) {
		sbm_zero_head(sbuf, sbuf->area_size - size);
		memcpy(sbuf->data, buf, size);
	} else {
		sbm_zero_head(sbuf, sbuf->area_size);
	}
	return sbm_map_buf(sbm, sbuf);
}
EXPORT_SYMBOL_GPL(sbm_add_buf);

/**
 * sbm_add_buf_iter() - prepare an input from an iov_iter for the next call
 * @sbm:	SBM instance
 * @iter:	the source, advanced by @size
 * @size:	bytes to copy, at most %SBM_MAX_BUF_SIZE
 *
 * Use SBM_COPY_IN_ITER(). Errors are sticky, as for sbm_add_buf(); an
 * @iter with fewer than @size bytes is -EFAULT.
 *
 * Return: the address of the copy for the sandbox, or %NULL on error.
 */
void *sbm_add_buf_iter(struct sbm *sbm, struct iov_iter *iter, size_t size)
{
	struct sbm_buf *sbuf;

	if (!sbm || sbm->error || atomic_read(&sbm->busy))
		return NULL;
	if (!iter || !size) {
		sbm_set_error(sbm, -EINVAL);
		return NULL;
	}
	sbuf = sbm_get_buf(sbm, NULL, size, SBM_BUF_IN);
	if (!sbuf)
		return NULL;
	sbm_zero_head(sbuf, sbuf->area_size - size);
	if (copy_from_iter(sbuf->data, size, iter) != size) {
		sbm_set_error(sbm, -EFAULT);
		return NULL;
	}
	return sbm_map_buf(sbm, sbuf);
}
EXPORT_SYMBOL_GPL(sbm_add_buf_iter);

/**
 * sbm_out_data() - the output of the last call, read in place
 * @sbm:	SBM instance
 * @sbm_addr:	what SBM_OUT_KEEP() returned for that call
 *
 * The output is what the sandboxed function left there: untrusted data,
 * to be validated as any output. The sandbox can no longer change it.
 *
 * Return: the kernel address of the output, valid until the next
 * sbm_add_buf(), sbm_add_buf_iter(), sbm_call() or sbm_destroy() of @sbm;
 * %NULL if the call failed, or if @sbm_addr is no such output of it.
 */
const void *sbm_out_data(struct sbm *sbm, const void *sbm_addr)
{
	struct sbm_buf *buf;

	if (!sbm || !sbm_addr)
		return NULL;
	list_for_each_entry(buf, &sbm->kept, list)
		if (buf->sbm_addr == sbm_addr)
			return buf->data;
	return NULL;
}
EXPORT_SYMBOL_GPL(sbm_out_data);

/*
 * How many modules have gone: a module sandbox code range that an
 * instance remembers (&sbm.mod_text) is still that module's as long as
 * this has not changed since it was looked up.
 */
static atomic_long_t sbm_mod_gen __read_mostly = ATOMIC_LONG_INIT(0);

VISIBLE_IF_KUNIT int sbm_module_notify(struct notifier_block *nb,
				       unsigned long action, void *data)
{
	if (action == MODULE_STATE_GOING)
		atomic_long_inc(&sbm_mod_gen);
	return NOTIFY_DONE;
}
EXPORT_SYMBOL_IF_KUNIT(sbm_module_notify);

static struct notifier_block sbm_module_nb = {
	.notifier_call = sbm_module_notify,
};

static int __init sbm_module_init(void)
{
	return register_module_notifier(&sbm_module_nb);
}
core_initcall(sbm_module_init);

/*
 * Is @func in .sbm.text, of vmlinux or of a module? For a module, its
 * sandbox code range lands in @sbm->mod_text: the next call of code
 * there, the usual case, needs no module lookup. The generation is read
 * first: a module that goes after this is seen by the next call.
 */
static __sbm_hot bool sbm_is_sandbox_code(struct sbm *sbm, const void *func)
{
	unsigned long addr = (unsigned long)func;
	unsigned long gen = atomic_long_read(&sbm_mod_gen);
	struct module *mod;
	bool ret;

	if (addr >= (unsigned long)__sbm_text_start &&
	    addr < (unsigned long)__sbm_text_end)
		return true;
	if (sbm->mod_gen == gen &&
	    addr - sbm->mod_text[0] < sbm->mod_text[1] - sbm->mod_text[0])
		return true;
	preempt_disable();
	mod = __module_text_address(addr);
	ret = mod && addr - (unsigned long)mod->sbm_text_start < mod->sbm_text_size;
	if (ret) {
		sbm->mod_text[0] = (unsigned long)mod->sbm_text_start;
		sbm->mod_text[1] = sbm->mod_text[0] + mod->sbm_text_size;
		sbm->mod_gen = gen;
	}
	preempt_enable();
	return ret;
}

typedef int (*sbm_func6_t)(unsigned long, unsigned long, unsigned long,
			   unsigned long, unsigned long, unsigned long);

/*
 * Weak isolation: call the function directly on the copies. All supported
 * ABIs let a caller pass more register arguments than the callee uses, so
 * one call with six arguments serves every arity. The function type does
 * not match the callee's, hence no CFI check.
 */
static __nocfi int sbm_call_direct(void *func, const unsigned long *args,
				   unsigned int nargs)
{
	unsigned long a[SBM_MAX_ARGS] = { 0 };

	memcpy(a, args, nargs * sizeof(*args));
	return ((sbm_func6_t)func)(a[0], a[1], a[2], a[3], a[4], a[5]);
}

/*
 * The function that a call of @func runs: @func, but where the sbm_hostile
 * tests swap in an adversarial one, in their own thread (a static stub),
 * to forge what a subverted sandbox could return to a user.
 */
VISIBLE_IF_KUNIT __sbm_hot void *sbm_hostile_func(void *func)
{
	KUNIT_STATIC_STUB_REDIRECT(sbm_hostile_func, func);
	return func;
}
EXPORT_SYMBOL_IF_KUNIT(sbm_hostile_func);

/**
 * __sbm_call() - run a sandboxed function (backend of sbm_call())
 * @sbm:	SBM instance
 * @func:	function defined with SBM_DEFINE_FUNC()
 * @args:	arguments of @func
 * @nargs:	number of arguments, at most %SBM_MAX_ARGS
 *
 * Return: see sbm_call().
 */
__sbm_hot int __sbm_call(struct sbm *sbm, void *func,
			 const unsigned long *args, unsigned int nargs)
{
	struct sbm_buf *buf;
	int ret = 0, err;
	u64 start;

	if (!sbm)
		return -EINVAL;
	/*
	 * One call at a time: two CPUs in one instance would share its
	 * stack, transition page and buffers. The call that runs keeps
	 * its state; this one fails and changes nothing.
	 */
	if (atomic_cmpxchg_acquire(&sbm->busy, 0, 1))
		return -EBUSY;
	sbm_drop_kept(sbm);
	func = sbm_hostile_func(func);
	if (!func || nargs > SBM_MAX_ARGS)
		sbm_set_error(sbm, -EINVAL);
	if (sbm->error)
		goto out;
	if (!sbm_is_sandbox_code(sbm, func)) {
		pr_warn_ratelimited("%ps is not sandbox code (use SBM_DEFINE_FUNC)\n",
				    func);
		sbm_set_error(sbm, -EINVAL);
		goto out;
	}

	might_sleep();
	err = sbm_lib_prepare(sbm);
	if (err) {
		sbm_set_error(sbm, err);
		goto out;
	}
	trace_sbm_enter(func, sbm->strong);
	sbm->exits = 0;
	/* As tracers time events: cheap, and close enough across CPUs. */
	start = local_clock();
	if (sbm->strong)
		err = arch_sbm_exec(sbm, func, args, nargs, &ret);
	else
		ret = sbm_call_direct(func, args, nargs);
	sbm_lib_finish(sbm, func);
	if (err && sbm->fault.vector >= 0)
		trace_sbm_fault(func, sbm->fault.vector, sbm->fault.error_code,
				sbm->fault.ip, sbm->fault.address);
	if (err) {
		sbm_set_error(sbm, err);
		goto traced;
	}

	list_for_each_entry(buf, &sbm->bufs, list)
		if ((buf->flags & SBM_BUF_OUT) && !(buf->flags & SBM_BUF_KEEP))
			memcpy(buf->orig, buf->data, buf->size);
traced:
	start = local_clock() - start;
	trace_sbm_exit(func, sbm->error ?: ret, sbm->error, start, sbm->exits);
	sbm_stats_account(func, sbm->error, sbm->fault.vector, start);
out:
	sbm_release_bufs(sbm);
	ret = sbm->error ?: ret;
	atomic_set_release(&sbm->busy, 0);
	return ret;
}
EXPORT_SYMBOL_GPL(__sbm_call);

bool __weak arch_sbm_available(void)
{
	return false;
}

unsigned long __weak arch_sbm_image_addr(unsigned long addr)
{
	return addr;
}

/* Where sandboxed code of @sbm sees @addr of a sandbox section. */
unsigned long sbm_image_addr(const struct sbm *sbm, const void *addr)
{
	return sbm->strong ? arch_sbm_image_addr((unsigned long)addr) :
	       (unsigned long)addr;
}
EXPORT_SYMBOL_IF_KUNIT(sbm_image_addr);

int __weak arch_sbm_init(struct sbm *sbm)
{
	return -EOPNOTSUPP;
}

void __weak arch_sbm_destroy(struct sbm *sbm)
{
}

int __weak arch_sbm_map_buf(struct sbm *sbm, struct sbm_buf *buf)
{
	return -EOPNOTSUPP;
}

int __weak arch_sbm_map_data(struct sbm *sbm)
{
	return -EOPNOTSUPP;
}

int __weak arch_sbm_map_heap(struct sbm *sbm)
{
	return -EOPNOTSUPP;
}

void __weak arch_sbm_unmap_bufs(struct sbm *sbm)
{
}

void __weak arch_sbm_reset(struct sbm *sbm, unsigned long sbm_addr, void *area,
			   size_t size, const void *pristine)
{
	if (pristine)
		memcpy(area, pristine, size);
	else
		memset(area, 0, size);
}

int __weak arch_sbm_exec(struct sbm *sbm, void *func,
			 const unsigned long *args, unsigned int nargs,
			 int *result)
{
	return -EOPNOTSUPP;
}

static int __init sbm_report(void)
{
	pr_info("SandBox Mode: %s isolation\n",
		sbm_strong_available() ? "strong" : "weak");
	return 0;
}
late_initcall(sbm_report);
