// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own codecs as the tests and the benchmark of the sandbox
 * library use them: native decompression as the reference, with the
 * errors mapped to errnos (-EIO for corrupt input, -ENOSPC for output
 * that does not fit, -ENOMEM), and compression of generated inputs.
 */

#include <linux/errno.h>
#include <linux/lz4.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/xz.h>
#include <linux/zstd.h>

#include "sbm_test_vectors.h"

int sbm_test_native_lz4(const void *in, size_t in_len, void *out,
			size_t out_len)
{
	int ret = LZ4_decompress_safe(in, out, in_len, out_len);

	return ret < 0 ? -EIO : ret;
}

int sbm_test_native_zstd(const void *in, size_t in_len, void *out,
			 size_t out_len)
{
	size_t ws_size = zstd_dctx_workspace_bound();
	void *ws = kvmalloc(ws_size, GFP_KERNEL);
	zstd_dctx *dctx;
	size_t ret;

	if (!ws)
		return -ENOMEM;
	dctx = zstd_init_dctx(ws, ws_size);
	ret = dctx ? zstd_decompress_dctx(dctx, out, out_len, in, in_len) : 0;
	kvfree(ws);
	if (!dctx)
		return -ENOMEM;
	if (!zstd_is_error(ret))
		return ret;
	return zstd_get_error_code(ret) == ZSTD_error_dstSize_tooSmall ?
	       -ENOSPC : -EIO;
}

int sbm_test_native_xz(const void *in, size_t in_len, void *out,
		       size_t out_len)
{
	struct xz_buf b = {
		.in = in, .in_size = in_len, .out = out, .out_size = out_len,
	};
	struct xz_dec *s = xz_dec_init(XZ_SINGLE, 0);
	enum xz_ret ret;

	if (!s)
		return -ENOMEM;
	ret = xz_dec_run(s, &b);
	xz_dec_end(s);
	if (ret == XZ_STREAM_END)
		return b.out_pos;
	if (ret == XZ_MEM_ERROR)
		return -ENOMEM;
	if (ret == XZ_BUF_ERROR && b.out_pos == b.out_size)
		return -ENOSPC;
	return -EIO;
}

int sbm_test_compress_lz4(const void *in, size_t len, void *out,
			  size_t cap)
{
	void *wrkmem = kvmalloc(LZ4_MEM_COMPRESS, GFP_KERNEL);
	int ret;

	if (!wrkmem)
		return -ENOMEM;
	ret = LZ4_compress_default(in, out, len, cap, wrkmem);
	kvfree(wrkmem);
	return ret > 0 ? ret : -EIO;
}

int sbm_test_compress_zstd(const void *in, size_t len, void *out,
			   size_t cap)
{
	zstd_parameters params = zstd_get_params(3, len);
	size_t ws_size = zstd_cctx_workspace_bound(&params.cParams);
	void *ws = kvmalloc(ws_size, GFP_KERNEL);
	zstd_cctx *cctx;
	size_t ret;

	if (!ws)
		return -ENOMEM;
	cctx = zstd_init_cctx(ws, ws_size);
	ret = cctx ? zstd_compress_cctx(cctx, out, cap, in, len, &params) : 0;
	kvfree(ws);
	if (!cctx || zstd_is_error(ret))
		return -EIO;
	return ret;
}
