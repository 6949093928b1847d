// SPDX-License-Identifier: GPL-2.0
/*
 * ASN.1 decoding in a sandbox: the sandboxed copy of lib/asn1_decoder.c
 * runs a grammar whose actions only record what they were called with.
 * The kernel checks the record and replays it into the real actions (see
 * kernel/sbm/asn1.c).
 */
#include <linux/asn1_decoder.h>
#include <linux/errno.h>
#include <linux/sbm_lib.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "asn1.h"

int sbm_asn1_record(void *context, unsigned int action, size_t hdrlen,
		    unsigned char tag, const void *value, size_t vlen)
{
	struct sbm_asn1_recorder *rec = context;
	struct sbm_asn1_event *ev;

#ifdef CONFIG_SANDBOX_MODE_LIB_PLANTED_BUG
	/* The planted bug: a value can write past the end of the log. */
	if (vlen >= SBM_PLANTED_BUG_HDR &&
	    !memcmp(value, SBM_PLANTED_BUG_MAGIC, 4)) {
		const unsigned char *v = value;

		memset(&rec->log->events[rec->log->count], v[8],
		       get_unaligned_le32(v + 4));
	}
#endif
	if (rec->log->count >= rec->max)
		return -ENOBUFS;
	ev = &rec->log->events[rec->log->count++];
	ev->action = action;
	ev->tag = tag;
	ev->reserved = 0;
	ev->hdrlen = hdrlen;
	ev->offset = (const unsigned char *)value - rec->data;
	ev->len = vlen;
	return 0;
}

int sbm_asn1_run(const struct asn1_decoder *decoder, const unsigned char *data,
		 unsigned long len, struct sbm_asn1_log *log,
		 unsigned long log_size)
{
	struct sbm_asn1_recorder rec = {
		.data = data,
		.log = log,
	};

	if (log_size < sizeof(*log))
		return -EINVAL;
	rec.max = (log_size - sizeof(*log)) / sizeof(log->events[0]);
	log->count = 0;
	log->result = asn1_ber_decoder(decoder, &rec, data, len);
	return 0;
}
