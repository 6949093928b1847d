/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SandBox Mode internals shared by the core and its tests.
 */
#ifndef __KERNEL_SBM_INTERNAL_H
#define __KERNEL_SBM_INTERNAL_H

#include <linux/atomic.h>
#include <linux/sbm.h>

struct dentry;

/*
 * Live SBM instances, sandbox buffers and the spare buffer areas that
 * instances keep between calls, to check for leaks.
 */
extern atomic_long_t sbm_stat_instances;
extern atomic_long_t sbm_stat_buffers;
extern atomic_long_t sbm_stat_spares;

int __sbm_init(struct sbm *sbm, bool strong);
unsigned long sbm_image_addr(const struct sbm *sbm, const void *addr);

/* stats.c: per-function statistics in /sys/kernel/debug/sbm/ */
extern struct dentry *sbm_debugfs_dir;
void sbm_stats_account(void *func, int err, int vector, u64 ns);

/* libsupport.c: the sandbox library runtime around each call */
#ifdef CONFIG_SANDBOX_MODE_LIB
int sbm_lib_prepare(struct sbm *sbm);
void sbm_lib_finish(struct sbm *sbm, void *func);
void sbm_lib_destroy(struct sbm *sbm);
#else
static inline int sbm_lib_prepare(struct sbm *sbm)
{
	return 0;
}

static inline void sbm_lib_finish(struct sbm *sbm, void *func)
{
}

static inline void sbm_lib_destroy(struct sbm *sbm)
{
}
#endif

#if IS_ENABLED(CONFIG_KUNIT)
struct notifier_block;
void *sbm_alloc_area(size_t size);
void *sbm_hostile_func(void *func);
size_t sbm_cache_drain(void);
int sbm_module_notify(struct notifier_block *nb, unsigned long action,
		      void *data);
#endif

#ifdef CONFIG_FAIL_SBM_ALLOC
extern struct fault_attr sbm_fail_alloc_attr;
#endif

#endif /* __KERNEL_SBM_INTERNAL_H */
