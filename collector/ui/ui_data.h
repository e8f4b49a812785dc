/* SPDX-License-Identifier: Apache-2.0 */
/* What the console pages read of the store, made from its existing
 * readers (hosts, inventory, each host's latest report, the report rows):
 * the hosts with their inventory columns and latest report, a host's or
 * the fleet's history. */
#ifndef HOSTAUDIT_UI_DATA_H
#define HOSTAUDIT_UI_DATA_H

#include <jansson.h>

#include "ui.h"

typedef struct ui_host {
	char name[256];
	json_t *inv;        /* its inventory columns (an object), NULL: not listed */
	bool enrolled;      /* it has a token (not revoked) */
	char report_id[40]; /* its newest report, "" none */
	json_t *report;     /* that report, when loaded; NULL when its body is gone */
	int64_t finished;   /* its finished_at, 0 none */
	double score;       /* NaN: none */
} ui_host;

typedef struct ui_hosts {
	ui_host *h;
	size_t n;
} ui_hosts;

/* Every host (the inventory's and the enrolled ones) that the page's
 * filter keeps (query arguments naming inventory columns, e.g.
 * ?department=Sales; `skip` names an argument that is not a filter),
 * sorted by name, each with its newest report when with_reports.
 * 0, or -1 (the store failed). */
int ui_hosts_load(ui_page *p, bool with_reports, const char *skip, ui_hosts *out);
void ui_hosts_free(ui_hosts *hs);
/* The host of that name in hs, or NULL. */
ui_host *ui_hosts_find(ui_hosts *hs, const char *name);
/* Whether a host with these inventory columns passes the page's filter. */
bool ui_filter_keeps(ui_page *p, const json_t *inventory, const char *skip);
/* Whether the page has a filter; writes it as "column = value" chips. */
bool ui_filter_line(ui_page *p, const char *skip);

/* json_string_value() of o's key, or "". */
const char *ui_jstr(const json_t *o, const char *key);

/* One stored report's row, for histories. */
typedef struct ui_report_row {
	char report_id[40];
	int64_t finished;
	double score;
	char *summary;      /* "pack:id=c\n" lines (results_summary()) */
} ui_report_row;
typedef struct ui_history {
	ui_report_row *r;
	size_t n;
} ui_history;
/* The reports finished in [from, to) of host (NULL: every host), oldest
 * first; host_name set per row through names when host is NULL. */
int ui_history_load(store *s, int64_t org_id, const char *host, int64_t from, int64_t to,
		    ui_history *out, char ***names);
void ui_history_free(ui_history *h, char **names);
/* The status letter of rule ("pack:id") in a summary, 0 when absent. */
char ui_summary_status(const char *summary, const char *rule);

#endif
