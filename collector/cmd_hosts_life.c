/* SPDX-License-Identifier: Apache-2.0 */
/* `hostaudit-collector hosts list|show|revoke|rename|retire`: a host's
 * lifecycle (store.h) and its state in the fleet model (fleet.h). */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "collector.h"
#include "fleet.h"
#include "i18n.h"
#include "principal.h"

bool cmd_hosts_lifecycle_owns(const char *sub)
{
	static const char *const subs[] = {"list", "show", "revoke", "rename", "retire"};
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (!strcmp(sub, subs[i]))
			return true;
	return false;
}

static int hosts_usage(void)
{
	fprintf(stderr, _("%s hostaudit-collector [-c CONFIG] hosts list [--format text|json] |"
			" show HOST | revoke HOST | rename OLD NEW | retire HOST\n"),
		_("usage:"));
	return 2;
}

static const char *state_of(const fleet_host *h)
{
	return h->retired ? "retired" : !h->expected ? "-" : !h->report_id[0] ? "never"
							   : h->stale	 ? "stale"
									 : "reporting";
}

static int list(const fleet *f, bool json)
{
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < f->n_hosts; i++)
			json_array_append_new(a, fleet_host_json(f, &f->hosts[i]));
		char *t = json_dumps(a, JSON_INDENT(2) | JSON_SORT_KEYS);
		json_decref(a);
		if (!t)
			return 1;
		printf("%s\n", t);
		free(t);
		return 0;
	}
	printf("%-28s %-9s %-8s %-20s %6s %s\n", "host", "state", "token", "last_report", "score",
	       "failing");
	for (size_t i = 0; i < f->n_hosts; i++) {
		const fleet_host *h = &f->hosts[i];
		char last[21] = "-", score[16] = "-";
		if (h->last_finished)
			rfc3339_format(h->last_finished, last);
		if (!isnan(h->score))
			snprintf(score, sizeof score, "%.1f", h->score);
		printf("%-28s %-9s %-8s %-20s %6s %zu\n", h->name, state_of(h),
		       h->enrolled ? "live" : h->host_id ? "revoked" : "-", last, score, h->n_failing);
	}
	return 0;
}

int cmd_hosts_lifecycle(const collector_config *c, int argc, char **argv)
{
	const char *sub = argv[1];
	bool json = false;
	if (!strcmp(sub, "list")) {
		if (argc == 4 && !strcmp(argv[2], "--format") &&
		    (!strcmp(argv[3], "json") || !strcmp(argv[3], "text")))
			json = !strcmp(argv[3], "json");
		else if (argc != 2)
			return hosts_usage();
	} else if (!strcmp(sub, "rename") ? argc != 4 : argc != 3) {
		return hosts_usage();
	}
	char err[600];
	store *s = store_open(c->database, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hostaudit-collector: %s\n", err);
		return 1;
	}
	int rc = 0;
	if (!strcmp(sub, "list") || !strcmp(sub, "show")) {
		fleet_options o = {.stale_days = c->stale_days, .trend_days = -1};
		fleet *f = fleet_load(s, c->org_id, &o, err, sizeof err);
		const fleet_host *h = f && argc == 3 ? fleet_host_find(f, argv[2]) : NULL;
		if (!f) {
			fprintf(stderr, "hostaudit-collector: %s\n", err);
			rc = 1;
		} else if (!strcmp(sub, "list")) {
			rc = list(f, json);
		} else if (!h) {
			fprintf(stderr, _("hostaudit-collector: no host %s\n"), argv[2]);
			rc = 1;
		} else {
			json_t *j = fleet_host_json(f, h);
			char *t = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
			json_decref(j);
			if (t)
				printf("%s\n", t);
			free(t);
		}
		fleet_free(f);
		store_close(s);
		return rc;
	}
	int r;
	if (!strcmp(sub, "revoke"))
		r = store_host_revoke(s, c->org_id, argv[2], err, sizeof err);
	else if (!strcmp(sub, "rename"))
		r = store_host_rename(s, c->org_id, argv[2], argv[3], err, sizeof err);
	else
		r = store_host_retire(s, c->org_id, argv[2], (int64_t)time(NULL), err, sizeof err);
	store_close(s);
	if (r < 0) {
		fprintf(stderr, _("hostaudit-collector: hosts %s: %s\n"), sub, err);
		return 1;
	}
	if (r == 0) {
		fprintf(stderr, _("hostaudit-collector: no host %s\n"), argv[2]);
		return 1;
	}
	if (!strcmp(sub, "revoke"))
		fprintf(stderr, _("hostaudit-collector: %s's token revoked; its next upload gets 401\n"),
			argv[2]);
	else if (!strcmp(sub, "rename"))
		fprintf(stderr, _("hostaudit-collector: %s is now %s, with its history\n"), argv[2],
			argv[3]);
	else
		fprintf(stderr, _("hostaudit-collector: %s retired: no longer expected, its history "
				  "kept\n"),
			argv[2]);
	return 0;
}
