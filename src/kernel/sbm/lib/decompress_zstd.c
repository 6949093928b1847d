// SPDX-License-Identifier: GPL-2.0
/*
 * Zstandard decompression in a sandbox, with the sandboxed copy of
 * lib/zstd. The decompression context lives on the sandbox heap.
 */
#include <linux/errno.h>
#include <linux/sbm_lib.h>
#include <linux/zstd.h>

/**
 * decompress_zstd() - decompress zstd frames
 * @in:		compressed data: one or more frames
 * @in_len:	its size
 * @out:	where the data goes
 * @out_len:	room there
 *
 * Needs a heap of SBM_ZSTD_HEAP_SIZE bytes.
 *
 * Return: the size of the decompressed data, -ENOSPC if @out is too
 * small, -ENOMEM if the heap is, or -EIO.
 */
int decompress_zstd(const void *in, unsigned long in_len, void *out,
		    unsigned long out_len)
{
	size_t ws_size = zstd_dctx_workspace_bound();
	int bug = sbm_planted_bug(in, in_len, out);
	zstd_dctx *dctx;
	size_t ret;
	void *ws;

	if (bug != -ENOENT)
		return bug;
	ws = kvmalloc(ws_size, GFP_KERNEL);
	if (!ws)
		return -ENOMEM;
	dctx = zstd_init_dctx(ws, ws_size);
	if (!dctx) {
		kvfree(ws);
		return -ENOMEM;
	}
	ret = zstd_decompress_dctx(dctx, out, out_len, in, in_len);
	kvfree(ws);
	if (!zstd_is_error(ret))
		return ret <= INT_MAX ? (int)ret : -EIO;
	if (zstd_get_error_code(ret) == ZSTD_error_dstSize_tooSmall)
		return -ENOSPC;
	pr_warn("zstd decompression failed: %s\n", zstd_get_error_name(ret));
	return -EIO;
}
