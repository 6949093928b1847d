/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Included first by every SandBox Mode library object (see Makefile): the
 * kernel services that library code calls are redirected to the sandbox
 * runtime, so that the sandboxed copies of a library compile unchanged.
 * Memory comes from the sandbox heap and messages go to the sandbox log;
 * nothing here can reach the kernel outside the sandbox.
 */
#ifndef __KERNEL_SBM_LIB_SANDBOX_H
#define __KERNEL_SBM_LIB_SANDBOX_H

/* Dynamic debug needs static keys and kernel calls: pr_debug() as without. */
#undef CONFIG_DYNAMIC_DEBUG
#undef CONFIG_DYNAMIC_DEBUG_CORE

#include <linux/bug.h>
#include <linux/gfp.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

/* heap.c */
void *sbm_heap_alloc(size_t size, bool zero);
void *sbm_heap_alloc_array(size_t n, size_t size, bool zero);
void sbm_heap_free(const void *p);

/* log.c */
__printf(1, 2) int sbm_log(const char *fmt, ...);

#undef kmalloc
#define kmalloc(size, gfp)		sbm_heap_alloc(size, (gfp) & __GFP_ZERO)
#undef kzalloc
#define kzalloc(size, gfp)		((void)(gfp), sbm_heap_alloc(size, true))
#undef kmalloc_array
#define kmalloc_array(n, size, gfp)	\
	sbm_heap_alloc_array(n, size, (gfp) & __GFP_ZERO)
#undef kcalloc
#define kcalloc(n, size, gfp)		((void)(gfp), sbm_heap_alloc_array(n, size, true))
#undef kvmalloc
#define kvmalloc(size, gfp)		sbm_heap_alloc(size, (gfp) & __GFP_ZERO)
#undef kvzalloc
#define kvzalloc(size, gfp)		((void)(gfp), sbm_heap_alloc(size, true))
#undef vmalloc
#define vmalloc(size)			sbm_heap_alloc(size, false)
#undef vzalloc
#define vzalloc(size)			sbm_heap_alloc(size, true)
#define kfree(p)			sbm_heap_free(p)
#define kvfree(p)			sbm_heap_free(p)
#define vfree(p)			sbm_heap_free(p)

/* printk() and its kin end in _printk(): the log instead, no index. */
#define _printk				sbm_log
#undef __printk_index_emit
#define __printk_index_emit(...)	do { } while (0)
#undef printk_once
#define printk_once(fmt, ...)		_printk(fmt, ##__VA_ARGS__)
#undef printk_ratelimited
#define printk_ratelimited(fmt, ...)	_printk(fmt, ##__VA_ARGS__)

#endif /* __KERNEL_SBM_LIB_SANDBOX_H */
