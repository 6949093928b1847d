// SPDX-License-Identifier: GPL-2.0
/*
 * SandBox Mode: ASN.1 decoding in a sandbox, with the actions replayed in
 * the kernel.
 *
 * The sandboxed copy of the BER decoder runs a grammar whose actions
 * record (action, tag, header length, offset, length) events. The sandbox
 * is hostile: nothing of that record is trusted, and the kernel checks
 * all of it before the first real action runs (sbm_asn1_check()):
 *
 *  - it fits in its buffer, and its result is one that asn1_ber_decoder()
 *    returns;
 *  - every action is one of the grammar's (the caller's table has no
 *    other), and the actions come in the order in which the grammar calls
 *    them (struct sbm_asn1_rules: a small automaton per grammar), so none
 *    is missing, repeated or out of place; a successful decoding is
 *    complete;
 *  - every element lies within the data, and its header, re-read from
 *    the data, has the recorded tag, header length and length;
 *  - the elements nest as the decoder visits them: each one either
 *    follows the elements before it or encloses them;
 *  - for signed data, the values the signature covers come from the
 *    signed element, and the others only after it.
 *
 * Then the real actions are called, in order, with pointers into the
 * data. The first action that fails ends the replay with its error;
 * otherwise the decoder's own result is returned. These checks are short
 * next to the decoder they stand in for: a header read, a table lookup
 * and a stack of intervals per event.
 */

#include <linux/asn1.h>
#include <linux/asn1_ber_bytecode.h>
#include <linux/asn1_decoder.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/overflow.h>
#include <linux/sbm.h>
#include <linux/sbm_lib.h>
#include <linux/slab.h>
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
 * Re-read the header of the element of @ev, which lies within the data
 * with its header. The decoder reports the element's tag, but at the end
 * of a constructed element that has an action (@cons, from the grammar's
 * struct sbm_asn1_rules) 0 or the tag of its last part: actions of
 * constructed elements get no tag they could use. The length is the
 * header's, or, for an indefinite length, what lies before the
 * end-of-contents octets that must follow. Return: the end of the
 * element, or 0.
 */
static size_t sbm_asn1_header(const struct sbm_asn1_event *ev, bool cons,
			      const unsigned char *data, size_t datalen)
{
	const unsigned char *h = data + ev->offset - ev->hdrlen;
	size_t end = (size_t)ev->offset + ev->len, len = 0;
	unsigned int i, n;

	if (ev->hdrlen < 2)
		return 0;
	if (cons ? !(h[0] & (ASN1_CONS << 5)) : h[0] != ev->tag)
		return 0;
	if (h[1] == ASN1_INDEFINITE_LENGTH) {
		if (ev->hdrlen != 2 || !(h[0] & (ASN1_CONS << 5)) ||
		    datalen - end < 2 || data[end] || data[end + 1])
			return 0;
		return end + 2;
	}
	if (h[1] < 0x80)
		return ev->hdrlen == 2 && h[1] == ev->len ? end : 0;
	n = h[1] & 0x7f;
	if (ev->hdrlen != 2 + n)
		return 0;
	for (i = 0; i < n; i++)
		len = len << 8 | h[2 + i];
	return len == ev->len ? end : 0;
}

/* The state after @action in @state, or -1 if the grammar has no such step. */
static int sbm_asn1_step(const struct sbm_asn1_rules *rules, int state,
			 unsigned int action)
{
	unsigned int i;

	for (i = 0; i < rules->nr_steps; i++)
		if (rules->steps[i].from == state &&
		    rules->steps[i].action == action)
			return rules->steps[i].to;
	return -1;
}

/*
 * Check all @count events of a record before anything runs: see the top
 * of this file. The record is the kernel's copy of the sandbox's output;
 * nothing changes it any more. @ends has room for @count entries.
 */
static int sbm_asn1_check(const struct sbm_asn1_event *events, u32 count,
			  const asn1_action_t *actions, unsigned int nr_actions,
			  const struct sbm_asn1_rules *rules, s32 result,
			  const unsigned char *data, size_t datalen,
			  size_t *starts, size_t *ends)
{
	size_t start = 0, end = 0, ev_start, ev_end;
	u32 i, root = count, depth = 0;
	int state = 0;
	bool cons;

	for (i = 0; i < count; i++) {
		const struct sbm_asn1_event *ev = &events[i];

		if (ev->action >= nr_actions || !actions[ev->action] ||
		    ev->hdrlen > SBM_ASN1_MAX_HDRLEN || ev->hdrlen > ev->offset ||
		    check_add_overflow((size_t)ev->offset, (size_t)ev->len,
				       &ev_end) ||
		    ev_end > datalen)
			return -EBADMSG;
		ev_start = ev->offset - ev->hdrlen;
		/* Without rules, any constructed element may have an action. */
		cons = rules ? rules->constructed & BIT(ev->action) :
		       ev->tag != data[ev_start];
		ev_end = sbm_asn1_header(ev, cons, data, datalen);
		if (!ev_end)
			return -EBADMSG;
		/* Enclose the elements before, or follow them. */
		while (depth && starts[depth - 1] >= ev_start &&
		       ends[depth - 1] <= ev_end)
			depth--;
		if (depth && ends[depth - 1] > ev_start)
			return -EBADMSG;
		starts[depth] = ev_start;
		ends[depth++] = ev_end;
		if (rules && rules->steps) {
			state = sbm_asn1_step(rules, state, ev->action);
			if (state < 0)
				return -EBADMSG;
		}
		if (!rules || rules->root < 0 || ev->action != rules->root)
			continue;
		if (root < count)
			return -EBADMSG;
		root = i;
		start = ev_start;
		end = (size_t)ev->offset + ev->len;
	}
	if (!rules)
		return 0;
	/* A successful decoding is complete; a failed one ends anywhere. */
	if (rules->steps && !result && !(rules->accept & BIT(state)))
		return -EBADMSG;
	if (rules->root < 0)
		return 0;
	/*
	 * Without its root, a decoding must have failed before it: its
	 * actions run only to return the error the native decoder would.
	 */
	if (root == count)
		return result ? 0 : -EBADMSG;
	for (i = 0; i < count; i++) {
		const struct sbm_asn1_event *ev = &events[i];

		if (i < root && !sbm_asn1_inside(ev, start, end))
			return -EBADMSG;
		if (i > root && (!(rules->outside & BIT(ev->action)) ||
				 !sbm_asn1_disjoint(ev, start, end)))
			return -EBADMSG;
	}
	return 0;
}

/**
 * sbm_asn1_replay() - check the record of a sandboxed decoding and replay it
 * @log:	what the sandbox returned (untrusted)
 * @log_size:	size of @log in bytes
 * @actions:	the real actions of the grammar, indexed by the recorded
 *		action numbers; %NULL for numbers that are not the grammar's
 * @nr_actions:	number of @actions
 * @rules:	the grammar's order of actions and what a signature covers,
 *		or %NULL (see struct sbm_asn1_rules)
 * @context:	context of the actions
 * @data:	the data that was decoded
 * @datalen:	its size
 *
 * The whole record is checked before the first action runs.
 *
 * Return: 0, the error of the first failing action, the decoder's error,
 * -EBADMSG if the record is malformed, or -ENOMEM.
 */
int sbm_asn1_replay(const struct sbm_asn1_log *log, size_t log_size,
		    const asn1_action_t *actions, unsigned int nr_actions,
		    const struct sbm_asn1_rules *rules, void *context,
		    const unsigned char *data, size_t datalen)
{
	const struct sbm_asn1_event *ev = log->events;
	size_t *stack;
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
	stack = kvmalloc_array(2 * (size_t)count + 2, sizeof(*stack),
			       GFP_KERNEL_ACCOUNT);
	if (!stack)
		return -ENOMEM;
	ret = sbm_asn1_check(ev, count, actions, nr_actions, rules, result,
			     data, datalen, stack, stack + count + 1);
	kvfree(stack);
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
 * @native:	the kernel's decoder of the same grammar, with its actions
 * @actions:	the real actions of the grammar, in the order of the record
 * @nr_actions:	number of @actions
 * @rules:	what the record must satisfy, or %NULL (see struct sbm_asn1_rules)
 * @context:	context of the actions
 * @data:	data to decode
 * @datalen:	its size
 *
 * Does what asn1_ber_decoder() does with the real grammar, with the
 * decoder in a sandbox. Where strong isolation is unavailable, it is
 * asn1_ber_decoder() with @native: the kernel's own decoder, built with
 * all of the kernel's hardening, rather than the sandbox's copy, which
 * is built to run at CPL3 (without stack protector, FORTIFY or the
 * kernel's thunks) and would run in the kernel.
 *
 * Return: as for asn1_ber_decoder(); also -EBADMSG if the data made the
 * decoder misbehave (the sandbox was terminated), -ENOMEM, or -EINTR.
 */
int sbm_asn1_decode(sbm_asn1_fn *func, const struct asn1_decoder *native,
		    const asn1_action_t *actions, unsigned int nr_actions,
		    const struct sbm_asn1_rules *rules, void *context,
		    const unsigned char *data, size_t datalen)
{
	struct sbm_asn1_log *log;
	size_t log_size;
	struct sbm sbm;
	int ret, err;

	if (!sbm_strong_available())
		return asn1_ber_decoder(native, context, data, datalen);
	if (!datalen)
		return -EBADMSG;
	/* An element takes two bytes at least: room for every action. */
	log_size = struct_size(log, events, datalen / 2 + 1);
	if (log_size > SBM_MAX_BUF_SIZE)
		return -EBADMSG;
	log = __vmalloc(log_size, GFP_KERNEL_ACCOUNT);
	if (!log)
		return -ENOMEM;

	sbm_init(&sbm);
	ret = sbm_call(&sbm, func, SBM_COPY_IN(&sbm, data, datalen), datalen,
		       SBM_COPY_OUT(&sbm, log, log_size), log_size);
	err = sbm_error(&sbm);
	sbm_destroy(&sbm);
	/*
	 * The sandbox's own return value is 0, and nothing else: any other
	 * value, like a terminated sandbox, means the data subverted the
	 * decoder. (Passed on, a forged negative value would become an
	 * ERR_PTR() that IS_ERR() does not catch.) Errors of SBM itself,
	 * such as -ENOMEM or -EINTR, are the caller's.
	 */
	if (err == -EFAULT || err == -ETIMEDOUT || (!err && ret))
		ret = -EBADMSG;
	else if (!err)
		ret = sbm_asn1_replay(log, log_size, actions, nr_actions,
				      rules, context, data, datalen);
	else
		ret = err;
	vfree(log);
	return ret;
}
EXPORT_SYMBOL_GPL(sbm_asn1_decode);

#define SBM_X509_STEP(from, action, to) \
	{ from, SBM_X509_x509_##action, to }

/*
 * x509.asn1, in the order in which asn1_ber_decoder() calls its actions:
 * those of a constructed element after those of its contents.
 *
 *	serial, OID [params] sig_algo, {OID name_segment} issuer,
 *	not_before not_after, {OID name_segment} subject,
 *	OID [params] key_data, {OID process_extension}, tbs_certificate,
 *	OID [params] signature
 */
static const struct sbm_asn1_step sbm_x509_steps[] = {
	SBM_X509_STEP(0, note_serial, 1),
	SBM_X509_STEP(1, note_OID, 2),
	SBM_X509_STEP(2, note_params, 3),
	SBM_X509_STEP(2, note_sig_algo, 4),
	SBM_X509_STEP(3, note_sig_algo, 4),
	SBM_X509_STEP(4, note_OID, 5),
	SBM_X509_STEP(5, extract_name_segment, 4),
	SBM_X509_STEP(4, note_issuer, 6),
	SBM_X509_STEP(6, note_not_before, 7),
	SBM_X509_STEP(7, note_not_after, 8),
	SBM_X509_STEP(8, note_OID, 9),
	SBM_X509_STEP(9, extract_name_segment, 8),
	SBM_X509_STEP(8, note_subject, 10),
	SBM_X509_STEP(10, note_OID, 11),
	SBM_X509_STEP(11, note_params, 12),
	SBM_X509_STEP(11, extract_key_data, 13),
	SBM_X509_STEP(12, extract_key_data, 13),
	SBM_X509_STEP(13, note_OID, 14),
	SBM_X509_STEP(14, process_extension, 13),
	SBM_X509_STEP(13, note_tbs_certificate, 15),
	SBM_X509_STEP(15, note_OID, 16),
	SBM_X509_STEP(16, note_params, 17),
	SBM_X509_STEP(16, note_signature, 18),
	SBM_X509_STEP(17, note_signature, 18),
};

/*
 * In x509.asn1 the TBSCertificate holds every value but the signature and
 * the outer AlgorithmIdentifier (its OID and parameters). An X.509 parse
 * that took, say, the public key from outside it would check a signature
 * over one key and use another.
 */
const struct sbm_asn1_rules sbm_x509_rules = {
	.steps = sbm_x509_steps,
	.nr_steps = ARRAY_SIZE(sbm_x509_steps),
	.accept = BIT(18),
	.constructed = BIT(SBM_X509_x509_note_sig_algo) |
		       BIT(SBM_X509_x509_note_issuer) |
		       BIT(SBM_X509_x509_note_subject) |
		       BIT(SBM_X509_x509_note_tbs_certificate),
	.root = SBM_X509_x509_note_tbs_certificate,
	.outside = BIT(SBM_X509_x509_note_OID) | BIT(SBM_X509_x509_note_params) |
		   BIT(SBM_X509_x509_note_signature),
};
EXPORT_SYMBOL_GPL(sbm_x509_rules);

/*
 * x509_akid.asn1: [kid], any number of names of which the directory names
 * report {OID name_segment} akid_note_name, [serial]. Every value is
 * inside the extension it was found in, which the signature covers.
 */
static const struct sbm_asn1_step sbm_x509_akid_steps[] = {
	SBM_X509_STEP(0, akid_note_kid, 1),
	SBM_X509_STEP(0, note_OID, 2),
	SBM_X509_STEP(1, note_OID, 2),
	SBM_X509_STEP(3, note_OID, 2),
	SBM_X509_STEP(4, note_OID, 2),
	SBM_X509_STEP(2, extract_name_segment, 3),
	SBM_X509_STEP(0, akid_note_name, 4),
	SBM_X509_STEP(1, akid_note_name, 4),
	SBM_X509_STEP(3, akid_note_name, 4),
	SBM_X509_STEP(4, akid_note_name, 4),
	SBM_X509_STEP(0, akid_note_serial, 5),
	SBM_X509_STEP(1, akid_note_serial, 5),
	SBM_X509_STEP(4, akid_note_serial, 5),
};

const struct sbm_asn1_rules sbm_x509_akid_rules = {
	.steps = sbm_x509_akid_steps,
	.nr_steps = ARRAY_SIZE(sbm_x509_akid_steps),
	.accept = BIT(0) | BIT(1) | BIT(4) | BIT(5),
	.constructed = BIT(SBM_X509_x509_akid_note_name),
	.root = -1,
};
EXPORT_SYMBOL_GPL(sbm_x509_akid_rules);
