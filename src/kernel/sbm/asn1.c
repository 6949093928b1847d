// SPDX-License-Identifier: GPL-2.0
/*
 * SandBox Mode: ASN.1 decoding in a sandbox, with the actions replayed in
 * the kernel.
 *
 * The sandboxed copy of the BER decoder runs a grammar whose actions
 * record (action, tag, header length, offset, length) events. Nothing of
 * that record is trusted: the kernel checks that it fits in its buffer,
 * that every action is one of the caller's, and that every value lies
 * within the data with its header in front of it, before it calls the
 * real actions, in order, with pointers into the data. The first action
 * that fails ends the replay with its error; otherwise the decoder's own
 * result is returned. Actions thus see the calls that asn1_ber_decoder()
 * would have made, up to the same error, or, should the sandbox have been
 * subverted, calls that a certificate could have produced as well: a
 * value inside the data, described by its own header.
 */

#include <linux/asn1_ber_bytecode.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/overflow.h>
#include <linux/sbm.h>
#include <linux/sbm_lib.h>
#include <linux/vmalloc.h>

/* The largest BER header: tag, length byte, and 8 bytes of length. */
#define SBM_ASN1_MAX_HDRLEN	10

/**
 * sbm_asn1_replay() - check the record of a sandboxed decoding and replay it
 * @log:	what the sandbox returned (untrusted)
 * @log_size:	size of @log in bytes
 * @actions:	the real actions, indexed by the recorded action numbers
 * @nr_actions:	number of @actions
 * @context:	context of the actions
 * @data:	the data that was decoded
 * @datalen:	its size
 *
 * Return: 0, the error of the first failing action, the decoder's error,
 * or -EBADMSG if the record is malformed.
 */
int sbm_asn1_replay(const struct sbm_asn1_log *log, size_t log_size,
		    const asn1_action_t *actions, unsigned int nr_actions,
		    void *context, const unsigned char *data, size_t datalen)
{
	u32 i, count = READ_ONCE(log->count);
	s32 result = READ_ONCE(log->result);
	int ret;

	if (log_size < sizeof(*log) ||
	    count > (log_size - sizeof(*log)) / sizeof(log->events[0]))
		return -EBADMSG;
	for (i = 0; i < count; i++) {
		struct sbm_asn1_event ev = log->events[i];
		size_t end;

		if (ev.action >= nr_actions || !actions[ev.action] ||
		    ev.hdrlen > SBM_ASN1_MAX_HDRLEN || ev.hdrlen > ev.offset ||
		    check_add_overflow((size_t)ev.offset, (size_t)ev.len, &end) ||
		    end > datalen)
			return -EBADMSG;
		ret = actions[ev.action](context, ev.hdrlen, ev.tag,
					 data + ev.offset, ev.len);
		if (ret < 0)
			return ret;
	}
	/* The errors that asn1_ber_decoder() returns, and nothing else. */
	if (result == 0 || result == -EBADMSG || result == -EMSGSIZE)
		return result;
	return -EBADMSG;
}
EXPORT_SYMBOL_GPL(sbm_asn1_replay);

/**
 * sbm_asn1_decode() - decode ASN.1 BER data in a sandbox
 * @func:	sandboxed decoder of the grammar, e.g. SBM_LIB(asn1_decode_x509)
 * @actions:	the real actions of the grammar, in the order of the record
 * @nr_actions:	number of @actions
 * @context:	context of the actions
 * @data:	data to decode
 * @datalen:	its size
 *
 * Does what asn1_ber_decoder() does with the real grammar, with the
 * decoder in a sandbox.
 *
 * Return: as for asn1_ber_decoder(); also -EBADMSG if the data made the
 * decoder misbehave (the sandbox was terminated), -ENOMEM, or -EINTR.
 */
int sbm_asn1_decode(sbm_asn1_fn *func, const asn1_action_t *actions,
		    unsigned int nr_actions, void *context,
		    const unsigned char *data, size_t datalen)
{
	struct sbm_asn1_log *log;
	size_t log_size;
	struct sbm sbm;
	int ret;

	if (!datalen)
		return -EBADMSG;
	/* An element takes two bytes at least: room for every action. */
	log_size = struct_size(log, events, datalen / 2 + 1);
	if (log_size > SBM_MAX_BUF_SIZE)
		return -EBADMSG;
	log = vmalloc(log_size);
	if (!log)
		return -ENOMEM;

	sbm_init(&sbm);
	ret = sbm_call(&sbm, func, SBM_COPY_IN(&sbm, data, datalen), datalen,
		       SBM_COPY_OUT(&sbm, log, log_size), log_size);
	sbm_destroy(&sbm);
	if (!ret)
		ret = sbm_asn1_replay(log, log_size, actions, nr_actions,
				      context, data, datalen);
	else if (ret > 0 || ret == -EFAULT || ret == -ETIMEDOUT)
		ret = -EBADMSG;	/* the data subverted the decoder */
	vfree(log);
	return ret;
}
EXPORT_SYMBOL_GPL(sbm_asn1_decode);
