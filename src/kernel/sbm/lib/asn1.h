/* SPDX-License-Identifier: GPL-2.0 */
/* ASN.1 decoding in a sandbox: what the recording grammars share. */
#ifndef __KERNEL_SBM_LIB_ASN1_H
#define __KERNEL_SBM_LIB_ASN1_H

#include <linux/sbm_lib.h>

struct asn1_decoder;

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

#ifndef __SBM_LIB__
/* For the tests: SBM_LIB(x509_decoder), the grammar that only records. */
extern const struct asn1_decoder __sbm_lib_x509_decoder;
#endif

#endif /* __KERNEL_SBM_LIB_ASN1_H */
