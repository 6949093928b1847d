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
			WRITE_ONCE(((char *)res)[i], 0);
	}
	for (i = 0; i < len && in[i] >= '0' && in[i] <= '9'; i++)
		res->value = res->value * 10 + in[i] - '0';
	res->digits = i;
	return i ? 0 : -EINVAL;
}

/* The example of README.md, verbatim. */
static SBM_DEFINE_FUNC(untrusted_func, void *input_data, void *output_data);

static SBM_DEFINE_FUNC(untrusted_func, void *input_data, void *output_data)
{
	const u8 *in = input_data;
	u8 *out = output_data;

	out[0] = in[0] + 1;
	return 0;
}

static int example(const u8 *input_buffer, size_t in_size,
		   u8 *output_buffer, size_t out_size)
{
	struct sbm sbm;
	int result;

	sbm_init(&sbm);
	result = sbm_call(&sbm, untrusted_func,
			  SBM_COPY_IN(&sbm, input_buffer, in_size),
			  SBM_COPY_OUT(&sbm, output_buffer, out_size));
	sbm_destroy(&sbm);
	return result;
}

static ssize_t readme_read(struct file *file, char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	u8 in = 41, out = 0;
	char buf[32];
	int ret = example(&in, 1, &out, 1);
	int len = scnprintf(buf, sizeof(buf), "result %d out %u\n", ret, out);

	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations readme_fops = {
	.read = readme_read,
};

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
	debugfs_create_file("readme", 0400, example_dir, NULL, &readme_fops);
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
