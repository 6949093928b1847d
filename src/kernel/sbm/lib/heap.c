// SPDX-License-Identifier: GPL-2.0
/*
 * SandBox Mode heap: the allocator behind kmalloc(), vmalloc() and friends
 * in sandboxed library code. It runs in the sandbox, on the arena that the
 * kernel maps for the instance, so its metadata is the sandbox's own: a
 * corrupted heap only harms the sandbox. Allocations are carved from the
 * arena in order; freeing the most recent one gives its space back, any
 * other free is a no-op, and the arena is reset for every call. This fits
 * the decoders that run here, which allocate their state at the start of
 * a call and free it at the end. An exhausted arena returns NULL, so the
 * library takes its own -ENOMEM path.
 */
#include <linux/overflow.h>
#include <linux/string.h>

#include "runtime.h"
#include "sandbox.h"

#define SBM_HEAP_ALIGN	16

struct sbm_heap_hdr {
	unsigned long size;
	unsigned long prev;	/* offset of the previous most recent block */
};

static_assert(sizeof(struct sbm_heap_hdr) == SBM_HEAP_ALIGN);

void *sbm_heap_alloc(size_t size, bool zero)
{
	struct sbm_runtime *rt = &runtime;
	unsigned long off = rt->heap_brk, need;
	struct sbm_heap_hdr *hdr;

	if (!rt->heap || size > rt->heap_size ||
	    check_add_overflow(size, sizeof(*hdr) + SBM_HEAP_ALIGN - 1, &need))
		return NULL;
	need &= ~(unsigned long)(SBM_HEAP_ALIGN - 1);
	if (off > rt->heap_size || need > rt->heap_size - off)
		return NULL;

	hdr = (struct sbm_heap_hdr *)(rt->heap + off);
	hdr->size = need;
	hdr->prev = rt->heap_last;
	rt->heap_last = off;
	rt->heap_brk = off + need;
	if (zero)
		memset(hdr + 1, 0, size);
	return hdr + 1;
}

void *sbm_heap_alloc_array(size_t n, size_t size, bool zero)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	return sbm_heap_alloc(bytes, zero);
}

void sbm_heap_free(const void *p)
{
	struct sbm_runtime *rt = &runtime;
	const struct sbm_heap_hdr *hdr = (const struct sbm_heap_hdr *)p - 1;

	if (!p || (unsigned long)hdr != rt->heap + rt->heap_last)
		return;
	rt->heap_brk = rt->heap_last;
	rt->heap_last = hdr->prev;
}
