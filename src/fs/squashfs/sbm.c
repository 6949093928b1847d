// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Squashfs - decompression in a sandbox (CONFIG_SQUASHFS_SBM)
 *
 * A block is copied from the pages of its bio straight into the input
 * buffer of a sandboxed decompressor (see
 * Documentation/security/sandbox-mode.rst), which decompresses it into an
 * output buffer that stays in the sandbox. What comes back is the size of
 * the decompressed data, which is checked before that many bytes are
 * copied from the sandbox's buffer to the page actor's pages: one copy in,
 * one copy out, as the native LZ4 wrapper does. A block that the
 * decompressor rejects, and one that makes it misbehave, read as -EIO;
 * the rest of the file system reads on.
 *
 * Each decompressor stream keeps its sandbox from one block to the next,
 * and starts a new one after a block that ended its sandbox.
 */

#include <linux/bio.h>
#include <linux/sbm.h>
#include <linux/sbm_lib.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "squashfs_fs.h"
#include "squashfs_fs_sb.h"
#include "squashfs.h"
#include "decompressor.h"
#include "page_actor.h"

struct squashfs_sbm {
	struct sbm sbm;
	bool sbm_ready;
};

void *squashfs_sbm_init(struct squashfs_sb_info *msblk, void *buff)
{
	struct squashfs_sbm *stream = kzalloc(sizeof(*stream), GFP_KERNEL);

	if (!stream) {
		ERROR("Failed to initialise the sandboxed decompressor\n");
		return ERR_PTR(-ENOMEM);
	}
	return stream;
}

void squashfs_sbm_free(void *strm)
{
	struct squashfs_sbm *stream = strm;

	if (stream && stream->sbm_ready)
		sbm_destroy(&stream->sbm);
	kfree(stream);
}

/* The stream's sandbox, new if the last block ended the previous one. */
static struct sbm *squashfs_sbm_get(struct squashfs_sbm *stream, size_t heap)
{
	if (stream->sbm_ready && !sbm_error(&stream->sbm))
		return &stream->sbm;
	if (stream->sbm_ready)
		sbm_destroy(&stream->sbm);
	sbm_init(&stream->sbm);
	if (heap)
		sbm_init_heap(&stream->sbm, heap);
	stream->sbm_ready = true;
	return &stream->sbm;
}

int squashfs_sbm_uncompress(void *strm, squashfs_sbm_func func, size_t heap,
			    struct bio *bio, int offset, int length,
			    struct squashfs_page_actor *output)
{
	struct squashfs_sbm *stream = strm;
	struct bio_vec *bvec;
	struct bvec_iter_all iter_all;
	struct iov_iter iter;
	size_t avail = 0;
	const void *buff;
	void *data, *out;
	struct sbm *sbm;
	int bytes, res;

	bio_for_each_segment_all(bvec, bio, iter_all)
		avail += bvec->bv_len;
	if (offset < 0 || length <= 0 || avail < (size_t)offset + length)
		return -EIO;
	iov_iter_bvec(&iter, ITER_SOURCE, bio->bi_io_vec, bio->bi_vcnt,
		      offset + length);
	iov_iter_advance(&iter, offset);

	sbm = squashfs_sbm_get(stream, heap);
	out = SBM_OUT_KEEP(sbm, output->length);
	res = sbm_call(sbm, func, SBM_COPY_IN_ITER(sbm, &iter, length), length,
		       out, output->length);
	/* Trust nothing but a size that fits. */
	buff = sbm_out_data(sbm, out);
	if (res < 0 || res > output->length || !buff)
		return -EIO;

	bytes = res;
	data = squashfs_first_page(output);
	while (data) {
		if (bytes <= PAGE_SIZE) {
			if (!IS_ERR(data))
				memcpy(data, buff, bytes);
			break;
		}
		if (!IS_ERR(data))
			memcpy(data, buff, PAGE_SIZE);
		buff += PAGE_SIZE;
		bytes -= PAGE_SIZE;
		data = squashfs_next_page(output);
	}
	squashfs_finish_page(output);

	return res;
}
