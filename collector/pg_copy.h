/* SPDX-License-Identifier: Apache-2.0 */
/* PostgreSQL's binary COPY format, read (the server's COPY ... TO STDOUT
 * (FORMAT binary), one CopyData message at a time): a file header before
 * the first tuple, then a tuple per message, then a trailer. The store's
 * large reads use it (store_pg.c, each_copy_row). Every length read is
 * bounded by the message and by the caller's buffer. */
#ifndef HOSTAUDIT_COLLECTOR_PG_COPY_H
#define HOSTAUDIT_COLLECTOR_PG_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PG_COPY_FIELDS 16

/* A tuple's fields, each copied into the caller's buffer and followed by
 * a NUL; a NULL field reads as empty (the columns read are NOT NULL). */
typedef struct pg_copy_tuple {
	int n;
	const char *v[PG_COPY_FIELDS];
	int32_t len[PG_COPY_FIELDS];
} pg_copy_tuple;

/* One CopyData message p[0..n): the header first (*header false until it
 * is read, in the message of the first tuple or alone), then a tuple or
 * the trailer. Its fields copied into buf (size bytes). 1: a tuple in t;
 * 0: the trailer, or the header alone; -1: not understood (truncated, a
 * length past the message, more than PG_COPY_FIELDS fields, bytes left
 * over, or larger than buf). */
int pg_copy_parse(const unsigned char *p, size_t n, bool *header, char *buf, size_t size,
		  pg_copy_tuple *t);
/* Field i as an integer (int2, int4 or int8 by its length), else 0. */
int64_t pg_copy_int(const pg_copy_tuple *t, int i);
/* A big-endian 32-bit number. */
uint32_t pg_copy_be32(const unsigned char *p);

#endif
