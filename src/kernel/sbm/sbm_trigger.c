// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs interface to exercise SandBox Mode from user space, in the
 * spirit of LKDTM. Files in /sys/kernel/debug/sbm/:
 *
 *  cases	the names of the attacks that "run" accepts
 *  run		write a case name: the case runs in a sandbox; write() fails
 *		with the sandbox's error (e.g. EFAULT), or with EUCLEAN if
 *		memory outside the sandbox changed; attacks are refused with
 *		EOPNOTSUPP unless isolation is strong
 *  last	details of the last case or parse: result and fault
 *  parse	write untrusted data: a deliberately buggy TLV parser runs in
 *		a sandbox on it; read the decoded records back
 *  bench	read: cost of sbm_call() against a direct call, one reading;
 *		strong rows only where strong isolation is available
 *  mode	read: "strong" or "weak"
 */

#define pr_fmt(fmt) "sbm_trigger: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sbm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#ifdef CONFIG_X86
#include <asm/fpu/api.h>
#endif
#include <linux/vmalloc.h>

#include "sbm_internal.h"
#include "sbm_test_funcs.h"

static DEFINE_MUTEX(sbm_trigger_lock);
static char sbm_trigger_last[256];
static unsigned long sbm_trigger_victim = 0x600dcafe;

static SBM_DEFINE_FUNC(sbm_trig_return, unsigned long value)
{
	return value;
}

static int sbm_trig_plain(unsigned long value)
{
	return value;
}

/* What a case gets as its argument. */
enum sbm_trigger_arg {
	SBM_ARG_NONE,
	SBM_ARG_VICTIM,		/* address of kernel data */
	SBM_ARG_KERNEL_TEXT,	/* address of a kernel function */
	SBM_ARG_DEEP,		/* a recursion depth that overflows the stack */
};

/**
 * struct sbm_trigger_case - a function that "run" can run in a sandbox
 * @name:	name written to "run"
 * @func:	the function
 * @arg:	its argument
 * @attack:	refused with weak isolation, where it would really happen
 */
struct sbm_trigger_case {
	const char *name;
	void *func;
	enum sbm_trigger_arg arg;
	bool attack;
};

static const struct sbm_trigger_case sbm_trigger_cases[] = {
	{ "return", sbm_trig_return },
	{ "not_sandbox_code", sbm_trig_plain },
#ifdef CONFIG_X86_64
	{ "write_kernel_data", sbm_t_write, SBM_ARG_VICTIM, true },
	{ "read_kernel_data", sbm_t_read, SBM_ARG_VICTIM, true },
	{ "exec_kernel_data", sbm_t_exec, SBM_ARG_VICTIM, true },
	{ "exec_kernel_text", sbm_t_exec, SBM_ARG_KERNEL_TEXT, true },
	{ "stack_overflow", sbm_t_recurse, SBM_ARG_DEEP, true },
	{ "spin", sbm_t_spin, SBM_ARG_NONE, true },
	{ "cli", sbm_t_cli, SBM_ARG_NONE, true },
	{ "hlt", sbm_t_hlt, SBM_ARG_NONE, true },
	{ "wrmsr", sbm_t_wrmsr, SBM_ARG_NONE, true },
	{ "mov_cr3", sbm_t_mov_cr3, SBM_ARG_NONE, true },
	{ "in", sbm_t_in, SBM_ARG_NONE, true },
	{ "out", sbm_t_out, SBM_ARG_NONE, true },
	{ "int3", sbm_t_int3, SBM_ARG_NONE, true },
	{ "int80", sbm_t_int80, SBM_ARG_NONE, true },
	{ "syscall", sbm_t_syscall, SBM_ARG_NONE, true },
	{ "sysenter", sbm_t_sysenter, SBM_ARG_NONE, true },
	{ "ud2", sbm_t_ud2, SBM_ARG_NONE, true },
	{ "fpu", sbm_t_fpu, SBM_ARG_NONE, true },
#endif
};

static void sbm_trigger_record(const char *what, struct sbm *sbm, int ret)
{
	snprintf(sbm_trigger_last, sizeof(sbm_trigger_last),
		 "%s: ret=%d error=%d vector=%d error_code=%#lx address=%#lx ip=%pS\n",
		 what, ret, sbm_error(sbm), sbm->fault.vector,
		 sbm->fault.error_code, sbm->fault.address,
		 (void *)sbm->fault.ip);
}

static int sbm_trigger_run(const struct sbm_trigger_case *c)
{
	unsigned long victim = READ_ONCE(sbm_trigger_victim);
	unsigned long arg;
	struct sbm sbm;
	int ret;

	/* With weak isolation, these would really do what they try. */
	if (c->attack && !sbm_strong_available())
		return -EOPNOTSUPP;

	switch (c->arg) {
	case SBM_ARG_VICTIM:
		arg = (unsigned long)&sbm_trigger_victim;
		break;
	case SBM_ARG_KERNEL_TEXT:
		arg = (unsigned long)&kfree;
		break;
	case SBM_ARG_DEEP:
		arg = 100000;
		break;
	default:
		arg = 0;
		break;
	}

	ret = sbm_init(&sbm);
	if (!ret)
		ret = __sbm_call(&sbm, c->func, &arg, 1);
	sbm_trigger_record(c->name, &sbm, ret);
	sbm_destroy(&sbm);

	if (READ_ONCE(sbm_trigger_victim) != victim) {
		pr_err("%s changed kernel data outside the sandbox\n", c->name);
		return -EUCLEAN;
	}
	return ret;
}

static ssize_t sbm_trigger_run_write(struct file *file, const char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	char name[32];
	int i, ret;

	if (count >= sizeof(name))
		return -EINVAL;
	if (copy_from_user(name, ubuf, count))
		return -EFAULT;
	name[count] = 0;
	strim(name);

	for (i = 0; i < ARRAY_SIZE(sbm_trigger_cases); i++) {
		if (strcmp(name, sbm_trigger_cases[i].name))
			continue;
		mutex_lock(&sbm_trigger_lock);
		ret = sbm_trigger_run(&sbm_trigger_cases[i]);
		mutex_unlock(&sbm_trigger_lock);
		return ret < 0 ? ret : count;
	}
	return -ENOENT;
}

static int sbm_trigger_cases_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(sbm_trigger_cases); i++)
		seq_printf(m, "%s\n", sbm_trigger_cases[i].name);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sbm_trigger_cases);

static int sbm_trigger_last_show(struct seq_file *m, void *v)
{
	mutex_lock(&sbm_trigger_lock);
	seq_puts(m, sbm_trigger_last);
	mutex_unlock(&sbm_trigger_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sbm_trigger_last);

/*
 * A parser of untrusted data with a classic bug: it trusts the record
 * count and lengths in its input. Records are <type:u8> <len:u8> <value>,
 * decoded into fixed 16-byte slots.
 */
#define SBM_TLV_SLOTS	8
#define SBM_TLV_VALUE	16

struct sbm_tlv_out {
	u32 count;
	struct {
		u8 type;
		u8 len;
		u8 value[SBM_TLV_VALUE];
	} rec[SBM_TLV_SLOTS];
};

static SBM_DEFINE_FUNC(sbm_tlv_parse, const u8 *in, unsigned long len,
		       struct sbm_tlv_out *out)
{
	unsigned long pos = 0;
	unsigned int i;

	while (pos + 2 <= len) {
		u8 type = in[pos], vlen = in[pos + 1];

		pos += 2;
		/* BUG: neither vlen nor the slot index is checked. */
		out->rec[out->count].type = type;
		out->rec[out->count].len = vlen;
		for (i = 0; i < vlen; i++)
			out->rec[out->count].value[i] = in[pos + i];
		pos += vlen;
		out->count++;
	}
	return out->count;
}

static struct sbm_tlv_out sbm_trigger_tlv;

static ssize_t sbm_trigger_parse_write(struct file *file,
				       const char __user *ubuf,
				       size_t count, loff_t *ppos)
{
	struct sbm_tlv_out *out;
	struct sbm sbm;
	void *in;
	int ret;

	if (!count || count > PAGE_SIZE)
		return -EINVAL;
	in = memdup_user(ubuf, count);
	if (IS_ERR(in))
		return PTR_ERR(in);
	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out) {
		kfree(in);
		return -ENOMEM;
	}

	mutex_lock(&sbm_trigger_lock);
	sbm_init(&sbm);
	ret = sbm_call(&sbm, sbm_tlv_parse, SBM_COPY_IN(&sbm, in, count), count,
		       SBM_COPY_OUT(&sbm, out, sizeof(*out)));
	sbm_trigger_record("parse", &sbm, ret);
	sbm_destroy(&sbm);
	if (ret >= 0)
		sbm_trigger_tlv = *out;
	mutex_unlock(&sbm_trigger_lock);

	kfree(out);
	kfree(in);
	return ret < 0 ? ret : count;
}

static int sbm_trigger_parse_show(struct seq_file *m, void *v)
{
	int i;

	mutex_lock(&sbm_trigger_lock);
	seq_printf(m, "records: %u\n", sbm_trigger_tlv.count);
	for (i = 0; i < min_t(u32, sbm_trigger_tlv.count, SBM_TLV_SLOTS); i++)
		seq_printf(m, "%u: %*pE\n", sbm_trigger_tlv.rec[i].type,
			   min_t(int, sbm_trigger_tlv.rec[i].len, SBM_TLV_VALUE),
			   sbm_trigger_tlv.rec[i].value);
	mutex_unlock(&sbm_trigger_lock);
	return 0;
}
DEFINE_SHOW_STORE_ATTRIBUTE(sbm_trigger_parse);

static SBM_DEFINE_FUNC(sbm_bench_empty)
{
	return 0;
}

static SBM_DEFINE_FUNC(sbm_bench_copy, const u8 *in, u8 *out)
{
	out[0] = in[0];
	return 0;
}

/**
 * struct sbm_bench_payload - one group of rows of the bench file
 * @name:	name of the row group
 * @size:	bytes copied in and out, 0 for none
 * @seed:	a new instance per call, as the seed API's example does it
 * @loops:	calls per reading
 */
struct sbm_bench_payload {
	const char *name;
	size_t size;
	bool seed;
	unsigned int loops;
};

static const struct sbm_bench_payload sbm_bench_payloads[] = {
	{ "empty",  0,      false, 500 },
	{ "copy4k", SZ_4K,  false, 200 },
	{ "seed4k", SZ_4K,  true,  100 },
	{ "copy1m", SZ_1M,  false, 5 },
};

enum sbm_bench_mode {
	SBM_BENCH_DIRECT,	/* the function called directly */
	SBM_BENCH_WEAK,
	SBM_BENCH_STRONG,
	SBM_BENCH_BASE,		/* the copies by memcpy, an empty strong call */
	SBM_BENCH_MODES
};

static const char * const sbm_bench_modes[] = {
	"direct", "weak", "strong", "base",
};

/* Buffers of the benchmark: the caller's in and out, and two for base. */
struct sbm_bench_bufs {
	u8 *in, *out, *copy_in, *copy_out;
};

static int sbm_bench_call(struct sbm *sbm, const struct sbm_bench_payload *p,
			  enum sbm_bench_mode mode, struct sbm_bench_bufs *b)
{
	if (mode == SBM_BENCH_BASE) {
		memcpy(b->copy_in, b->in, p->size);
		sbm_call(sbm, sbm_bench_empty);
		memcpy(b->out, b->copy_out, p->size);
	} else if (p->size) {
		sbm_call(sbm, sbm_bench_copy, SBM_COPY_IN(sbm, b->in, p->size),
			 SBM_COPY_OUT(sbm, b->out, p->size));
	} else {
		sbm_call(sbm, sbm_bench_empty);
	}
	return sbm_error(sbm);
}

/*
 * Nanoseconds per call of @p in @mode, or a negative errno if the calls
 * failed (a sticky error would make the rest return at once and the
 * figure meaningless).
 */
static s64 sbm_bench_one(const struct sbm_bench_payload *p,
			 enum sbm_bench_mode mode, struct sbm_bench_bufs *b)
{
	/* The baseline: the same functions, called directly. */
	int (*copy)(const u8 *, u8 *) = sbm_bench_copy;
	int (*empty)(void) = sbm_bench_empty;
	bool strong = mode != SBM_BENCH_WEAK;
	struct sbm sbm;
	unsigned int i;
	int err = 0;
	u64 start;

	OPTIMIZER_HIDE_VAR(empty);
	OPTIMIZER_HIDE_VAR(copy);
	if (mode != SBM_BENCH_DIRECT && !p->seed) {
		err = __sbm_init(&sbm, strong);
		if (err)
			return err;
	}
	start = ktime_get_ns();
	for (i = 0; i < p->loops && !err; i++) {
		if (mode == SBM_BENCH_DIRECT) {
			if (p->size)
				copy(b->in, b->out);
			else
				empty();
		} else if (p->seed) {
			__sbm_init(&sbm, strong);
			err = sbm_bench_call(&sbm, p, mode, b);
			sbm_destroy(&sbm);
		} else {
			err = sbm_bench_call(&sbm, p, mode, b);
		}
	}
	start = ktime_get_ns() - start;
	if (mode != SBM_BENCH_DIRECT && !p->seed)
		sbm_destroy(&sbm);
	return err ?: div_u64(start, p->loops);
}

#ifdef CONFIG_X86
/*
 * Nanoseconds of what arch_sbm_exec() does to the FPU before every entry
 * into a sandbox: save the task's registers as for kernel FPU use, load
 * the init state.
 */
static s64 sbm_bench_fpu_init(unsigned int loops)
{
	unsigned int i;
	u64 start;

	start = ktime_get_ns();
	for (i = 0; i < loops; i++) {
		kernel_fpu_begin_mask(0);
		fpu_reset_from_exception_fixup();
		kernel_fpu_end();
	}
	return div_u64(ktime_get_ns() - start, loops);
}
#endif

/*
 * One reading: every row once. User space reads the file repeatedly,
 * interleaved with its own null system calls, and takes the medians.
 */
static int sbm_trigger_bench_show(struct seq_file *m, void *v)
{
	struct sbm_bench_bufs b = {
		.in = vzalloc(SZ_1M),
		.out = vzalloc(SZ_1M),
		.copy_in = vzalloc(SZ_1M),
		.copy_out = vzalloc(SZ_1M),
	};
	const struct sbm_bench_payload *p;
	enum sbm_bench_mode mode;
	int err = -ENOMEM;

	if (!b.in || !b.out || !b.copy_in || !b.copy_out)
		goto out;
	for (p = sbm_bench_payloads; p < sbm_bench_payloads +
	     ARRAY_SIZE(sbm_bench_payloads); p++) {
		for (mode = 0; mode < SBM_BENCH_MODES; mode++) {
			if (mode == SBM_BENCH_BASE && p->size < SZ_1M)
				continue;
			if (mode >= SBM_BENCH_STRONG && !sbm_strong_available())
				continue;
			seq_printf(m, "%s %s %lld ns\n", p->name,
				   sbm_bench_modes[mode],
				   sbm_bench_one(p, mode, &b));
		}
	}
#ifdef CONFIG_X86
	if (sbm_strong_available())
		seq_printf(m, "fpuinit direct %lld ns\n", sbm_bench_fpu_init(500));
#endif
	err = 0;
out:
	vfree(b.copy_out);
	vfree(b.copy_in);
	vfree(b.out);
	vfree(b.in);
	return err;
}
DEFINE_SHOW_ATTRIBUTE(sbm_trigger_bench);

static int sbm_trigger_mode_show(struct seq_file *m, void *v)
{
	seq_puts(m, sbm_strong_available() ? "strong\n" : "weak\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sbm_trigger_mode);

static const struct file_operations sbm_trigger_run_fops = {
	.write = sbm_trigger_run_write,
};

static int __init sbm_trigger_init(void)
{
	struct dentry *dir = sbm_debugfs_dir;

	debugfs_create_file("run", 0200, dir, NULL, &sbm_trigger_run_fops);
	debugfs_create_file("cases", 0444, dir, NULL, &sbm_trigger_cases_fops);
	debugfs_create_file("last", 0444, dir, NULL, &sbm_trigger_last_fops);
	debugfs_create_file("parse", 0600, dir, NULL, &sbm_trigger_parse_fops);
	debugfs_create_file("bench", 0400, dir, NULL, &sbm_trigger_bench_fops);
	debugfs_create_file("mode", 0444, dir, NULL, &sbm_trigger_mode_fops);
	return 0;
}
late_initcall(sbm_trigger_init);
