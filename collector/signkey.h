/* SPDX-License-Identifier: Apache-2.0 */
/* The collector's Ed25519 signing keys (OpenSSL), one place for both: the
 * policy signing key (cmd_policy.c) and the report-signing key
 * (report_sign.c). Private keys are PEM (PKCS#8), mode 0600, never
 * overwritten; the public key beside them as <path>.pub. */
#ifndef HOSTAUDIT_COLLECTOR_SIGNKEY_H
#define HOSTAUDIT_COLLECTOR_SIGNKEY_H

#include <stddef.h>

#include <openssl/evp.h>

typedef enum {
	SIGNKEY_PUB_TAGGED_HEX, /* "<tag> <64 hex>\n": what the agents read */
	SIGNKEY_PUB_PEM,        /* SubjectPublicKeyInfo: what openssl(1) reads */
} signkey_pub_format;

/* A new key at path (O_EXCL: refused when it exists) and its public key
 * at pub (mode 0644) in fmt (tag: the tag of SIGNKEY_PUB_TAGGED_HEX).
 * 0, or -1 with err ("PATH: why"). */
int signkey_generate(const char *path, const char *pub, signkey_pub_format fmt,
		     const char *tag, char *err, size_t err_size);
/* The Ed25519 private key at path, or NULL with err. */
EVP_PKEY *signkey_load(const char *path, char *err, size_t err_size);

#endif
