/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256, SHA-512 and random bytes on Windows, from CNG (bcrypt.dll):
 * the operating system's own validated primitives, so the Windows build
 * needs no OpenSSL. Ed25519, which CNG lacks, is the built-in verifier. */
#include "hostaudit/platform.h"

#include "ed25519_verify.h"

#include <windows.h>
#include <bcrypt.h>

int platform_random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;
	while (n > 0) {
		ULONG chunk = n > 0x10000000 ? 0x10000000 : (ULONG)n;
		if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, p, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
			return -1;
		p += chunk;
		n -= chunk;
	}
	return 0;
}

/* A CNG hash (alg, e.g. BCRYPT_SHA256_ALGORITHM) of the pieces, one after
 * another, into out (out_len: the hash's size). 0 or -1. */
static int cng_hash(LPCWSTR alg_id, const ed25519_piece *pieces, size_t n, unsigned char *out,
		    ULONG out_len)
{
	BCRYPT_ALG_HANDLE alg = NULL;
	BCRYPT_HASH_HANDLE hash = NULL;
	int rc = -1;
	if (!BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&alg, alg_id, NULL, 0)))
		return -1;
	if (!BCRYPT_SUCCESS(BCryptCreateHash(alg, &hash, NULL, 0, NULL, 0, 0)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		const unsigned char *p = pieces[i].data;
		size_t len = pieces[i].len;
		while (len > 0) {
			ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
			if (!BCRYPT_SUCCESS(BCryptHashData(hash, (PUCHAR)p, chunk, 0)))
				goto out;
			p += chunk;
			len -= chunk;
		}
	}
	if (BCRYPT_SUCCESS(BCryptFinishHash(hash, out, out_len, 0)))
		rc = 0;
out:
	if (hash)
		BCryptDestroyHash(hash);
	BCryptCloseAlgorithmProvider(alg, 0);
	return rc;
}

int platform_sha256(const void *data, size_t len, unsigned char out[32])
{
	ed25519_piece all = {data, len};
	return cng_hash(BCRYPT_SHA256_ALGORITHM, &all, 1, out, 32);
}

/* The built-in verifier's SHA-512 (ed25519_verify.h). */
int ed25519_sha512(const ed25519_piece *pieces, size_t n, unsigned char out[64])
{
	return cng_hash(BCRYPT_SHA512_ALGORITHM, pieces, n, out, 64);
}

/* CNG has no Ed25519: the built-in verifier (agent/platform/ed25519_verify.c)
 * checks the signed policy, with SHA-512 from CNG (-2 when CNG gave none). */
int platform_ed25519_verify(const unsigned char pub[32], const void *msg, size_t len,
			    const unsigned char sig[64])
{
	return ed25519_verify(pub, msg, len, sig);
}
