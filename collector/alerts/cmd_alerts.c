/* SPDX-License-Identifier: Apache-2.0 */
/* `hostaudit-collector alerts list [--since T]` shows who was told what,
 * when, after how many attempts (the store's record); `alerts test` sends
 * a test message to each receiver now and says how each went. With
 * --tenant NAME (main.c's tenant_commands): that organisation's record,
 * and a test of the receivers serving it. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "alerts.h"
#include "collector.h"
#include "principal.h"
#include "i18n.h"

#define ALERTS_USAGE "alerts list [--since T] | alerts test"

static int list_row(void *ctx, const store_alert_delivery *d)
{
	long *n = ctx;
	char made[21], when[21];
	rfc3339_format(d->ev.created_at, made);
	printf("%s  %s  %s%s%s\n", made, d->ev.kind, d->ev.host, d->ev.rule[0] ? "  " : "",
	       d->ev.rule);
	if (!strcmp(d->state, "sent")) {
		rfc3339_format(d->delivered_at, when);
		printf(_("    %s: sent %s (attempts: %ld)\n"), d->receiver, when, d->attempts);
	} else if (!strcmp(d->state, "failed")) {
		printf(_("    %s: failed for good (attempts: %ld): %s\n"), d->receiver,
		       d->attempts, d->last_error ? d->last_error : "");
	} else {
		rfc3339_format(d->next_at, when);
		printf(_("    %s: pending, next try %s (attempts: %ld)%s%s\n"), d->receiver, when,
		       d->attempts, d->last_error ? ": " : "", d->last_error ? d->last_error : "");
	}
	(*n)++;
	return 0;
}

static int list(const collector_config *c, int argc, char **argv)
{
	int64_t since = (int64_t)time(NULL) - 7 * 86400;
	if (argc == 4 && !strcmp(argv[2], "--since")) {
		char t[40];
		snprintf(t, sizeof t, strlen(argv[3]) == 10 ? "%sT00:00:00Z" : "%s", argv[3]);
		if (!rfc3339_parse(t, &since)) {
			fprintf(stderr, _("hostaudit-collector: --since %s: not a date or an RFC 3339 "
					  "time\n"), argv[3]);
			return 2;
		}
	} else if (argc != 2) {
		fprintf(stderr, _("usage: hostaudit-collector [-c CONFIG] %s\n"), ALERTS_USAGE);
		return 2;
	}
	char err[600];
	store *s = store_open(c->database, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hostaudit-collector: %s\n", err);
		return 1;
	}
	long n = 0;
	int rc = store_alert_each_delivery(s, c->org_id, since, list_row, &n, err, sizeof err);
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "hostaudit-collector: %s\n", err);
		return 1;
	}
	if (n == 0)
		printf("%s\n", _("No deliveries in that time."));
	return 0;
}

typedef struct org_name {
	int64_t id;
	char *name;
} org_name;

static int find_org(void *ctx, const store_org *o)
{
	org_name *n = ctx;
	if (o->id == n->id && !n->name)
		n->name = strdup(o->name);
	return 0;
}

/* With --tenant NAME: the receivers serving that organisation; else all. */
static int test(const collector_config *c)
{
	const alert_config *a = c->alerts;
	if (!a || a->nrx == 0) {
		fprintf(stderr, _("hostaudit-collector: %s has no alert receivers (alerts:)\n"),
			c->path);
		return 2;
	}
	org_name org = {c->org_id, NULL};
	char err[600];
	if (c->org_id != ORG_DEFAULT) {
		store *s = store_open(c->database, err, sizeof err);
		int rc = s ? store_each_org(s, find_org, &org, err, sizeof err) : -1;
		if (s)
			store_close(s);
		if (rc != 0 || !org.name) {
			fprintf(stderr, "hostaudit-collector: %s\n", rc ? err : _("out of memory"));
			free(org.name);
			return 1;
		}
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int failed = 0;
	int64_t now = (int64_t)time(NULL);
	for (size_t i = 0; i < a->nrx; i++) {
		const alert_receiver *r = &a->rx[i];
		if (org.name && !alert_receiver_serves(a, r, org.name))
			continue;
		char key[200], why[600];
		snprintf(key, sizeof key, "test|%s|%" PRId64, r->name, now);
		store_alert_event e = {.key = key, .kind = ALERT_TEST, .host = "", .rule = "",
				       .detail = "{}", .created_at = now};
		if (alert_deliver(a, r, &e, now, why, sizeof why) == 0) {
			printf(_("%s: sent (%s)\n"), r->name, why);
		} else {
			printf(_("%s: FAILED: %s\n"), r->name, why);
			failed = 1;
		}
	}
	curl_global_cleanup();
	free(org.name);
	return failed;
}

int cmd_alerts(const collector_config *c, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "list"))
		return list(c, argc, argv);
	if (argc == 2 && !strcmp(argv[1], "test"))
		return test(c);
	fprintf(stderr, _("usage: hostaudit-collector [-c CONFIG] %s\n"), ALERTS_USAGE);
	return 2;
}
