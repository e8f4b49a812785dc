/* SPDX-License-Identifier: Apache-2.0 */
/* An Ed25519 signature verifier (RFC 8032 section 5.1.7, pure Ed25519),
 * for systems whose own cryptography has none: Windows CNG. Verification
 * only, on public data, so it is plain variable-time C11. Its one outside
 * need, SHA-512, comes from the platform through ed25519_sha512(). */
#ifndef HOSTAUDIT_ED25519_VERIFY_H
#define HOSTAUDIT_ED25519_VERIFY_H

#include <stddef.h>

/* 0 when sig is pub's signature over msg; -1 when not, or when pub or the
 * signature's R is not a canonical point encoding, or S >= L; -2 when
 * SHA-512 failed. */
int ed25519_verify(const unsigned char pub[32], const void *msg, size_t len,
		   const unsigned char sig[64]);

/* One piece of the bytes to hash. */
typedef struct ed25519_piece {
	const void *data;
	size_t len;
} ed25519_piece;

/* SHA-512 of the pieces, one after another, into out. 0 or -1. Given by
 * the platform: CNG in agent/platform/windows/crypto.c; OpenSSL in the
 * Linux tests (tests/ed25519_sha512_openssl.c). */
int ed25519_sha512(const ed25519_piece *pieces, size_t n, unsigned char out[64]);

#endif
