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

/* The actions of the X.509 grammars, in the order of the replay tables. */
#define SBM_X509_ACTIONS(X)		\
	X(x509_extract_key_data)	\
	X(x509_extract_name_segment)	\
	X(x509_note_OID)		\
	X(x509_note_issuer)		\
	X(x509_note_not_after)		\
	X(x509_note_not_before)		\
	X(x509_note_params)		\
	X(x509_note_serial)		\
	X(x509_note_sig_algo)		\
	X(x509_note_signature)		\
	X(x509_note_subject)		\
	X(x509_note_tbs_certificate)	\
	X(x509_process_extension)	\
	X(x509_akid_note_kid)		\
	X(x509_akid_note_name)		\
	X(x509_akid_note_serial)

#define __SBM_X509_ENUM(name)	SBM_X509_##name,
enum sbm_x509_action {
	SBM_X509_ACTIONS(__SBM_X509_ENUM)
	NR_SBM_X509_ACTIONS
};
#undef __SBM_X509_ENUM

#ifdef __SBM_LIB__
/* Names inside the sandbox library. */
#define __SBM_LIB_NAME(name)	name
#else
#define __SBM_LIB_NAME(name)	SBM_LIB(name)
#endif

int __SBM_LIB_NAME(decompress_lz4)(const void *in, unsigned long in_len,
				       void *out, unsigned long out_len);
int __SBM_LIB_NAME(decompress_zstd)(const void *in, unsigned long in_len,
					void *out, unsigned long out_len);
int __SBM_LIB_NAME(decompress_xz)(const void *in, unsigned long in_len,
				      void *out, unsigned long out_len);
int __SBM_LIB_NAME(asn1_decode_x509)(const unsigned char *data,
				     unsigned long len,
				     struct sbm_asn1_log *log,
				     unsigned long log_size);
int __SBM_LIB_NAME(asn1_decode_x509_akid)(const unsigned char *data,
					  unsigned long len,
					  struct sbm_asn1_log *log,
					  unsigned long log_size);

/* kernel/sbm/asn1.c: run a sandboxed ASN.1 decoding, replay its actions */
typedef int (*sbm_asn1_func)(const unsigned char *data, unsigned long len,
			     struct sbm_asn1_log *log, unsigned long log_size);
int sbm_asn1_decode(sbm_asn1_func func, const asn1_action_t *actions,
		    unsigned int nr_actions, void *context,
		    const unsigned char *data, size_t datalen);
int sbm_asn1_replay(const struct sbm_asn1_log *log, size_t log_size,
		    const asn1_action_t *actions, unsigned int nr_actions,
		    void *context, const unsigned char *data, size_t datalen);

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
