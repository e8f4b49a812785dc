/* SPDX-License-Identifier: Apache-2.0 */
/* What an event says (alerts.h), in English or Japanese (po/ja.po): the
 * subject, the text of a mail, the webhook's JSON. Built when sent, from
 * the event's stored detail, so each receiver gets its own language. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts.h"
#include "collector.h"
#include "i18n.h"

static const char *dstr(const json_t *d, const char *key)
{
	const char *v = json_string_value(json_object_get(d, key));
	return v ? v : "";
}

/* A rule's title in lang, else English, else "". */
static const char *title(const json_t *d, const char *lang)
{
	const json_t *t = json_object_get(d, "title");
	const char *v = json_string_value(json_object_get(t, lang));
	if (!v || !*v)
		v = json_string_value(json_object_get(t, "en"));
	return v ? v : "";
}

static const char *severity(const json_t *d, const char *lang)
{
	const char *s = dstr(d, "severity");
	if (!strcmp(s, "critical"))
		return L_(lang, "critical");
	if (!strcmp(s, "high"))
		return L_(lang, "high");
	return s;
}

/* One event's subject line (the digest lists these). */
static char *subject_of(const char *kind, const char *host, const char *rule, const json_t *d,
			const char *lang)
{
	char *out = NULL;
	int n = -1;
	if (!strcmp(kind, ALERT_RULE_FAILED))
		n = asprintf(&out, L_(lang, "%s newly fails %s (%s)"), host, rule,
			     severity(d, lang));
	else if (!strcmp(kind, ALERT_HOST_STALE))
		n = json_integer_value(json_object_get(d, "last_finished_at"))
			    ? asprintf(&out, L_(lang, "%s has not reported since %s"), host,
				       dstr(d, "last_report_at"))
			    : asprintf(&out, L_(lang, "%s has never reported (enrolled %s)"), host,
				       dstr(d, "enrolled"));
	else if (!strcmp(kind, ALERT_EXC_EXPIRING))
		n = asprintf(&out, L_(lang, "exception for %s on %s expires on %s"), rule, host,
			     dstr(d, "until"));
	else if (!strcmp(kind, ALERT_EXC_EXPIRED))
		n = asprintf(&out, L_(lang, "exception for %s on %s expired on %s, still claimed"),
			     rule, host, dstr(d, "until"));
	else if (!strcmp(kind, ALERT_HOST_MISMATCH))
		n = asprintf(&out, L_(lang, "%s reports under another name: %s"), host,
			     dstr(d, "claimed_host"));
	else if (!strcmp(kind, ALERT_TEST))
		n = asprintf(&out, "%s", L_(lang, "test message from hostaudit-collector"));
	else
		n = asprintf(&out, "%s %s %s", kind, host, rule);
	return n < 0 ? NULL : out;
}

char *alert_subject(const store_alert_event *e, const char *lang)
{
	json_t *d = json_loads(e->detail ? e->detail : "{}", 0, NULL);
	char *s = NULL, *out = NULL;
	if (!strcmp(e->kind, ALERT_DIGEST)) {
		size_t n = json_array_size(json_object_get(d, "events"));
		if (asprintf(&out, L_(lang, "%zu event(s) on %s"), n, dstr(d, "day")) < 0)
			out = NULL;
	} else {
		out = subject_of(e->kind, e->host, e->rule, d, lang);
	}
	/* another organisation than the default one: named first, so that a
	 * provider's people see whose it is */
	const char *org = dstr(d, "organisation");
	if (out && asprintf(&s, "[hostaudit] %s%s%s%s", *org ? "[" : "", org, *org ? "] " : "",
			    out) < 0)
		s = NULL;
	free(out);
	json_decref(d);
	return s;
}

/* A growing text; NULL after a failed append. */
static void add(char **buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(char **buf, const char *fmt, ...)
{
	if (!*buf)
		return;
	char *more = NULL, *joined = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&more, fmt, ap);
	va_end(ap);
	if (n < 0 || asprintf(&joined, "%s%s", *buf, more) < 0)
		joined = NULL;
	free(more);
	free(*buf);
	*buf = joined;
}

/* What the rule was in the host's report before (alert_detect.c's
 * state words). */
static const char *before_text(const char *before, const char *lang)
{
	static const struct {
		const char *word, *text;
	} t[] = {
		{"pass", N_("In the report before, it passed.")},
		{"unknown", N_("In the report before, its result was unknown.")},
		{"not_applicable", N_("In the report before, it did not apply.")},
		{"error", N_("In the report before, it could not be checked.")},
		{"disabled", N_("In the report before, it was disabled.")},
		{"absent", N_("The report before did not check it.")},
		{"none", N_("This is the host's first report.")},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(before, t[i].word))
			return L_(lang, t[i].text);
	return before;
}

/* The lines after the subject for one event. */
static void explain(char **t, const char *kind, const char *host, const json_t *d,
		    const char *lang)
{
	if (!strcmp(kind, ALERT_RULE_FAILED)) {
		add(t, "%s\n", title(d, lang));
		add(t, L_(lang, "Report %s, finished %s.\n"), dstr(d, "report_id"),
		    dstr(d, "finished_at"));
		add(t, "%s\n", before_text(dstr(d, "before"), lang));
	} else if (!strcmp(kind, ALERT_HOST_STALE)) {
		add(t, L_(lang, "No report from %s for %lld day(s) or more.\n"), host,
		    (long long)json_integer_value(json_object_get(d, "stale_days")));
	} else if (!strcmp(kind, ALERT_EXC_EXPIRING) || !strcmp(kind, ALERT_EXC_EXPIRED)) {
		add(t, L_(lang, "Reason: %s; approved by %s.\n"), dstr(d, "reason"),
		    dstr(d, "approved_by"));
		add(t, L_(lang, "Last claimed in a report finished %s.\n"), dstr(d, "last_seen"));
	} else if (!strcmp(kind, ALERT_HOST_MISMATCH)) {
		add(t, L_(lang, "The token of %s uploaded report %s naming the host %s.\n"), host,
		    dstr(d, "report_id"), dstr(d, "claimed_host"));
	}
}

char *alert_text(const store_alert_event *e, const char *lang)
{
	json_t *d = json_loads(e->detail ? e->detail : "{}", 0, NULL);
	char *t = strdup("");
	if (*dstr(d, "organisation"))
		add(&t, L_(lang, "Organisation: %s\n"), dstr(d, "organisation"));
	if (!strcmp(e->kind, ALERT_DIGEST)) {
		add(&t, L_(lang, "hostaudit alerts of %s (UTC):\n\n"), dstr(d, "day"));
		size_t i;
		json_t *ev;
		json_array_foreach(json_object_get(d, "events"), i, ev) {
			json_t *ed = json_object_get(ev, "detail");
			char *s = subject_of(dstr(ev, "kind"), dstr(ev, "host"), dstr(ev, "rule"),
					     ed, lang);
			add(&t, "- %s\n", s ? s : "");
			free(s);
		}
	} else {
		char *s = subject_of(e->kind, e->host, e->rule, d, lang);
		add(&t, "%s\n\n", s ? s : "");
		free(s);
		explain(&t, e->kind, e->host, d, lang);
	}
	char when[21];
	rfc3339_format(e->created_at, when);
	add(&t, L_(lang, "\nEvent %s, found %s.\n"), e->key, when);
	json_decref(d);
	return t;
}

char *alert_json(const store_alert_event *e, const char *lang)
{
	char when[21];
	rfc3339_format(e->created_at, when);
	char *subject = alert_subject(e, lang), *text = alert_text(e, lang);
	json_t *d = json_loads(e->detail ? e->detail : "{}", 0, NULL);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "event", e->kind,
			      "key", e->key, "host", e->host ? e->host : "", "rule",
			      e->rule ? e->rule : "", "created_at", when, "lang", lang, "subject",
			      subject ? subject : "", "text", text ? text : "", "detail",
			      d ? d : json_object());
	const char *org = json_string_value(
		json_object_get(json_object_get(o, "detail"), "organisation"));
	if (org)
		json_object_set_new(o, "organisation", json_string(org));
	char *out = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	free(subject);
	free(text);
	return out;
}
