/* SPDX-License-Identifier: Apache-2.0 */
/* The collector's YAML config (collector.h). Example in docs/collector.md. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "collector.h"
#include "alerts/alerts.h"
#include "hostaudit/yamlfile.h"
#include "i18n.h"

typedef enum { C_STR, C_INT, C_BOOL, C_ALERTS } ckind;
static const struct ckey {
	const char *key;
	ckind kind;
	size_t off;
	long min, max;
} ckeys[] = {
	{"listen", C_STR, offsetof(collector_config, listen), 0, 0},
	{"tls_cert", C_STR, offsetof(collector_config, tls_cert), 0, 0},
	{"tls_key", C_STR, offsetof(collector_config, tls_key), 0, 0},
	{"database", C_STR, offsetof(collector_config, database), 0, 0},
	{"enrollment_secret_file", C_STR, offsetof(collector_config, enrollment_secret_file), 0, 0},
	{"client_ca", C_STR, offsetof(collector_config, client_ca), 0, 0},
	{"client_cert_required", C_BOOL, offsetof(collector_config, client_cert_required), 0, 0},
	{"max_body_bytes", C_INT, offsetof(collector_config, max_body_bytes), 1024, 1L << 30},
	{"per_ip_connections", C_INT, offsetof(collector_config, per_ip_connections), 1, 100000},
	{"max_connections", C_INT, offsetof(collector_config, max_connections), 1, 100000},
	{"connection_timeout_s", C_INT, offsetof(collector_config, connection_timeout_s), 1, 3600},
	{"request_timeout_s", C_INT, offsetof(collector_config, request_timeout_s), 1, 3600},
	{"header_timeout_s", C_INT, offsetof(collector_config, header_timeout_s), 1, 3600},
	{"max_future_skew_s", C_INT, offsetof(collector_config, max_future_skew_s), 0, 86400},
	{"max_report_age_days", C_INT, offsetof(collector_config, max_report_age_days), 1, 36600},
	{"enroll_max_failures", C_INT, offsetof(collector_config, enroll_max_failures), 1, 1000000},
	{"enroll_failure_window_s", C_INT, offsetof(collector_config, enroll_failure_window_s), 1,
	 86400},
	{"threads", C_INT, offsetof(collector_config, threads), 1, 256},
	{"stale_days", C_INT, offsetof(collector_config, stale_days), 1, 3660},
	{"organisation_dir", C_STR, offsetof(collector_config, organisation_dir), 0, 0},
	{"policy_dir", C_STR, offsetof(collector_config, policy_dir), 0, 0},
	{"policy_signing_key", C_STR, offsetof(collector_config, policy_signing_key), 0, 0},
	{"retention_days", C_INT, offsetof(collector_config, retention_days), 1, 36600},
	{"alerts", C_ALERTS, offsetof(collector_config, alerts), 0, 0}, /* alerts/alert_config.c */
	{"report_signing_key", C_STR, offsetof(collector_config, report_signing_key), 0, 0},
};
#define NCKEYS (sizeof ckeys / sizeof ckeys[0])

static void defaults(collector_config *c)
{
	memset(c, 0, sizeof *c);
	c->listen = strdup("127.0.0.1:8443");
	c->database = strdup("/var/lib/hostaudit-collector/collector.db");
	c->max_body_bytes = 4L * 1024 * 1024;
	c->per_ip_connections = 16;
	c->max_connections = 1024;
	c->connection_timeout_s = 30;
	c->request_timeout_s = 60;
	c->header_timeout_s = 10;
	c->max_future_skew_s = 300;
	/* A year and a bit: last year's reports from a PC that was away for
	 * weeks still arrive for the annual report; older ones are refused. */
	c->max_report_age_days = 400;
	c->enroll_max_failures = 10;
	c->enroll_failure_window_s = 600;
	c->threads = 4;
	c->stale_days = 7;
	c->organisation_dir = strdup("/var/lib/hostaudit-collector/organisation");
	c->retention_days = 400; /* a fiscal year and its audit, with a margin */
	c->org_id = ORG_DEFAULT; /* until --tenant names another (tenant.c) */
}

void ccfg_free(collector_config *c)
{
	free(c->path);
	free(c->listen);
	free(c->tls_cert);
	free(c->tls_key);
	free(c->database);
	free(c->enrollment_secret_file);
	free(c->client_ca);
	free(c->organisation_dir);
	free(c->policy_dir);
	free(c->policy_signing_key);
	if (c->alerts) {
		alert_config_free(c->alerts);
		free(c->alerts);
	}
	free(c->report_signing_key);
	memset(c, 0, sizeof *c);
}

int ccfg_load(collector_config *c, const char *path, char *err, size_t err_size)
{
	defaults(c);
	c->path = strdup(path);
	yamlfile yf;
	diag d;
	if (yamlfile_load(&yf, path, true, &d) != 0) {
		snprintf(err, err_size, "%s", d.msg);
		return -1;
	}
	yaml_node_t *root = yamlfile_root(&yf);
	const char *allowed[NCKEYS + 1];
	for (size_t i = 0; i < NCKEYS; i++)
		allowed[i] = ckeys[i].key;
	allowed[NCKEYS] = NULL;
	int rc = 0;
	if (!root || yaml_want_map(&yf, root, _("collector config"), &d) != 0 ||
	    yaml_check_keys(&yf, root, allowed, _("collector config"), &d) != 0) {
		if (!root)
			diag_set(&d, _("%s: empty config"), path);
		rc = -1;
	}
	yaml_node_t *key, *val; /* YAML_MAP_EACH needs these very names */
	yaml_node_t *alerts = NULL; /* read after the loop: it defaults to stale_days */
	if (rc == 0)
		YAML_MAP_EACH(&yf, root, key, val) {
			const struct ckey *k = NULL;
			for (size_t i = 0; i < NCKEYS; i++)
				if (strcmp(yaml_scalar(key), ckeys[i].key) == 0)
					k = &ckeys[i];
			const char *s;
			int64_t v;
			if (k->kind == C_ALERTS) {
				alerts = val;
			} else if (k->kind == C_STR) {
				if (yaml_want_string(&yf, val, k->key, &s, &d) != 0) {
					rc = -1;
					break;
				}
				char **f = (char **)((char *)c + k->off);
				free(*f);
				*f = strdup(s);
			} else if (k->kind == C_BOOL) {
				if (yaml_want_bool(&yf, val, k->key,
						   (bool *)((char *)c + k->off), &d) != 0) {
					rc = -1;
					break;
				}
			} else {
				if (yaml_want_int(&yf, val, k->key, &v, &d) != 0) {
					rc = -1;
					break;
				}
				if (v < k->min || v > k->max) {
					rc = yaml_error(&yf, val, &d, _("%s: %lld is outside %ld..%ld"),
							k->key, (long long)v, k->min, k->max);
					break;
				}
				*(long *)((char *)c + k->off) = (long)v;
			}
		}
	if (rc == 0 && alerts) {
		c->alerts = calloc(1, sizeof *c->alerts);
		if (!c->alerts || alert_config_parse(&yf, alerts, c->stale_days, c->alerts, &d) != 0)
			rc = c->alerts ? -1 : yaml_error(&yf, alerts, &d, _("out of memory"));
	}
	if (rc == 0 && (!c->tls_cert) != (!c->tls_key))
		rc = yaml_error(&yf, root, &d, _("tls_cert and tls_key go together"));
	if (rc == 0 && c->client_ca && !c->tls_cert)
		rc = yaml_error(&yf, root, &d, _("client_ca needs tls_cert and tls_key (client "
					       "certificates are a TLS matter)"));
	if (rc == 0 && c->client_cert_required && !c->client_ca)
		rc = yaml_error(&yf, root, &d, _("client_cert_required: true needs client_ca"));
	if (rc == 0 && !c->policy_dir && strstr(c->database, "://")) {
		/* a PostgreSQL URI is no directory: the package's state directory
		 * (with several collectors, point policy_dir at a shared one) */
		c->policy_dir = strdup("/var/lib/hostaudit-collector/policy");
	} else if (rc == 0 && !c->policy_dir) {
		/* beside the database: one directory to back up */
		const char *slash = strrchr(c->database, '/');
		int keep = slash ? (int)(slash - c->database) : 1;
		if (asprintf(&c->policy_dir, "%.*s/policy", keep, slash ? c->database : ".") < 0)
			c->policy_dir = NULL;
	}
	yamlfile_free(&yf);
	if (rc != 0)
		snprintf(err, err_size, "%s", d.msg);
	return rc;
}
