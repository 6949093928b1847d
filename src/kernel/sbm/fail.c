// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection for the allocations of SandBox Mode: with
 * CONFIG_FAIL_SBM_ALLOC, "fail_sbm_alloc=<interval>,<probability>,<space>,<times>"
 * on the kernel command line or /sys/kernel/debug/fail_sbm_alloc/ make
 * them fail on demand, like the kernel's other fault injection
 * capabilities (Documentation/fault-injection/fault-injection.rst). Every
 * sbm_call() must then succeed or fail with -ENOMEM, and leak nothing.
 */

#include <kunit/visibility.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/init.h>
#include <linux/sbm.h>

#include "sbm_internal.h"

struct fault_attr sbm_fail_alloc_attr = FAULT_ATTR_INITIALIZER;
EXPORT_SYMBOL_IF_KUNIT(sbm_fail_alloc_attr);

static int __init sbm_fail_alloc_setup(char *str)
{
	return setup_fault_attr(&sbm_fail_alloc_attr, str);
}
__setup("fail_sbm_alloc=", sbm_fail_alloc_setup);

/**
 * sbm_fail_alloc() - decide whether an allocation of SandBox Mode fails
 *
 * Return: true if the caller must act as if its allocation failed.
 */
bool sbm_fail_alloc(void)
{
	return should_fail(&sbm_fail_alloc_attr, 1);
}

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
static int __init sbm_fail_alloc_debugfs(void)
{
	return PTR_ERR_OR_ZERO(fault_create_debugfs_attr("fail_sbm_alloc", NULL,
							 &sbm_fail_alloc_attr));
}
late_initcall(sbm_fail_alloc_debugfs);
#endif
