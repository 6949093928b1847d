// SPDX-License-Identifier: GPL-2.0
/*
 * SandBox Mode library runtime: its state, in the sandbox's private data.
 */
#include "runtime.h"

struct sbm_runtime runtime;

/*
 * The runtime state for sandbox code outside this directory (the tests),
 * which is not built position independent: taking the address of a
 * variable there would make an absolute reference (see modpost).
 */
struct sbm_runtime *sbm_runtime(void)
{
	return &runtime;
}
