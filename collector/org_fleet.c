/* The fleet's compliance for the organisation's placement: each host's
 * latest scored report within the window, averaged; what an inventory
 * host that never reported could score widens the range, so a fleet that
 * hides its worst PCs is not read as compliant. The only SQL of the org
 * feature (collector/org.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "org.h"

int org_fleet_compliance(store *s, int64_t now, long window_days, org_measured *m,
			 char *err, size_t err_size)
{
	sqlite3 *db = store_db(s);
	memset(m, 0, sizeof *m);
	sqlite3_stmt *st = NULL, *inv = NULL;
	/* The latest report per host (by finished_at, then arrival) in the window. */
	static const char latest[] =
		"SELECT r.score FROM reports r"
		" WHERE r.finished_at >= ?1 AND r.finished_at <= ?2 AND r.id = ("
		"  SELECT r2.id FROM reports r2 WHERE r2.host_id = r.host_id"
		"   AND r2.finished_at >= ?1 AND r2.finished_at <= ?2"
		"  ORDER BY r2.finished_at DESC, r2.id DESC LIMIT 1)";
	static const char missing[] =
		"SELECT count(*) FROM inventory i WHERE NOT EXISTS ("
		" SELECT 1 FROM reports r JOIN hosts h ON h.id = r.host_id"
		" WHERE h.name = i.hostname COLLATE NOCASE AND r.finished_at >= ?1"
		" AND r.finished_at <= ?2 AND r.score IS NOT NULL)";
	int rc = -1;
	if (sqlite3_prepare_v2(db, latest, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, missing, -1, &inv, NULL) != SQLITE_OK)
		goto out;
	int64_t from = now - (int64_t)window_days * 86400;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, now);
	double sum = 0;
	long hosts = 0, unscored = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
			unscored++;
			continue;
		}
		sum += sqlite3_column_double(st, 0);
		hosts++;
	}
	if (step != SQLITE_DONE)
		goto out;
	sqlite3_bind_int64(inv, 1, from);
	sqlite3_bind_int64(inv, 2, now);
	if (sqlite3_step(inv) != SQLITE_ROW)
		goto out;
	long absent = (long)sqlite3_column_int64(inv, 0);
	rc = 0;
	if (hosts == 0) {
		snprintf(m->source, sizeof m->source,
			 "no host has a scored report in the last %ld days", window_days);
		snprintf(m->source_ja, sizeof m->source_ja,
			 "過去 %ld 日間にスコアのあるレポートを送ったホストがない", window_days);
		goto out;
	}
	m->known = true;
	m->low = sum / (double)(hosts + absent);
	m->high = (sum + 100.0 * (double)absent) / (double)(hosts + absent);
	snprintf(m->source, sizeof m->source,
		 "the fleet: mean of %ld hosts' latest scores in the last %ld days; %ld inventory "
		 "hosts without a report, %ld without a score", hosts, window_days, absent, unscored);
	snprintf(m->source_ja, sizeof m->source_ja,
		 "組織全体: 過去 %ld 日間の各ホスト最新スコアの平均（%ld 台）。レポートのない"
		 "台帳のホスト %ld 台、スコアのないホスト %ld 台", window_days, hosts, absent,
		 unscored);
out:
	if (rc != 0)
		snprintf(err, err_size, "database: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_finalize(inv);
	return rc;
}
