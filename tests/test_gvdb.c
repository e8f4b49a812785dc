/* SPDX-License-Identifier: Apache-2.0 */
/* The GVDB reader (agent/formats/gvdb.c) on databases written by the
 * real dconf (tests/fixtures/make_dconf_fixtures.sh), and its robustness:
 * every truncation of a real file and bounded random byte flips must give
 * an answer or an error with a reason, never a crash (run under ASan). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gvdb.h"

#define ROOTS "tests/fixtures/roots/"
#define IDLE "/org/gnome/desktop/session/idle-delay"
#define LOCK "/org/gnome/desktop/screensaver/lock-enabled"
#define DELAY "/org/gnome/desktop/screensaver/lock-delay"
#define ACTIVATION "/org/gnome/desktop/screensaver/idle-activation-enabled"

static unsigned char *load(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static unsigned char buf[65536];
	*size = fread(buf, 1, sizeof buf, f);
	fclose(f);
	/* An exact-size copy, so ASan sees any read past the end. */
	unsigned char *copy = malloc(*size ? *size : 1);
	assert_non_null(copy);
	memcpy(copy, buf, *size);
	return copy;
}

static int lookup(const char *file, const char *key, gvdb_value *v)
{
	size_t size;
	unsigned char *data = load(file, &size);
	gvdb db;
	char why[256] = "";
	int rc = gvdb_open(&db, data, size, why, sizeof why);
	if (rc == GVDB_FOUND)
		rc = gvdb_lookup(&db, key, v, why, sizeof why);
	if (rc == GVDB_CORRUPT)
		assert_true(why[0] != '\0');
	free(data);
	return rc;
}

static void reads_what_dconf_wrote(void **state)
{
	(void)state;
	const char *taro = ROOTS "screenlock-gnome-userdb/home/taro/.config/dconf/user";
	gvdb_value v;
	assert_int_equal(lookup(taro, IDLE, &v), GVDB_FOUND);
	assert_string_equal(v.type, "u");
	assert_int_equal(v.u, 900);
	assert_int_equal(lookup(taro, DELAY, &v), GVDB_FOUND);
	assert_int_equal(v.u, 60);
	assert_int_equal(lookup(taro, LOCK, &v), GVDB_ABSENT);
	assert_int_equal(lookup(taro, "/org/gnome/desktop/background/picture-uri", &v), GVDB_FOUND);
	assert_string_equal(v.type, "s");
	/* A directory is not a key, nor is a prefix of one. */
	assert_int_equal(lookup(taro, "/org/gnome/desktop/session/", &v), GVDB_CORRUPT);
	assert_int_equal(lookup(taro, "/org/gnome/desktop/session/idle", &v), GVDB_ABSENT);
	assert_int_equal(lookup(taro, "", &v), GVDB_ABSENT);

	const char *hanako = ROOTS "screenlock-gnome-userdb/home/hanako/.config/dconf/user";
	assert_int_equal(lookup(hanako, IDLE, &v), GVDB_FOUND);
	assert_string_equal(v.type, "i");
	assert_int_equal(lookup(hanako, ACTIVATION, &v), GVDB_FOUND);
	assert_string_equal(v.type, "b");
	assert_true(v.b);

	const char *off = ROOTS "screenlock-gnome-useroff/home/taro/.config/dconf/user";
	assert_int_equal(lookup(off, LOCK, &v), GVDB_FOUND);
	assert_string_equal(v.type, "b");
	assert_false(v.b);
	assert_int_equal(lookup(off, IDLE, &v), GVDB_FOUND);
	assert_int_equal(v.u, 600);

	/* A system database compiled by `dconf compile` (it also holds a
	 * nested table of locks). */
	const char *sys = ROOTS "screenlock-gnome-userdb/etc/dconf/db/local";
	assert_int_equal(lookup(sys, IDLE, &v), GVDB_FOUND);
	assert_int_equal(v.u, 600);
	assert_int_equal(lookup(sys, DELAY, &v), GVDB_FOUND);
	assert_int_equal(v.u, 0);
	assert_int_equal(lookup(sys, LOCK, &v), GVDB_ABSENT);
}

/* A compiled system database (dconf compile): values, and the locks in
 * its nested ".locks" table. */
static void reads_compiled_locks(void **state)
{
	(void)state;
	size_t size;
	unsigned char *data = load(ROOTS "screenlock-gnome-locked/etc/dconf/db/local", &size);
	gvdb db, locks;
	gvdb_value v;
	char why[256] = "";
	assert_int_equal(gvdb_open(&db, data, size, why, sizeof why), GVDB_FOUND);
	assert_int_equal(gvdb_lookup(&db, IDLE, &v, why, sizeof why), GVDB_FOUND);
	assert_int_equal(v.u, 300);
	assert_int_equal(gvdb_table(&db, ".locks", &locks, why, sizeof why), GVDB_FOUND);
	assert_int_equal(gvdb_lookup(&locks, IDLE, &v, why, sizeof why), GVDB_FOUND);
	assert_int_equal(gvdb_lookup(&locks, LOCK, &v, why, sizeof why), GVDB_FOUND);
	assert_int_equal(gvdb_lookup(&locks, ACTIVATION, &v, why, sizeof why), GVDB_ABSENT);
	/* A value is not a table. */
	assert_int_equal(gvdb_table(&db, IDLE, &locks, why, sizeof why), GVDB_CORRUPT);
	free(data);
}

static void big_endian_values(void **state)
{
	(void)state;
	size_t size;
	unsigned char *d =
		load(ROOTS "screenlock-gnome-userdb/home/taro/.config/dconf/user", &size);
	/* The same file as a big-endian writer would have made it: swapped
	 * signature, idle-delay's 900 (84 03 00 00, then "\0u") reversed. */
	memcpy(d, "raVGtnai", 8);
	static const unsigned char le900[] = {0x84, 0x03, 0, 0, 0, 'u'};
	unsigned char *p = NULL;
	for (size_t i = 0; i + sizeof le900 <= size && !p; i++)
		if (!memcmp(d + i, le900, sizeof le900))
			p = d + i;
	assert_non_null(p);
	p[0] = 0, p[1] = 0, p[2] = 0x03, p[3] = 0x84;
	gvdb db;
	gvdb_value v;
	char why[256];
	assert_int_equal(gvdb_open(&db, d, size, why, sizeof why), GVDB_FOUND);
	assert_int_equal(gvdb_lookup(&db, IDLE, &v, why, sizeof why), GVDB_FOUND);
	assert_int_equal(v.u, 900);
	free(d);
}

static void rejects_what_is_not_gvdb(void **state)
{
	(void)state;
	gvdb db;
	char why[256];
	assert_int_equal(gvdb_open(&db, "", 0, why, sizeof why), GVDB_CORRUPT);
	assert_non_null(strstr(why, "truncated GVDB header"));
	static const char text[] = "GVariant-binary-placeholder";
	assert_int_equal(gvdb_open(&db, text, sizeof text - 1, why, sizeof why), GVDB_CORRUPT);
	assert_non_null(strstr(why, "root table"));
	static const char other[] = "[org/gnome]\nx=1\n........................";
	assert_int_equal(gvdb_open(&db, other, sizeof other - 1, why, sizeof why),
			 GVDB_CORRUPT);
	assert_non_null(strstr(why, "not a GVDB file"));
}

static void try_all_keys(const unsigned char *data, size_t size)
{
	static const char *const keys[] = {IDLE, LOCK, DELAY, ACTIVATION, "/", ""};
	unsigned char *copy = malloc(size ? size : 1);
	assert_non_null(copy);
	memcpy(copy, data, size);
	gvdb db;
	char why[256] = "";
	if (gvdb_open(&db, copy, size, why, sizeof why) != GVDB_FOUND) {
		assert_true(why[0] != '\0');
		free(copy);
		return;
	}
	gvdb locks;
	int lrc = gvdb_table(&db, ".locks", &locks, why, sizeof why);
	assert_true(lrc == GVDB_FOUND || lrc == GVDB_ABSENT || lrc == GVDB_CORRUPT);
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		gvdb_value v;
		why[0] = '\0';
		int rc = gvdb_lookup(&db, keys[k], &v, why, sizeof why);
		assert_true(rc == GVDB_FOUND || rc == GVDB_ABSENT || rc == GVDB_CORRUPT);
		if (rc == GVDB_CORRUPT)
			assert_true(why[0] != '\0');
		if (lrc == GVDB_FOUND)
			rc = gvdb_lookup(&locks, keys[k], &v, why, sizeof why);
		assert_true(rc == GVDB_FOUND || rc == GVDB_ABSENT || rc == GVDB_CORRUPT);
	}
	free(copy);
}

static void every_truncation(void **state)
{
	(void)state;
	static const char *const files[] = {
		ROOTS "screenlock-gnome-userdb/home/taro/.config/dconf/user",
		ROOTS "screenlock-gnome-useroff/home/taro/.config/dconf/user",
		ROOTS "screenlock-gnome-locked/home/taro/.config/dconf/user",
		ROOTS "screenlock-gnome-userdb/etc/dconf/db/local",
		ROOTS "screenlock-gnome-locked/etc/dconf/db/local", /* with .locks */
	};
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		size_t size;
		unsigned char *d = load(files[f], &size);
		for (size_t n = 0; n <= size; n++)
			try_all_keys(d, n);
		free(d);
	}
}

/* xorshift32: the same flips on every run. */
static uint32_t next_random(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void random_byte_flips(void **state)
{
	(void)state;
	size_t size;
	unsigned char *orig =
		load(ROOTS "screenlock-gnome-userdb/home/taro/.config/dconf/user", &size);
	unsigned char *d = malloc(size);
	assert_non_null(d);
	uint32_t seed = 0x9e3779b9u;
	for (int round = 0; round < 20000; round++) {
		memcpy(d, orig, size);
		int flips = 1 + (int)(next_random(&seed) % 4);
		for (int k = 0; k < flips; k++) {
			uint32_t r = next_random(&seed);
			/* Half the time a whole byte, else one bit. */
			size_t at = (r >> 8) % size;
			d[at] = (r & 1) ? (unsigned char)(r >> 1) : d[at] ^ (unsigned char)(1u << ((r >> 1) % 8));
		}
		try_all_keys(d, size);
	}
	free(d);
	free(orig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_what_dconf_wrote),
		cmocka_unit_test(reads_compiled_locks),
		cmocka_unit_test(big_endian_values),
		cmocka_unit_test(rejects_what_is_not_gvdb),
		cmocka_unit_test(every_truncation),
		cmocka_unit_test(random_byte_flips),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
