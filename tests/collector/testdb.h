/* SPDX-License-Identifier: Apache-2.0 */
/* The e2e tests' own view of the collector's database, on SQLite or on
 * PostgreSQL: the same test suite runs once on each (ctest collector_e2e
 * and collector_e2e_pg). HOSTAUDIT_TEST_PG (set by run_pg.sh) is the URI
 * of a throw-away cluster, e.g. postgresql://postgres@127.0.0.1:5999. */
#ifndef HOSTAUDIT_TESTDB_H
#define HOSTAUDIT_TESTDB_H

#include <stdbool.h>
#include <stddef.h>

/* Whether this run is the PostgreSQL one. */
bool testdb_pg(void);
/* A new empty database for one test: dir/collector.db, or on PostgreSQL a
 * new database named after the test; its `database:` value in uri. */
void testdb_new(const char *dir, const char *name, char *uri, size_t size);
/* The one integer a query gives ($1 is param, which may be NULL). */
long testdb_int(const char *database, const char *sql, const char *param);
/* Each row's first column of a query, as strings, into out (n rows max);
 * returns the row count. */
size_t testdb_strings(const char *database, const char *sql, char out[][64], size_t n);
/* Runs statements (setup); 0 or -1. */
int testdb_exec(const char *database, const char *sql);

#endif
