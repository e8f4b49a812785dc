/* SPDX-License-Identifier: Apache-2.0 */
/* The Ed25519 verifier's SHA-512 (agent/platform/ed25519_verify.h) in the
 * Linux tests and fuzz harness, from OpenSSL. The Windows build takes it
 * from CNG (agent/platform/windows/crypto.c). */
#include "ed25519_verify.h"

#include <openssl/evp.h>

int ed25519_sha512(const ed25519_piece *pieces, size_t n, unsigned char out[64])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha512(), NULL) == 1;
	for (size_t i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, pieces[i].data, pieces[i].len) == 1;
	ok = ok && EVP_DigestFinal_ex(ctx, out, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}
