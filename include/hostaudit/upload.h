/* SPDX-License-Identifier: Apache-2.0 */
/* Sending reports to hostaudit-collector: config (`upload:` section),
 * spooling and the HTTPS client. See docs/collector.md.
 *
 * The agent only speaks HTTPS, TLS 1.2 or later, with certificate and host
 * name verification always on: there is deliberately no option to turn it
 * off. A report leaves the spool only when the collector answers 200 or 201
 * (stored, or already stored). */
#ifndef HOSTAUDIT_UPLOAD_H
#define HOSTAUDIT_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hostaudit/yamlfile.h"

typedef struct upload_config {
	bool enabled;         /* `enabled: true`: `hostaudit run` uploads */
	char *url;            /* https://collector.example:8443/v1/reports */
	char *ca_file;        /* PEM CA bundle; NULL: the system's */
	char *token_file;     /* bearer token, mode 0600 */
	char *client_cert;    /* optional PEM client certificate ... */
	char *client_key;     /* ... and its key */
	char *pinned_pubkey;  /* optional "sha256//base64" or a PEM/DER file */
	char *proxy;          /* NULL: the environment (https_proxy), else the system's */
	char *spool_dir;      /* NULL: platform_default_path(PLATFORM_SPOOL_DIR) */
	long connect_timeout_s;  /* per attempt, default 10 */
	long deadline_s;         /* whole flush incl. retries, default 300 */
	long start_delay_max_s;  /* random delay before the first send, default 0 */
	long spool_max_reports;  /* default 1000 */
	long long spool_max_bytes; /* default 256 MiB */
} upload_config;

void upload_config_init(upload_config *uc);
void upload_config_free(upload_config *uc);
/* Checks what the parser cannot see alone (url scheme, key without cert).
 * 0 or -1 with d set. */
int upload_config_check(const upload_config *uc, diag *d);

/* Parses the mapping n (the `upload:` section) into uc: unknown keys are
 * errors with "did you mean"; `upload: true|false` is a short form of
 * `enabled`. 0 or -1 with d set. */
int upload_config_parse_into(yamlfile *yf, yaml_node_t *n, upload_config *uc, diag *d);

struct config;
/* The row of config.c's section table: stores into cfg->upload. */
int upload_config_parse(yamlfile *yf, yaml_node_t *n, struct config *cfg, diag *d);

/* What a flush did, for the CLI's output and exit status. */
typedef struct upload_status {
	int sent;         /* confirmed by the collector and removed */
	int pending;      /* still in the spool: will go on a later flush */
	int quarantined;  /* refused for good, moved aside with a reason */
	int dropped;      /* removed because the spool was full */
	char message[512];/* the last problem, one line ("" when none) */
} upload_status;

/* Hooks so tests control time and chance; NULL members use the real ones. */
typedef struct upload_hooks {
	void (*sleep_ms)(void *ctx, long ms);
	uint32_t (*random)(void *ctx);
	int64_t (*now_ms)(void *ctx);
	void *ctx;
	FILE *log;        /* progress lines; NULL: stderr */
} upload_hooks;

/* Spools one report (its exact bytes; report_id is its UUID). 0 or -1 with
 * st->message set. */
int upload_spool_report(const upload_config *uc, const char *report_id, const char *json,
			size_t len, upload_status *st, const upload_hooks *h);

/* Sends what is spooled, oldest first, until the spool is empty, the
 * deadline passes, or the collector cannot be reached or trusted. Fills st.
 * Returns 0 when the spool is empty afterwards, 1 when reports are pending,
 * 2 when some report was quarantined in this flush, -1 on a local error
 * (config, spool, token file: st->message says which). */
int upload_flush(const upload_config *uc, upload_status *st, const upload_hooks *h);

/* For `hostaudit run --upload`: spool, then flush. Same return values. */
int upload_report(const upload_config *uc, const char *report_id, const char *json,
		  size_t len, upload_status *st, const upload_hooks *h);

/* "upload: sent 3, pending 0, quarantined 0" plus the message if any. */
void upload_status_line(const upload_status *st, char *buf, size_t size);

/* Full-jitter backoff: uniform in [0, min(cap_ms, base_ms * 2^attempt)]. */
long upload_backoff_ms(unsigned attempt, long base_ms, long cap_ms, uint32_t rnd);

/* A uniformly random delay in [0, max_s] seconds, in milliseconds. */
long upload_start_delay_ms(long max_s, uint32_t rnd);
/* Sleeps that random delay (through the hooks). */
void upload_start_delay(const upload_config *uc, const upload_hooks *h);

/* `hostaudit enroll`: trades the enrollment secret in secret_file (mode
 * 0600) for this host's token, once, at upload.url with its last path
 * segment replaced by "enroll", with the upload's TLS rules; writes the
 * token to upload.token_file atomically, mode 0600. An existing token_file
 * is refused before anything is sent unless force. host: in/out, "" means
 * this host's name. Returns 0 enrolled, 1 collector unreachable or busy
 * (try later), 2 refused by the collector (wrong secret, already
 * enrolled), -1 local error; msg says why. */
int upload_enroll(const upload_config *uc, const char *secret_file, bool force, char *host,
		  size_t host_size, char *msg, size_t msg_size);

/* Whether the HTTP status can never succeed on a resend, so the report is
 * quarantined: 400, 401, 403, 409, 413, 422. */
bool upload_status_is_permanent(long http_status);

#endif
