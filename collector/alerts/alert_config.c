/* SPDX-License-Identifier: Apache-2.0 */
/* The `alerts:` section of collector.yaml (alerts.h); example in
 * docs/collector.md "Alerts". Every error names file:line:column. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alerts.h"
#include "secret_file.h"
#include "hostaudit/yamlfile.h"
#include "i18n.h"

const char *const alert_kinds[ALERT_NKINDS + 1] = {
	ALERT_RULE_FAILED, ALERT_HOST_STALE, ALERT_EXC_EXPIRING, ALERT_EXC_EXPIRED,
	ALERT_HOST_MISMATCH, NULL,
};

int alert_kind_index(const char *kind)
{
	for (int i = 0; i < ALERT_NKINDS; i++)
		if (!strcmp(kind, alert_kinds[i]))
			return i;
	return -1;
}

/* Whether any receiver names org: then only those get its events, so
 * one customer's alerts never reach another's receiver. */
static bool org_has_own(const alert_config *c, const char *org)
{
	for (size_t i = 0; i < c->nrx; i++)
		if (c->rx[i].organisation && !strcasecmp(c->rx[i].organisation, org))
			return true;
	return false;
}

bool alert_receiver_serves(const alert_config *c, const alert_receiver *r, const char *org)
{
	if (r->organisation)
		return !strcasecmp(r->organisation, org);
	return !org_has_own(c, org);
}

void alert_org_receivers(const alert_config *c, alert_org *o)
{
	o->nrx = 0;
	for (size_t i = 0; i < c->nrx; i++)
		if (alert_receiver_serves(c, &c->rx[i], o->name))
			o->rx[o->nrx++] = &c->rx[i];
}

static int want_str(yamlfile *yf, yaml_node_t *n, const char *what, char **out, diag *d)
{
	const char *s;
	if (yaml_want_string(yf, n, what, &s, d) != 0)
		return -1;
	if (!*s)
		return yaml_error(yf, n, d, _("%s: empty"), what);
	free(*out);
	*out = strdup(s);
	return 0;
}

static int want_long(yamlfile *yf, yaml_node_t *n, const char *what, long min, long max,
		     long *out, diag *d)
{
	int64_t v;
	if (yaml_want_int(yf, n, what, &v, d) != 0)
		return -1;
	if (v < min || v > max)
		return yaml_error(yf, n, d, _("%s: %lld is outside %ld..%ld"), what, (long long)v,
				  min, max);
	*out = (long)v;
	return 0;
}

static int want_lang(yamlfile *yf, yaml_node_t *n, char lang[3], diag *d)
{
	const char *s;
	if (yaml_want_string(yf, n, "lang", &s, d) != 0)
		return -1;
	if (strcmp(s, "en") && strcmp(s, "ja"))
		return yaml_error(yf, n, d, _("lang: '%s' is neither en nor ja"), s);
	snprintf(lang, 3, "%s", s);
	return 0;
}

/* The secret file named at n, read now: a file others can read stops the
 * start, at the line that names it. */
static int want_secret(yamlfile *yf, yaml_node_t *n, const char *what, char **out, diag *d)
{
	char *path = NULL, why[200];
	if (want_str(yf, n, what, &path, d) != 0)
		return -1;
	*out = secret_file_read(path, 65536, true, why, sizeof why);
	int rc = *out ? 0 : yaml_error(yf, n, d, "%s %s: %s", what, path, why);
	free(path);
	return rc;
}

/* Receiver names go into the store and into mail headers: a short word. */
static int want_name(yamlfile *yf, yaml_node_t *n, const char *prefix, const alert_config *c,
		     char **out, diag *d)
{
	const char *s;
	if (yaml_want_string(yf, n, "name", &s, d) != 0)
		return -1;
	size_t len = strlen(s);
	if (len == 0 || len > 64 || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					  "0123456789-_") != len)
		return yaml_error(yf, n, d, _("name: '%s' is not 1..64 letters, digits, '-', '_'"),
				  s);
	if (asprintf(out, "%s:%s", prefix, s) < 0)
		return yaml_error(yf, n, d, _("out of memory"));
	for (size_t i = 0; i < c->nrx; i++)
		if (!strcmp(c->rx[i].name, *out))
			return yaml_error(yf, n, d, _("name: '%s' is used twice"), s);
	return 0;
}

/* `organisation: NAME`: checked against the store when the worker runs
 * (alert_worker.c says when no organisation has that name). */
static int want_org(yamlfile *yf, yaml_node_t *n, char **out, diag *d)
{
	const char *s;
	if (yaml_want_string(yf, n, "organisation", &s, d) != 0)
		return -1;
	if (!store_org_name_ok(s))
		return yaml_error(yf, n, d, _("organisation: '%s' is not an organisation name "
					      "(1 to 63 letters, digits, '-', '.', '_')"), s);
	*out = strdup(s);
	return *out ? 0 : yaml_error(yf, n, d, _("out of memory"));
}

static int want_events(yamlfile *yf, yaml_node_t *n, bool kinds[ALERT_NKINDS], diag *d)
{
	if (yaml_want_seq(yf, n, "events", d) != 0)
		return -1;
	memset(kinds, 0, ALERT_NKINDS * sizeof kinds[0]);
	yaml_node_t *item;
	YAML_SEQ_EACH(yf, n, item) {
		const char *s;
		if (yaml_want_string(yf, item, "events", &s, d) != 0)
			return -1;
		int k = alert_kind_index(s);
		if (k < 0) {
			const char *hint = did_you_mean(s, alert_kinds);
			if (hint)
				return yaml_error(yf, item, d,
						  _("events: unknown event '%s' (did you mean '%s'?)"),
						  s, hint);
			return yaml_error(yf, item, d, _("events: unknown event '%s'"), s);
		}
		kinds[k] = true;
	}
	return 0;
}

/* One address: something@somewhere, nothing that could end a header. */
static bool address_ok(const char *a)
{
	const char *at = strchr(a, '@');
	return at && at != a && at[1] && !strchr(at + 1, '@') && strlen(a) < 255 &&
	       !strpbrk(a, " \t\r\n<>,;\"()[]\\");
}

static alert_receiver *new_rx(alert_config *c)
{
	alert_receiver *n = realloc(c->rx, (c->nrx + 1) * sizeof *n);
	if (!n)
		return NULL;
	c->rx = n;
	alert_receiver *r = &c->rx[c->nrx++];
	memset(r, 0, sizeof *r);
	for (int i = 0; i < ALERT_NKINDS; i++)
		r->kinds[i] = true; /* every event, unless `events:` says */
	return r;
}

/* A new receiver of channel ch, named by the node name (checked by
 * want_name under prefix), in the section's language: NULL when said. */
static alert_receiver *named_rx(yamlfile *yf, yaml_node_t *n, yaml_node_t *name,
				const char *prefix, alert_channel ch, const char *lang,
				alert_config *c, diag *d)
{
	char *rxname = NULL;
	if (want_name(yf, name, prefix, c, &rxname, d) != 0) {
		free(rxname);
		return NULL;
	}
	alert_receiver *r = new_rx(c);
	if (!r) {
		free(rxname);
		yaml_error(yf, n, d, _("out of memory"));
		return NULL;
	}
	r->name = rxname;
	r->channel = ch;
	snprintf(r->lang, sizeof r->lang, "%s", lang);
	return r;
}

static int parse_webhook(yamlfile *yf, yaml_node_t *n, alert_config *c, const char *lang,
			 diag *d)
{
	static const char *const keys[] = {"name", "url", "secret_file", "ca_file", "events",
					   "lang", "organisation", NULL};
	if (yaml_want_map(yf, n, "webhook", d) != 0 ||
	    yaml_check_keys(yf, n, keys, "webhook", d) != 0)
		return -1;
	yaml_node_t *name = yaml_get(yf, n, "name"), *url = yaml_get(yf, n, "url"),
		    *secret = yaml_get(yf, n, "secret_file");
	if (!name || !url || !secret)
		return yaml_error(yf, n, d, _("a webhook needs name, url and secret_file"));
	alert_receiver *r = named_rx(yf, n, name, "webhook", ALERT_WEBHOOK, lang, c, d);
	if (!r)
		return -1;
	if (want_str(yf, url, "url", &r->url, d) != 0)
		return -1;
	/* TLS always: the body says which hosts fail what */
	if (strncmp(r->url, "https://", 8) != 0)
		return yaml_error(yf, url, d, _("url: a webhook is https:// only"));
	if (want_secret(yf, secret, "secret_file", &r->secret, d) != 0)
		return -1;
	r->secret[strcspn(r->secret, "\r\n")] = '\0';
	if (!r->secret[0])
		return yaml_error(yf, secret, d, _("secret_file: the file is empty"));
	yaml_node_t *v;
	if ((v = yaml_get(yf, n, "ca_file")) && want_str(yf, v, "ca_file", &r->ca_file, d) != 0)
		return -1;
	if ((v = yaml_get(yf, n, "events")) && want_events(yf, v, r->kinds, d) != 0)
		return -1;
	if ((v = yaml_get(yf, n, "lang")) && want_lang(yf, v, r->lang, d) != 0)
		return -1;
	if ((v = yaml_get(yf, n, "organisation")) && want_org(yf, v, &r->organisation, d) != 0)
		return -1;
	return 0;
}

static int parse_mail(yamlfile *yf, yaml_node_t *n, alert_config *c, const char *lang,
		      diag *d)
{
	static const char *const keys[] = {"name", "to", "events", "lang", "digest",
					   "organisation", NULL};
	if (yaml_want_map(yf, n, "mail", d) != 0 || yaml_check_keys(yf, n, keys, "mail", d) != 0)
		return -1;
	yaml_node_t *name = yaml_get(yf, n, "name"), *to = yaml_get(yf, n, "to");
	if (!name || !to)
		return yaml_error(yf, n, d, _("a mail receiver needs name and to"));
	alert_receiver *r = named_rx(yf, n, name, "mail", ALERT_MAIL, lang, c, d);
	if (!r)
		return -1;
	if (yaml_want_seq(yf, to, "to", d) != 0)
		return -1;
	size_t count = (size_t)(to->data.sequence.items.top - to->data.sequence.items.start);
	if (count == 0)
		return yaml_error(yf, to, d, _("to: no address"));
	r->to = calloc(count + 1, sizeof *r->to);
	if (!r->to)
		return yaml_error(yf, n, d, _("out of memory"));
	size_t i = 0;
	yaml_node_t *item;
	YAML_SEQ_EACH(yf, to, item) {
		const char *s;
		if (yaml_want_string(yf, item, "to", &s, d) != 0)
			return -1;
		if (!address_ok(s))
			return yaml_error(yf, item, d, _("to: '%s' is not a plain address "
						       "(name@example.com)"), s);
		r->to[i++] = strdup(s);
	}
	yaml_node_t *v;
	if ((v = yaml_get(yf, n, "events")) && want_events(yf, v, r->kinds, d) != 0)
		return -1;
	if ((v = yaml_get(yf, n, "lang")) && want_lang(yf, v, r->lang, d) != 0)
		return -1;
	if ((v = yaml_get(yf, n, "digest")) && yaml_want_bool(yf, v, "digest", &r->digest, d) != 0)
		return -1;
	if ((v = yaml_get(yf, n, "organisation")) && want_org(yf, v, &r->organisation, d) != 0)
		return -1;
	return 0;
}

static int parse_smtp(yamlfile *yf, yaml_node_t *n, alert_config *c, diag *d)
{
	static const char *const keys[] = {"url", "from", "credentials_file", "ca_file", NULL};
	if (yaml_want_map(yf, n, "smtp", d) != 0 || yaml_check_keys(yf, n, keys, "smtp", d) != 0)
		return -1;
	yaml_node_t *url = yaml_get(yf, n, "url"), *from = yaml_get(yf, n, "from"), *v;
	if (!url || !from)
		return yaml_error(yf, n, d, _("smtp needs url and from"));
	if (want_str(yf, url, "url", &c->smtp_url, d) != 0)
		return -1;
	/* STARTTLS is required on it (alert_smtp.c); smtps:// would be TLS
	 * too, but one way is enough to test and to reason about */
	if (strncmp(c->smtp_url, "smtp://", 7) != 0)
		return yaml_error(yf, url, d, _("url: smtp://host:port (STARTTLS is required)"));
	if (want_str(yf, from, "from", &c->smtp_from, d) != 0)
		return -1;
	if (!address_ok(c->smtp_from))
		return yaml_error(yf, from, d, _("from: '%s' is not a plain address"), c->smtp_from);
	if ((v = yaml_get(yf, n, "ca_file")) && want_str(yf, v, "ca_file", &c->smtp_ca_file, d))
		return -1;
	if ((v = yaml_get(yf, n, "credentials_file"))) {
		char *cred = NULL;
		if (want_secret(yf, v, "credentials_file", &cred, d) != 0)
			return -1;
		/* two lines: the user, then the password */
		char *nl = strchr(cred, '\n');
		if (!nl || nl == cred) {
			explicit_bzero(cred, strlen(cred));
			free(cred);
			return yaml_error(yf, v, d, _("credentials_file: two lines, the user then "
						    "the password"));
		}
		*nl = '\0';
		char *pw = nl + 1;
		pw[strcspn(pw, "\r\n")] = '\0';
		c->smtp_user = strdup(cred);
		c->smtp_password = strdup(pw);
		explicit_bzero(pw, strlen(pw));
		free(cred);
	}
	return 0;
}

int alert_config_parse(yamlfile *yf, void *node, long stale_days, alert_config *c, diag *d)
{
	static const char *const keys[] = {
		"lang", "stale_days", "exception_warn_days", "scan_interval_s",
		"check_interval_s", "retry_initial_s", "retry_max_s", "max_attempts",
		"smtp", "webhooks", "mail", NULL,
	};
	yaml_node_t *n = node;
	memset(c, 0, sizeof *c);
	c->stale_days = stale_days;
	c->exception_warn_days = 14;
	c->scan_interval_s = 30;
	c->check_interval_s = 3600;
	c->retry_initial_s = 60;
	c->retry_max_s = 3600;
	c->max_attempts = 48;
	if (yaml_want_map(yf, n, "alerts", d) != 0 || yaml_check_keys(yf, n, keys, "alerts", d))
		return -1;
	char lang[3] = "en";
	yaml_node_t *v;
	static const struct {
		const char *key;
		long min, max;
		size_t off;
	} nums[] = {
		{"stale_days", 1, 3660, offsetof(alert_config, stale_days)},
		{"exception_warn_days", 1, 366, offsetof(alert_config, exception_warn_days)},
		{"scan_interval_s", 1, 86400, offsetof(alert_config, scan_interval_s)},
		{"check_interval_s", 1, 86400, offsetof(alert_config, check_interval_s)},
		{"retry_initial_s", 1, 86400, offsetof(alert_config, retry_initial_s)},
		{"retry_max_s", 1, 7 * 86400, offsetof(alert_config, retry_max_s)},
		{"max_attempts", 1, 10000, offsetof(alert_config, max_attempts)},
	};
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
		if ((v = yaml_get(yf, n, nums[i].key)) &&
		    want_long(yf, v, nums[i].key, nums[i].min, nums[i].max,
			      (long *)((char *)c + nums[i].off), d) != 0)
			return -1;
	if ((v = yaml_get(yf, n, "lang")) && want_lang(yf, v, lang, d) != 0)
		return -1;
	if ((v = yaml_get(yf, n, "smtp")) && parse_smtp(yf, v, c, d) != 0)
		return -1;
	yaml_node_t *item;
	if ((v = yaml_get(yf, n, "webhooks"))) {
		if (yaml_want_seq(yf, v, "webhooks", d) != 0)
			return -1;
		YAML_SEQ_EACH(yf, v, item)
			if (parse_webhook(yf, item, c, lang, d) != 0)
				return -1;
	}
	if ((v = yaml_get(yf, n, "mail"))) {
		if (yaml_want_seq(yf, v, "mail", d) != 0)
			return -1;
		if (!c->smtp_url)
			return yaml_error(yf, v, d, _("mail receivers need the smtp section"));
		YAML_SEQ_EACH(yf, v, item)
			if (parse_mail(yf, item, c, lang, d) != 0)
				return -1;
	}
	return 0;
}

static void wipe(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void alert_config_free(alert_config *c)
{
	for (size_t i = 0; i < c->nrx; i++) {
		alert_receiver *r = &c->rx[i];
		free(r->name);
		free(r->organisation);
		free(r->url);
		wipe(r->secret);
		free(r->ca_file);
		for (size_t j = 0; r->to && r->to[j]; j++)
			free(r->to[j]);
		free(r->to);
	}
	free(c->rx);
	free(c->smtp_url);
	free(c->smtp_from);
	free(c->smtp_user);
	wipe(c->smtp_password);
	free(c->smtp_ca_file);
	memset(c, 0, sizeof *c);
}
