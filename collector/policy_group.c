/* Which policy group a host is in (collector.h): the inventory's `group`
 * column, read and written here only, so a change to how the inventory
 * keeps its columns touches this one file. */
#define _GNU_SOURCE
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "collector.h"

int host_policy_group(store *s, const char *host, char *group, size_t size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s),
			       "SELECT json_extract(attributes, '$.group') FROM inventory"
			       " WHERE hostname = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int found = 0;
	if (rc == SQLITE_ROW) {
		const char *g = (const char *)sqlite3_column_text(st, 0);
		if (g && *g) {
			snprintf(group, size, "%s", g);
			found = 1;
		}
	} else if (rc != SQLITE_DONE) {
		found = -1;
	}
	sqlite3_finalize(st);
	return found;
}

int host_set_policy_group(store *s, const char *host, const char *group, char *err,
			  size_t err_size)
{
	sqlite3 *db = store_db(s);
	sqlite3_stmt *st;
	/* A host not in the inventory yet gets a row of its own. */
	const char *sql = *group
		? "INSERT INTO inventory(hostname, attributes, imported_at)"
		  " VALUES(?1, json_object('group', ?2), ?3) ON CONFLICT(hostname) DO UPDATE"
		  " SET attributes = json_set(attributes, '$.group', ?2)"
		: "UPDATE inventory SET attributes = json_remove(attributes, '$.group')"
		  " WHERE hostname = ?1";
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, err_size, "database: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	if (*group) {
		sqlite3_bind_text(st, 2, group, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	}
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc)
		snprintf(err, err_size, "database: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}
