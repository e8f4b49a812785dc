/* SPDX-License-Identifier: Apache-2.0 */
/* The annual report file's detached signature: Ed25519 (pure, no
 * prehash, no context) over the file's exact bytes, with the collector's
 * report-signing key (report_signing_key:, `hostaudit-collector keygen`).
 * FILE.sig holds the 64 raw signature bytes and the public key is PEM, so
 * an auditor can check a report with openssl(1) alone, as well as with
 * `hostaudit-collector verify --report FILE --sig FILE.sig`. */
#ifndef HOSTAUDIT_COLLECTOR_REPORT_SIGN_H
#define HOSTAUDIT_COLLECTOR_REPORT_SIGN_H

#include <stddef.h>

/* Writes file's signature to <file>.sig (a temporary file, synced, then
 * renamed over it: never half written). 0, or -1 with err. */
int report_sign_file(const char *key_path, const char *file, char *err, size_t err_size);
/* Checks sig against file's bytes with the PEM public key at pub_path:
 * 1 valid, 0 not (err says why), -1 cannot check (err says why). */
int report_verify_file(const char *pub_path, const char *file, const char *sig, char *err,
		       size_t err_size);

#endif
