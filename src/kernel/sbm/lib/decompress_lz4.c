// SPDX-License-Identifier: GPL-2.0
/*
 * LZ4 decompression in a sandbox, with the sandboxed copy of
 * lib/lz4/lz4_decompress.c.
 */
#include <linux/errno.h>
#include <linux/lz4.h>
#include <linux/sbm_lib.h>

/**
 * decompress_lz4() - decompress one LZ4 block
 * @in:		compressed data
 * @in_len:	its size
 * @out:	where the data goes
 * @out_len:	room there
 *
 * Return: the size of the decompressed data, or -EIO.
 */
int decompress_lz4(const void *in, unsigned long in_len, void *out,
		   unsigned long out_len)
{
	int ret;

	ret = sbm_planted_bug(in, in_len, out);
	if (ret != -ENOENT)
		return ret;
	if (in_len > INT_MAX || out_len > INT_MAX)
		return -EINVAL;
	ret = LZ4_decompress_safe(in, out, in_len, out_len);
	if (ret < 0) {
		pr_warn("LZ4 decompression failed at input offset %d\n", -ret - 1);
		return -EIO;
	}
	return ret;
}
