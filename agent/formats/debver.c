/* SPDX-License-Identifier: Apache-2.0 */
/* Debian version comparison. The algorithm is dpkg's verrevcmp() as
 * described in deb-version(7); written here over counted strings. */
#include "debver.h"

#include <string.h>

typedef struct span {
	const char *p, *end;
} span;

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The weight of one non-digit character: end of string (END) and digits
 * 0, '~' below everything, letters by ASCII, other characters after all
 * letters. A NUL byte inside the count is an "other" character like any
 * byte, not the end: treating it as the end without advancing past it
 * made the comparison loop forever. */
#define END (-256)

static int order(int c)
{
	if (c == END || is_digit(c))
		return 0;
	if (is_alpha(c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

static int peek(const span *s)
{
	return s->p < s->end ? (unsigned char)*s->p : END;
}

static int more(const span *s)
{
	return s->p < s->end;
}

static int verrevcmp(span a, span b)
{
	while (a.p < a.end || b.p < b.end) {
		int first_diff = 0;

		while ((more(&a) && !is_digit(peek(&a))) || (more(&b) && !is_digit(peek(&b)))) {
			int ac = order(peek(&a)), bc = order(peek(&b));

			if (ac != bc)
				return ac - bc;
			if (a.p < a.end)
				a.p++;
			if (b.p < b.end)
				b.p++;
		}
		while (peek(&a) == '0')
			a.p++;
		while (peek(&b) == '0')
			b.p++;
		while (is_digit(peek(&a)) && is_digit(peek(&b))) {
			if (!first_diff)
				first_diff = peek(&a) - peek(&b);
			a.p++;
			b.p++;
		}
		if (is_digit(peek(&a)))
			return 1;
		if (is_digit(peek(&b)))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

typedef struct debver {
	unsigned long long epoch;
	span upstream, revision;
} debver;

/* epoch is before the first ':', the revision after the last '-'. */
static void split(const char *s, size_t len, debver *v)
{
	const char *end = s + len;
	const char *colon = memchr(s, ':', len);

	v->epoch = 0;
	if (colon) {
		for (const char *c = s; c < colon; c++)
			if (is_digit((unsigned char)*c))
				v->epoch = v->epoch * 10 + (unsigned)(*c - '0');
		s = colon + 1;
	}
	const char *dash = NULL;
	for (const char *c = s; c < end; c++)
		if (*c == '-')
			dash = c;
	v->upstream.p = s;
	v->upstream.end = dash ? dash : end;
	v->revision.p = dash ? dash + 1 : end;
	v->revision.end = end;
}

int debver_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	debver va, vb;

	split(a, alen, &va);
	split(b, blen, &vb);
	if (va.epoch != vb.epoch)
		return va.epoch < vb.epoch ? -1 : 1;
	int r = verrevcmp(va.upstream, vb.upstream);
	if (r)
		return r;
	return verrevcmp(va.revision, vb.revision);
}

int debver_cmp_str(const char *a, const char *b)
{
	return debver_cmp(a, strlen(a), b, strlen(b));
}
