/* SPDX-License-Identifier: Apache-2.0 */
/* A small, bounds-checked reader of GVDB files (GVariant Database), the
 * binary format of dconf databases such as ~/.config/dconf/user and the
 * compiled /etc/dconf/db/NAME.
 *
 * Only what the probes need: open a file already in memory, look a key up
 * in its root hash table or in a nested one (".locks"), and decode the value when dconf stored it as a
 * variant ('v') of a boolean ('b') or a 32-bit unsigned integer ('u').
 * Every offset in the file is checked against its size before use, so a
 * truncated or corrupt file gives an error with a reason, never a crash. */
#ifndef HOSTAUDIT_GVDB_H
#define HOSTAUDIT_GVDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gvdb {
	const unsigned char *data; /* the whole file, owned by the caller */
	size_t size;
	bool byteswapped;          /* values in the other byte order */
	size_t buckets;            /* offset of the bucket array */
	uint32_t n_buckets;
	size_t items;              /* offset of the item array */
	uint32_t n_items;
} gvdb;

/* A value found in the table. type is the variant's type string
 * ("b", "u", "i", "s", ...); b or u hold the value for "b" and "u". */
typedef struct gvdb_value {
	char type[16];
	bool b;
	uint32_t u;
} gvdb_value;

enum {
	GVDB_FOUND = 0,
	GVDB_ABSENT = 1,
	GVDB_CORRUPT = -1,
};

/* Checks the header and the root hash table of data[0..size). Returns
 * GVDB_FOUND (0) or GVDB_CORRUPT with the reason in why. The data must
 * outlive db. */
int gvdb_open(gvdb *db, const void *data, size_t size, char *why, size_t why_size);

/* Looks key (a full dconf path, "/org/gnome/...") up. GVDB_FOUND with
 * *out set, GVDB_ABSENT, or GVDB_CORRUPT with the reason in why. A value
 * of another type than b or u is found with only out->type set. */
int gvdb_lookup(const gvdb *db, const char *key, gvdb_value *out, char *why, size_t why_size);

/* The nested hash table stored under key (item type 'H'), such as the
 * ".locks" table of a compiled system database, whose keys are the
 * locked paths. GVDB_FOUND with *sub usable like db, GVDB_ABSENT, or
 * GVDB_CORRUPT with the reason in why. */
int gvdb_table(const gvdb *db, const char *key, gvdb *sub, char *why, size_t why_size);

#endif
