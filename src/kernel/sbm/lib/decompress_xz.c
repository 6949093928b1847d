// SPDX-License-Identifier: GPL-2.0
/*
 * XZ decompression in a sandbox, with the sandboxed copy of lib/xz in
 * single-call mode: the output buffer is the dictionary, and only the
 * decoder state is allocated, on the sandbox heap.
 */
#include <linux/errno.h>
#include <linux/sbm_lib.h>
#include <linux/xz.h>

/**
 * decompress_xz() - decompress an xz stream
 * @in:		compressed data
 * @in_len:	its size
 * @out:	where the data goes
 * @out_len:	room there
 *
 * Needs a heap of SBM_XZ_HEAP_SIZE bytes.
 *
 * Return: the size of the decompressed data, -ENOSPC if @out is too
 * small, -ENOMEM if the heap is, or -EIO.
 */
int decompress_xz(const void *in, unsigned long in_len, void *out,
		  unsigned long out_len)
{
	struct xz_buf b = {
		.in = in,
		.in_size = in_len,
		.out = out,
		.out_size = out_len,
	};
	int bug = sbm_planted_bug(in, in_len, out);
	struct xz_dec *s;
	enum xz_ret ret;

	if (bug != -ENOENT)
		return bug;
	xz_crc32_init();
	s = xz_dec_init(XZ_SINGLE, 0);
	if (!s)
		return -ENOMEM;
	ret = xz_dec_run(s, &b);
	xz_dec_end(s);

	switch (ret) {
	case XZ_STREAM_END:
		return b.out_pos <= INT_MAX ? (int)b.out_pos : -EIO;
	case XZ_MEM_ERROR:
		return -ENOMEM;
	case XZ_BUF_ERROR:
		if (b.out_pos == b.out_size)
			return -ENOSPC;
		fallthrough;
	default:
		pr_warn("xz decompression failed (%d) at input offset %zu\n",
			ret, b.in_pos);
		return -EIO;
	}
}
