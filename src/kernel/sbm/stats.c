// SPDX-License-Identifier: GPL-2.0
/*
 * SandBox Mode statistics: for every sandboxed function, how many calls
 * ran it, how they ended and how long they took, in
 * /sys/kernel/debug/sbm/stats (readable by root only):
 *
 *   function calls faults timeouts killed errors total_ns mean_ns vectors
 *
 * "faults" counts the calls terminated by a CPU exception, "vectors" says
 * which ones ("14:3 13:1": three page faults and a general protection
 * fault), "killed" the calls ended by a fatal signal, "errors" the calls
 * that failed otherwise. Entries stay when a module goes away.
 */

#define pr_fmt(fmt) "sbm: " fmt

#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/math64.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>

#include "sbm_internal.h"

#define SBM_STATS_BITS		8
#define SBM_STATS_VECTORS	32

/**
 * struct sbm_stat - what happened to the calls of one function
 * @func:	the sandboxed function; %NULL for a free slot
 * @calls:	calls that ran it
 * @faults:	calls terminated by a CPU exception
 * @timeouts:	calls that exceeded their CPU time budget
 * @killed:	calls ended by a fatal signal
 * @errors:	calls that failed otherwise
 * @ns:		total time of the calls, in nanoseconds
 * @vectors:	calls terminated by each of the first 32 exception vectors
 */
struct sbm_stat {
	void *func;
	u64 calls;
	u64 faults;
	u64 timeouts;
	u64 killed;
	u64 errors;
	u64 ns;
	u32 vectors[SBM_STATS_VECTORS];
};

static struct sbm_stat sbm_stats[1 << SBM_STATS_BITS];
static u64 sbm_stats_untracked;
static DEFINE_SPINLOCK(sbm_stats_lock);

struct dentry *sbm_debugfs_dir;

/* The entry of @func, a new one if there is room; lock held. */
static struct sbm_stat *sbm_stat_of(void *func)
{
	unsigned int i, h = hash_ptr(func, SBM_STATS_BITS);

	for (i = 0; i < ARRAY_SIZE(sbm_stats); i++) {
		struct sbm_stat *st = &sbm_stats[(h + i) % ARRAY_SIZE(sbm_stats)];

		if (st->func == func)
			return st;
		if (!st->func) {
			st->func = func;
			return st;
		}
	}
	return NULL;
}

/**
 * sbm_stats_account() - count one call of a sandboxed function
 * @func:	the function
 * @err:	0 if it returned, or the error that terminated it
 * @vector:	the exception that terminated it, or -1
 * @ns:		how long the call took
 */
void sbm_stats_account(void *func, int err, int vector, u64 ns)
{
	struct sbm_stat *st;
	unsigned long flags;

	spin_lock_irqsave(&sbm_stats_lock, flags);
	st = sbm_stat_of(func);
	if (!st) {
		sbm_stats_untracked++;
		goto out;
	}
	st->calls++;
	st->ns += ns;
	if (err && vector >= 0) {
		st->faults++;
		if (vector < SBM_STATS_VECTORS)
			st->vectors[vector]++;
	} else if (err == -ETIMEDOUT) {
		st->timeouts++;
	} else if (err == -EINTR) {
		st->killed++;
	} else if (err) {
		st->errors++;
	}
out:
	spin_unlock_irqrestore(&sbm_stats_lock, flags);
}

static int sbm_stats_show(struct seq_file *m, void *v)
{
	struct sbm_stat *st, copy;
	u64 untracked;
	int i;

	seq_puts(m, "function calls faults timeouts killed errors total_ns mean_ns vectors\n");
	for (st = sbm_stats; st < sbm_stats + ARRAY_SIZE(sbm_stats); st++) {
		spin_lock_irq(&sbm_stats_lock);
		copy = *st;
		spin_unlock_irq(&sbm_stats_lock);
		if (!copy.func)
			continue;
		seq_printf(m, "%ps %llu %llu %llu %llu %llu %llu %llu", copy.func,
			   copy.calls, copy.faults, copy.timeouts, copy.killed,
			   copy.errors, copy.ns,
			   copy.calls ? div64_u64(copy.ns, copy.calls) : 0);
		for (i = 0; i < SBM_STATS_VECTORS; i++)
			if (copy.vectors[i])
				seq_printf(m, " %d:%u", i, copy.vectors[i]);
		seq_putc(m, '\n');
	}
	spin_lock_irq(&sbm_stats_lock);
	untracked = sbm_stats_untracked;
	spin_unlock_irq(&sbm_stats_lock);
	if (untracked)
		seq_printf(m, "(other functions) %llu\n", untracked);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sbm_stats);

static int __init sbm_debugfs_init(void)
{
	sbm_debugfs_dir = debugfs_create_dir("sbm", NULL);
	debugfs_create_file("stats", 0400, sbm_debugfs_dir, NULL,
			    &sbm_stats_fops);
	return 0;
}
fs_initcall(sbm_debugfs_init);
