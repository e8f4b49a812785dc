/* hostaudit-collector: internal interfaces between its files.
 *   config.c   the collector's YAML config
 *   store.h    the store: hosts, tokens, reports, inventory; store.c picks
 *              the backend, store_sqlite.c or store_pg.c (PostgreSQL)
 *   rfc3339.c  times
 *   server.c   the HTTPS ingest endpoint (libmicrohttpd)
 *   clientcert.c  host identity from a TLS client certificate (GnuTLS)
 *   annual.c   the auditor's annual report
 *   main.c     the sub-command table */
#ifndef HOSTAUDIT_COLLECTOR_H
#define HOSTAUDIT_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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
	long max_future_skew_s;
	long threads;
	long stale_days;
	long retention_days;     /* report bodies older than this are removed */
} collector_config;

int ccfg_load(collector_config *c, const char *path, char *err, size_t err_size);
void ccfg_free(collector_config *c);

/* ---- store: store.h ---- */

/* ---- helpers ---- */
/* "2026-11-26T06:00:00Z" (also with fraction or +hh:mm) → epoch. */
bool rfc3339_parse(const char *s, int64_t *out);
void rfc3339_format(int64_t t, char out[21]);

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
	const char *format;  /* csv, html, json */
	const char *out;     /* file (html, json) or directory (csv); NULL: stdout */
	long stale_days;
	int64_t now;         /* for "stale"; default the clock */
} annual_options;
int annual_report(store *s, const annual_options *o, char *err, size_t err_size);

#endif
