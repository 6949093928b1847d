// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Squashfs - decompression in a sandbox (CONFIG_SQUASHFS_SBM)
 *
 * A block is gathered from its bio into a flat input buffer and handed,
 * with a flat output buffer, to a sandboxed decompressor (see
 * Documentation/security/sandbox-mode.rst). What comes back is the size of
 * the decompressed data, which is checked before the output is copied to
 * the page actor's pages. A block that the decompressor rejects, and one
 * that makes it misbehave, read as -EIO; the rest of the file system
 * reads on.
 *
 * Each decompressor stream keeps its sandbox from one block to the next,
 * and starts a new one after a block that ended its sandbox.
 */

#include <linux/bio.h>
#include <linux/sbm.h>
#include <linux/sbm_lib.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "squashfs_fs.h"
#include "squashfs_fs_sb.h"
#include "squashfs.h"
#include "decompressor.h"
#include "page_actor.h"

struct squashfs_sbm {
	void *input;
	void *output;
	struct sbm sbm;
	bool sbm_ready;
};

void *squashfs_sbm_init(struct squashfs_sb_info *msblk, void *buff)
{
	int block_size = max_t(int, msblk->block_size, SQUASHFS_METADATA_SIZE);
	struct squashfs_sbm *stream;

	stream = kzalloc(sizeof(*stream), GFP_KERNEL);
	if (!stream)
		goto failed;
	stream->input = vmalloc(block_size);
	stream->output = vmalloc(block_size);
	if (stream->input && stream->output)
		return stream;
	squashfs_sbm_free(stream);
failed:
	ERROR("Failed to initialise the sandboxed decompressor\n");
	return ERR_PTR(-ENOMEM);
}

void squashfs_sbm_free(void *strm)
{
	struct squashfs_sbm *stream = strm;

	if (stream) {
		if (stream->sbm_ready)
			sbm_destroy(&stream->sbm);
		vfree(stream->input);
		vfree(stream->output);
	}
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
	struct bvec_iter_all iter_all = {};
	struct bio_vec *bvec = bvec_init_iter_all(&iter_all);
	struct squashfs_sbm *stream = strm;
	void *buff = stream->input, *data;
	int bytes = length, res;
	struct sbm *sbm;

	while (bio_next_segment(bio, &iter_all)) {
		int avail = min(bytes, ((int)bvec->bv_len) - offset);

		data = bvec_virt(bvec);
		memcpy(buff, data + offset, avail);
		buff += avail;
		bytes -= avail;
		offset = 0;
	}
	if (bytes)
		return -EIO;

	sbm = squashfs_sbm_get(stream, heap);
	res = sbm_call(sbm, func, SBM_COPY_IN(sbm, stream->input, length),
		       length, SBM_COPY_OUT(sbm, stream->output, output->length),
		       output->length);
	/* Trust nothing but a size that fits. */
	if (res < 0 || res > output->length)
		return -EIO;

	bytes = res;
	data = squashfs_first_page(output);
	buff = stream->output;
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
