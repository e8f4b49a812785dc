/* SPDX-License-Identifier: Apache-2.0 */
/* testdb.h: a few queries, through sqlite3 or libpq. Any failure fails
 * the test (cmocka). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "testdb.h"

static const char *pg_base(void)
{
	const char *v = getenv("HOSTAUDIT_TEST_PG");
	return v && *v ? v : NULL;
}

bool testdb_pg(void)
{
	return pg_base() != NULL;
}

static bool is_pg(const char *database)
{
	return strncmp(database, "postgresql://", 13) == 0;
}

static PGconn *pg_connect(const char *uri)
{
	PGconn *c = PQconnectdb(uri);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("PostgreSQL %s: %s", uri, PQerrorMessage(c));
	return c;
}

void testdb_new(const char *dir, const char *name, char *uri, size_t size)
{
	if (!testdb_pg()) {
		snprintf(uri, size, "%s/%s.db", dir, name);
		return;
	}
	/* a database per test and name: the directory's last part */
	const char *slash = strrchr(dir, '/');
	char db[128];
	snprintf(db, sizeof db, "%s_%s", slash ? slash + 1 : dir, name);
	for (char *p = db; *p; p++)
		if (*p == '-')
			*p = '_';
	char admin[512], sql[256];
	snprintf(admin, sizeof admin, "%s/postgres", pg_base());
	PGconn *c = pg_connect(admin);
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", db);
	PQclear(PQexec(c, sql));
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", db);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	snprintf(uri, size, "%s/%s", pg_base(), db);
}

long testdb_int(const char *database, const char *sql, const char *param)
{
	long v = 0;
	if (is_pg(database)) {
		PGconn *c = pg_connect(database);
		const char *p[] = {param};
		PGresult *r = PQexecParams(c, sql, param ? 1 : 0, NULL, p, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
			fail_msg("%s: %s", sql, PQerrorMessage(c));
		v = strtol(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		PQfinish(c);
		return v;
	}
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(database, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (param)
		sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

size_t testdb_strings(const char *database, const char *sql, char out[][64], size_t n)
{
	size_t k = 0;
	if (is_pg(database)) {
		PGconn *c = pg_connect(database);
		PGresult *r = PQexec(c, sql);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			fail_msg("%s: %s", sql, PQerrorMessage(c));
		for (int i = 0; i < PQntuples(r) && k < n; i++)
			snprintf(out[k++], 64, "%s", PQgetvalue(r, i, 0));
		PQclear(r);
		PQfinish(c);
		return k;
	}
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(database, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	while (k < n && sqlite3_step(st) == SQLITE_ROW)
		snprintf(out[k++], 64, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return k;
}

int testdb_exec(const char *database, const char *sql)
{
	if (is_pg(database)) {
		PGconn *c = pg_connect(database);
		PGresult *r = PQexec(c, sql);
		int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
		if (rc)
			print_message("%s: %s", sql, PQerrorMessage(c));
		PQclear(r);
		PQfinish(c);
		return rc;
	}
	sqlite3 *db;
	assert_int_equal(sqlite3_open(database, &db), SQLITE_OK);
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK ? 0 : -1;
	if (rc)
		print_message("%s: %s\n", sql, msg);
	sqlite3_free(msg);
	sqlite3_close(db);
	return rc;
}
