/* SPDX-License-Identifier: Apache-2.0 */
/* Ed25519 verification (ed25519_verify.h), written from RFC 8032's
 * definitions: the curve -x^2 + y^2 = 1 + d x^2 y^2 over GF(p),
 * p = 2^255 - 19, d = -121665/121666, base point B with y = 4/5 and x
 * even, group order L = 2^252 + 27742317777372353535851937790883648493.
 *
 * Only public values pass through here (a key, a message, a signature),
 * so nothing needs to be constant time: loops and branches depend on the
 * data freely, which keeps the code short enough to check by reading.
 * Every constant but p and L is computed from its definition at run
 * time, so no long hex literal can hide a typo. */
#include "ed25519_verify.h"

#include <stdint.h>
#include <string.h>

/* ---- GF(p): sixteen limbs of 16 bits, value = sum v[i] * 2^(16 i) ----
 * Limbs are signed 64-bit, so sums and differences need no carry until
 * the next multiplication, whose products (< 2^40 each, 16 of them, times
 * 38 at most) stay far below 2^63. */
typedef struct fe {
	int64_t v[16];
} fe;

/* One carry pass: every limb into [0, 2^16), the carry out of the top limb
 * folded into the bottom one, since 2^256 = 2 p + 38 = 38 (mod p).
 * Returns that top carry (0: the limbs are all in range). The division is
 * exact, so it is a floor division whatever the sign (portable, unlike >>
 * of a negative number). */
static int64_t fe_carry_pass(fe *a)
{
	int64_t c = 0;
	for (int i = 0; i < 16; i++) {
		a->v[i] += c;
		int64_t low = a->v[i] & 0xffff;
		c = (a->v[i] - low) / 65536;
		a->v[i] = low;
	}
	a->v[0] += 38 * c;
	return c;
}

static void fe_small(fe *a, int64_t n)
{
	memset(a, 0, sizeof *a);
	a->v[0] = n;
}

static void fe_add(fe *out, const fe *a, const fe *b)
{
	for (int i = 0; i < 16; i++)
		out->v[i] = a->v[i] + b->v[i];
}

static void fe_sub(fe *out, const fe *a, const fe *b)
{
	for (int i = 0; i < 16; i++)
		out->v[i] = a->v[i] - b->v[i];
}

/* Schoolbook product; the limbs above 2^256 come back times 38. out may
 * be a or b. Two carry passes leave every limb within a few units of
 * [0, 2^16), small enough for the next operation. */
static void fe_mul(fe *out, const fe *a, const fe *b)
{
	int64_t t[31] = {0};
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 16; j++)
			t[i + j] += a->v[i] * b->v[j];
	for (int i = 0; i < 15; i++)
		t[i] += 38 * t[i + 16];
	memcpy(out->v, t, sizeof out->v);
	fe_carry_pass(out);
	fe_carry_pass(out);
}

/* a^2: as fe_mul, each cross product a[i] a[j] (i < j) taken once and
 * doubled (the exponentiations are mostly squarings). */
static void fe_sq(fe *out, const fe *a)
{
	int64_t t[31] = {0};
	for (int i = 0; i < 16; i++) {
		t[2 * i] += a->v[i] * a->v[i];
		for (int j = i + 1; j < 16; j++)
			t[i + j] += 2 * a->v[i] * a->v[j];
	}
	for (int i = 0; i < 15; i++)
		t[i] += 38 * t[i + 16];
	memcpy(out->v, t, sizeof out->v);
	fe_carry_pass(out);
	fe_carry_pass(out);
}

/* a^(2^k) by k squarings. */
static void fe_sq_times(fe *out, const fe *a, int k)
{
	*out = *a;
	for (int i = 0; i < k; i++)
		fe_sq(out, out);
}

/* The three exponents needed are 2^255 - 21 (p - 2, the inverse),
 * 2^252 - 3 ((p - 5) / 8, the square root) and 2^253 - 5 ((p - 1) / 4,
 * sqrt(-1) = 2^that). All are 2^250 - 1 shifted up a few bits plus a small
 * tail, and a^(2^250 - 1) takes 250 squarings and 9 multiplications by
 * doubling runs of one bits: (2^n - 1) 2^m + (2^m - 1) = 2^(n+m) - 1. */
typedef struct fe_powers {
	fe a1, a2, a3, a11, ones250; /* a, a^2, a^3, a^11, a^(2^250 - 1) */
} fe_powers;

static void fe_powers_of(fe_powers *w, const fe *a)
{
	fe t, a9, ones5, ones10, ones20, ones40, ones50, ones100, ones200;
	w->a1 = *a;
	fe_sq(&w->a2, a);
	fe_mul(&w->a3, &w->a2, a);
	fe_sq_times(&t, &w->a2, 2);
	fe_mul(&a9, &t, a);			/* a^8 a = a^9 */
	fe_mul(&w->a11, &a9, &w->a2);		/* a^11 */
	fe_sq(&t, &w->a11);
	fe_mul(&ones5, &t, &a9);		/* a^22 a^9 = a^(2^5 - 1) */
	fe_sq_times(&t, &ones5, 5);
	fe_mul(&ones10, &t, &ones5);
	fe_sq_times(&t, &ones10, 10);
	fe_mul(&ones20, &t, &ones10);
	fe_sq_times(&t, &ones20, 20);
	fe_mul(&ones40, &t, &ones20);
	fe_sq_times(&t, &ones40, 10);
	fe_mul(&ones50, &t, &ones10);
	fe_sq_times(&t, &ones50, 50);
	fe_mul(&ones100, &t, &ones50);
	fe_sq_times(&t, &ones100, 100);
	fe_mul(&ones200, &t, &ones100);
	fe_sq_times(&t, &ones200, 50);
	fe_mul(&w->ones250, &t, &ones50);
}

/* 1/a = a^(p-2) (Fermat): (2^250 - 1) 2^5 + 11 = 2^255 - 21. 1/0 gives
 * 0, which no caller divides by. */
static void fe_invert(fe *out, const fe *a)
{
	fe_powers w;
	fe_powers_of(&w, a);
	fe_sq_times(out, &w.ones250, 5);
	fe_mul(out, out, &w.a11);
}

/* a^((p-5)/8): (2^250 - 1) 2^2 + 1 = 2^252 - 3. */
static void fe_pow_p58(fe *out, const fe *a)
{
	fe_powers w;
	fe_powers_of(&w, a);
	fe_sq_times(out, &w.ones250, 2);
	fe_mul(out, out, &w.a1);
}

/* a^((p-1)/4): (2^250 - 1) 2^3 + 3 = 2^253 - 5. */
static void fe_pow_p14(fe *out, const fe *a)
{
	fe_powers w;
	fe_powers_of(&w, a);
	fe_sq_times(out, &w.ones250, 3);
	fe_mul(out, out, &w.a3);
}

/* p's limbs: 2^255 - 19. */
static const int64_t P_LIMBS[16] = {0xffed, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
				    0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
				    0xffff, 0xffff, 0xffff, 0x7fff};

/* The canonical encoding: the value in [0, p), 32 bytes little-endian.
 * Carry passes until none is left bring it into [0, 2^256) (each pass
 * with a top carry moves the value by a multiple of 2 p towards that
 * range); 2^256 < 3 p, so p is then subtracted at most twice. */
static void fe_tobytes(unsigned char s[32], const fe *a)
{
	fe t = *a;
	while (fe_carry_pass(&t) != 0)
		;
	for (int k = 0; k < 2; k++) {
		int64_t m[16], borrow = 0;
		for (int i = 0; i < 16; i++) {
			int64_t d = t.v[i] - P_LIMBS[i] - borrow;
			borrow = d < 0;
			m[i] = d + borrow * 65536;
		}
		if (!borrow)
			memcpy(t.v, m, sizeof m);
	}
	for (int i = 0; i < 16; i++) {
		s[2 * i] = (unsigned char)(t.v[i] & 0xff);
		s[2 * i + 1] = (unsigned char)(t.v[i] >> 8);
	}
}

/* 32 bytes little-endian, bit 255 ignored (the caller reads it). */
static void fe_frombytes(fe *a, const unsigned char s[32])
{
	for (int i = 0; i < 16; i++)
		a->v[i] = s[2 * i] | (int64_t)s[2 * i + 1] << 8;
	a->v[15] &= 0x7fff;
}

static int fe_equal(const fe *a, const fe *b)
{
	unsigned char sa[32], sb[32];
	fe_tobytes(sa, a);
	fe_tobytes(sb, b);
	return memcmp(sa, sb, 32) == 0;
}

static int fe_is_zero(const fe *a)
{
	fe z;
	fe_small(&z, 0);
	return fe_equal(a, &z);
}

/* The "sign" of x in the encoding: its lowest bit, once reduced. */
static int fe_is_odd(const fe *a)
{
	unsigned char s[32];
	fe_tobytes(s, a);
	return s[0] & 1;
}

/* a < b, both 32 bytes little-endian. */
static int bytes_less(const unsigned char a[32], const unsigned char b[32])
{
	for (int i = 31; i >= 0; i--)
		if (a[i] != b[i])
			return a[i] < b[i];
	return 0;
}

/* ---- points, extended coordinates (RFC 8032 5.1.4): x = X/Z, y = Y/Z,
 * x y = T/Z ---- */
typedef struct point {
	fe X, Y, Z, T;
} point;

/* The curve's constants, derived from their definitions. */
typedef struct curve {
	fe d, d2, sqrt_m1; /* d = -121665/121666, 2 d, sqrt(-1) = 2^((p-1)/4) */
	point B;
} curve;

static void point_identity(point *P)
{
	fe_small(&P->X, 0);
	fe_small(&P->Y, 1);
	fe_small(&P->Z, 1);
	fe_small(&P->T, 0);
}

/* RFC 8032 5.1.4's addition formulas: complete on this curve (a = -1, d
 * not a square), so they also add a point to itself or to the identity. */
static void point_add(point *out, const point *p1, const point *p2, const curve *c)
{
	fe a, b, t1, t2, cc, dd, e, f, g, h;
	fe_sub(&t1, &p1->Y, &p1->X);
	fe_sub(&t2, &p2->Y, &p2->X);
	fe_mul(&a, &t1, &t2);
	fe_add(&t1, &p1->Y, &p1->X);
	fe_add(&t2, &p2->Y, &p2->X);
	fe_mul(&b, &t1, &t2);
	fe_mul(&cc, &p1->T, &c->d2);
	fe_mul(&cc, &cc, &p2->T);
	fe_mul(&dd, &p1->Z, &p2->Z);
	fe_add(&dd, &dd, &dd);
	fe_sub(&e, &b, &a);
	fe_sub(&f, &dd, &cc);
	fe_add(&g, &dd, &cc);
	fe_add(&h, &b, &a);
	fe_mul(&out->X, &e, &f);
	fe_mul(&out->Y, &g, &h);
	fe_mul(&out->T, &e, &h);
	fe_mul(&out->Z, &f, &g);
}

/* RFC 8032 5.1.4's doubling (fewer multiplications than an addition). */
static void point_double(point *out, const point *p1)
{
	fe a, b, cc, e, f, g, h, t;
	fe_sq(&a, &p1->X);
	fe_sq(&b, &p1->Y);
	fe_sq(&cc, &p1->Z);
	fe_add(&cc, &cc, &cc);
	fe_add(&h, &a, &b);
	fe_add(&t, &p1->X, &p1->Y);
	fe_sq(&t, &t);
	fe_sub(&e, &h, &t);
	fe_sub(&g, &a, &b);
	fe_add(&f, &cc, &g);
	fe_mul(&out->X, &e, &f);
	fe_mul(&out->Y, &g, &h);
	fe_mul(&out->T, &e, &h);
	fe_mul(&out->Z, &f, &g);
}

static void point_negate(point *P)
{
	fe z;
	fe_small(&z, 0);
	fe_sub(&P->X, &z, &P->X);
	fe_sub(&P->T, &z, &P->T);
}

/* RFC 8032 5.1.2: y, with x's lowest bit in bit 255. */
static void point_encode(unsigned char s[32], const point *P)
{
	fe zinv, x, y;
	fe_invert(&zinv, &P->Z);
	fe_mul(&x, &P->X, &zinv);
	fe_mul(&y, &P->Y, &zinv);
	fe_tobytes(s, &y);
	s[31] |= (unsigned char)(fe_is_odd(&x) << 7);
}

/* RFC 8032 5.1.3, refusing every string that is not the one encoding of a
 * point: y >= p (a second spelling of y mod p), a y with no x on the
 * curve, and x = 0 with the sign bit set (a second spelling of x = 0).
 * 0 or -1. */
static int point_decode(point *P, const unsigned char s[32], const curve *c)
{
	static const unsigned char p_bytes[32] = {
		0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
	unsigned char ys[32];
	memcpy(ys, s, 32);
	ys[31] &= 0x7f;
	int sign = s[31] >> 7;
	if (!bytes_less(ys, p_bytes))
		return -1;
	fe y, y2, u, v, one, zero, v3, v7, t, x, vx2, neg_u;
	fe_frombytes(&y, ys);
	fe_small(&one, 1);
	fe_sq(&y2, &y);
	fe_sub(&u, &y2, &one); /* u = y^2 - 1 */
	fe_mul(&v, &c->d, &y2);
	fe_add(&v, &v, &one); /* v = d y^2 + 1 */
	/* The candidate root x = u v^3 (u v^7)^((p-5)/8): x^2 = u/v or -u/v
	 * when u/v has a square root at all (p = 5 mod 8). */
	fe_sq(&v3, &v);
	fe_mul(&v3, &v3, &v);
	fe_sq(&v7, &v3);
	fe_mul(&v7, &v7, &v);
	fe_mul(&t, &u, &v7);
	fe_pow_p58(&t, &t);
	fe_mul(&x, &u, &v3);
	fe_mul(&x, &x, &t);
	fe_sq(&vx2, &x);
	fe_mul(&vx2, &vx2, &v);
	fe_small(&zero, 0);
	fe_sub(&neg_u, &zero, &u);
	if (fe_equal(&vx2, &u)) {
		/* x is the root */
	} else if (fe_equal(&vx2, &neg_u)) {
		fe_mul(&x, &x, &c->sqrt_m1);
	} else {
		return -1; /* u/v is not a square: no point has this y */
	}
	if (fe_is_zero(&x) && sign)
		return -1;
	if (fe_is_odd(&x) != sign)
		fe_sub(&x, &zero, &x);
	P->X = x;
	P->Y = y;
	fe_small(&P->Z, 1);
	fe_mul(&P->T, &x, &y);
	return 0;
}

static int curve_init(curve *c)
{
	fe n, m;
	fe_small(&n, 121666);
	fe_invert(&n, &n);
	fe_small(&m, -121665);
	fe_mul(&c->d, &m, &n);
	fe_add(&c->d2, &c->d, &c->d);
	fe_small(&n, 2);
	fe_pow_p14(&c->sqrt_m1, &n);
	/* B: y = 4/5, x even (sign bit 0). */
	unsigned char by[32];
	fe_small(&n, 5);
	fe_invert(&n, &n);
	fe_small(&m, 4);
	fe_mul(&m, &m, &n);
	fe_tobytes(by, &m);
	return point_decode(&c->B, by, c);
}

/* ---- scalars mod L ---- */
static const unsigned char L_BYTES[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
	0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

/* h (64 bytes little-endian) mod L, a bit at a time from the top:
 * r = 2 r + bit, minus L when it reaches L. r < L < 2^253 throughout, so
 * 2 r + 1 fits the 32 bytes. */
static void scalar_reduce(unsigned char r[32], const unsigned char h[64])
{
	memset(r, 0, 32);
	for (int bit = 511; bit >= 0; bit--) {
		unsigned carry = (h[bit / 8] >> (bit % 8)) & 1;
		for (int i = 0; i < 32; i++) {
			unsigned top = r[i] >> 7;
			r[i] = (unsigned char)((r[i] << 1) | carry);
			carry = top;
		}
		if (!bytes_less(r, L_BYTES)) {
			int borrow = 0;
			for (int i = 0; i < 32; i++) {
				int d = r[i] - L_BYTES[i] - borrow;
				borrow = d < 0;
				r[i] = (unsigned char)(d + borrow * 256);
			}
		}
	}
}

static int scalar_bit(const unsigned char s[32], int bit)
{
	return (s[bit / 8] >> (bit % 8)) & 1;
}

int ed25519_verify(const unsigned char pub[32], const void *msg, size_t len,
		   const unsigned char sig[64])
{
	curve c;
	point A, R, P;
	const unsigned char *S = sig + 32;
	/* S < L (RFC 8032 5.1.7 step 1): otherwise S + L would be a second
	 * valid signature for the same message. */
	if (!bytes_less(S, L_BYTES))
		return -1;
	if (curve_init(&c) || point_decode(&A, pub, &c))
		return -1;
	/* R is compared as bytes below, which refuses a non-canonical R too;
	 * decoding it first says so plainly. */
	if (point_decode(&R, sig, &c))
		return -1;
	unsigned char h[64], k[32], check[32];
	ed25519_piece pieces[3] = {{sig, 32}, {pub, 32}, {msg, len}};
	if (ed25519_sha512(pieces, 3, h))
		return -2;
	scalar_reduce(k, h); /* k = SHA-512(R || A || M) mod L */
	/* [S]B = R + [k]A, checked as [S]B + [k](-A) == R: one double and
	 * add pass over both scalars' bits (Shamir's trick). */
	point_negate(&A);
	point_identity(&P);
	for (int bit = 255; bit >= 0; bit--) {
		point_double(&P, &P);
		if (scalar_bit(S, bit))
			point_add(&P, &P, &c.B, &c);
		if (scalar_bit(k, bit))
			point_add(&P, &P, &A, &c);
	}
	point_encode(check, &P);
	return memcmp(check, sig, 32) == 0 ? 0 : -1;
}
