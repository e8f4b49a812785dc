/* SPDX-License-Identifier: Apache-2.0 */
/* Alerts (docs/collector.md "Alerts"): events found in the store, sent
 * once to HTTPS webhooks and by e-mail, every attempt recorded.
 *   alert_config.c   the `alerts:` section of collector.yaml
 *   alert_detect.c   events from the store: newly failing rules, silent
 *                    hosts, exceptions running out, host-name mismatches
 *   alert_text.c     what an event says, in English or Japanese
 *   alert_webhook.c  delivery to a webhook (JSON, HMAC-SHA256)
 *   alert_smtp.c     delivery by e-mail (SMTP with STARTTLS required)
 *   alert_worker.c   the thread in `serve`: detect, lease, send, retry
 *   cmd_alerts.c     `alerts list|test`
 * The outbox lives in the database (store.h, store_alert_*): an event has
 * a unique key, so collectors sharing one PostgreSQL store it once; a
 * delivery is leased before it is sent, so one of them sends it. */
#ifndef HOSTAUDIT_COLLECTOR_ALERTS_H
#define HOSTAUDIT_COLLECTOR_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store.h"

struct collector_config;
struct yamlfile;
struct diag;

/* The event kinds, as stored and as named in `events:`. */
#define ALERT_RULE_FAILED "rule_failed"
#define ALERT_HOST_STALE "host_stale"
#define ALERT_EXC_EXPIRING "exception_expiring"
#define ALERT_EXC_EXPIRED "exception_expired"
#define ALERT_HOST_MISMATCH "host_mismatch"
#define ALERT_DIGEST "digest" /* a mail receiver's daily summary */
#define ALERT_TEST "test"     /* `alerts test` */
#define ALERT_NKINDS 5

typedef enum { ALERT_WEBHOOK, ALERT_MAIL } alert_channel;

typedef struct alert_receiver {
	char *name;             /* "webhook:soc", "mail:it" (the stored receiver) */
	char *organisation;     /* `organisation:`: only its events; NULL: collector-wide */
	alert_channel channel;
	char *url;              /* webhook: https://... */
	char *secret;           /* webhook: read from secret_file (0600) */
	char *ca_file;          /* optional: trust these CAs instead of the system's */
	char **to;              /* mail: recipients, NULL-terminated */
	bool kinds[ALERT_NKINDS]; /* which events, in alert_kinds[] order */
	char lang[3];           /* "en" or "ja" */
	bool digest;            /* mail: one message a day instead of one each */
} alert_receiver;

typedef struct alert_config {
	alert_receiver *rx;
	size_t nrx;
	/* the SMTP relay, for every mail receiver */
	char *smtp_url;         /* smtp://host:port (STARTTLS required) */
	char *smtp_from;
	char *smtp_user, *smtp_password; /* from credentials_file (0600), optional */
	char *smtp_ca_file;
	long stale_days;        /* default: the collector's stale_days */
	long exception_warn_days;
	long scan_interval_s, check_interval_s;
	long retry_initial_s, retry_max_s, max_attempts;
} alert_config;

extern const char *const alert_kinds[ALERT_NKINDS + 1];

/* Parses the `alerts:` node (alert_config.c); secrets are read here, so a
 * secret file others can read stops the start. 0, or -1 with d set
 * (file:line:column). */
int alert_config_parse(struct yamlfile *yf, void *node, long stale_days, alert_config *out,
		       struct diag *d);
void alert_config_free(alert_config *c);
/* The index of kind in alert_kinds[], or -1. */
int alert_kind_index(const char *kind);
/* Whether r gets the events of the organisation named org: r names it
 * (any case), or r is collector-wide and no receiver names org. */
bool alert_receiver_serves(const alert_config *c, const alert_receiver *r, const char *org);

/* One organisation as the worker scans it: its id, its name (the
 * store's; "default" for ORG_DEFAULT) and the receivers serving it. */
typedef struct alert_org {
	int64_t id;
	const char *name;
	const alert_receiver **rx;
	size_t nrx;
} alert_org;
/* o->rx and o->nrx for o->name (o->rx: room for c->nrx). */
void alert_org_receivers(const alert_config *c, alert_org *o);

/* ---- detection (alert_detect.c) ---- */
/* Every function runs for one organisation: its events go to its
 * receivers; outside ORG_DEFAULT the key starts "org-<id>|" (unique across
 * the collector, for the receivers' X-Hostaudit-Event and Message-ID) and
 * the detail names the organisation ("organisation"). */
/* Stores the events of the reports that arrived since the cursor, then
 * moves it. 0 or -1 with err. */
int alert_scan_reports(store *s, const alert_org *o, int64_t now, char *err, size_t err_size);
/* Stores the events of silent hosts and of exceptions running out, and
 * each digest receiver's summary of yesterday. 0 or -1 with err. */
int alert_check_periodic(store *s, const alert_org *o, const alert_config *c, int64_t now,
			 char *err, size_t err_size);

/* ---- text (alert_text.c) ---- */
/* The subject line and the text of an event for a person, in lang;
 * malloc'd. detail is the event's stored JSON; an organisation other than
 * the default one is named in both, and in the JSON's "organisation". */
char *alert_subject(const store_alert_event *e, const char *lang);
char *alert_text(const store_alert_event *e, const char *lang);
/* The webhook's JSON body (malloc'd). */
char *alert_json(const store_alert_event *e, const char *lang);

/* ---- delivery ---- */
/* 0 delivered, -1 not (err says why: to record and retry). */
int alert_webhook_send(const alert_receiver *r, const char *body, const char *event_key,
		       int64_t now, char *err, size_t err_size);
/* HMAC-SHA256 of "<timestamp>.<body>" under secret, in hex: the
 * X-Hostaudit-Signature header's value after "sha256=". */
void alert_webhook_signature(const char *secret, int64_t timestamp, const char *body,
			     char out[65]);
int alert_mail_send(const alert_config *c, const alert_receiver *r, const char *subject,
		    const char *text, const char *event_key, int64_t now, char *err,
		    size_t err_size);
/* Sends e to r now, whatever its channel. 0 or -1 with err. */
int alert_deliver(const alert_config *c, const alert_receiver *r, const store_alert_event *e,
		  int64_t now, char *err, size_t err_size);

/* ---- the worker (alert_worker.c) ---- */
typedef struct alert_worker alert_worker;
/* Starts the thread on its own store connection; NULL with err. */
alert_worker *alert_worker_start(const struct collector_config *cfg, char *err,
				 size_t err_size);
void alert_worker_stop(alert_worker *w);

/* `alerts list [--since T]|test` (cmd_alerts.c). */
int cmd_alerts(const struct collector_config *c, int argc, char **argv);

#endif
