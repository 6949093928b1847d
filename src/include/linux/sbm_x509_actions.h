/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The actions of the X.509 grammars (crypto/asymmetric_keys/x509.asn1 and
 * x509_akid.asn1), which a sandbox records and the kernel replays. Each
 * user defines SBM_X509_ACTION() and includes this list.
 */
SBM_X509_ACTION(x509_extract_key_data)
SBM_X509_ACTION(x509_extract_name_segment)
SBM_X509_ACTION(x509_note_OID)
SBM_X509_ACTION(x509_note_issuer)
SBM_X509_ACTION(x509_note_not_after)
SBM_X509_ACTION(x509_note_not_before)
SBM_X509_ACTION(x509_note_params)
SBM_X509_ACTION(x509_note_serial)
SBM_X509_ACTION(x509_note_sig_algo)
SBM_X509_ACTION(x509_note_signature)
SBM_X509_ACTION(x509_note_subject)
SBM_X509_ACTION(x509_note_tbs_certificate)
SBM_X509_ACTION(x509_process_extension)
SBM_X509_ACTION(x509_akid_note_kid)
SBM_X509_ACTION(x509_akid_note_name)
SBM_X509_ACTION(x509_akid_note_serial)
