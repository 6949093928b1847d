// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of ASN.1 decoding in a sandbox, with X.509 certificates:
 *
 *  - the sandbox records exactly the actions, and returns exactly the
 *    result, that the kernel's own decoder produces on the same grammar,
 *    for a valid certificate and for 240 malformed ones (truncations, bit
 *    flips, lying lengths); x509_cert_parse() parses the valid one, and
 *    fails cleanly on the others;
 *  - forged records, as a subverted sandbox could return them, are
 *    rejected before any action runs, among them records that take a
 *    value from outside the part of the certificate that its signature
 *    covers; every record of the kernel's own decoder passes;
 *  - with CONFIG_SANDBOX_MODE_LIB_PLANTED_BUG, a certificate that drives
 *    a buffer overflow in the sandboxed recorder is contained.
 */

#include <kunit/test.h>
#include <linux/asn1_decoder.h>
#include <linux/err.h>
#include <linux/sbm.h>
#include <linux/sbm_lib.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>

#include "../../crypto/asymmetric_keys/x509_parser.h"
#include "lib/asn1.h"
#include "sbm_internal.h"
#include "sbm_test_vectors.h"

#define SBM_AT_MUTANTS		240

static size_t sbm_at_log_size(size_t len)
{
	return struct_size_t(struct sbm_asn1_log, events, len / 2 + 1);
}

/* What the kernel's decoder does with the grammar and data: the reference. */
static void sbm_at_native(const u8 *data, size_t len, struct sbm_asn1_log *log,
			  size_t log_size)
{
	struct sbm_asn1_recorder rec = {
		.data = data,
		.log = log,
		.max = (log_size - sizeof(*log)) / sizeof(log->events[0]),
	};

	asn1_action_t actions[SBM_ASN1_MAX_ACTIONS];
	struct asn1_decoder d;

	log->count = 0;
	log->result = SBM_LIB(x509_decoder_init)(&d, actions, ARRAY_SIZE(actions)) ?:
		      asn1_ber_decoder(&d, &rec, data, len);
}

/* The same in a sandbox; returns the sbm_call() result. */
static int sbm_at_sandboxed(const u8 *data, size_t len,
			    struct sbm_asn1_log *log, size_t log_size)
{
	struct sbm sbm;
	int ret;

	sbm_init(&sbm);
	ret = sbm_call(&sbm, SBM_LIB(asn1_decode_x509),
		       SBM_COPY_IN(&sbm, data, len), len,
		       SBM_COPY_OUT(&sbm, log, log_size), log_size);
	sbm_destroy(&sbm);
	return ret;
}

static bool sbm_at_same(const struct sbm_asn1_log *a,
			const struct sbm_asn1_log *b)
{
	return a->result == b->result && a->count == b->count &&
	       !memcmp(a->events, b->events, a->count * sizeof(a->events[0]));
}

/* A mutation of the certificate, as the decompressor tests make them. */
static size_t sbm_at_mutate(const u8 *src, size_t len, u8 *dst, unsigned int n)
{
	u32 state = 0x2545f491 ^ (n * 2654435761u);
	size_t pos;

	memcpy(dst, src, len);
	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	pos = state % len;
	switch (n % 4) {
	case 0:
		return 1 + pos % (len - 1);
	case 1:
		dst[pos] ^= 1 << (n % 8);
		return len;
	case 2:		/* a length byte that lies: 0x84 announces 4 more */
		dst[pos] = n & 4 ? 0x84 : 0xff;
		return len;
	default:
		dst[pos] = 0;
		dst[(pos * 7) % len] = 0x7f;
		return len;
	}
}

/* Two records of @log_size bytes, and room for mutants of the certificate. */
static void sbm_at_buffers(struct kunit *test, size_t log_size,
			   struct sbm_asn1_log **a, struct sbm_asn1_log **b,
			   u8 **mutant)
{
	*a = kunit_kzalloc(test, log_size, GFP_KERNEL);
	*b = kunit_kzalloc(test, log_size, GFP_KERNEL);
	*mutant = kunit_kmalloc(test, sbm_test_cert_end - sbm_test_cert,
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, *a);
	KUNIT_ASSERT_NOT_NULL(test, *b);
	KUNIT_ASSERT_NOT_NULL(test, *mutant);
}

/* The sandbox records what the kernel's decoder does, bit for bit. */
static void sbm_at_equivalent(struct kunit *test)
{
	size_t len = sbm_test_cert_end - sbm_test_cert, log_size, n_len;
	struct sbm_asn1_log *ref, *got;
	unsigned int n, errors = 0;
	u8 *mutant;
	int ret;

	if (!sbm_strong_available())
		kunit_skip(test, "strong isolation not available");
	log_size = sbm_at_log_size(len);
	sbm_at_buffers(test, log_size, &ref, &got, &mutant);

	sbm_at_native(sbm_test_cert, len, ref, log_size);
	KUNIT_EXPECT_EQ(test, ref->result, 0);
	KUNIT_EXPECT_GT(test, ref->count, 20);
	ret = sbm_at_sandboxed(sbm_test_cert, len, got, log_size);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, sbm_at_same(ref, got));

	for (n = 0; n < SBM_AT_MUTANTS; n++) {
		n_len = sbm_at_mutate(sbm_test_cert, len, mutant, n);
		sbm_at_native(mutant, n_len, ref, log_size);
		memset(got, 0, log_size);
		ret = sbm_at_sandboxed(mutant, n_len, got, log_size);
		errors += ref->result < 0;
		if (ret || !sbm_at_same(ref, got))
			KUNIT_FAIL(test,
				   "mutant %u: %d, result %d (natively %d), %u events (natively %u)",
				   n, ret, got->result, ref->result, got->count,
				   ref->count);
	}
	kunit_info(test, "%d malformed certificates: %u rejected by the decoder",
		   SBM_AT_MUTANTS, errors);
}

/* With the X.509 parser in a sandbox (CONFIG_X509_CERTIFICATE_PARSER_SBM) */
#define SBM_AT_X509	(IS_BUILTIN(CONFIG_X509_CERTIFICATE_PARSER) && \
			 IS_ENABLED(CONFIG_X509_CERTIFICATE_PARSER_SBM))

/* The valid certificate parses; the malformed ones fail cleanly. */
static void sbm_at_parse(struct kunit *test)
{
#if SBM_AT_X509
	size_t len = sbm_test_cert_end - sbm_test_cert, n_len;
	struct x509_certificate *cert;
	unsigned int n, parsed = 0;
	u8 *mutant;

	cert = x509_cert_parse(sbm_test_cert, len);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(cert), "error %ld", PTR_ERR(cert));
	x509_free_certificate(cert);

	mutant = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mutant);
	for (n = 0; n < SBM_AT_MUTANTS; n++) {
		n_len = sbm_at_mutate(sbm_test_cert, len, mutant, n);
		cert = x509_cert_parse(mutant, n_len);
		if (!IS_ERR(cert)) {
			parsed++;
			x509_free_certificate(cert);
			continue;
		}
		switch (PTR_ERR(cert)) {
		case -EBADMSG:
		case -EINVAL:
		case -EMSGSIZE:
		case -ENOPKG:
		case -EKEYREJECTED:
		case -ERANGE:
			break;
		default:
			KUNIT_FAIL(test, "mutant %u: error %ld", n, PTR_ERR(cert));
		}
	}
	kunit_info(test, "%d malformed certificates: %u still parse", SBM_AT_MUTANTS,
		   parsed);
#else
	kunit_skip(test, "the X.509 parser is not sandboxed");
#endif
}

/* Counts the replayed actions and checks that values lie in the data. */
static const u8 *sbm_at_data;
static size_t sbm_at_len;
static int sbm_at_calls, sbm_at_outside;

static int sbm_at_action(void *context, size_t hdrlen, unsigned char tag,
			 const void *value, size_t vlen)
{
	sbm_at_calls++;
	if ((const u8 *)value - hdrlen < sbm_at_data ||
	    (const u8 *)value + vlen > sbm_at_data + sbm_at_len)
		sbm_at_outside++;
	return 0;
}

/* Records that a subverted sandbox could return are rejected up front. */
static void sbm_at_forged(struct kunit *test)
{
	static const asn1_action_t actions[2] = { sbm_at_action, sbm_at_action };
	static const struct {
		const char *what;
		u32 count;
		s32 result;
		struct sbm_asn1_event ev;
		int want;
	} cases[] = {
		{ "valid", 1, 0, { 1, 4, 0, 2, 2, 8 }, 0 },
		{ "decoder error", 1, -EBADMSG, { 0, 4, 0, 2, 2, 8 }, -EBADMSG },
		{ "odd result", 1, -ENOMEM, { 0, 4, 0, 2, 2, 8 }, -EBADMSG },
		{ "positive result", 1, 5, { 0, 4, 0, 2, 2, 8 }, -EBADMSG },
		{ "count beyond the log", 1000, 0, { 0, 4, 0, 2, 2, 8 }, -EBADMSG },
		{ "unknown action", 1, 0, { 2, 4, 0, 2, 2, 8 }, -EBADMSG },
		{ "header before the data", 1, 0, { 0, 4, 0, 3, 2, 8 }, -EBADMSG },
		{ "huge header", 1, 0, { 0, 4, 0, 20, 30, 8 }, -EBADMSG },
		{ "value past the end", 1, 0, { 0, 4, 0, 2, 2, 63 }, -EBADMSG },
		{ "empty value at the end", 1, 0, { 0, 4, 0, 2, 64, 0 }, 0 },
		{ "offset past the end", 1, 0, { 0, 4, 0, 2, 65, 0 }, -EBADMSG },
		{ "wrapping length", 1, 0, { 0, 4, 0, 2, 2, 0xffffffff }, -EBADMSG },
		{ "tag unlike the header's", 1, 0, { 0, 2, 0, 2, 2, 8 }, -EBADMSG },
		{ "length unlike the header's", 1, 0, { 0, 4, 0, 2, 2, 7 }, -EBADMSG },
		{ "header length unlike the header's", 1, 0, { 0, 4, 0, 3, 3, 8 },
		  -EBADMSG },
		{ "no header at all", 1, 0, { 0, 4, 0, 2, 20, 8 }, -EBADMSG },
	};
	struct {
		struct sbm_asn1_log log;
		struct sbm_asn1_event ev[4];
	} rec;
	u8 data[64] = { 0 };
	int i, ret;

	/* The headers that the valid events point behind. */
	data[0] = 4;
	data[1] = 8;
	data[62] = 4;
	data[63] = 0;
	sbm_at_data = data;
	sbm_at_len = sizeof(data);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&rec, 0, sizeof(rec));
		rec.log.count = cases[i].count;
		rec.log.result = cases[i].result;
		rec.ev[0] = cases[i].ev;
		sbm_at_calls = 0;
		sbm_at_outside = 0;
		ret = sbm_asn1_replay(&rec.log, sizeof(rec), actions,
				      ARRAY_SIZE(actions), NULL, NULL, data,
				      sizeof(data));
		KUNIT_EXPECT_EQ_MSG(test, ret, cases[i].want, "%s", cases[i].what);
		/* Checked before anything runs, or run with values inside. */
		if (cases[i].want && cases[i].result == 0)
			KUNIT_EXPECT_EQ_MSG(test, sbm_at_calls, 0, "%s", cases[i].what);
		KUNIT_EXPECT_EQ_MSG(test, sbm_at_outside, 0, "%s", cases[i].what);
	}
	/* A record too small for its own header. */
	KUNIT_EXPECT_EQ(test, sbm_asn1_replay(&rec.log, sizeof(rec.log) - 1,
					      actions, 2, NULL, NULL, data,
					      sizeof(data)),
			-EBADMSG);
}

/* Every action of the X.509 grammar counts, as sbm_at_action() does. */
static const asn1_action_t sbm_at_x509_actions[NR_SBM_X509_ACTIONS] = {
	[0 ... NR_SBM_X509_ACTIONS - 1] = sbm_at_action,
};

/* Replay @log of @size bytes against the certificate, with its scope. */
static int sbm_at_replay_scoped(const struct sbm_asn1_log *log, size_t size)
{
	sbm_at_data = sbm_test_cert;
	sbm_at_len = sbm_test_cert_end - sbm_test_cert;
	sbm_at_calls = 0;
	sbm_at_outside = 0;
	return sbm_asn1_replay(log, size, sbm_at_x509_actions,
			       NR_SBM_X509_ACTIONS, &sbm_x509_rules, NULL,
			       sbm_test_cert, sbm_at_len);
}

/* The first event of @action in @log from @from on, or @log->count. */
static u32 sbm_at_find(const struct sbm_asn1_log *log, u32 from,
		       unsigned int action)
{
	for (; from < log->count; from++)
		if (log->events[from].action == action)
			break;
	return from;
}

enum sbm_at_forgery {
	SBM_AT_KEY_FROM_OUTSIDE,
	SBM_AT_KEY_AFTER_ROOT,
	SBM_AT_OID_BEFORE_ROOT,
	SBM_AT_SECOND_ROOT,
	SBM_AT_NO_ROOT,
	SBM_AT_KEY_ACROSS_ROOT_END,
	SBM_AT_SIGNATURE_INSIDE,
	SBM_AT_SIGNATURE_ALONE,
	SBM_AT_NO_SUBJECT,
	SBM_AT_SWAPPED_NAMES,
	SBM_AT_REPEATED_KEY,
	SBM_AT_EMPTY_AT_END,
	SBM_AT_OID_ELSEWHERE,
	SBM_AT_FORGERIES
};

static const char * const sbm_at_forgery_names[SBM_AT_FORGERIES] = {
	"public key from the outer algorithm's OID",
	"public key after the TBSCertificate",
	"outer OID before the TBSCertificate",
	"second TBSCertificate",
	"no TBSCertificate in a successful decoding",
	"public key across the end of the TBSCertificate",
	"signature inside the TBSCertificate",
	"signature alone in a failed decoding",
	"no subject in a successful decoding",
	"issuer and subject swapped",
	"public key twice",
	"extension value, empty, at the end of the data",
	"extension OID pointed at another OID of the TBSCertificate",
};

/*
 * The signature of a certificate covers its TBSCertificate: a subverted
 * sandbox that reports a value from outside it where the grammar puts it
 * inside (so that the kernel would check a signature over one key and use
 * another), or that reorders the events around it, is stopped before any
 * action runs; every record that the kernel's own decoder makes, for the
 * certificate and for its mutants, passes.
 */
static void sbm_at_scope(struct kunit *test)
{
	size_t len = sbm_test_cert_end - sbm_test_cert, n_len;
	size_t log_size = sbm_at_log_size(len) + sizeof(struct sbm_asn1_event);
	struct sbm_asn1_log *ref, *log;
	struct sbm_asn1_event *ev;
	u32 root, key, sig, oid, n, subject, issuer, ext, first_oid;
	size_t root_end;
	u8 *mutant;
	int f;

	sbm_at_buffers(test, log_size, &ref, &log, &mutant);

	sbm_at_native(sbm_test_cert, len, ref, log_size);
	KUNIT_ASSERT_EQ(test, ref->result, 0);
	root = sbm_at_find(ref, 0, SBM_X509_x509_note_tbs_certificate);
	key = sbm_at_find(ref, 0, SBM_X509_x509_extract_key_data);
	sig = sbm_at_find(ref, 0, SBM_X509_x509_note_signature);
	oid = sbm_at_find(ref, root, SBM_X509_x509_note_OID);
	KUNIT_ASSERT_LT(test, key, root);
	KUNIT_ASSERT_LT(test, oid, sig);
	KUNIT_ASSERT_LT(test, sig, ref->count);
	root_end = ref->events[root].offset + ref->events[root].len;
	subject = sbm_at_find(ref, 0, SBM_X509_x509_note_subject);
	issuer = sbm_at_find(ref, 0, SBM_X509_x509_note_issuer);
	ext = sbm_at_find(ref, 0, SBM_X509_x509_process_extension);
	first_oid = sbm_at_find(ref, 0, SBM_X509_x509_note_OID);
	KUNIT_ASSERT_LT(test, issuer, subject);
	KUNIT_ASSERT_LT(test, subject, key);
	KUNIT_ASSERT_LT(test, ext, root);
	KUNIT_ASSERT_LT(test, first_oid, issuer);

	KUNIT_EXPECT_EQ(test, sbm_at_replay_scoped(ref, log_size), 0);
	KUNIT_EXPECT_EQ(test, sbm_at_calls, ref->count);
	KUNIT_EXPECT_EQ(test, sbm_at_outside, 0);

	for (f = 0; f < SBM_AT_FORGERIES; f++) {
		memcpy(log, ref, log_size);
		ev = log->events;
		switch (f) {
		case SBM_AT_KEY_FROM_OUTSIDE:
			ev[key].hdrlen = ev[oid].hdrlen;
			ev[key].offset = ev[oid].offset;
			ev[key].len = ev[oid].len;
			break;
		case SBM_AT_KEY_AFTER_ROOT:
			memmove(&ev[key], &ev[key + 1],
				(log->count - key - 1) * sizeof(*ev));
			ev[log->count - 1] = ref->events[key];
			break;
		case SBM_AT_OID_BEFORE_ROOT:
			ev[0] = ev[oid];
			break;
		case SBM_AT_SECOND_ROOT:
			ev[log->count++] = ev[root];
			break;
		case SBM_AT_NO_ROOT:
			memmove(&ev[root], &ev[root + 1],
				(log->count - root - 1) * sizeof(*ev));
			log->count--;
			break;
		case SBM_AT_KEY_ACROSS_ROOT_END:
			ev[key].offset = root_end - 1;
			ev[key].len = 2;
			break;
		case SBM_AT_SIGNATURE_INSIDE:
			ev[sig] = ev[key];
			ev[sig].action = SBM_X509_x509_note_signature;
			break;
		case SBM_AT_SIGNATURE_ALONE:
			ev[0] = ev[sig];
			log->count = 1;
			log->result = -EBADMSG;
			break;
		case SBM_AT_NO_SUBJECT:
			memmove(&ev[subject], &ev[subject + 1],
				(log->count - subject - 1) * sizeof(*ev));
			log->count--;
			break;
		case SBM_AT_SWAPPED_NAMES:
			ev[issuer] = ref->events[subject];
			ev[subject] = ref->events[issuer];
			break;
		case SBM_AT_REPEATED_KEY:
			memmove(&ev[key + 1], &ev[key],
				(log->count - key) * sizeof(*ev));
			log->count++;
			break;
		case SBM_AT_EMPTY_AT_END:
			ev[ext].hdrlen = 2;
			ev[ext].offset = len;
			ev[ext].len = 0;
			break;
		case SBM_AT_OID_ELSEWHERE:
			ev[ext - 1] = ref->events[first_oid];
			break;
		}
		KUNIT_EXPECT_EQ_MSG(test, sbm_at_replay_scoped(log, log_size),
				    -EBADMSG, "%s", sbm_at_forgery_names[f]);
		KUNIT_EXPECT_EQ_MSG(test, sbm_at_calls, 0, "%s",
				    sbm_at_forgery_names[f]);
	}

	/* The AuthorityKeyIdentifier's grammar has none of these actions. */
	sbm_at_data = sbm_test_cert;
	sbm_at_len = len;
	sbm_at_calls = 0;
	KUNIT_EXPECT_EQ(test, sbm_asn1_replay(ref, log_size, sbm_at_x509_actions,
					      NR_SBM_X509_ACTIONS,
					      &sbm_x509_akid_rules, NULL,
					      sbm_test_cert, len), -EBADMSG);
	KUNIT_EXPECT_EQ(test, sbm_at_calls, 0);

	/* A decoding that fails before the root replays up to its error. */
	memcpy(log, ref, log_size);
	log->count = key + 1;
	log->result = -EBADMSG;
	KUNIT_EXPECT_EQ(test, sbm_at_replay_scoped(log, log_size), -EBADMSG);
	KUNIT_EXPECT_EQ(test, sbm_at_calls, key + 1);

	for (n = 0; n < SBM_AT_MUTANTS; n++) {
		n_len = sbm_at_mutate(sbm_test_cert, len, mutant, n);
		sbm_at_native(mutant, n_len, ref, log_size);
		sbm_at_data = mutant;
		sbm_at_len = n_len;
		sbm_at_calls = 0;
		if (sbm_asn1_replay(ref, log_size, sbm_at_x509_actions,
				    NR_SBM_X509_ACTIONS, &sbm_x509_rules, NULL,
				    mutant, n_len) != ref->result)
			KUNIT_FAIL(test, "mutant %u: record of the native decoder refused",
				   n);
	}
}

#ifdef CONFIG_SANDBOX_MODE_LIB_PLANTED_BUG
/*
 * The planted bug: a value that starts with SBM_PLANTED_BUG_MAGIC makes
 * the recorder write as many bytes as it says past its log. Here it is the
 * name in the subject, which a certificate's issuer controls.
 */
static void sbm_at_planted_bug(struct kunit *test)
{
	size_t len = sbm_test_cert_end - sbm_test_cert, log_size, i;
	u8 *cert = kunit_kmalloc(test, len, GFP_KERNEL);
	struct sbm_asn1_log *log;
	struct x509_certificate *x __maybe_unused;
	u8 *cn = NULL;
	int ret;

	if (!sbm_strong_available())
		kunit_skip(test, "weak isolation does not contain the overflow");
	KUNIT_ASSERT_NOT_NULL(test, cert);
	memcpy(cert, sbm_test_cert, len);
	for (i = 0; i + 9 <= len && !cn; i++)
		if (!memcmp(cert + i, "SBM tests", 9))
			cn = cert + i;
	KUNIT_ASSERT_NOT_NULL(test, cn);
	memcpy(cn, SBM_PLANTED_BUG_MAGIC, 4);
	put_unaligned_le32(16 * SZ_1M, cn + 4);
	cn[8] = 'A';

	log_size = sbm_at_log_size(len);
	log = kunit_kzalloc(test, log_size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, log);
	ret = sbm_at_sandboxed(cert, len, log, log_size);
	KUNIT_EXPECT_EQ(test, ret, -EFAULT);
	/* Nothing came back: the caller's copy of the log is untouched. */
	KUNIT_EXPECT_FALSE(test, memchr_inv(log, 0, log_size));

#if SBM_AT_X509
	/* And the parser fails as for a malformed certificate. */
	x = x509_cert_parse(cert, len);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(x), -EBADMSG);
	if (!IS_ERR(x))
		x509_free_certificate(x);
#endif
}
#endif

static struct kunit_case sbm_asn1_cases[] = {
	KUNIT_CASE(sbm_at_equivalent),
	KUNIT_CASE(sbm_at_parse),
	KUNIT_CASE(sbm_at_forged),
	KUNIT_CASE(sbm_at_scope),
#ifdef CONFIG_SANDBOX_MODE_LIB_PLANTED_BUG
	KUNIT_CASE(sbm_at_planted_bug),
#endif
	{}
};

static struct kunit_suite sbm_asn1_suite = {
	.name = "sbm_asn1",
	.test_cases = sbm_asn1_cases,
};

kunit_test_suites(&sbm_asn1_suite);

MODULE_DESCRIPTION("KUnit tests for ASN.1 decoding in a sandbox");
MODULE_LICENSE("GPL");
