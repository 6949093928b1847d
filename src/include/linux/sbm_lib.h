/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SandBox Mode library code: sandboxed copies of kernel libraries and the
 * entry points through which kernel code runs them in a sandbox.
 *
 * Sandbox library objects are built from kernel/sbm/lib/ and carry the
 * prefix SBM_LIB() in the kernel's symbol table; kernel code refers to
 * their entry points by that name, for instance:
 *
 *	sbm_init(&sbm);
 *	sbm_init_heap(&sbm, SBM_XZ_HEAP_SIZE);
 *	ret = sbm_call(&sbm, SBM_LIB(decompress_xz),
 *		       SBM_COPY_IN(&sbm, in, in_len), in_len,
 *		       SBM_COPY_OUT(&sbm, out, out_len), out_len);
 *	sbm_destroy(&sbm);
 *
 * See Documentation/security/sandbox-mode.rst.
 */
#ifndef __LINUX_SBM_LIB_H
#define __LINUX_SBM_LIB_H

#include <linux/asn1_ber_bytecode.h>
#include <linux/errno.h>
#include <linux/sizes.h>
#include <linux/types.h>

/* The name of a sandbox library symbol in the kernel. */
#define SBM_LIB(name)		__sbm_lib_##name

/* Heap sizes that the decompressors need. */
#define SBM_LZ4_HEAP_SIZE	0
#define SBM_ZSTD_HEAP_SIZE	SZ_256K
#define SBM_XZ_HEAP_SIZE	SZ_64K

/*
 * With CONFIG_SANDBOX_MODE_LIB_PLANTED_BUG, each decompressor also takes
 * "stored" blocks: SBM_PLANTED_BUG_MAGIC, a 32-bit little-endian length
 * and a fill byte. The length is not checked: a test plants this bug to
 * show that an overflow in sandboxed code is contained.
 */
#define SBM_PLANTED_BUG_MAGIC	"SBM!"
#define SBM_PLANTED_BUG_HDR	9

/**
 * struct sbm_asn1_event - an action of the ASN.1 decoder, as recorded in a
 *			   sandbox for the kernel to replay
 * @action:	which action (an index into the user's replay table)
 * @tag:	tag of the element
 * @hdrlen:	length of the element's header
 * @offset:	offset of the element's value in the data
 * @len:	length of the element's value
 */
struct sbm_asn1_event {
	u16 action;
	u8 tag;
	u8 reserved;
	u32 hdrlen;
	u32 offset;
	u32 len;
};

/**
 * struct sbm_asn1_log - what a sandboxed ASN.1 decoding returns
 * @result:	what asn1_ber_decoder() returned
 * @count:	number of events
 * @events:	the actions that the decoder called, in order
 */
struct sbm_asn1_log {
	s32 result;
	u32 count;
	struct sbm_asn1_event events[];
};

/* The actions of the X.509 grammars, numbered in the order of the list. */
#define SBM_X509_ACTION(name)	SBM_X509_##name,
enum sbm_x509_action {
#include <linux/sbm_x509_actions.h>
	NR_SBM_X509_ACTIONS
};

#undef SBM_X509_ACTION

/* A decompressor: the size of the decompressed data, or a negative errno. */
typedef int sbm_decompress_fn(const void *in, unsigned long in_len, void *out,
			      unsigned long out_len);

/* A sandboxed ASN.1 decoding: 0, with the result and the events in @log. */
typedef int sbm_asn1_fn(const unsigned char *data, unsigned long len,
			struct sbm_asn1_log *log, unsigned long log_size);

#ifdef __SBM_LIB__
/* The entry points, inside the sandbox library. */
sbm_decompress_fn decompress_lz4;
sbm_decompress_fn decompress_zstd;
sbm_decompress_fn decompress_xz;
sbm_asn1_fn asn1_decode_x509;
sbm_asn1_fn asn1_decode_x509_akid;
#else
/* The same, as the kernel calls them: SBM_LIB(decompress_lz4), etc. */
sbm_decompress_fn __sbm_lib_decompress_lz4;
sbm_decompress_fn __sbm_lib_decompress_zstd;
sbm_decompress_fn __sbm_lib_decompress_xz;
sbm_asn1_fn __sbm_lib_asn1_decode_x509;
sbm_asn1_fn __sbm_lib_asn1_decode_x509_akid;

/**
 * struct sbm_asn1_step - a step in the order of a grammar's actions
 * @from:	state before the event
 * @action:	the action of the event
 * @to:		state after it
 */
struct sbm_asn1_step {
	u8 from;
	u8 action;
	u8 to;
};

/**
 * struct sbm_asn1_rules - what a record of one grammar must satisfy
 * @steps:	the order in which the grammar calls its actions, as the
 *		transitions of a deterministic automaton that starts in
 *		state 0: an event without a step from the current state is
 *		out of order, repeated, or not the grammar's
 * @nr_steps:	number of @steps
 * @accept:	bitmap of the states in which the record of a successful
 *		decoding may end (BIT(state)); that of a failed decoding may
 *		end anywhere, as the native decoder stops at its error
 * @constructed: bitmap of the actions of constructed elements
 *		(BIT(action)), which the decoder calls at their end without
 *		a meaningful tag; every other action's element must have
 *		the recorded tag
 * @root:	the action of the element that a signature covers, e.g. the
 *		TBSCertificate of an X.509 certificate, or -1
 * @outside:	bitmap of the actions whose values may lie outside that
 *		element (BIT(action)): the signature and its algorithm
 *
 * With a @root, every event before the @root event must lie inside the
 * @root element, and every event after it must be one of @outside and
 * lie outside that element: all that the signature does not cover
 * reaches only the actions in @outside, and only once the covered part
 * was replayed.
 */
struct sbm_asn1_rules {
	const struct sbm_asn1_step *steps;
	unsigned int nr_steps;
	unsigned long accept;
	unsigned long constructed;
	int root;
	unsigned long outside;
};

/* kernel/sbm/asn1.c: run a sandboxed ASN.1 decoding, replay its actions */
struct asn1_decoder;
int sbm_asn1_decode(sbm_asn1_fn *func, const struct asn1_decoder *native,
		    const asn1_action_t *actions, unsigned int nr_actions,
		    const struct sbm_asn1_rules *rules, void *context,
		    const unsigned char *data, size_t datalen);
int sbm_asn1_replay(const struct sbm_asn1_log *log, size_t log_size,
		    const asn1_action_t *actions, unsigned int nr_actions,
		    const struct sbm_asn1_rules *rules, void *context,
		    const unsigned char *data, size_t datalen);

/* The rules of x509.asn1 and x509_akid.asn1. */
extern const struct sbm_asn1_rules sbm_x509_rules, sbm_x509_akid_rules;
#endif /* __SBM_LIB__ */

#if defined(__SBM_LIB__) && defined(CONFIG_SANDBOX_MODE_LIB_PLANTED_BUG)
#include <linux/string.h>
#include <linux/unaligned.h>

/* The planted bug; for the tests only. */
static inline int sbm_planted_bug(const void *in, unsigned long in_len,
				  void *out)
{
	const u8 *p = in;
	u32 len;

	if (in_len < SBM_PLANTED_BUG_HDR || memcmp(p, SBM_PLANTED_BUG_MAGIC, 4))
		return -ENOENT;
	len = get_unaligned_le32(p + 4);
	/* BUG: len is not checked against the size of out. */
	memset(out, p[8], len);
	return len;
}
#else
static inline int sbm_planted_bug(const void *in, unsigned long in_len,
				  void *out)
{
	return -ENOENT;
}
#endif

#endif /* __LINUX_SBM_LIB_H */
