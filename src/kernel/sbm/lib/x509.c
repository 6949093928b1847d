// SPDX-License-Identifier: GPL-2.0
/*
 * X.509 certificate decoding in a sandbox: the sandboxed copies of the
 * x509 and x509_akid grammars (generated here from the grammar files of
 * crypto/asymmetric_keys) call these actions, which record each call for
 * the kernel to check and replay into the real actions of
 * crypto/asymmetric_keys/x509_cert_parser.c. An action that the grammar
 * uses and that is missing here fails the link.
 */
#include <linux/sbm_lib.h>

#include "asn1.h"
#include "x509.asn1.h"
#include "x509_akid.asn1.h"

#define SBM_X509_ACTION(name)						\
int name(void *context, size_t hdrlen, unsigned char tag,		\
	 const void *value, size_t vlen)				\
{									\
	return sbm_asn1_record(context, SBM_X509_##name, hdrlen, tag,	\
			       value, vlen);				\
}

#include <linux/sbm_x509_actions.h>
#undef SBM_X509_ACTION

int asn1_decode_x509(const unsigned char *data, unsigned long len,
		     struct sbm_asn1_log *log, unsigned long log_size)
{
	asn1_action_t actions[SBM_ASN1_MAX_ACTIONS];
	struct asn1_decoder d;

	if (x509_decoder_init(&d, actions, ARRAY_SIZE(actions)))
		return -EINVAL;
	return sbm_asn1_run(&d, data, len, log, log_size);
}

int asn1_decode_x509_akid(const unsigned char *data, unsigned long len,
			  struct sbm_asn1_log *log, unsigned long log_size)
{
	asn1_action_t actions[SBM_ASN1_MAX_ACTIONS];
	struct asn1_decoder d;

	if (x509_akid_decoder_init(&d, actions, ARRAY_SIZE(actions)))
		return -EINVAL;
	return sbm_asn1_run(&d, data, len, log, log_size);
}
