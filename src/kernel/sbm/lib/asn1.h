/* SPDX-License-Identifier: GPL-2.0 */
/* ASN.1 decoding in a sandbox: what the recording grammars share. */
#ifndef __KERNEL_SBM_LIB_ASN1_H
#define __KERNEL_SBM_LIB_ASN1_H

#include <linux/asn1_decoder.h>
#include <linux/sbm_lib.h>

/* Room for the actions of any grammar built here. */
#define SBM_ASN1_MAX_ACTIONS	32

struct sbm_asn1_recorder {
	const unsigned char *data;
	struct sbm_asn1_log *log;
	unsigned long max;
};

int sbm_asn1_record(void *context, unsigned int action, size_t hdrlen,
		    unsigned char tag, const void *value, size_t vlen);
int sbm_asn1_run(const struct asn1_decoder *decoder, const unsigned char *data,
		 unsigned long len, struct sbm_asn1_log *log,
		 unsigned long log_size);

/* The grammars, with tables built at run time: see asn1-pic.sed. */
#ifdef __SBM_LIB__
int x509_decoder_init(struct asn1_decoder *d, asn1_action_t *t, size_t n);
int x509_akid_decoder_init(struct asn1_decoder *d, asn1_action_t *t, size_t n);
#else
/* For the tests: the grammar that only records, run natively. */
int __sbm_lib_x509_decoder_init(struct asn1_decoder *d, asn1_action_t *t,
				size_t n);
#endif

#endif /* __KERNEL_SBM_LIB_ASN1_H */
