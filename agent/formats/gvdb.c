/* SPDX-License-Identifier: Apache-2.0 */
/* GVDB reader: see gvdb.h. Layout, as written by GLib's gvdb builder:
 *
 *   header (24 bytes): signature "GVariant" (or "raVGtnai" when the
 *     values are big-endian), version, options, root pointer {start, end}
 *   hash table at root: n_bloom_words (low 27 bits; top 5 = shift),
 *     n_buckets, bloom words, buckets (index of each bucket's first item),
 *     then items of 24 bytes to the end of the table:
 *     hash, parent index, key start, key size (16 bits), type, unused,
 *     value pointer {start, end}
 *
 * Table numbers are always little-endian; only the values (serialised
 * GVariants) follow the signature's byte order. A key is stored as a
 * chain: each item holds the last segment and its parent's index, so
 * "/org/gnome/x" may be "x" under "gnome/" under "org/" under "/". */
#include "gvdb.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hostaudit/facts.h"

#define HEADER_SIZE 24u
#define HASH_HEADER_SIZE 8u
#define ITEM_SIZE 24u
#define NO_PARENT 0xffffffffu

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

static int gvdb_corrupt(char *why, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int gvdb_corrupt(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (size) {
		why[0] = '\0';
		fact_buf_vappend(why, size, "", fmt, ap);
	}
	va_end(ap);
	return GVDB_CORRUPT;
}

/* Whether [start, end) lies inside the file and start is aligned. */
static bool span_ok(const gvdb *db, uint32_t start, uint32_t end, uint32_t align)
{
	return start <= end && end <= db->size && (start & (align - 1)) == 0;
}

/* A hash table at [start, end): its buckets and items. */
static int parse_table(gvdb *db, uint32_t start, uint32_t end, const char *what, char *why,
		       size_t why_size)
{
	if (!span_ok(db, start, end, 4) || end - start < HASH_HEADER_SIZE)
		return gvdb_corrupt(why, why_size,
			       "%s table [%u, %u) outside the file (%zu bytes) or misaligned", what,
			       start, end, db->size);
	const unsigned char *t = db->data + start;
	uint64_t left = end - start - HASH_HEADER_SIZE;
	uint64_t bloom = (uint64_t)(le32(t) & ((1u << 27) - 1)) * 4;
	uint32_t n_buckets = le32(t + 4);
	if (bloom > left)
		return gvdb_corrupt(why, why_size, "bloom filter larger than the %s table", what);
	left -= bloom;
	if ((uint64_t)n_buckets * 4 > left)
		return gvdb_corrupt(why, why_size, "%u hash buckets do not fit in the %s table",
			       n_buckets, what);
	left -= (uint64_t)n_buckets * 4;
	if (left % ITEM_SIZE)
		return gvdb_corrupt(why, why_size, "%s table items end mid-item (%llu bytes left)", what,
			       (unsigned long long)left);
	db->buckets = start + HASH_HEADER_SIZE + (size_t)bloom;
	db->n_buckets = n_buckets;
	db->items = db->buckets + (size_t)n_buckets * 4;
	db->n_items = (uint32_t)(left / ITEM_SIZE);
	return GVDB_FOUND;
}

int gvdb_open(gvdb *db, const void *data, size_t size, char *why, size_t why_size)
{
	memset(db, 0, sizeof *db);
	db->data = data;
	db->size = size;
	if (size < HEADER_SIZE)
		return gvdb_corrupt(why, why_size, "truncated GVDB header (%zu of %u bytes)", size,
			       HEADER_SIZE);
	if (!memcmp(data, "GVariant", 8))
		db->byteswapped = false;
	else if (!memcmp(data, "raVGtnai", 8))
		db->byteswapped = true;
	else
		return gvdb_corrupt(why, why_size, "not a GVDB file (no GVariant signature)");
	const unsigned char *h = data;
	return parse_table(db, le32(h + 16), le32(h + 20), "root", why, why_size);
}

/* GLib's djb hash over signed chars, as the builder computed it. */
static uint32_t key_hash(const char *key)
{
	uint32_t h = 5381;
	for (const signed char *p = (const signed char *)key; *p; p++)
		h = h * 33 + (uint32_t)(int32_t)*p;
	return h;
}

static const unsigned char *item_at(const gvdb *db, uint32_t i)
{
	return db->data + db->items + (size_t)i * ITEM_SIZE;
}

/* Whether item i's chain of segments spells key[0..len). Each step
 * consumes at least one byte, so the walk ends even on a cyclic file. */
static bool name_matches(const gvdb *db, uint32_t i, const char *key, size_t len)
{
	for (;;) {
		const unsigned char *it = item_at(db, i);
		uint32_t kstart = le32(it + 8);
		uint32_t ksize = (uint32_t)it[12] | (uint32_t)it[13] << 8;
		if (ksize > len || kstart > db->size || ksize > db->size - kstart)
			return false;
		len -= ksize;
		if (memcmp(db->data + kstart, key + len, ksize))
			return false;
		uint32_t parent = le32(it + 4);
		if (len == 0)
			return parent == NO_PARENT;
		if (parent >= db->n_items || ksize == 0)
			return false;
		i = parent;
	}
}

/* A serialised variant: the child's bytes, a zero byte, the type string. */
static int decode_variant(const gvdb *db, const unsigned char *v, size_t len, gvdb_value *out,
			  char *why, size_t why_size)
{
	size_t sep = len;
	while (sep > 0 && v[sep - 1] != 0)
		sep--;
	if (sep == 0)
		return gvdb_corrupt(why, why_size, "variant value without a type");
	sep--; /* index of the zero byte */
	size_t tlen = len - sep - 1;
	if (tlen == 0 || tlen >= sizeof out->type)
		return gvdb_corrupt(why, why_size, "variant type of %zu bytes", tlen);
	for (size_t k = 0; k < tlen; k++)
		if (v[sep + 1 + k] < 0x21 || v[sep + 1 + k] > 0x7e)
			return gvdb_corrupt(why, why_size, "variant type is not printable");
	memcpy(out->type, v + sep + 1, tlen);
	out->type[tlen] = '\0';
	if (!strcmp(out->type, "b")) {
		/* GLib would read other sizes or bytes as false; we do not guess. */
		if (sep != 1 || v[0] > 1)
			return gvdb_corrupt(why, why_size, "boolean of %zu bytes (value %u)", sep,
				       sep ? v[0] : 0);
		out->b = v[0];
	} else if (!strcmp(out->type, "u")) {
		if (sep != 4)
			return gvdb_corrupt(why, why_size, "uint32 of %zu bytes", sep);
		out->u = db->byteswapped ? be32(v) : le32(v);
	}
	return GVDB_FOUND;
}

/* The item named key, or NULL. */
static const unsigned char *find_item(const gvdb *db, const char *key)
{
	if (db->n_buckets == 0 || db->n_items == 0)
		return NULL;
	uint32_t hash = key_hash(key);
	size_t len = strlen(key);
	uint32_t bucket = hash % db->n_buckets;
	const unsigned char *b = db->data + db->buckets;
	uint32_t first = le32(b + (size_t)bucket * 4);
	uint32_t last = db->n_items;
	if (bucket + 1 < db->n_buckets && le32(b + (size_t)(bucket + 1) * 4) < last)
		last = le32(b + (size_t)(bucket + 1) * 4);
	for (uint32_t i = first; i < last; i++) {
		const unsigned char *it = item_at(db, i);
		if (le32(it) == hash && name_matches(db, i, key, len))
			return it;
	}
	return NULL;
}

int gvdb_table(const gvdb *db, const char *key, gvdb *sub, char *why, size_t why_size)
{
	const unsigned char *it = find_item(db, key);
	if (!it)
		return GVDB_ABSENT;
	if (it[14] != 'H')
		return gvdb_corrupt(why, why_size, "%s is not a table (item type '%c')", key,
			       it[14] >= 0x20 && it[14] < 0x7f ? it[14] : '?');
	*sub = *db;
	return parse_table(sub, le32(it + 16), le32(it + 20), key, why, why_size);
}

int gvdb_lookup(const gvdb *db, const char *key, gvdb_value *out, char *why, size_t why_size)
{
	memset(out, 0, sizeof *out);
	const unsigned char *it = find_item(db, key);
	if (!it)
		return GVDB_ABSENT;
	if (it[14] != 'v')
		return gvdb_corrupt(why, why_size, "%s is not a value (item type '%c')", key,
			       it[14] >= 0x20 && it[14] < 0x7f ? it[14] : '?');
	uint32_t start = le32(it + 16), end = le32(it + 20);
	if (!span_ok(db, start, end, 8))
		return gvdb_corrupt(why, why_size,
			       "%s: value [%u, %u) outside the file (%zu bytes) or misaligned", key,
			       start, end, db->size);
	int rc = decode_variant(db, db->data + start, end - start, out, why, why_size);
	if (rc != GVDB_FOUND && why_size) {
		char inner[200];
		snprintf(inner, sizeof inner, "%s", why);
		fact_buf_set(why, why_size, "%s: %s", key, inner);
	}
	return rc;
}
