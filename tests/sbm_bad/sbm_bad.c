// SPDX-License-Identifier: GPL-2.0
/*
 * Sandbox code that reaches outside the sandbox, each function in its own
 * way. The build of this module must fail: modpost names every function
 * and what it references. scripts/buildcheck.sh checks that it does.
 */
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/sbm.h>
#include <linux/string.h>

static int sbm_bad_global = 42;

/* Calls a kernel function. */
static SBM_DEFINE_FUNC(sbm_bad_calls_printk, const char *msg)
{
	printk("%s\n", msg);
	return 0;
}

/* Reads kernel data. */
static SBM_DEFINE_FUNC(sbm_bad_reads_global)
{
	return READ_ONCE(sbm_bad_global);
}

/* A library call the compiler does not inline: memcmp() of any size. */
static SBM_DEFINE_FUNC(sbm_bad_memcmp, const void *a, const void *b,
		       unsigned long len)
{
	return memcmp(a, b, len);
}

/*
 * Placed in the sandbox section by hand, without SBM_DEFINE_FUNC(): it
 * returns through the kernel's return thunk and is traced.
 */
static int __section(".sbm.text") __used sbm_bad_thunked(int x)
{
	return x + 1;
}

static int __init sbm_bad_init(void)
{
	struct sbm sbm;
	int ret;

	sbm_bad_global++;
	sbm_init(&sbm);
	ret = sbm_call(&sbm, sbm_bad_calls_printk, "x") ?:
	      sbm_call(&sbm, sbm_bad_reads_global) ?:
	      sbm_call(&sbm, sbm_bad_memcmp, NULL, NULL, 0);
	sbm_destroy(&sbm);
	return ret;
}
module_init(sbm_bad_init);

MODULE_DESCRIPTION("Sandbox code that must not build");
MODULE_LICENSE("GPL");
