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
 *
 * Each function also has rate limits of its own for the reports of its
 * violations and for its log (sbm_ratelimit()): one hostile input cannot
 * silence the reports of other sandboxed functions.
 */

#define pr_fmt(fmt) "sbm: " fmt

#include <kunit/visibility.h>
#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/math64.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/seq_file.h>
#include <linux/u64_stats_sync.h>

#include "sbm_internal.h"

#define SBM_STATS_BITS		8
#define SBM_STATS_SLOTS		BIT(SBM_STATS_BITS)
#define SBM_STATS_VECTORS	32

/**
 * struct sbm_stat - how the calls of one function ended, when not well
 * @func:	the sandboxed function; %NULL for a free slot, set once
 * @faults:	calls terminated by a CPU exception
 * @timeouts:	calls that exceeded their CPU time budget
 * @killed:	calls ended by a fatal signal
 * @errors:	calls that failed otherwise
 * @vectors:	calls terminated by each of the first 32 exception vectors
 * @rs:		rate limits of the function's reports and log lines
 *
 * Every call counts in the per-CPU &struct sbm_stats_cpu; only the rare
 * endings are counted here, so that calls on many CPUs share no cache
 * line that they write and take no lock.
 */
struct sbm_stat {
	void *func;
	atomic64_t faults;
	atomic64_t timeouts;
	atomic64_t killed;
	atomic64_t errors;
	atomic_t vectors[SBM_STATS_VECTORS];
	struct ratelimit_state rs[SBM_RATELIMITS];
};

/**
 * struct sbm_stats_cpu - the calls that a CPU finished, per slot
 * @syncp:	for consistent reads of the 64-bit counters on 32-bit CPUs
 * @slot:	per slot, side by side, so that a call writes one cache line
 * @slot.calls:	calls of the function of the slot
 * @slot.ns:	their total time in nanoseconds
 */
struct sbm_stats_cpu {
	struct u64_stats_sync syncp;
	struct {
		u64_stats_t calls;
		u64_stats_t ns;
	} slot[SBM_STATS_SLOTS];
};

/* Reports: the kernel's default, 10 in 5 s; log lines: 20 in 5 s. */
#define SBM_RS_INIT {							\
	[SBM_RATELIMIT_REPORT] = RATELIMIT_STATE_INIT(sbm_stats_rs,	\
		DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST),	\
	[SBM_RATELIMIT_LOG] = RATELIMIT_STATE_INIT(sbm_stats_rs,	\
		5 * HZ, 20),						\
}

static struct sbm_stat sbm_stats[SBM_STATS_SLOTS] = {
	[0 ... SBM_STATS_SLOTS - 1] = { .rs = SBM_RS_INIT },
};

/* For the functions that find no slot. */
static struct ratelimit_state sbm_stats_other_rs[SBM_RATELIMITS] = SBM_RS_INIT;
static DEFINE_PER_CPU(struct sbm_stats_cpu, sbm_stats_cpu);
static atomic64_t sbm_stats_untracked;

struct dentry *sbm_debugfs_dir;

/*
 * The slot of @func, a new one if there is room, or -1. Slots are claimed
 * with cmpxchg() and never freed, so no lock is needed.
 */
static int sbm_stat_slot(void *func)
{
	unsigned int i, h = hash_ptr(func, SBM_STATS_BITS);

	for (i = 0; i < SBM_STATS_SLOTS; i++) {
		unsigned int slot = (h + i) % SBM_STATS_SLOTS;
		void *cur = READ_ONCE(sbm_stats[slot].func);

		if (!cur)
			cur = cmpxchg(&sbm_stats[slot].func, NULL, func) ?: func;
		if (cur == func)
			return slot;
	}
	return -1;
}

/**
 * sbm_stats_account() - count one call of a sandboxed function
 * @func:	the function
 * @err:	0 if it returned, or the error that terminated it
 * @vector:	the exception that terminated it, or -1
 * @ns:		how long the call took
 */
__sbm_hot void sbm_stats_account(void *func, int err, int vector, u64 ns)
{
	int slot = sbm_stat_slot(func);
	struct sbm_stats_cpu *cpu;
	struct sbm_stat *st;

	if (slot < 0) {
		atomic64_inc(&sbm_stats_untracked);
		return;
	}
	cpu = get_cpu_ptr(&sbm_stats_cpu);
	u64_stats_update_begin(&cpu->syncp);
	u64_stats_inc(&cpu->slot[slot].calls);
	u64_stats_add(&cpu->slot[slot].ns, ns);
	u64_stats_update_end(&cpu->syncp);
	put_cpu_ptr(&sbm_stats_cpu);

	st = &sbm_stats[slot];
	if (err && vector >= 0) {
		atomic64_inc(&st->faults);
		if (vector < SBM_STATS_VECTORS)
			atomic_inc(&st->vectors[vector]);
	} else if (err == -ETIMEDOUT) {
		atomic64_inc(&st->timeouts);
	} else if (err == -EINTR) {
		atomic64_inc(&st->killed);
	} else if (err) {
		atomic64_inc(&st->errors);
	}
}

/**
 * sbm_ratelimit() - rate-limit a message about a sandboxed function
 * @func:	the function
 * @which:	%SBM_RATELIMIT_REPORT for the report of a violation,
 *		%SBM_RATELIMIT_LOG for a line of its log
 *
 * Up to 10 reports and 20 log lines per function in 5 seconds.
 *
 * Return: true if the message may be printed.
 */
bool sbm_ratelimit(void *func, enum sbm_ratelimit_kind which)
{
	int slot = sbm_stat_slot(func);

	return __ratelimit(slot < 0 ? &sbm_stats_other_rs[which] :
				      &sbm_stats[slot].rs[which]);
}
EXPORT_SYMBOL_IF_KUNIT(sbm_ratelimit);

/* The calls of @slot and their total time, summed over all CPUs. */
static void sbm_stats_sum(int slot, u64 *calls, u64 *ns)
{
	int cpu;

	*calls = 0;
	*ns = 0;
	for_each_possible_cpu(cpu) {
		struct sbm_stats_cpu *c = per_cpu_ptr(&sbm_stats_cpu, cpu);
		unsigned int start;
		u64 n, t;

		do {
			start = u64_stats_fetch_begin(&c->syncp);
			n = u64_stats_read(&c->slot[slot].calls);
			t = u64_stats_read(&c->slot[slot].ns);
		} while (u64_stats_fetch_retry(&c->syncp, start));
		*calls += n;
		*ns += t;
	}
}

static int sbm_stats_show(struct seq_file *m, void *v)
{
	u64 calls, ns, untracked;
	int slot, i;

	seq_puts(m, "function calls faults timeouts killed errors total_ns mean_ns vectors\n");
	for (slot = 0; slot < SBM_STATS_SLOTS; slot++) {
		struct sbm_stat *st = &sbm_stats[slot];
		void *func = READ_ONCE(st->func);

		if (!func)
			continue;
		sbm_stats_sum(slot, &calls, &ns);
		seq_printf(m, "%ps %llu %lld %lld %lld %lld %llu %llu", func,
			   calls, atomic64_read(&st->faults),
			   atomic64_read(&st->timeouts),
			   atomic64_read(&st->killed),
			   atomic64_read(&st->errors), ns,
			   calls ? div64_u64(ns, calls) : 0);
		for (i = 0; i < SBM_STATS_VECTORS; i++)
			if (atomic_read(&st->vectors[i]))
				seq_printf(m, " %d:%d", i,
					   atomic_read(&st->vectors[i]));
		seq_putc(m, '\n');
	}
	untracked = atomic64_read(&sbm_stats_untracked);
	if (untracked)
		seq_printf(m, "(other functions) %llu\n", untracked);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sbm_stats);

static int __init sbm_debugfs_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(&sbm_stats_cpu, cpu)->syncp);
	sbm_debugfs_dir = debugfs_create_dir("sbm", NULL);
	debugfs_create_file("stats", 0400, sbm_debugfs_dir, NULL,
			    &sbm_stats_fops);
	return 0;
}
fs_initcall(sbm_debugfs_init);
