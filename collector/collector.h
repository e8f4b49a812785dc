/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit-collector: internal interfaces between its files.
 *   config.c   the collector's YAML config
 *   store.h    the store: hosts, tokens, reports, inventory; store.c picks
 *              the backend, store_sqlite.c or store_pg.c (PostgreSQL)
 *   server.c   the HTTPS ingest endpoint (libmicrohttpd)
 *   clientcert.c  host identity from a TLS client certificate (GnuTLS)
 *   hostname.c whether a report's host name is its enrolled host's
 *   rfc3339.c  strict RFC 3339 times
 *   log.c      the log, every line escaped
 *   annual/    the auditor's annual report
 *   org*.c     the organisation's self-assessment (org.h)
 *   main.c     the sub-command table
 *   policy_store.c  the signed policy versions, immutable files
 *   policy_group.c  which group a host's policy comes from
 *   cmd_policy.c    `policy ...` and `hosts set-group`
 *   cmd_user.c      `user ...`: the console's people
 *   tenant.c        organisations: `tenant ...`, --tenant, their directories
 *   ui/             the web console under /ui/ (ui/ui.h)
 *   alerts/         webhooks and mail about events (alerts/alerts.h) */
#ifndef HOSTAUDIT_COLLECTOR_H
#define HOSTAUDIT_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "store.h"

#define COLLECTOR_DEFAULT_CONFIG "/etc/hostaudit/collector.yaml"

typedef struct collector_config {
	char *path;
	char *listen;            /* "127.0.0.1:8443"; port 0 = any free port */
	char *tls_cert, *tls_key;/* PEM files; both or neither (then loopback only) */
	char *database;
	char *enrollment_secret_file; /* optional */
	char *client_ca;         /* optional: PEM CA(s) whose client certificates name hosts */
	bool client_cert_required; /* with client_ca: no upload without a client certificate */
	long max_body_bytes;
	long per_ip_connections;
	long max_connections;
	long connection_timeout_s; /* idle */
	long request_timeout_s;    /* whole request, against slow clients */
	long header_timeout_s;     /* TLS handshake and headers, against slowloris */
	long max_future_skew_s;
	long max_report_age_days;  /* older finished_at: refused (422) */
	long enroll_max_failures;  /* wrong enrollment secrets per address per window */
	long enroll_failure_window_s;
	long threads;
	long stale_days;
	char *organisation_dir;  /* the organisation's answers and placements (org.h) */
	char *policy_dir;         /* signed policy versions (policy_store.c); default
				   * "policy" beside the database */
	char *policy_signing_key; /* Ed25519 PEM, 0600; its public key at <path>.pub */
	long retention_days;     /* report bodies older than this are removed */
	/* The organisation a command acts in (--tenant, tenant.c; ORG_DEFAULT
	 * without), with policy_dir and organisation_dir already its own. */
	int64_t org_id;
	struct alert_config *alerts; /* `alerts:` (alerts/alerts.h), NULL: none */
	char *report_signing_key; /* Ed25519 PEM, 0600, public key <path>.pub (PEM):
				   * report --out FILE also writes FILE.sig */
} collector_config;

int ccfg_load(collector_config *c, const char *path, char *err, size_t err_size);
void ccfg_free(collector_config *c);

/* ---- store: store.h ---- */

/* ---- helpers ---- */
/* "2026-11-26T06:00:00Z" (also with a fraction of up to 9 digits or
 * +hh:mm) → epoch; false for anything else, a day that does not exist
 * (2026-02-29) included. */
bool rfc3339_parse(const char *s, int64_t *out);
void rfc3339_format(int64_t t, char out[21]);
/* Whether claimed (host.hostname in a report) names the enrolled host:
 * equal ignoring case and a trailing dot, or one is the other's first
 * label ("pc-01" and "pc-01.corp.example"). false when claimed is NULL. */
bool hostname_matches(const char *claimed, const char *enrolled);

/* ---- the log (stderr, one line each) ---- */
/* in as one line: control characters, '\\' and bytes that are not UTF-8
 * become \xNN (\\); cut at a whole character to fit out_size. Its length. */
size_t log_escape(const char *in, char *out, size_t out_size);
/* Formats, escapes (log_escape) and writes one line. */
void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Anyone who can connect can make the collector log (a refusal, a broken
 * TLS handshake): such lines take from a budget of burst lines every
 * period_s seconds; the rest are counted, and the count logged when the
 * next period begins. */
typedef struct log_budget {
	pthread_mutex_t mu;
	const char *what;   /* "refusals" */
	unsigned long burst;
	long period_s;
	time_t period;
	unsigned long lines, dropped;
} log_budget;
#define LOG_BUDGET(what, burst, period_s) \
	{PTHREAD_MUTEX_INITIALIZER, what, burst, period_s, 0, 0, 0}
/* true: log this line. */
bool log_budget_take(log_budget *b);
/* libmicrohttpd's MHD_OPTION_EXTERNAL_LOGGER: its lines escaped too, and
 * on a budget. */
void log_mhd(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* ---- client certificates ---- */
typedef struct cert_names {
	char name[8][256];  /* the subject CN and the SAN DNS names, no duplicates */
	size_t n;
} cert_names;
/* The names in the peer's certificate on a GnuTLS session (void *: keeps
 * GnuTLS out of this header): 1 a certificate that verifies against the
 * server's trust list for TLS client use (names filled), 0 none presented,
 * -1 one presented that does not verify or names nothing (err says why). */
int clientcert_names(void *tls_session, cert_names *out, char *err, size_t err_size);

/* ---- server and report ---- */
int serve(const collector_config *c, const char *port_file);

typedef struct annual_options {
	int year;
	const char *format;  /* csv, html, json, xlsx */
	const char *out;     /* file (html, json, xlsx) or directory (csv); NULL: stdout */
	long stale_days;
	int64_t now;         /* for "stale"; default the clock */
	const json_t *organisation; /* the year's placement (org.h), or NULL */
	const json_t *organisation_prev; /* the year before's, or NULL */
	const char *lang;    /* "en" (default) or "ja" */
	const char *department; /* only the inventory hosts of this department */
	const char *organisation_name; /* for the title page, or NULL */
	const char *rules_dir; /* rule packs for titles (default: the installed) */
	const char *policy_dir; /* the central policy's versions, or NULL */
	int64_t org_id;      /* the organisation reported on (principal.h) */
} annual_options;
/* The auditor's annual report (collector/annual/, docs/annual.md). */
int annual_report(store *s, const annual_options *o, char *err, size_t err_size);

/* ---- the signed central policy (docs/policy.md) ---- */
typedef struct pstore_entry {
	long long version;
	char group[65];    /* "" for the base policy */
	char created[40];
	char sha256[65];   /* of the payload */
	size_t files;
} pstore_entry;
/* Every version in dir, oldest first (*out malloc'd; a missing dir is
 * empty). 0 or -1 with err. */
int pstore_list(const char *dir, pstore_entry **out, size_t *n, char *err, size_t err_size);
/* The newest version for group ("" base): 1 found, 0 none, -1 error. */
int pstore_latest(const char *dir, const char *group, pstore_entry *e, char *err,
		  size_t err_size);
/* The stored envelope of version v (malloc'd), NULL with err. */
char *pstore_read(const char *dir, long long version, char *err, size_t err_size);
/* Stores an envelope as version v: written to a temporary file, synced,
 * then linked to its name, which never exists before (a version is never
 * rewritten). Mode 0644: it is public, signed data. 0 or -1 with err. */
int pstore_add(const char *dir, long long version, const char *envelope, char *err,
	       size_t err_size);
/* What GET /v1/policy serves a host in group ("" none): the newest base
 * and the newest of its group. NULL with *none true when there is no
 * base policy yet, NULL with err on an error. */
char *pstore_served(const char *dir, const char *group, bool *none, char *err,
		    size_t err_size);

/* The policy group of host of organisation org_id: the inventory's `group`
 * column. 1 found (group filled), 0 none, -1 error. */
int host_policy_group(store *s, int64_t org_id, const char *host, char *group, size_t size);
/* Sets it ("" clears), in the same place. 0 or -1 with err. */
int host_set_policy_group(store *s, int64_t org_id, const char *host, const char *group,
			  char *err, size_t err_size);

/* ---- organisations (tenant.c, docs/collector.md) ---- */
/* An organisation's own directory under base (policy_dir,
 * organisation_dir): base itself for ORG_DEFAULT, so a single-company
 * install keeps its layout; base/org-<id> for the others. malloc'd. */
char *tenant_dir(const char *base, int64_t org_id);
/* Takes `--tenant NAME` out of argv (anywhere after the command word) and
 * scopes c to that organisation (c->org_id, policy_dir,
 * organisation_dir). Without it, the default organisation. 0, or 2 after
 * saying why (no such organisation, no NAME). */
int tenant_scope(collector_config *c, int *argc, char **argv);
/* `tenant add|list|show|remove` (the provider level). */
int cmd_tenant(const collector_config *c, int argc, char **argv);

/* Evidence (cmd_evidence.c, docs/collector.md "Evidence"): `keygen` (the
 * report-signing key) and `verify` (the store's chain, or a report file's
 * signature). */
int cmd_keygen(const collector_config *c, int argc, char **argv);
typedef struct chain_verdict {
	long links, bodies, removed; /* links; bodies hashed; removed by retention */
	long broken;                  /* links (or the head) that do not hold */
	char first[700];              /* the first of them, in words */
	int64_t head_seq;             /* the last link */
	char head[65];
} chain_verdict;
/* Recomputes org_id's chain and hashes every stored body (chain_verify.c),
 * calling on_broken (may be NULL) with each broken link in words. 0 done
 * (v->broken says whether it holds), -1 store error with err. */
int chain_verify(store *s, int64_t org_id, chain_verdict *v,
		 void (*on_broken)(void *ctx, const char *msg), void *ctx, char *err,
		 size_t err_size);
int cmd_verify(const collector_config *c, int argc, char **argv);

/* `policy keygen|sign|publish|list|show|diff` and `hosts set-group`. */
int cmd_policy(const collector_config *c, int argc, char **argv);
int cmd_hosts(const collector_config *c, int argc, char **argv);
/* `user add|list|remove|passwd` (cmd_user.c). */
int cmd_user(const collector_config *c, int argc, char **argv);
/* api: `hosts list|show|revoke|rename|retire` (cmd_hosts_life.c), and
 * `token create|list|revoke` (cmd_token.c). */
bool cmd_hosts_lifecycle_owns(const char *sub);
int cmd_hosts_lifecycle(const collector_config *c, int argc, char **argv);
int cmd_token(const collector_config *c, int argc, char **argv);

#endif
