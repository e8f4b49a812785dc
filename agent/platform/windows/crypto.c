/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 and random bytes on Windows, from CNG (bcrypt.dll): the
 * operating system's own validated primitives, so the Windows build needs
 * no OpenSSL. */
#include "hostaudit/platform.h"

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

int platform_sha256(const void *data, size_t len, unsigned char out[32])
{
	BCRYPT_ALG_HANDLE alg = NULL;
	BCRYPT_HASH_HANDLE hash = NULL;
	int rc = -1;
	if (!BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, NULL, 0)))
		return -1;
	if (!BCRYPT_SUCCESS(BCryptCreateHash(alg, &hash, NULL, 0, NULL, 0, 0)))
		goto out;
	const unsigned char *p = data;
	while (len > 0) {
		ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!BCRYPT_SUCCESS(BCryptHashData(hash, (PUCHAR)p, chunk, 0)))
			goto out;
		p += chunk;
		len -= chunk;
	}
	if (BCRYPT_SUCCESS(BCryptFinishHash(hash, out, 32, 0)))
		rc = 0;
out:
	if (hash)
		BCryptDestroyHash(hash);
	BCryptCloseAlgorithmProvider(alg, 0);
	return rc;
}

/* CNG has no Ed25519: a signed policy cannot be checked here, so it is
 * refused (agent/upload/policy_fetch.c says so), never taken unchecked. */
int platform_ed25519_verify(const unsigned char pub[32], const void *msg, size_t len,
			    const unsigned char sig[64])
{
	(void)pub;
	(void)msg;
	(void)len;
	(void)sig;
	return -2;
}
