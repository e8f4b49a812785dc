/* SPDX-License-Identifier: Apache-2.0 */
/* The built-in Ed25519 verifier (agent/platform/ed25519_verify.c) on
 * known answers: RFC 8032 section 7.1's test vectors, every single-bit
 * change of them, S + L, and encodings that are not the one spelling of
 * a point. Runs on Linux (SHA-512 from OpenSSL) and under wine (SHA-512
 * from CNG, the Windows agent's own path); test_ed25519_openssl compares
 * it with OpenSSL on random keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ed25519_verify.h"

typedef struct vector {
	const char *name, *pub, *msg, *sig;
} vector;

/* RFC 8032 7.1: TEST 1, 2, 3 and TEST SHA(abc) (public key, message,
 * signature; the secret keys are in test_ed25519_openssl.c, which checks
 * that OpenSSL signs these same bytes). */
static const vector RFC8032[] = {
	{"TEST 1", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
	 "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
	 "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
	{"TEST 2", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
	 "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
	 "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
	{"TEST 3", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
	 "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
	 "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
	{"TEST SHA(abc)", "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
	 "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	 "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	 "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
	 "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

static size_t unhex(const char *hex, unsigned char *out, size_t max)
{
	size_t n = strlen(hex) / 2;
	assert_true(n <= max);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (unsigned char)v;
	}
	return n;
}

typedef struct loaded {
	unsigned char pub[32], sig[64], msg[65]; /* a byte to spare: the test appends one */
	size_t len;
} loaded;

static loaded load(const vector *v)
{
	loaded l;
	assert_int_equal(unhex(v->pub, l.pub, 32), 32);
	assert_int_equal(unhex(v->sig, l.sig, 64), 64);
	l.len = unhex(v->msg, l.msg, sizeof l.msg - 1);
	return l;
}

static void rfc8032_vectors_verify(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof RFC8032 / sizeof *RFC8032; i++) {
		loaded l = load(&RFC8032[i]);
		if (ed25519_verify(l.pub, l.msg, l.len, l.sig) != 0)
			fail_msg("%s does not verify", RFC8032[i].name);
	}
}

/* Every single-bit change of the signature, the key and the message is
 * refused: 512 + 256 + 8 * len checks per vector. */
static void every_bit_flip_is_refused(void **state)
{
	(void)state;
	int checked = 0;
	for (size_t i = 0; i < sizeof RFC8032 / sizeof *RFC8032; i++) {
		loaded l = load(&RFC8032[i]);
		for (int bit = 0; bit < 512; bit++, checked++) {
			l.sig[bit / 8] ^= (unsigned char)(1u << (bit % 8));
			if (ed25519_verify(l.pub, l.msg, l.len, l.sig) == 0)
				fail_msg("%s: signature bit %d flipped, still verifies",
					 RFC8032[i].name, bit);
			l.sig[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		}
		for (int bit = 0; bit < 256; bit++, checked++) {
			l.pub[bit / 8] ^= (unsigned char)(1u << (bit % 8));
			if (ed25519_verify(l.pub, l.msg, l.len, l.sig) == 0)
				fail_msg("%s: key bit %d flipped, still verifies", RFC8032[i].name,
					 bit);
			l.pub[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		}
		for (size_t bit = 0; bit < 8 * l.len; bit++, checked++) {
			l.msg[bit / 8] ^= (unsigned char)(1u << (bit % 8));
			if (ed25519_verify(l.pub, l.msg, l.len, l.sig) == 0)
				fail_msg("%s: message bit %zu flipped, still verifies",
					 RFC8032[i].name, bit);
			l.msg[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		}
		/* A byte more or less of message. */
		l.msg[l.len] = 0;
		assert_int_not_equal(ed25519_verify(l.pub, l.msg, l.len + 1, l.sig), 0);
		if (l.len > 0)
			assert_int_not_equal(ed25519_verify(l.pub, l.msg, l.len - 1, l.sig), 0);
		/* and the original still verifies: the loops put every bit back */
		assert_int_equal(ed25519_verify(l.pub, l.msg, l.len, l.sig), 0);
	}
	print_message("%d single-bit changes refused\n", checked);
}

/* S + L is the same scalar mod L, so [S+L]B = [S]B: only the S < L check
 * refuses it (RFC 8032 5.1.7 step 1). */
static void s_plus_l_is_refused(void **state)
{
	(void)state;
	static const unsigned char L[32] = {
		0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
		0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
	for (size_t i = 0; i < sizeof RFC8032 / sizeof *RFC8032; i++) {
		loaded l = load(&RFC8032[i]);
		unsigned carry = 0;
		for (int j = 0; j < 32; j++) {
			unsigned s = l.sig[32 + j] + L[j] + carry;
			l.sig[32 + j] = (unsigned char)s;
			carry = s >> 8;
		}
		assert_int_equal(carry, 0); /* S + L < 2^256: it fits */
		assert_int_equal(ed25519_verify(l.pub, l.msg, l.len, l.sig), -1);
	}
	/* S = L exactly (the scalar 0) and S = 2^256 - 1. */
	loaded l = load(&RFC8032[0]);
	memcpy(l.sig + 32, L, 32);
	assert_int_equal(ed25519_verify(l.pub, l.msg, l.len, l.sig), -1);
	memset(l.sig + 32, 0xff, 32);
	assert_int_equal(ed25519_verify(l.pub, l.msg, l.len, l.sig), -1);
}

/* Encodings of the identity (x = 0, y = 1): the canonical one, x = 0 with
 * the sign bit set, and y = p + 1. B's encoding (y = 4/5, x even). */
static const unsigned char ID[32] = {0x01};
static const unsigned char ID_SIGNED[32] = {[0] = 0x01, [31] = 0x80};
static const unsigned char ID_P_PLUS_1[32] = {
	0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};

static void base_point(unsigned char b[32])
{
	b[0] = 0x58;
	memset(b + 1, 0x66, 31);
}

/* With A the identity, [k]A is the identity whatever k, so (R = B, S = 1)
 * verifies for any message under the canonical identity: the same
 * signature under the identity's other spellings is refused only because
 * they are not canonical, which is what this shows. */
static void non_canonical_keys_are_refused(void **state)
{
	(void)state;
	unsigned char sig[64] = {0};
	base_point(sig);
	sig[32] = 1;
	assert_int_equal(ed25519_verify(ID, "m", 1, sig), 0);
	assert_int_equal(ed25519_verify(ID_SIGNED, "m", 1, sig), -1);
	assert_int_equal(ed25519_verify(ID_P_PLUS_1, "m", 1, sig), -1);
	/* y = 2: 2^2 - 1 over 2^2 d + 1 has no square root, no point. */
	unsigned char y2[32] = {0x02};
	assert_int_equal(ed25519_verify(y2, "m", 1, sig), -1);
	y2[31] = 0x80;
	assert_int_equal(ed25519_verify(y2, "m", 1, sig), -1);
	/* y = p and y = 2^255 - 1: out of range. */
	unsigned char big[32];
	memcpy(big, ID_P_PLUS_1, 32);
	big[0] = 0xed;
	assert_int_equal(ed25519_verify(big, "m", 1, sig), -1);
	memset(big, 0xff, 31);
	big[31] = 0x7f;
	assert_int_equal(ed25519_verify(big, "m", 1, sig), -1);
}

/* R: (R = identity, S = 0) verifies under the identity key: [0]B = I.
 * The identity's other spellings as R are refused. */
static void non_canonical_r_is_refused(void **state)
{
	(void)state;
	unsigned char sig[64] = {0};
	memcpy(sig, ID, 32);
	assert_int_equal(ed25519_verify(ID, "", 0, sig), 0);
	memcpy(sig, ID_SIGNED, 32);
	assert_int_equal(ed25519_verify(ID, "", 0, sig), -1);
	memcpy(sig, ID_P_PLUS_1, 32);
	assert_int_equal(ed25519_verify(ID, "", 0, sig), -1);
	/* and R = B with S = 1 under the identity key, B with its sign bit
	 * flipped (that is -B) refused */
	base_point(sig);
	sig[32] = 1;
	assert_int_equal(ed25519_verify(ID, "", 0, sig), 0);
	sig[31] |= 0x80;
	assert_int_equal(ed25519_verify(ID, "", 0, sig), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc8032_vectors_verify),
		cmocka_unit_test(every_bit_flip_is_refused),
		cmocka_unit_test(s_plus_l_is_refused),
		cmocka_unit_test(non_canonical_keys_are_refused),
		cmocka_unit_test(non_canonical_r_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
