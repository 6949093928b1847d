// SPDX-License-Identifier: GPL-2.0
/*
 * A module with 100 pages of sandbox code besides a function that does
 * nothing, to show that the cost of a sandbox call does not grow with the
 * sandbox code of its module. /sys/kernel/debug/sbm_bigtext/bench gives
 * one reading:
 *
 *   text100 strong <ns> ns
 *
 * the nanoseconds per call of the empty function on a reused instance,
 * in the format of /sys/kernel/debug/sbm/bench. sbm_text0.c builds the
 * same module without the 100 pages, for the row "text0". Writing a
 * number N to /sys/kernel/debug/<module>/call makes N calls on one
 * instance and fails with their error, if any.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sbm.h>

#ifndef SBM_BIGTEXT_PAGES
#define SBM_BIGTEXT_PAGES	100
#endif
#define SBM_BIGTEXT_LOOPS	500

/* Sandbox code that no call runs: INT3 instructions, page-aligned. */
asm(".pushsection .sbm.text, \"ax\"\n"
    ".p2align 12\n"
    ".fill " __stringify(SBM_BIGTEXT_PAGES) " * 4096, 1, 0xcc\n"
    ".popsection\n");

static SBM_DEFINE_FUNC(sbm_bigtext_empty)
{
	return 0;
}

/* @loops calls on one instance: 0, or the first error. */
static int sbm_bigtext_calls(unsigned int loops, u64 *ns)
{
	struct sbm sbm;
	unsigned int i;
	int err = sbm_init(&sbm);
	u64 start = ktime_get_ns();

	for (i = 0; i < loops && !err; i++)
		err = sbm_call(&sbm, sbm_bigtext_empty);
	*ns = ktime_get_ns() - start;
	sbm_destroy(&sbm);
	return err;
}

static int sbm_bigtext_bench_show(struct seq_file *m, void *v)
{
	u64 ns;
	int err;

	if (!sbm_strong_available())
		return 0;
	err = sbm_bigtext_calls(SBM_BIGTEXT_LOOPS, &ns);
	seq_printf(m, "text%u strong %lld ns\n", SBM_BIGTEXT_PAGES,
		   err ?: (s64)div_u64(ns, SBM_BIGTEXT_LOOPS));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sbm_bigtext_bench);

static ssize_t sbm_bigtext_call_write(struct file *file, const char __user *ubuf,
				      size_t count, loff_t *ppos)
{
	unsigned int loops;
	u64 ns;
	int err;

	err = kstrtouint_from_user(ubuf, count, 0, &loops);
	if (err)
		return err;
	err = sbm_bigtext_calls(loops, &ns);
	return err ?: count;
}

static const struct file_operations sbm_bigtext_call_fops = {
	.write = sbm_bigtext_call_write,
};

static struct dentry *sbm_bigtext_dir;

static int __init sbm_bigtext_init(void)
{
	sbm_bigtext_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("bench", 0400, sbm_bigtext_dir, NULL,
			    &sbm_bigtext_bench_fops);
	debugfs_create_file("call", 0200, sbm_bigtext_dir, NULL,
			    &sbm_bigtext_call_fops);
	return 0;
}

static void __exit sbm_bigtext_exit(void)
{
	debugfs_remove(sbm_bigtext_dir);
}

module_init(sbm_bigtext_init);
module_exit(sbm_bigtext_exit);
MODULE_DESCRIPTION("SandBox Mode: a module with extra pages of sandbox code");
MODULE_LICENSE("GPL");
