/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
/* The `upload:` section of the site config (include/hostaudit/upload.h). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/config.h"
#include "hostaudit/upload.h"

void upload_config_init(upload_config *uc)
{
	memset(uc, 0, sizeof *uc);
	uc->connect_timeout_s = 10;
	uc->deadline_s = 300;
	uc->start_delay_max_s = 0;
	uc->spool_max_reports = 1000;
	uc->spool_max_bytes = 256LL * 1024 * 1024;
}

void upload_config_free(upload_config *uc)
{
	free(uc->url);
	free(uc->ca_file);
	free(uc->token_file);
	free(uc->client_cert);
	free(uc->client_key);
	free(uc->pinned_pubkey);
	free(uc->proxy);
	free(uc->spool_dir);
	upload_config_init(uc);
}

int upload_config_check(const upload_config *uc, diag *d)
{
	if (!uc->url) {
		diag_set(d, "upload: no url configured (upload.url)");
		return -1;
	}
	if (strncmp(uc->url, "https://", 8) != 0) {
		diag_set(d, "upload.url: '%s' must start with https:// (the agent only uploads "
			    "over verified TLS)", uc->url);
		return -1;
	}
	if (uc->client_key && !uc->client_cert) {
		diag_set(d, "upload.client_key is set but upload.client_cert is not");
		return -1;
	}
	return 0;
}

typedef enum { K_STR, K_SECS, K_COUNT, K_BYTES, K_BOOL } key_kind;

static const struct upload_key {
	const char *key;
	key_kind kind;
	size_t off;
} keys[] = {
	{"url", K_STR, offsetof(upload_config, url)},
	{"ca_file", K_STR, offsetof(upload_config, ca_file)},
	{"token_file", K_STR, offsetof(upload_config, token_file)},
	{"client_cert", K_STR, offsetof(upload_config, client_cert)},
	{"client_key", K_STR, offsetof(upload_config, client_key)},
	{"pinned_pubkey", K_STR, offsetof(upload_config, pinned_pubkey)},
	{"proxy", K_STR, offsetof(upload_config, proxy)},
	{"spool_dir", K_STR, offsetof(upload_config, spool_dir)},
	{"connect_timeout_s", K_SECS, offsetof(upload_config, connect_timeout_s)},
	{"deadline_s", K_SECS, offsetof(upload_config, deadline_s)},
	{"start_delay_max_s", K_SECS, offsetof(upload_config, start_delay_max_s)},
	{"spool_max_reports", K_COUNT, offsetof(upload_config, spool_max_reports)},
	{"spool_max_bytes", K_BYTES, offsetof(upload_config, spool_max_bytes)},
	{"enabled", K_BOOL, offsetof(upload_config, enabled)},
};
#define NKEYS (sizeof keys / sizeof keys[0])

static int parse_key(yamlfile *yf, yaml_node_t *v, const struct upload_key *k,
		     upload_config *uc, diag *d)
{
	char what[64];
	snprintf(what, sizeof what, "upload.%s", k->key);
	char *field = (char *)uc + k->off;
	const char *s;
	int64_t i;
	bool b;
	switch (k->kind) {
	case K_STR:
		if (yaml_want_string(yf, v, what, &s, d) != 0)
			return -1;
		if (!*s)
			return yaml_error(yf, v, d, "%s: empty", what);
		free(*(char **)field);
		*(char **)field = strdup(s);
		return 0;
	case K_BOOL:
		if (yaml_want_bool(yf, v, what, &b, d) != 0)
			return -1;
		*(bool *)field = b;
		return 0;
	case K_SECS:
	case K_COUNT:
		if (yaml_want_int(yf, v, what, &i, d) != 0)
			return -1;
		if (i < 0 || i > 86400 * 7 || (k->kind == K_COUNT && i < 1) ||
		    (k->off == offsetof(upload_config, connect_timeout_s) && i < 1))
			return yaml_error(yf, v, d, "%s: %lld is out of range", what, (long long)i);
		*(long *)field = (long)i;
		return 0;
	case K_BYTES:
		if (yaml_want_int(yf, v, what, &i, d) != 0)
			return -1;
		if (i < 4096)
			return yaml_error(yf, v, d, "%s: %lld is too small (at least 4096)", what,
					  (long long)i);
		*(long long *)field = (long long)i;
		return 0;
	}
	return -1;
}

int upload_config_parse_into(yamlfile *yf, yaml_node_t *n, upload_config *uc, diag *d)
{
	bool b;
	if (yaml_scalar_is_bool(n, &b)) { /* upload: true */
		uc->enabled = b;
		return 0;
	}
	if (yaml_want_map(yf, n, "upload", d) != 0)
		return -1;
	const char *allowed[NKEYS + 1];
	for (size_t i = 0; i < NKEYS; i++)
		allowed[i] = keys[i].key;
	allowed[NKEYS] = NULL;
	if (yaml_check_keys(yf, n, allowed, "upload", d) != 0)
		return -1;
	yaml_node_t *key, *val; /* YAML_MAP_EACH needs these very names */
	YAML_MAP_EACH(yf, n, key, val) {
		const char *name = yaml_scalar(key);
		for (size_t i = 0; i < NKEYS; i++)
			if (strcmp(name, keys[i].key) == 0 &&
			    parse_key(yf, val, &keys[i], uc, d) != 0)
				return -1;
	}
	yaml_node_t *url = yaml_get(yf, n, "url");
	if (url && strncmp(uc->url, "https://", 8) != 0)
		return yaml_error(yf, url, d,
				  "upload.url: '%s' must start with https:// (verification is "
				  "always on; there is no plain-HTTP upload)", uc->url);
	if (uc->client_key && !uc->client_cert)
		return yaml_error(yf, n, d, "upload: client_key needs client_cert");
	return 0;
}

int upload_config_parse(yamlfile *yf, yaml_node_t *n, config *cfg, diag *d)
{
	return upload_config_parse_into(yf, n, &cfg->upload, d);
}
