// SPDX-License-Identifier: GPL-2.0
/* The module of sbm_bigtext.c without its 100 pages: the row "text0". */
#define SBM_BIGTEXT_PAGES	0
#include "sbm_bigtext.c"
