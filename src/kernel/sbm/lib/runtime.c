// SPDX-License-Identifier: GPL-2.0
/*
 * SandBox Mode library runtime: its state, in the sandbox's private data.
 */
#include "runtime.h"

struct sbm_runtime runtime;
