/* SPDX-License-Identifier: Apache-2.0 */
/* What the console pages read of the store: the fleet model (fleet.h)
 * that every page counts with, the page's inventory filter, and a host's
 * or the fleet's history (the report rows). */
#ifndef HOSTAUDIT_UI_DATA_H
#define HOSTAUDIT_UI_DATA_H

#include <jansson.h>

#include "fleet.h"
#include "ui.h"

/* The fleet model (fleet.h) of the page's organisation, as every page
 * counts it (trend_days as fleet_options'): NULL after answering 503. */
fleet *ui_fleet_load(ui_page *p, long trend_days);
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

#endif
