/* SPDX-License-Identifier: Apache-2.0 */
/* The built-in Ed25519 verifier (agent/platform/ed25519_verify.c, the
 * Windows agent's) against OpenSSL's on the same input: any difference
 * aborts, but the one by design (a public key spelled non-canonically,
 * which this verifier refuses and OpenSSL 3.0 takes).
 *
 * Input: a mode byte, then
 *  - mode even: a 32-byte secret, a count byte n (n % 4 changes), n
 *    (position, xor) byte pairs, the message. OpenSSL signs the message
 *    with the secret, the changes apply to signature || public key (96
 *    bytes), then both verify: so valid signatures and their near misses
 *    are reached, which random bytes never are;
 *  - mode odd: public key (32), signature (64), the message, as given. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "ed25519_verify.h"
#include "hostaudit/platform.h" /* POSIX: OpenSSL's verdict */
#include "fuzz.h"


static int openssl_sign(const unsigned char secret[32], const unsigned char *msg, size_t len,
			unsigned char pub[32], unsigned char sig[64])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, secret, 32);
	EVP_MD_CTX *ctx = k ? EVP_MD_CTX_new() : NULL;
	size_t pn = 32, sn = 64;
	int ok = ctx && EVP_PKEY_get_raw_public_key(k, pub, &pn) == 1 &&
		 EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) == 1 &&
		 EVP_DigestSign(ctx, sig, &sn, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return ok ? 0 : -1;
}

/* y >= p, or x = 0 (y = 1 or y = p - 1) with the sign bit set. */
static int non_canonical_key(const unsigned char pub[32])
{
	int ge_p = (pub[31] & 0x7f) == 0x7f && pub[0] >= 0xed;
	for (int i = 1; ge_p && i < 31; i++)
		ge_p = pub[i] == 0xff;
	if (ge_p)
		return 1;
	if (!(pub[31] & 0x80))
		return 0;
	int one = pub[0] == 0x01, minus_one = pub[0] == 0xec;
	for (int i = 1; i < 31; i++) {
		one = one && pub[i] == 0;
		minus_one = minus_one && pub[i] == 0xff;
	}
	return (one && pub[31] == 0x80) || (minus_one && pub[31] == 0xff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char pub[32], sig[64];
	const unsigned char *msg;
	size_t len;
	if (size < 1)
		return 0;
	if (data[0] & 1) {
		if (size < 97)
			return 0;
		memcpy(pub, data + 1, 32);
		memcpy(sig, data + 33, 64);
		msg = data + 97;
		len = size - 97;
	} else {
		if (size < 34)
			return 0;
		size_t n = data[33] % 4;
		if (size < 34 + 2 * n)
			return 0;
		msg = data + 34 + 2 * n;
		len = size - 34 - 2 * n;
		if (openssl_sign(data + 1, msg, len, pub, sig))
			abort();
		for (size_t i = 0; i < n; i++) {
			size_t at = data[34 + 2 * i] % 96;
			unsigned char x = data[35 + 2 * i];
			if (at < 64)
				sig[at] ^= x;
			else
				pub[at - 64] ^= x;
		}
	}
	int mine = ed25519_verify(pub, msg, len, sig);
	int theirs = platform_ed25519_verify(pub, msg, len, sig);
	if (mine == -2)
		abort(); /* OpenSSL's SHA-512 failed: nothing was compared */
	if (mine != theirs && !(mine == -1 && non_canonical_key(pub)))
		abort();
	return 0;
}
