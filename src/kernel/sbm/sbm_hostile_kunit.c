// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite sbm_hostile: the kernel side of a user faces a sandbox that
 * its input has taken over completely.
 *
 * The sandboxed function of a user is swapped, in the test's thread only,
 * for an adversarial one (sbm_hostile_func()), which runs in a real
 * sandbox and returns forged outputs: random bytes, boundary values, the
 * genuine output with one field changed, events dropped, repeated,
 * swapped or taken from another grammar, and the constructions of known
 * attacks. Each round must end in a clean error or in an output that the
 * user's checks accept as in range: no oops, no KASAN report, and no
 * value used as covered by a signature that the signature does not cover.
 *
 * X.509: every decoding of a certificate (the certificate, then its
 * AuthorityKeyIdentifier) is forged, through x509_cert_parse() and the
 * asymmetric key type's preparse (what add_key() runs).
 *
 * SquashFS and module decompression: the decompressor returns forged
 * sizes (errors, zero, the output's size and one more, INT_MAX, INT_MIN,
 * random values) and writes what it likes into its output, through
 * squashfs_sbm_uncompress() into a page actor, and through
 * module_decompress() into a module's pages.
 *
 * The number of rounds per user is sbm_hostile_kunit.rounds=, up to a
 * million: ./sbm.sh test runs 100000 in the stuff boot, and 25000 in the
 * debug boot (KASAN), where a round costs 1 ms (SquashFS) to 9 ms
 * (X.509) under QEMU's TCG.
 */

#include <keys/asymmetric-type.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/bio.h>
#include <linux/errno.h>
#include <linux/key-type.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sbm.h>
#include <linux/sbm_lib.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../../crypto/asymmetric_keys/x509_parser.h"
#include "../../fs/squashfs/squashfs_fs.h"
#include "../../fs/squashfs/squashfs_fs_sb.h"
#include "../../fs/squashfs/decompressor.h"
#include "../../fs/squashfs/page_actor.h"
#include "../module/internal.h"
#include "sbm_internal.h"
#include "sbm_test_vectors.h"

static unsigned int rounds = 2000;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "forged outputs per user");

/*
 * The rounds of a user run as cases of at most SBM_H_CHUNK rounds each,
 * each well within the hung-task timeout in the debug boot (KASAN, TCG),
 * and each seeded by its round numbers, as if they ran in one case.
 */
#define SBM_H_CHUNK	5000
#define SBM_H_CHUNKS	200

struct sbm_h_chunk {
	unsigned int first;
	unsigned int count;
};

static struct sbm_h_chunk sbm_h_chunks[SBM_H_CHUNKS];

static const void *sbm_h_gen_chunks(const void *prev, char *desc)
{
	const struct sbm_h_chunk *p = prev;
	unsigned int i = p ? p - sbm_h_chunks + 1 : 0;
	unsigned int first = i * SBM_H_CHUNK;

	if (i >= SBM_H_CHUNKS || first >= rounds)
		return NULL;
	sbm_h_chunks[i].first = first;
	sbm_h_chunks[i].count = min(rounds - first, SBM_H_CHUNK);
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "rounds %u-%u", first,
		 first + sbm_h_chunks[i].count - 1);
	return &sbm_h_chunks[i];
}

/* What the kernel appends to the data to seed a forgery. */
#define SBM_H_MAGIC	0x484d4253	/* "SBMH" */

struct sbm_h_trailer {
	u32 magic;
	u32 len;
	u64 seed;
};

/* With the X.509 parser in a sandbox, and add_key()'s key type built in. */
#define SBM_H_X509	(IS_BUILTIN(CONFIG_X509_CERTIFICATE_PARSER) && \
			 IS_ENABLED(CONFIG_X509_CERTIFICATE_PARSER_SBM) && \
			 IS_BUILTIN(CONFIG_ASYMMETRIC_KEY_TYPE))

/* ---- In the sandbox: sandbox code only, no kernel data ---- */

static __maybe_unused SBM_DEFINE_FUNC(sbm_h_rand, u64 *state)
{
	u64 x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return (int)(x >> 16);
}

#if SBM_H_X509
/* A value that a checker might get wrong. */
static SBM_DEFINE_FUNC(sbm_h_boundary, u64 *state, u32 len, u32 cur)
{
	switch ((u32)sbm_h_rand(state) % 12) {
	case 0: return 0;
	case 1: return 1;
	case 2: return 2;
	case 3: return len - !!len;
	case 4: return len;
	case 5: return len + 1;
	case 6: return -1;
	case 7: return 0x7fffffff;
	case 8: return cur + 1;
	case 9: return cur - !!cur;
	case 10: return cur ^ (1u << ((u32)sbm_h_rand(state) % 32));
	default: return (u32)sbm_h_rand(state) % (len + 16);
	}
}

static SBM_DEFINE_FUNC(sbm_h_copy_event, struct sbm_asn1_event *dst,
		       const struct sbm_asn1_event *src)
{
	dst->action = src->action;
	dst->tag = src->tag;
	dst->reserved = src->reserved;
	dst->hdrlen = src->hdrlen;
	dst->offset = src->offset;
	dst->len = src->len;
	return 0;
}

/* Change one field of @ev. */
static SBM_DEFINE_FUNC(sbm_h_poke, u64 *state, struct sbm_asn1_event *ev,
		       u32 len)
{
	switch ((u32)sbm_h_rand(state) % 6) {
	case 0:
		ev->action = (u32)sbm_h_rand(state) % (NR_SBM_X509_ACTIONS + 2);
		break;
	case 1:
		ev->tag = sbm_h_rand(state);
		break;
	case 2:
		ev->hdrlen = sbm_h_boundary(state, 12, ev->hdrlen);
		break;
	case 3:
		ev->offset = sbm_h_boundary(state, len, ev->offset);
		break;
	case 4:
		ev->len = sbm_h_boundary(state, len, ev->len);
		break;
	default:
		/* Another element of the data, under the same action. */
		ev->offset = (u32)sbm_h_rand(state) % (len + 1);
		ev->hdrlen = 2;
		ev->len = (u32)sbm_h_rand(state) % (len - ev->offset + 1);
		break;
	}
	return 0;
}

/*
 * The adversarial ASN.1 decoder: decode as the genuine one would, then
 * forge the record. The seed is in a trailer behind the certificate, or,
 * for the AuthorityKeyIdentifier (bytes inside the certificate), a hash
 * of the data.
 */
static SBM_DEFINE_FUNC(sbm_h_asn1, const unsigned char *data, unsigned long len,
		       struct sbm_asn1_log *log, unsigned long log_size)
{
	u32 max = (log_size - sizeof(*log)) / sizeof(log->events[0]);
	const struct sbm_h_trailer *t;
	struct sbm_asn1_event *ev = log->events;
	unsigned long dlen = len, i;
	u64 state = 0x9e3779b97f4a7c15ULL;
	u32 count, a, b, n;
	bool akid = true;

	if (len >= sizeof(*t)) {
		t = (const void *)(data + len - sizeof(*t));
		if (t->magic == SBM_H_MAGIC && t->len <= len - sizeof(*t)) {
			dlen = t->len;
			state ^= t->seed * 0x2545f4914f6cdd1dULL;
			akid = false;
		}
	}
	if (akid)
		for (i = 0; i < len; i++)
			state = (state ^ data[i]) * 0x100000001b3ULL;
	if (!state)
		state = 1;
	if (akid)
		SBM_LIB(asn1_decode_x509_akid)(data, dlen, log, log_size);
	else
		SBM_LIB(asn1_decode_x509)(data, dlen, log, log_size);
	count = log->count;
	if (count > max)
		count = max;

	switch ((u32)sbm_h_rand(&state) % 13) {
	case 0:		/* random bytes, all of it */
		for (i = 0; i < log_size; i++)
			((u8 *)log)[i] = sbm_h_rand(&state);
		return 0;
	case 1:		/* one field */
		if (count)
			sbm_h_poke(&state, &ev[(u32)sbm_h_rand(&state) % count], len);
		break;
	case 2:		/* a few fields */
		n = 1 + (u32)sbm_h_rand(&state) % 8;
		while (count && n--)
			sbm_h_poke(&state, &ev[(u32)sbm_h_rand(&state) % count], len);
		break;
	case 3:		/* an event dropped */
		if (!count)
			break;
		for (i = (u32)sbm_h_rand(&state) % count; i + 1 < count; i++)
			sbm_h_copy_event(&ev[i], &ev[i + 1]);
		log->count = --count;
		break;
	case 4:		/* an event repeated */
		if (!count || count >= max)
			break;
		a = (u32)sbm_h_rand(&state) % count;
		for (i = count; i > a; i--)
			sbm_h_copy_event(&ev[i], &ev[i - 1]);
		log->count = ++count;
		break;
	case 5:		/* two events swapped */
		if (count < 2)
			break;
		a = (u32)sbm_h_rand(&state) % count;
		b = (u32)sbm_h_rand(&state) % count;
		sbm_h_copy_event(&ev[count < max ? count : a], &ev[a]);
		sbm_h_copy_event(&ev[a], &ev[b]);
		if (count < max)
			sbm_h_copy_event(&ev[b], &ev[count]);
		break;
	case 6:		/* the result */
		log->result = sbm_h_boundary(&state, 0, log->result) - 2;
		if ((u32)sbm_h_rand(&state) & 1)
			log->result = -EBADMSG;
		break;
	case 7:		/* the count */
		log->count = sbm_h_boundary(&state, max, count);
		break;
	case 8:
		/*
		 * Actions of the certificate's grammar, where there are
		 * none: the TBSCertificate, key and signature taken from
		 * bytes of the AuthorityKeyIdentifier, after the genuine
		 * events.
		 */
		for (n = 0; n < 3 && count < max; n++, count++) {
			ev[count].action = n == 0 ? SBM_X509_x509_note_tbs_certificate :
					   n == 1 ? SBM_X509_x509_extract_key_data :
					   SBM_X509_x509_note_signature;
			ev[count].tag = 0;
			ev[count].hdrlen = 2;
			ev[count].offset = 2 + (u32)sbm_h_rand(&state) % (len > 2 ? len - 2 : 1);
			ev[count].len = (u32)sbm_h_rand(&state) %
					(len - ev[count].offset + 1);
		}
		log->count = count;
		break;
	case 9:		/* the signature alone, in a failed decoding */
		for (i = 0; i < count; i++)
			if (ev[i].action == SBM_X509_x509_note_signature)
				break;
		if (i < count)
			sbm_h_copy_event(&ev[0], &ev[i]);
		log->count = 1;
		log->result = -EBADMSG;
		break;
	case 10:	/* an action missing: every event of one kind */
		a = count ? ev[(u32)sbm_h_rand(&state) % count].action : 0;
		for (i = 0, n = 0; i < count; i++)
			if (ev[i].action != a)
				sbm_h_copy_event(&ev[n++], &ev[i]);
		log->count = n;
		break;
	case 11:	/* an empty value at the very end of the data */
		if (count) {
			a = (u32)sbm_h_rand(&state) % count;
			ev[a].offset = len;
			ev[a].len = 0;
		}
		break;
	default:	/* the genuine record, or its return value forged */
		if ((u32)sbm_h_rand(&state) % 4 == 0)
			return sbm_h_rand(&state);
		break;
	}
	return 0;
}

/* ---- In the kernel ---- */

/*
 * Which decodings of a certificate are forged in a round: the first, the
 * AuthorityKeyIdentifier's (the other decoding genuine), or both.
 */
static unsigned int sbm_h_round;

static void *sbm_h_x509_func(void *func)
{
	bool cert = func == SBM_LIB(asn1_decode_x509);
	bool akid = func == SBM_LIB(asn1_decode_x509_akid);

	switch (sbm_h_round % 3) {
	case 0:
		return cert ? sbm_h_asn1 : func;
	case 1:
		return akid ? sbm_h_asn1 : func;
	default:
		return cert || akid ? sbm_h_asn1 : func;
	}
}

static bool sbm_h_within(const void *p, size_t len, const void *start,
			 size_t size)
{
	return p >= start && len <= size && p - start <= size - len;
}

/* Does a copy of @p[0..@len) occur in [@start, @start + @size)? */
static bool sbm_h_found_in(const void *p, size_t len, const u8 *start,
			   size_t size)
{
	size_t i;

	for (i = 0; i + len <= size; i++)
		if (!memcmp(start + i, p, len))
			return true;
	return false;
}

/*
 * What a parse that succeeded may give: values inside the data, those
 * that the signature covers inside what it was checked over (cert->tbs),
 * the signature outside it.
 */
static void sbm_h_check_cert(struct kunit *test, const struct x509_certificate *c,
			     const u8 *data, size_t len, unsigned int round)
{
	const u8 *tbs = c->tbs;

	KUNIT_EXPECT_TRUE_MSG(test, sbm_h_within(tbs, c->tbs_size, data, len),
			      "round %u: TBS outside the data", round);
	if (!sbm_h_within(tbs, c->tbs_size, data, len))
		return;
	if (c->raw_subject)
		KUNIT_EXPECT_TRUE_MSG(test, sbm_h_within(c->raw_subject,
							 c->raw_subject_size,
							 tbs, c->tbs_size),
				      "round %u: subject not signed", round);
	if (c->raw_issuer)
		KUNIT_EXPECT_TRUE_MSG(test, sbm_h_within(c->raw_issuer,
							 c->raw_issuer_size,
							 tbs, c->tbs_size),
				      "round %u: issuer not signed", round);
	if (c->raw_serial)
		KUNIT_EXPECT_TRUE_MSG(test, sbm_h_within(c->raw_serial,
							 c->raw_serial_size,
							 tbs, c->tbs_size),
				      "round %u: serial not signed", round);
	if (c->raw_skid)
		KUNIT_EXPECT_TRUE_MSG(test, sbm_h_within(c->raw_skid,
							 c->raw_skid_size,
							 tbs, c->tbs_size),
				      "round %u: SKID not signed", round);
	if (c->pub && c->pub->key)
		KUNIT_EXPECT_TRUE_MSG(test, sbm_h_found_in(c->pub->key,
							   c->pub->keylen,
							   tbs, c->tbs_size),
				      "round %u: key not signed", round);
	if (c->raw_sig)
		KUNIT_EXPECT_TRUE_MSG(test, !sbm_h_within(c->raw_sig, 1, tbs,
							  c->tbs_size),
				      "round %u: signature inside the TBS", round);
}

/* A certificate and the trailer that seeds its forgery, in one buffer. */
static u8 *sbm_h_cert_data(struct kunit *test, const u8 *cert, size_t cert_len)
{
	u8 *data = kunit_kmalloc(test, cert_len + sizeof(struct sbm_h_trailer),
				 GFP_KERNEL);
	struct x509_certificate *c;

	KUNIT_ASSERT_NOT_NULL(test, data);
	memcpy(data, cert, cert_len);
	/* Unforged: the certificate parses. */
	c = x509_cert_parse(cert, cert_len);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	x509_free_certificate(c);
	return data;
}

/* Where the key identifier of the AuthorityKeyIdentifier starts, or 0. */
static size_t sbm_h_akid_kid(const u8 *cert, size_t len)
{
	static const u8 oid[] = { 0x06, 0x03, 0x55, 0x1d, 0x23 };
	size_t i;

	for (i = 0; i + sizeof(oid) < len; i++)
		if (!memcmp(cert + i, oid, sizeof(oid)))
			break;
	/* OCTET STRING { SEQUENCE { [0] keyIdentifier ... */
	for (i += sizeof(oid); i + 8 < len; i++)
		if (cert[i] == 0x80 && cert[i + 1] >= 4)
			return i + 2;
	return 0;
}

/*
 * Most rounds forge the decodings of a certificate that a CA issued; one
 * in 16 those of the self-signed one, whose parse verifies its signature
 * (x509_check_for_self_signed()) while its AuthorityKeyIdentifier is
 * genuine: in the debug boot, a round of it took 13.5 ms, one of the
 * other 8.3 ms. The forged AuthorityKeyIdentifier decoding is seeded by
 * its bytes: rounds that forge it (two in three) write the round into its
 * key identifier, so that each forges it differently, and the self-signed
 * certificate then no longer names itself as its issuer's key.
 */
static void sbm_hostile_x509(struct kunit *test)
{
	const struct sbm_h_chunk *chunk = test->param_value;
	const size_t cert_len[2] = {
		sbm_test_leaf_end - sbm_test_leaf,
		sbm_test_cert_end - sbm_test_cert,
	};
	struct key_preparsed_payload prep;
	unsigned int round, parsed = 0, keys = 0, errors[160] = {};
	struct x509_certificate *c;
	struct sbm_h_trailer t = {
		.magic = SBM_H_MAGIC,
	};
	u8 *certs[2], *data;
	size_t len, kid[2];
	u32 genuine[2];
	int ret;

	if (!sbm_strong_available())
		kunit_skip(test, "without strong isolation, the kernel's own code runs");
	certs[0] = sbm_h_cert_data(test, sbm_test_leaf, cert_len[0]);
	certs[1] = sbm_h_cert_data(test, sbm_test_cert, cert_len[1]);
	kid[0] = sbm_h_akid_kid(certs[0], cert_len[0]);
	kid[1] = sbm_h_akid_kid(certs[1], cert_len[1]);
	KUNIT_ASSERT_NE(test, kid[0], 0);
	KUNIT_ASSERT_NE(test, kid[1], 0);
	memcpy(&genuine[0], certs[0] + kid[0], sizeof(u32));
	memcpy(&genuine[1], certs[1] + kid[1], sizeof(u32));

	kunit_activate_static_stub(test, sbm_hostile_func, sbm_h_x509_func);
	for (round = chunk->first; round < chunk->first + chunk->count; round++) {
		bool self = !(round % 16);

		data = certs[self];
		t.len = cert_len[self];
		len = t.len + sizeof(t);
		sbm_h_round = round;
		t.seed = round;
		memcpy(data + t.len, &t, sizeof(t));
		memcpy(data + kid[self], round % 3 ? &round : &genuine[self],
		       sizeof(u32));
		c = x509_cert_parse(data, len);
		/* A forged error must not pass for a certificate. */
		if (!IS_ERR(c) && !virt_addr_valid(c)) {
			KUNIT_FAIL(test, "round %u: x509_cert_parse() gave %p", round, c);
			break;
		}
		if (!IS_ERR(c)) {
			parsed++;
			sbm_h_check_cert(test, c, data, len, round);
			x509_free_certificate(c);
		} else {
			errors[min_t(unsigned int, -PTR_ERR(c), ARRAY_SIZE(errors) - 1)]++;
		}
		/* And what add_key() does with it, now and then. */
		if (round % 8)
			continue;
		memset(&prep, 0, sizeof(prep));
		prep.data = data;
		prep.datalen = len;
		prep.quotalen = 100;
		ret = key_type_asymmetric.preparse(&prep);
		KUNIT_EXPECT_LE(test, ret, 0);
		if (!ret)
			keys++;
		key_type_asymmetric.free_preparse(&prep);
		cond_resched();
	}
	kunit_deactivate_static_stub(test, sbm_hostile_func);
	kunit_info(test, "%u rounds: %u parsed, %u keys preparsed; EBADMSG %u, ENOMEM %u, EINVAL %u, ENOPKG %u, other %u",
		   chunk->count, parsed, keys, errors[EBADMSG], errors[ENOMEM],
		   errors[EINVAL], errors[ENOPKG],
		   chunk->count - parsed - errors[EBADMSG] - errors[ENOMEM] -
		   errors[EINVAL] - errors[ENOPKG]);
	/* Many forgeries are harmless, and must still parse. */
	KUNIT_EXPECT_GT(test, parsed, 0);
}

/*
 * With strong isolation the certificate is decoded in a sandbox; without
 * it, by the kernel's own decoder: never by the sandbox's copy, which is
 * built to run at CPL3, in the kernel.
 */
static unsigned int sbm_h_sandboxed;

static void *sbm_h_spy(void *func)
{
	if (func == SBM_LIB(asn1_decode_x509))
		sbm_h_sandboxed++;
	return func;
}

static void sbm_hostile_x509_native(struct kunit *test)
{
	size_t len = sbm_test_cert_end - sbm_test_cert;
	struct x509_certificate *c;

	sbm_h_sandboxed = 0;
	kunit_activate_static_stub(test, sbm_hostile_func, sbm_h_spy);
	c = x509_cert_parse(sbm_test_cert, len);
	kunit_deactivate_static_stub(test, sbm_hostile_func);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	KUNIT_EXPECT_NOT_NULL(test, strstr(c->subject, "SBM tests"));
	x509_free_certificate(c);
	KUNIT_EXPECT_EQ(test, sbm_h_sandboxed, sbm_strong_available() ? 1 : 0);
}
#endif /* SBM_H_X509 */

/* ---- Decompressors ---- */

#define SBM_H_SQUASHFS	(IS_BUILTIN(CONFIG_SQUASHFS) && IS_ENABLED(CONFIG_SQUASHFS_SBM))
#define SBM_H_MODULE	IS_ENABLED(CONFIG_MODULE_DECOMPRESS_SBM)

#if SBM_H_SQUASHFS || SBM_H_MODULE
/* The seed of a forgery: 8 bytes at offset 8 of the input. */
#define SBM_H_SEED_OFFSET	8

/*
 * The adversarial decompressor: a forged size, and whatever it likes in
 * its output, up to the end of it (writing further would fault).
 */
static SBM_DEFINE_FUNC(sbm_h_decompress, const u8 *in, unsigned long in_len,
		       u8 *out, unsigned long out_len)
{
	u64 state = 0x6a09e667f3bcc909ULL;
	unsigned long i, n;
	int ret;

	for (i = SBM_H_SEED_OFFSET; i < SBM_H_SEED_OFFSET + 8 && i < in_len; i++)
		state = (state ^ in[i]) * 0x100000001b3ULL;
	n = (u32)sbm_h_rand(&state) % (out_len + 1);
	for (i = 0; i < n; i++)
		out[i] = (u8)(i * 31) ^ (u8)state;
	switch ((u32)sbm_h_rand(&state) % 9) {
	case 0:
		ret = -(int)((u32)sbm_h_rand(&state) % 200);
		/* Not -ENOSPC, which makes module loading retry up to 64 MiB. */
		return ret == -ENOSPC ? -EINVAL : ret;
	case 1:
		return sbm_h_rand(&state);
	case 2:
		return out_len;
	case 3:
		return out_len + 1;
	case 4:
		return 0x7fffffff;
	case 5:
		return -0x7fffffff - 1;
	case 6:
		return 0;
	case 7:
		return n ? n - 1 : 0;
	default:
		return n;
	}
}

static void *sbm_h_decompress_func(void *func)
{
#ifdef CONFIG_SANDBOX_MODE_LZ4
	if (func == SBM_LIB(decompress_lz4))
		return sbm_h_decompress;
#endif
#ifdef CONFIG_SANDBOX_MODE_XZ
	if (func == SBM_LIB(decompress_xz))
		return sbm_h_decompress;
#endif
#ifdef CONFIG_SANDBOX_MODE_ZSTD
	if (func == SBM_LIB(decompress_zstd))
		return sbm_h_decompress;
#endif
	return func;
}
#endif

#if SBM_H_SQUASHFS
#define SBM_H_SQ_PAGES	4
/* A sandboxed decompressor of SquashFS's, which the test swaps out. */
#if defined(CONFIG_SANDBOX_MODE_LZ4)
#define SBM_H_SQ_FUNC	SBM_LIB(decompress_lz4)
#elif defined(CONFIG_SANDBOX_MODE_XZ)
#define SBM_H_SQ_FUNC	SBM_LIB(decompress_xz)
#else
#define SBM_H_SQ_FUNC	SBM_LIB(decompress_zstd)
#endif
#define SBM_H_CANARY	0xa5

/*
 * A block of 4 pages through squashfs_sbm_uncompress(): the result is an
 * error or a size within the actor, and nothing of the actor's buffers
 * past that size is written.
 */
static void sbm_hostile_squashfs(struct kunit *test)
{
	const struct sbm_h_chunk *chunk = test->param_value;
	const int length = SBM_H_SQ_PAGES * PAGE_SIZE;
	struct squashfs_page_actor *actor;
	void *buffer[SBM_H_SQ_PAGES];
	unsigned int round, good = 0, i;
	struct page *in;
	struct bio *bio;
	void *stream;
	u8 *p;
	int res;

	if (!sbm_strong_available())
		kunit_skip(test, "without strong isolation, the kernel's own code runs");
	for (i = 0; i < SBM_H_SQ_PAGES; i++) {
		buffer[i] = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, buffer[i]);
	}
	in = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, in);
	bio = bio_kmalloc(1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bio);
	bio_init(bio, NULL, bio->bi_inline_vecs, 1, 0);
	__bio_add_page(bio, in, PAGE_SIZE, 0);
	stream = squashfs_sbm_init(NULL, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(stream));

	kunit_activate_static_stub(test, sbm_hostile_func, sbm_h_decompress_func);
	for (round = chunk->first; round < chunk->first + chunk->count; round++) {
		p = page_address(in);
		memcpy(p + SBM_H_SEED_OFFSET, &round, sizeof(round));
		for (i = 0; i < SBM_H_SQ_PAGES; i++)
			memset(buffer[i], SBM_H_CANARY, PAGE_SIZE);
		actor = squashfs_page_actor_init(buffer, SBM_H_SQ_PAGES, length);
		KUNIT_ASSERT_NOT_NULL(test, actor);
		res = squashfs_sbm_uncompress(stream, SBM_H_SQ_FUNC, 0, bio, 0,
					      PAGE_SIZE, actor);
		kfree(actor);
		if (res < 0) {
			KUNIT_EXPECT_EQ(test, res, -EIO);
			continue;
		}
		good++;
		KUNIT_EXPECT_LE_MSG(test, res, length, "round %u", round);
		for (i = res; i < length; i++)
			if (((u8 *)buffer[i / PAGE_SIZE])[i % PAGE_SIZE] != SBM_H_CANARY)
				break;
		KUNIT_EXPECT_EQ_MSG(test, i, length, "round %u: written past %d",
				    round, res);
	}
	kunit_deactivate_static_stub(test, sbm_hostile_func);
	squashfs_sbm_free(stream);
	bio_uninit(bio);
	kfree(bio);
	__free_page(in);
	kunit_info(test, "%u rounds: %u sizes accepted", chunk->count, good);
}
#endif

#if SBM_H_MODULE
#if defined(CONFIG_MODULE_COMPRESS_XZ)
static const u8 sbm_h_module_magic[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
#else
static const u8 sbm_h_module_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };
#endif

/*
 * A compressed module through module_decompress(): an error, or a
 * module of the forged size in pages that hold it.
 */
static void sbm_hostile_module(struct kunit *test)
{
	const struct sbm_h_chunk *chunk = test->param_value;
	u8 *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	unsigned int round, loaded = 0;
	struct load_info info;
	int ret;

	if (!sbm_strong_available())
		kunit_skip(test, "without strong isolation, the kernel's own code runs");
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, sbm_h_module_magic, sizeof(sbm_h_module_magic));
	kunit_activate_static_stub(test, sbm_hostile_func, sbm_h_decompress_func);
	for (round = chunk->first; round < chunk->first + chunk->count; round++) {
		memcpy(buf + SBM_H_SEED_OFFSET, &round, sizeof(round));
		memset(&info, 0, sizeof(info));
		ret = module_decompress(&info, buf, PAGE_SIZE);
		if (!ret) {
			loaded++;
			KUNIT_EXPECT_LE_MSG(test, info.len,
					    (unsigned long)info.used_pages * PAGE_SIZE,
					    "round %u", round);
			module_decompress_cleanup(&info);
		} else {
			KUNIT_EXPECT_LT(test, ret, 0);
			KUNIT_EXPECT_GE(test, ret, -MAX_ERRNO);
		}
		cond_resched();
	}
	kunit_deactivate_static_stub(test, sbm_hostile_func);
	kunit_info(test, "%u rounds: %u modules of a forged size", chunk->count, loaded);
}
#endif

static struct kunit_case sbm_hostile_cases[] = {
#if SBM_H_SQUASHFS
	KUNIT_CASE_PARAM(sbm_hostile_squashfs, sbm_h_gen_chunks),
#endif
#if SBM_H_MODULE
	KUNIT_CASE_PARAM(sbm_hostile_module, sbm_h_gen_chunks),
#endif
#if SBM_H_X509
	KUNIT_CASE_PARAM(sbm_hostile_x509, sbm_h_gen_chunks),
	KUNIT_CASE(sbm_hostile_x509_native),
#endif
	{}
};

static struct kunit_suite sbm_hostile_suite = {
	.name = "sbm_hostile",
	.test_cases = sbm_hostile_cases,
};

kunit_test_suites(&sbm_hostile_suite);

MODULE_DESCRIPTION("KUnit tests of SandBox Mode users against hostile sandboxes");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
