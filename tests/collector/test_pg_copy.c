/* SPDX-License-Identifier: Apache-2.0 */
/* PostgreSQL's binary COPY format, read (collector/pg_copy.h): the
 * messages a server sends, and the ones it must never be trusted for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pg_copy.h"

typedef struct msg {
	unsigned char b[256];
	size_t n;
} msg;

static void put(msg *m, const void *p, size_t n)
{
	assert_true(m->n + n <= sizeof m->b);
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void put16(msg *m, int v)
{
	unsigned char b[2] = {(unsigned char)(v >> 8), (unsigned char)v};
	put(m, b, 2);
}

static void put32(msg *m, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 8), (unsigned char)v};
	put(m, b, 4);
}

static void header(msg *m, uint32_t ext)
{
	put(m, "PGCOPY\n\377\r\n", 11);
	put32(m, 0);
	put32(m, ext);
	for (uint32_t i = 0; i < ext; i++)
		put(m, "x", 1);
}

/* (int8 7, text "abc", NULL) */
static void tuple(msg *m)
{
	put16(m, 3);
	put32(m, 8);
	put32(m, 0);
	put32(m, 7);
	put32(m, 3);
	put(m, "abc", 3);
	put32(m, 0xffffffffu);
}

static void header_then_tuples_then_trailer(void **state)
{
	(void)state;
	char buf[64];
	pg_copy_tuple t;
	bool seen = false;
	msg m = {0};
	header(&m, 3); /* an extension area, skipped */
	tuple(&m);
	assert_int_equal(pg_copy_parse(m.b, m.n, &seen, buf, sizeof buf, &t), 1);
	assert_true(seen);
	assert_int_equal(t.n, 3);
	assert_int_equal(pg_copy_int(&t, 0), 7);
	assert_string_equal(t.v[1], "abc");
	assert_int_equal(t.len[1], 3);
	assert_string_equal(t.v[2], "");
	assert_int_equal(pg_copy_int(&t, 1), 0); /* not an integer's length */
	msg h = {0};
	seen = false;
	header(&h, 0);
	assert_int_equal(pg_copy_parse(h.b, h.n, &seen, buf, sizeof buf, &t), 0);
	msg r = {0};
	tuple(&r);
	assert_int_equal(pg_copy_parse(r.b, r.n, &seen, buf, sizeof buf, &t), 1);
	msg end = {0};
	put16(&end, -1);
	assert_int_equal(pg_copy_parse(end.b, end.n, &seen, buf, sizeof buf, &t), 0);
	put16(&end, 0); /* bytes after the trailer */
	assert_int_equal(pg_copy_parse(end.b, end.n, &seen, buf, sizeof buf, &t), -1);
}

static void refused(void **state)
{
	(void)state;
	char buf[64];
	pg_copy_tuple t;
	bool seen = false;
	msg m = {0};
	tuple(&m);
	/* a tuple before any header; a wrong signature */
	assert_int_equal(pg_copy_parse(m.b, m.n, &seen, buf, sizeof buf, &t), -1);
	msg bad = {0};
	header(&bad, 0);
	bad.b[5] = 'X';
	assert_int_equal(pg_copy_parse(bad.b, bad.n, &seen, buf, sizeof buf, &t), -1);
	/* an extension area longer than the message */
	msg ext = {0};
	header(&ext, 0);
	ext.b[18] = 200;
	assert_int_equal(pg_copy_parse(ext.b, ext.n, &seen, buf, sizeof buf, &t), -1);
	seen = true;
	/* every prefix of a tuple: truncated */
	for (size_t k = 0; k < m.n; k++)
		assert_int_equal(pg_copy_parse(m.b, k, &seen, buf, sizeof buf, &t), -1);
	/* a byte left over */
	msg more = m;
	put(&more, "", 1);
	assert_int_equal(pg_copy_parse(more.b, more.n, &seen, buf, sizeof buf, &t), -1);
	/* a field's length past the message */
	msg lng = {0};
	put16(&lng, 1);
	put32(&lng, 0x7fffffff);
	put(&lng, "abc", 3);
	assert_int_equal(pg_copy_parse(lng.b, lng.n, &seen, buf, sizeof buf, &t), -1);
	/* more fields than PG_COPY_FIELDS, or a negative count */
	msg many = {0};
	put16(&many, PG_COPY_FIELDS + 1);
	for (int i = 0; i <= PG_COPY_FIELDS; i++)
		put32(&many, 0);
	assert_int_equal(pg_copy_parse(many.b, many.n, &seen, buf, sizeof buf, &t), -1);
	msg neg = {0};
	put16(&neg, -2);
	assert_int_equal(pg_copy_parse(neg.b, neg.n, &seen, buf, sizeof buf, &t), -1);
	/* fields larger than the caller's buffer (8 + 1, 3 + 1, 0 + 1 bytes) */
	assert_int_equal(pg_copy_parse(m.b, m.n, &seen, buf, 14, &t), 1);
	assert_int_equal(pg_copy_parse(m.b, m.n, &seen, buf, 13, &t), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_then_tuples_then_trailer),
		cmocka_unit_test(refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
