/* SPDX-License-Identifier: Apache-2.0 */
/* PostgreSQL's binary COPY format, read (pg_copy.h). */
#include <string.h>

#include "pg_copy.h"

/* "PGCOPY\n\377\r\n\0", then 32-bit flags and the extension's length */
static const char signature[11] = "PGCOPY\n\377\r\n";

uint32_t pg_copy_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int64_t pg_copy_int(const pg_copy_tuple *t, int i)
{
	const unsigned char *p = (const unsigned char *)t->v[i];
	switch (t->len[i]) {
	case 8: return (int64_t)((uint64_t)pg_copy_be32(p) << 32 | pg_copy_be32(p + 4));
	case 4: return (int32_t)pg_copy_be32(p);
	case 2: return (int16_t)(p[0] << 8 | p[1]);
	default: return 0;
	}
}

int pg_copy_parse(const unsigned char *p, size_t n, bool *header, char *buf, size_t size,
		  pg_copy_tuple *t)
{
	const unsigned char *end = p + n;
	if (!*header) {
		if (n < 19 || memcmp(p, signature, 11) != 0)
			return -1;
		uint32_t ext = pg_copy_be32(p + 15);
		if (ext > n - 19)
			return -1;
		p += 19 + ext;
		*header = true;
		if (p == end)
			return 0;
	}
	if (end - p < 2)
		return -1;
	int16_t nf = (int16_t)(p[0] << 8 | p[1]);
	p += 2;
	if (nf == -1)
		return p == end ? 0 : -1;
	if (nf < 0 || nf > PG_COPY_FIELDS)
		return -1;
	size_t used = 0;
	t->n = nf;
	for (int i = 0; i < nf; i++) {
		if (end - p < 4)
			return -1;
		int32_t len = (int32_t)pg_copy_be32(p);
		p += 4;
		if (len < 0)
			len = 0; /* NULL */
		if (end - p < len || used + (size_t)len + 1 > size)
			return -1;
		memcpy(buf + used, p, (size_t)len);
		buf[used + (size_t)len] = '\0';
		t->v[i] = buf + used;
		t->len[i] = len;
		used += (size_t)len + 1;
		p += len;
	}
	return p == end ? 1 : -1;
}
