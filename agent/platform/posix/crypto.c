/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 and random bytes on POSIX systems, from OpenSSL's libcrypto. */
#include "hostaudit/platform.h"

#include <limits.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

int platform_random_bytes(void *buf, size_t n)
{
	if (n > INT_MAX)
		return -1;
	return RAND_bytes(buf, (int)n) == 1 ? 0 : -1;
}

int platform_sha256(const void *data, size_t len, unsigned char out[32])
{
	return EVP_Digest(data, len, out, NULL, EVP_sha256(), NULL) == 1 ? 0 : -1;
}

int platform_ed25519_verify(const unsigned char pub[32], const void *msg, size_t len,
			    const unsigned char sig[64])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	EVP_MD_CTX *ctx = k ? EVP_MD_CTX_new() : NULL;
	int rc = -1;
	if (ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestVerify(ctx, sig, 64, msg, len) == 1)
		rc = 0;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return rc;
}
