/* SPDX-License-Identifier: Apache-2.0 */
/* The built-in Ed25519 verifier (agent/platform/ed25519_verify.c, used
 * by the Windows agent) against OpenSSL's on Linux: OpenSSL signs RFC
 * 8032's vectors into the same bytes, thousands of random keys and
 * messages signed by OpenSSL verify, every bit flip is refused, and on
 * mutated inputs both give the same verdict. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "ed25519_verify.h"
#include "hostaudit/platform.h" /* POSIX: OpenSSL's verdict */

static void unhex(const char *hex, unsigned char *out)
{
	for (size_t i = 0; hex[2 * i]; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (unsigned char)v;
	}
}

/* OpenSSL's key pair from a 32-byte secret; pub gets the public key. */
static EVP_PKEY *key_from_secret(const unsigned char secret[32], unsigned char pub[32])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, secret, 32);
	assert_non_null(k);
	size_t n = 32;
	assert_int_equal(EVP_PKEY_get_raw_public_key(k, pub, &n), 1);
	assert_int_equal(n, 32);
	return k;
}

static void sign(EVP_PKEY *k, const unsigned char *msg, size_t len, unsigned char sig[64])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = 64;
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, NULL, NULL, k), 1);
	assert_int_equal(EVP_DigestSign(ctx, sig, &n, msg, len), 1);
	assert_int_equal(n, 64);
	EVP_MD_CTX_free(ctx);
}


/* The RFC's secret keys give test_ed25519.c's public keys and signatures
 * through OpenSSL, byte for byte (Ed25519 signing is deterministic): the
 * vectors typed there are the RFC's. */
static void rfc8032_secrets_sign_the_same_bytes(void **state)
{
	(void)state;
	static const char *const v[][4] = {
		{"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
		 "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
		 "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
		 "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
		{"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		 "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
		 "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
		 "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
		{"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
		 "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
		 "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
		 "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
		{"833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
		 "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
		 "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		 "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
		 "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
		 "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		unsigned char secret[32], pub[32], want_pub[32], msg[64], sig[64], want_sig[64];
		unhex(v[i][0], secret);
		unhex(v[i][1], want_pub);
		unhex(v[i][2], msg);
		unhex(v[i][3], want_sig);
		size_t len = strlen(v[i][2]) / 2;
		EVP_PKEY *k = key_from_secret(secret, pub);
		sign(k, msg, len, sig);
		EVP_PKEY_free(k);
		assert_memory_equal(pub, want_pub, 32);
		assert_memory_equal(sig, want_sig, 64);
		assert_int_equal(ed25519_verify(pub, msg, len, sig), 0);
	}
}

static unsigned rnd(unsigned below)
{
	unsigned v;
	assert_int_equal(RAND_bytes((unsigned char *)&v, sizeof v), 1);
	return v % below;
}

#define RANDOM_KEYS 2000
#define MAX_MSG 300

/* Random secrets and messages (0 to 300 bytes), signed by OpenSSL: every
 * one verifies; for every fourth, a random change of one bit in the
 * signature, the key or the message is refused by both verifiers (every
 * bit, of fewer keys: below). */
static void openssl_signatures_verify(void **state)
{
	(void)state;
	unsigned char secret[32], pub[32], msg[MAX_MSG], sig[64];
	int flips = 0;
	for (int i = 0; i < RANDOM_KEYS; i++) {
		size_t len = rnd(MAX_MSG + 1);
		assert_int_equal(RAND_bytes(secret, 32), 1);
		if (len)
			assert_int_equal(RAND_bytes(msg, (int)len), 1);
		EVP_PKEY *k = key_from_secret(secret, pub);
		sign(k, msg, len, sig);
		EVP_PKEY_free(k);
		if (ed25519_verify(pub, msg, len, sig) != 0)
			fail_msg("random key %d (message of %zu bytes): OpenSSL's signature refused",
				 i, len);
		if (i % 4)
			continue;
		/* one flipped bit somewhere in sig || pub || msg */
		size_t bits = 8 * (64 + 32 + len), bit = rnd((unsigned)bits);
		unsigned char *where = bit < 512 ? sig : bit < 768 ? pub : msg;
		size_t at = bit < 512 ? bit : bit < 768 ? bit - 512 : bit - 768;
		where[at / 8] ^= (unsigned char)(1u << (at % 8));
		assert_int_equal(ed25519_verify(pub, msg, len, sig), -1);
		assert_int_equal(platform_ed25519_verify(pub, msg, len, sig), -1);
		flips++;
	}
	print_message("%d OpenSSL signatures verified, %d one-bit changes refused\n",
		      RANDOM_KEYS, flips);
}

/* Every single-bit flip of two random signatures, keys and messages. */
static void every_bit_flip_of_random_signatures(void **state)
{
	(void)state;
	unsigned char secret[32], pub[32], msg[32], sig[64];
	int checked = 0;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(RAND_bytes(secret, 32), 1);
		assert_int_equal(RAND_bytes(msg, sizeof msg), 1);
		EVP_PKEY *k = key_from_secret(secret, pub);
		sign(k, msg, sizeof msg, sig);
		EVP_PKEY_free(k);
		unsigned char *parts[] = {sig, pub, msg};
		size_t sizes[] = {64, 32, sizeof msg};
		for (int p = 0; p < 3; p++) {
			for (size_t bit = 0; bit < 8 * sizes[p]; bit++, checked++) {
				parts[p][bit / 8] ^= (unsigned char)(1u << (bit % 8));
				if (ed25519_verify(pub, msg, sizeof msg, sig) == 0)
					fail_msg("part %d bit %zu flipped, still verifies", p, bit);
				parts[p][bit / 8] ^= (unsigned char)(1u << (bit % 8));
			}
		}
		assert_int_equal(ed25519_verify(pub, msg, sizeof msg, sig), 0);
	}
	print_message("%d single-bit changes refused\n", checked);
}

/* Mutations of valid signatures (random bytes overwritten, S replaced by
 * S + L or by random values, R or A replaced by random bytes, which
 * decode to a point half the time, often one of mixed order): the two
 * verifiers agree on every one. The one difference by design, a
 * non-canonical public key (refused here, taken by OpenSSL 3.0), is
 * shown in non_canonical_key_differs and cannot come out of these
 * mutations but with negligible probability. */
static void same_verdict_as_openssl_on_mutations(void **state)
{
	(void)state;
	static const unsigned char L[32] = {
		0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
		0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
	unsigned char secret[32], pub[32], msg[64], sig[64];
	int good = 0, bad = 0;
	for (int i = 0; i < 1000; i++) {
		size_t len = rnd(sizeof msg + 1);
		assert_int_equal(RAND_bytes(secret, 32), 1);
		assert_int_equal(RAND_bytes(msg, sizeof msg), 1);
		EVP_PKEY *k = key_from_secret(secret, pub);
		sign(k, msg, len, sig);
		EVP_PKEY_free(k);
		switch (i % 5) {
		case 0: /* a random byte anywhere changed */
			sig[rnd(64)] = (unsigned char)rnd(256);
			break;
		case 1: { /* S + L, or S with its top bits set */
			unsigned carry = 0;
			for (int j = 0; j < 32 && i % 2; j++) {
				unsigned s = sig[32 + j] + L[j] + carry;
				sig[32 + j] = (unsigned char)s;
				carry = s >> 8;
			}
			if (!(i % 2))
				sig[63] |= (unsigned char)(0x10 << rnd(4));
			break;
		}
		case 2: /* R random */
			assert_int_equal(RAND_bytes(sig, 32), 1);
			break;
		case 3: /* A random */
			assert_int_equal(RAND_bytes(pub, 32), 1);
			break;
		default: /* unchanged */
			break;
		}
		int mine = ed25519_verify(pub, msg, len, sig);
		int theirs = platform_ed25519_verify(pub, msg, len, sig);
		if (mine != theirs)
			fail_msg("mutation %d (kind %d): built-in %d, OpenSSL %d", i, i % 5, mine,
				 theirs);
		mine == 0 ? good++ : bad++;
	}
	assert_true(good >= 150); /* the unchanged fifth, and some byte changes that change nothing */
	print_message("1000 mutations: %d verify, %d refused, the same as OpenSSL\n", good, bad);
}

/* A public key spelled with y >= p or as x = 0 with the sign bit: not
 * the one encoding of its point, so RFC 8032 5.1.3 says decoding fails.
 * OpenSSL 3.0 reduces such a y and takes it; this verifier refuses. The
 * signature (R = B, S = 1) verifies under the identity key A = (0, 1)
 * whatever the message, so only the spelling of A differs. */
static void non_canonical_key_differs(void **state)
{
	(void)state;
	unsigned char sig[64] = {0}, id[32] = {0x01}, signed_id[32] = {[0] = 0x01, [31] = 0x80};
	unsigned char p_plus_1[32];
	memset(p_plus_1, 0xff, 32);
	p_plus_1[0] = 0xee;
	p_plus_1[31] = 0x7f;
	sig[0] = 0x58;
	memset(sig + 1, 0x66, 31);
	sig[32] = 1;
	assert_int_equal(ed25519_verify(id, "m", 1, sig), 0);
	assert_int_equal(platform_ed25519_verify(id, (const unsigned char *)"m", 1, sig), 0);
	assert_int_equal(ed25519_verify(p_plus_1, "m", 1, sig), -1);
	assert_int_equal(ed25519_verify(signed_id, "m", 1, sig), -1);
	print_message("y = p + 1: OpenSSL %s; x = 0 with the sign bit: OpenSSL %s\n",
		      platform_ed25519_verify(p_plus_1, (const unsigned char *)"m", 1, sig) ? "refuses"
										 : "accepts",
		      platform_ed25519_verify(signed_id, (const unsigned char *)"m", 1, sig) ? "refuses"
										     : "accepts");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc8032_secrets_sign_the_same_bytes),
		cmocka_unit_test(openssl_signatures_verify),
		cmocka_unit_test(every_bit_flip_of_random_signatures),
		cmocka_unit_test(same_verdict_as_openssl_on_mutations),
		cmocka_unit_test(non_canonical_key_differs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
