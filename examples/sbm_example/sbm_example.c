// SPDX-License-Identifier: GPL-2.0
/*
 * Example out-of-tree module with sandboxed code: a decimal number parser
 * that runs in a sandbox. Write a number to
 * /sys/kernel/debug/sbm_example/parse and read back what it parsed.
 * The word "overflow" makes the parser misbehave on purpose.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/sbm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

struct example_result {
	long value;
	unsigned long digits;
};

/* Runs at CPL3 on its own page tables: it sees only its buffers. */
static SBM_DEFINE_FUNC(example_parse, const char *in, unsigned long len,
		       struct example_result *res)
{
	unsigned long i;

	if (len >= 8 && in[0] == 'o' && in[1] == 'v') {
		/* A bug: write far past the result. */
		for (i = 0; i < 8192; i++)
			((char *)res)[i] = 0;
	}
	for (i = 0; i < len && in[i] >= '0' && in[i] <= '9'; i++)
		res->value = res->value * 10 + in[i] - '0';
	res->digits = i;
	return i ? 0 : -EINVAL;
}

static struct example_result example_last;

static ssize_t example_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct example_result res = { 0 };
	struct sbm sbm;
	char *in;
	int ret;

	if (!count || count > 64)
		return -EINVAL;
	in = memdup_user(ubuf, count);
	if (IS_ERR(in))
		return PTR_ERR(in);

	sbm_init(&sbm);
	ret = sbm_call(&sbm, example_parse, SBM_COPY_IN(&sbm, in, count),
		       count, SBM_COPY_OUT(&sbm, &res, sizeof(res)));
	sbm_destroy(&sbm);
	kfree(in);
	if (ret)
		return ret;
	example_last = res;
	return count;
}

static ssize_t example_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	char buf[64];
	int len = scnprintf(buf, sizeof(buf), "value %ld (%lu digits)\n",
			    example_last.value, example_last.digits);

	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations example_fops = {
	.read = example_read,
	.write = example_write,
};

static struct dentry *example_dir;

static int __init example_init(void)
{
	example_dir = debugfs_create_dir("sbm_example", NULL);
	debugfs_create_file("parse", 0600, example_dir, NULL, &example_fops);
	return 0;
}

static void __exit example_exit(void)
{
	debugfs_remove(example_dir);
}

module_init(example_init);
module_exit(example_exit);
MODULE_DESCRIPTION("SandBox Mode example module");
MODULE_LICENSE("GPL");
