// SPDX-License-Identifier: GPL-2.0
/*
 * SandBox Mode: ASN.1 decoding in a sandbox, with the actions replayed in
 * the kernel.
 *
 * The sandboxed copy of the BER decoder runs a grammar whose actions
 * record (action, tag, header length, offset, length) events. Nothing of
 * that record is trusted: the kernel checks that it fits in its buffer,
 * that every action is one of the caller's, that every value lies within
 * the data with room for its header in front of it and, for signed data,
 * that the values the signature covers come from the signed element
 * (struct sbm_asn1_scope), before it calls the real actions, in order,
 * with pointers into the data. The first action that fails ends the
 * replay with its error; otherwise the decoder's own result is returned.
 * Actions thus see the calls that asn1_ber_decoder() would have made, up
 * to the same error, or, should the sandbox have been subverted, values
 * inside the data, the signed ones from the signed part.
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

/* The element of @ev, header and value, lies in [@start, @end). */
static bool sbm_asn1_inside(const struct sbm_asn1_event *ev, size_t start,
			    size_t end)
{
	return (size_t)ev->offset - ev->hdrlen >= start &&
	       (size_t)ev->offset + ev->len <= end;
}

static bool sbm_asn1_disjoint(const struct sbm_asn1_event *ev, size_t start,
			      size_t end)
{
	return (size_t)ev->offset + ev->len <= start ||
	       (size_t)ev->offset - ev->hdrlen >= end;
}

/*
 * Check all @count events of a record before anything runs: see
 * sbm_asn1_replay(). The record is the kernel's copy of the sandbox's
 * output; nothing changes it any more.
 */
static int sbm_asn1_check(const struct sbm_asn1_event *events, u32 count,
			  const asn1_action_t *actions, unsigned int nr_actions,
			  const struct sbm_asn1_scope *scope, s32 result,
			  size_t datalen)
{
	size_t start = 0, end = 0, ev_end;
	u32 i, root = count;

	for (i = 0; i < count; i++) {
		const struct sbm_asn1_event *ev = &events[i];

		if (ev->action >= nr_actions || !actions[ev->action] ||
		    ev->hdrlen > SBM_ASN1_MAX_HDRLEN || ev->hdrlen > ev->offset ||
		    check_add_overflow((size_t)ev->offset, (size_t)ev->len,
				       &ev_end) ||
		    ev_end > datalen)
			return -EBADMSG;
		if (!scope || ev->action != scope->root)
			continue;
		if (root < count)
			return -EBADMSG;
		root = i;
		start = ev->offset - ev->hdrlen;
		end = ev_end;
	}
	if (!scope)
		return 0;
	/*
	 * A decoding that failed before its root fails the parse anyway:
	 * its actions run only to return the error the native decoder would.
	 */
	if (root == count)
		return result ? 0 : -EBADMSG;
	for (i = 0; i < count; i++) {
		const struct sbm_asn1_event *ev = &events[i];

		if (i < root && !sbm_asn1_inside(ev, start, end))
			return -EBADMSG;
		if (i > root && (!(scope->outside & BIT(ev->action)) ||
				 !sbm_asn1_disjoint(ev, start, end)))
			return -EBADMSG;
	}
	return 0;
}

/**
 * sbm_asn1_replay() - check the record of a sandboxed decoding and replay it
 * @log:	what the sandbox returned (untrusted)
 * @log_size:	size of @log in bytes
 * @actions:	the real actions, indexed by the recorded action numbers
 * @nr_actions:	number of @actions
 * @scope:	what a signature covers, or %NULL (see struct sbm_asn1_scope)
 * @context:	context of the actions
 * @data:	the data that was decoded
 * @datalen:	its size
 *
 * The whole record is checked before the first action runs.
 *
 * Return: 0, the error of the first failing action, the decoder's error,
 * or -EBADMSG if the record is malformed.
 */
int sbm_asn1_replay(const struct sbm_asn1_log *log, size_t log_size,
		    const asn1_action_t *actions, unsigned int nr_actions,
		    const struct sbm_asn1_scope *scope, void *context,
		    const unsigned char *data, size_t datalen)
{
	const struct sbm_asn1_event *ev = log->events;
	u32 i, count;
	s32 result;
	int ret;

	if (log_size < sizeof(*log))
		return -EBADMSG;
	count = log->count;
	result = log->result;
	if (count > (log_size - sizeof(*log)) / sizeof(log->events[0]))
		return -EBADMSG;
	/* The errors that asn1_ber_decoder() returns, and nothing else. */
	if (result != 0 && result != -EBADMSG && result != -EMSGSIZE)
		return -EBADMSG;
	ret = sbm_asn1_check(ev, count, actions, nr_actions, scope, result,
			     datalen);
	for (i = 0; !ret && i < count; i++)
		ret = actions[ev[i].action](context, ev[i].hdrlen, ev[i].tag,
					    data + ev[i].offset, ev[i].len);
	if (ret < 0)
		return ret;
	return result;
}
EXPORT_SYMBOL_GPL(sbm_asn1_replay);

/**
 * sbm_asn1_decode() - decode ASN.1 BER data in a sandbox
 * @func:	sandboxed decoder of the grammar, e.g. SBM_LIB(asn1_decode_x509)
 * @actions:	the real actions of the grammar, in the order of the record
 * @nr_actions:	number of @actions
 * @scope:	what a signature covers, or %NULL (see struct sbm_asn1_scope)
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
		    unsigned int nr_actions, const struct sbm_asn1_scope *scope,
		    void *context, const unsigned char *data, size_t datalen)
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
				      scope, context, data, datalen);
	else if (ret > 0 || ret == -EFAULT || ret == -ETIMEDOUT)
		ret = -EBADMSG;	/* the data subverted the decoder */
	vfree(log);
	return ret;
}
EXPORT_SYMBOL_GPL(sbm_asn1_decode);

/*
 * In x509.asn1 the TBSCertificate holds every value but the signature and
 * the outer AlgorithmIdentifier (its OID and parameters). An X.509 parse
 * that took, say, the public key from outside it would check a signature
 * over one key and use another.
 */
const struct sbm_asn1_scope sbm_x509_scope = {
	.root = SBM_X509_x509_note_tbs_certificate,
	.outside = BIT(SBM_X509_x509_note_OID) | BIT(SBM_X509_x509_note_params) |
		   BIT(SBM_X509_x509_note_signature),
};
EXPORT_SYMBOL_GPL(sbm_x509_scope);
