/* SPDX-License-Identifier: Apache-2.0 */
/* Choosing a renderer by name, and rendering into memory. */
#include <stdlib.h>
#include <string.h>

#include "hostaudit/html.h"
#include "hostaudit/report.h"
#include "i18n.h"
#include "util.h"

int render_json(const json_t *report, FILE *out, const render_options *o)
{
	(void)o;
	char *s = report_dump(report);
	if (!s)
		return -1;
	int rc = fputs(s, out) < 0 || fputc('\n', out) == EOF ? -1 : 0;
	free(s);
	return rc;
}

static const struct {
	const char *name;
	render_fn fn;
} renderers[] = {
	{"text", render_text}, {"json", render_json}, {"csv", render_csv},
	{"html", render_html}, {"junit", render_junit},
};

render_fn render_find(const char *format)
{
	for (size_t i = 0; i < sizeof renderers / sizeof renderers[0]; i++)
		if (!strcmp(format, renderers[i].name))
			return renderers[i].fn;
	return NULL;
}

/* tmpfile() is the portable way to a growable FILE. */
char *render_to_string(render_fn fn, const json_t *report, const render_options *o,
		       size_t *len)
{
	FILE *f = tmpfile();
	if (!f)
		return NULL;
	char *buf = NULL;
	if (fn(report, f, o) == 0 && fflush(f) == 0) {
		long size = ftell(f);
		rewind(f);
		buf = size >= 0 ? malloc((size_t)size + 1) : NULL;
		if (buf && fread(buf, 1, (size_t)size, f) == (size_t)size) {
			buf[size] = '\0';
			*len = (size_t)size;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

const char *report_tr(const json_t *t, const char *lang)
{
	const json_t *v = json_object_get(t, lang ? lang : "en");
	if (!v || !json_string_length(v))
		v = json_object_get(t, "en");
	return v && json_is_string(v) ? json_string_value(v) : "";
}

static void append(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);
	char *p = realloc(*buf, *len + n + 1);
	if (!p)
		abort();
	memcpy(p + *len, s, n + 1);
	*buf = p;
	*len += n;
}

char *report_observed(const json_t *report, const json_t *res, const char *lang)
{
	const json_t *facts = json_object_get(report, "facts");
	char *buf = NULL;
	size_t len = 0;
	append(&buf, &len, "");
	size_t i;
	const json_t *name;
	json_array_foreach(json_object_get(res, "facts"), i, name)
	{
		const json_t *f = json_object_get(facts, json_string_value(name));
		if (!f)
			continue;
		if (len)
			append(&buf, &len, "\n");
		append(&buf, &len, json_string_value(name));
		const char *state = json_string_value(json_object_get(f, "state"));
		if (!strcmp(state, "known")) {
			char *v = json_dumps(json_object_get(f, "value"), JSON_ENCODE_ANY | JSON_COMPACT);
			append(&buf, &len, " = ");
			append(&buf, &len, v ? v : "?");
			free(v);
			char *ev = report_fact_text(f, "evidence", lang);
			if (ev) {
				append(&buf, &len, " (");
				append(&buf, &len, ev);
				append(&buf, &len, ")");
			}
			free(ev);
		} else {
			append(&buf, &len, ": ");
			append(&buf, &len, !strcmp(state, "unknown") ? L_(lang, "unknown")
					   : !strcmp(state, "not_applicable") ? L_(lang, "not applicable")
									      : L_(lang, "error"));
			char *why = report_fact_text(f, "reason", lang);
			if (why) {
				append(&buf, &len, " (");
				append(&buf, &len, why);
				append(&buf, &len, ")");
			}
			free(why);
		}
	}
	return buf;
}

const char *report_status_label(const json_t *res, const char *lang)
{
	const char *status = json_string_value(json_object_get(res, "status"));
	if (!status)
		return "?";
	if (!strcmp(status, "fail") && json_is_true(json_object_get(res, "partial")))
		return L_(lang, "PARTIAL");
	if (!strcmp(status, "pass"))
		return L_(lang, "PASS");
	if (!strcmp(status, "fail"))
		return L_(lang, "FAIL");
	if (!strcmp(status, "unknown"))
		return L_(lang, "UNKNOWN");
	if (!strcmp(status, "not_applicable"))
		return L_(lang, "N/A");
	if (!strcmp(status, "error"))
		return L_(lang, "ERROR");
	return L_(lang, "DISABLED");
}

/* XML and HTML escape alike (JUnit and the HTML report): one escaper. */
void report_xml_escape(FILE *out, const char *s)
{
	html_text(out, s);
}

/* ---- evidence and reasons in the reader's language ---- */

static const char *conversion_end(const char *p)
{
	/* flags, width, precision, length, then the conversion letter */
	while (*p && strchr("#0- +'", *p))
		p++;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	while (*p && strchr("hlLqjzt", *p))
		p++;
	return *p ? p + 1 : p;
}

/* The C library's error texts the probes quote (strerror, recorded in
 * English): translated here like the probes' own words. */
static const char *const libc_texts[] = {
	N_("No such file or directory"),
	N_("Permission denied"),
	N_("Not a directory"),
	N_("Is a directory"),
	N_("Too many levels of symbolic links"),
	N_("Input/output error"),
	N_("File too large"),
	N_("Bad message"),
	N_("Operation not supported"),
	N_("Invalid argument"),
	N_("Cannot allocate memory"),
	N_("No data available"),
	N_("Stale file handle"),
	N_("Connection timed out"),
	N_("Timer expired"),
	N_("Resource temporarily unavailable"),
	N_("Value too large for defined data type"),
	NULL,
};

static const char *report_arg_text(const char *arg, const char *lang)
{
	for (size_t i = 0; libc_texts[i]; i++)
		if (!strcmp(arg, libc_texts[i]))
			return L_(lang, libc_texts[i]);
	return arg;
}

/* A message in lang: its id translated, each argument put back, an
 * argument that was a composed text rendered from its own message. */
static char *render_msg(const json_t *msg, const char *lang, int depth)
{
	const char *id = json_string_value(json_object_get(msg, "id"));
	const json_t *args = json_object_get(msg, "args");
	const json_t *parts = json_object_get(msg, "parts");
	if (!id)
		return xstrdup("?");
	const char *fmt = L_(lang, id);
	char *buf = NULL;
	size_t len = 0;
	append(&buf, &len, "");
	size_t next = 0;
	for (const char *p = fmt; *p;) {
		const char *pct = strchr(p, '%');
		size_t n = pct ? (size_t)(pct - p) : strlen(p);
		char *lit = xstrndup(p, n);
		append(&buf, &len, lit);
		free(lit);
		if (!pct)
			break;
		if (pct[1] == '%') {
			append(&buf, &len, "%");
			p = pct + 2;
			continue;
		}
		/* "%2$s": a translation may reorder the arguments. */
		const char *q = pct + 1;
		size_t index = next;
		const char *d = q;
		while (*d >= '0' && *d <= '9')
			d++;
		if (d > q && *d == '$') {
			index = (size_t)strtoul(q, NULL, 10) - 1;
			q = d + 1;
		} else {
			next++;
		}
		const json_t *part = json_array_get(parts, index);
		if (json_is_object(part) && depth < 8) {
			char *t = render_msg(part, lang, depth + 1);
			append(&buf, &len, t);
			free(t);
		} else {
			const char *arg = json_string_value(json_array_get(args, index));
			append(&buf, &len, arg ? report_arg_text(arg, lang) : "?");
		}
		p = conversion_end(q);
	}
	return buf;
}

char *report_fact_text(const json_t *f, const char *key, const char *lang)
{
	const json_t *t = json_object_get(f, key);
	if (!json_is_string(t))
		return NULL;
	char mkey[32];
	snprintf(mkey, sizeof mkey, "%s_msg", key);
	const json_t *msg = json_object_get(f, mkey);
	const char *id = json_string_value(json_object_get(msg, "id"));
	const json_t *args = json_object_get(msg, "args");
	if (!lang)
		lang = "en";
	if (!id || !json_is_array(args)) /* a fixed text, or a report of an older agent */
		return xstrdup(L_(lang, json_string_value(t)));
	return render_msg(msg, lang, 0);
}

/* The reasons the evaluator itself writes (agent/core/eval.c), which
 * carry no message: the fixed ones are their own id, and "applies to OS,
 * this host runs OS" is taken apart here. */
static const char *const evaluator_texts[] = {
	N_("the rule's 'when' condition does not hold on this host"),
	NULL,
};

static char *evaluator_reason(const char *reason, const char *lang)
{
	(void)evaluator_texts;
	const char *pre = "applies to ", *mid = ", this host runs ";
	const char *m = strstr(reason, mid);
	if (!strncmp(reason, pre, strlen(pre)) && m && !strchr(m + strlen(mid), ' ')) {
		char *want = xstrndup(reason + strlen(pre), (size_t)(m - reason) - strlen(pre));
		const char *fmt = L_(lang, "applies to %s, this host runs %s");
		/* the translation keeps both conversions in order (msgfmt -c) */
		const char *a = strstr(fmt, "%s"), *b = a ? strstr(a + 2, "%s") : NULL;
		char *out = NULL;
		if (a && b)
			out = xasprintf("%.*s%s%.*s%s%s", (int)(a - fmt), fmt, want, (int)(b - a - 2),
					a + 2, m + strlen(mid), b + 2);
		free(want);
		if (out)
			return out;
	}
	return xstrdup(L_(lang, reason));
}

char *report_result_reason(const json_t *report, const json_t *res, const char *lang)
{
	const char *reason = json_string_value(json_object_get(res, "reason"));
	if (!reason || !*reason)
		return NULL;
	/* "fact: its reason", as the evaluator writes it: the fact's own
	 * reason carries the message to translate. */
	const char *colon = strstr(reason, ": ");
	if (colon) {
		char *name = xstrndup(reason, (size_t)(colon - reason));
		const json_t *f = json_object_get(json_object_get(report, "facts"), name);
		const char *why = json_string_value(json_object_get(f, "reason"));
		char *out = NULL;
		/* the evaluator's buffer may have cut a long reason short */
		size_t quoted = strlen(colon + 2);
		if (why && (!strcmp(why, colon + 2) ||
			    (quoted >= 64 && !strncmp(why, colon + 2, quoted)))) {
			char *t = report_fact_text(f, "reason", lang);
			out = xasprintf("%s: %s", name, t);
			free(t);
		}
		free(name);
		if (out)
			return out;
	}
	return evaluator_reason(reason, lang ? lang : "en");
}

/* ---- one finding per measure ---- */

int report_status_rank(const char *s)
{
	static const char *const order[] = {"fail", "error", "unknown", "disabled", "pass",
					    "not_applicable"};
	for (int i = 0; s && i < 6; i++)
		if (!strcmp(s, order[i]))
			return i;
	return 6;
}

const char *report_severity_label(const char *s, const char *lang)
{
	if (!s)
		return "?";
	if (!strcmp(s, "critical"))
		return L_(lang, "critical");
	if (!strcmp(s, "high"))
		return L_(lang, "high");
	if (!strcmp(s, "medium"))
		return L_(lang, "medium");
	if (!strcmp(s, "low"))
		return L_(lang, "low");
	return L_(lang, "info");
}

int report_severity_rank(const char *s)
{
	static const char *const order[] = {"critical", "high", "medium", "low", "info"};
	for (int i = 0; s && i < 5; i++)
		if (!strcmp(s, order[i]))
			return i;
	return 5;
}

/* Same facts read, same verdict: the same finding. A rule that read no
 * fact, or a disabled one, stands alone. */
static bool same_finding(const json_t *a, const json_t *b)
{
	const char *sa = json_string_value(json_object_get(a, "status"));
	if (!sa || strcmp(sa, json_string_value(json_object_get(b, "status"))) ||
	    !strcmp(sa, "disabled") ||
	    json_is_true(json_object_get(a, "partial")) !=
		    json_is_true(json_object_get(b, "partial")))
		return false;
	const json_t *fa = json_object_get(a, "facts"), *fb = json_object_get(b, "facts");
	if (!json_array_size(fa) || json_array_size(fa) != json_array_size(fb))
		return false;
	size_t i;
	const json_t *name;
	json_array_foreach(fa, i, name)
	{
		bool found = false;
		for (size_t k = 0; k < json_array_size(fb) && !found; k++)
			found = json_equal(name, json_array_get(fb, k));
		if (!found)
			return false;
	}
	return true;
}

static int finding_order(const void *pa, const void *pb)
{
	const report_finding *a = pa, *b = pb;
	int d = report_status_rank(json_string_value(json_object_get(a->lead, "status"))) -
		report_status_rank(json_string_value(json_object_get(b->lead, "status")));
	if (d)
		return d;
	d = report_severity_rank(json_string_value(json_object_get(a->lead, "severity"))) -
	    report_severity_rank(json_string_value(json_object_get(b->lead, "severity")));
	if (d)
		return d;
	json_int_t wa = json_integer_value(json_object_get(a->lead, "weight"));
	json_int_t wb = json_integer_value(json_object_get(b->lead, "weight"));
	if (wa != wb)
		return wa > wb ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

/* The lead is the member with the highest severity, then weight. */
static bool leads(const json_t *a, const json_t *b)
{
	int d = report_severity_rank(json_string_value(json_object_get(a, "severity"))) -
		report_severity_rank(json_string_value(json_object_get(b, "severity")));
	if (d)
		return d < 0;
	return json_integer_value(json_object_get(a, "weight")) >
	       json_integer_value(json_object_get(b, "weight"));
}

report_finding *report_findings(const json_t *report, size_t *count)
{
	const json_t *results = json_object_get(report, "results");
	size_t n = json_array_size(results);
	report_finding *f = xcalloc(n ? n : 1, sizeof *f);
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *res = json_array_get(results, i);
		report_finding *into = NULL;
		for (size_t k = 0; k < used && !into; k++) {
			if (!same_finding(f[k].lead, res))
				continue;
			bool pack_taken = false; /* at most one rule of a pack */
			for (size_t m = 0; m < f[k].count; m++)
				pack_taken |= json_equal(json_object_get(f[k].results[m], "pack"),
							 json_object_get(res, "pack"));
			if (!pack_taken)
				into = &f[k];
		}
		if (!into) {
			into = &f[used++];
			into->results = xcalloc(n, sizeof *into->results);
			into->lead = res;
			into->first = i;
		}
		into->results[into->count++] = res;
		if (leads(res, into->lead))
			into->lead = res;
	}
	qsort(f, used, sizeof *f, finding_order);
	*count = used;
	return f;
}

void report_findings_free(report_finding *f, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(f[i].results);
	free(f);
}

char *report_finding_items(const json_t *report, const report_finding *f, const char *lang)
{
	char *buf = NULL;
	size_t len = 0;
	append(&buf, &len, "");
	const json_t *packs = json_object_get(report, "packs");
	for (size_t i = 0; i < f->count; i++) {
		const char *pid = json_string_value(json_object_get(f->results[i], "pack"));
		const char *name = pid;
		size_t k;
		const json_t *meta;
		json_array_foreach(packs, k, meta)
			if (pid && !strcmp(pid, json_string_value(json_object_get(meta, "id"))) &&
			    json_object_get(meta, "short"))
				name = report_tr(json_object_get(meta, "short"), lang);
		char item[256];
		snprintf(item, sizeof item, "%s%s %lld", i ? " · " : "", name ? name : "?",
			 (long long)json_integer_value(json_object_get(f->results[i], "article")));
		append(&buf, &len, item);
	}
	return buf;
}
