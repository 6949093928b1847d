/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SandBox Mode library runtime: what the kernel and the sandbox side of
 * the runtime share. The structure lives in the sandbox's private data
 * (.sbm.data); the kernel fills in the heap before every call and reads
 * the log afterwards, treating everything in it as untrusted.
 */
#ifndef __KERNEL_SBM_LIB_RUNTIME_H
#define __KERNEL_SBM_LIB_RUNTIME_H

#include <linux/sbm_lib.h>
#include <linux/types.h>

/* Size of the per-call log of sandboxed code. */
#define SBM_LOG_SIZE	2048

/**
 * struct sbm_runtime - state of the sandbox runtime for one call
 * @heap:	start of the heap arena, as the sandbox sees it, or 0
 * @heap_size:	size of the heap arena in bytes
 * @heap_brk:	bytes of the arena handed out so far (sandbox side)
 * @heap_last:	offset of the most recent allocation, for freeing it
 * @log_len:	bytes written to @log (sandbox side)
 * @log_lost:	bytes that did not fit into @log (sandbox side)
 * @log:	messages of sandboxed code: lines, each starting with a
 *		printk level (KERN_SOH and a digit), ending in '\n'
 */
struct sbm_runtime {
	unsigned long heap;
	unsigned long heap_size;
	unsigned long heap_brk;
	unsigned long heap_last;
	unsigned long log_len;
	unsigned long log_lost;
	char log[SBM_LOG_SIZE];
};

#ifdef __SBM_LIB__
/* The runtime state, for the sandbox side. */
extern struct sbm_runtime runtime;
struct sbm_runtime *sbm_runtime(void);
#else
/* The same, SBM_LIB(runtime) in the kernel's .sbm.data. */
extern struct sbm_runtime __sbm_lib_runtime;
/* Its address, for sandbox code: SBM_LIB(sbm_runtime)(). */
struct sbm_runtime *__sbm_lib_sbm_runtime(void);

#if IS_ENABLED(CONFIG_KUNIT)
int sbm_lib_log_line(const char *log, size_t len, size_t *pos, char *line,
		     size_t size);
#endif
#endif

#endif /* __KERNEL_SBM_LIB_RUNTIME_H */
