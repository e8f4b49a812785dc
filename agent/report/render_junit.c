/* SPDX-License-Identifier: Apache-2.0 */
/* The report as JUnit XML, for CI dashboards (Jenkins, GitLab): one
 * testsuite per pack, one testcase per rule.
 *   pass                      -> a passing testcase
 *   fail (partly met or not)  -> <failure type="SEVERITY">
 *   error                     -> <error>
 *   unknown                   -> <skipped>: nothing was judged, and a
 *                                dashboard must not count it as a pass
 *   not_applicable, disabled  -> <skipped> with the reason
 * The message says why; the body carries what was observed and the fix. */
#include <stdlib.h>
#include <string.h>

#include "hostaudit/report.h"
#include "i18n.h"

#define esc report_xml_escape

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

typedef struct counts {
	int tests, failures, errors, skipped;
} counts;

static void count(const json_t *res, counts *c)
{
	const char *s = str(res, "status");
	c->tests++;
	c->failures += !strcmp(s, "fail");
	c->errors += !strcmp(s, "error");
	c->skipped += !strcmp(s, "unknown") || !strcmp(s, "not_applicable") ||
		      !strcmp(s, "disabled");
}

static void body(const json_t *report, const json_t *res, const char *lang, FILE *out)
{
	char *observed = report_observed(report, res, lang);
	esc(out, observed);
	free(observed);
	const char *fix = report_tr(json_object_get(res, "remediation"), lang);
	if (*fix) {
		fputs("\n", out);
		esc(out, L_(lang, "How to fix"));
		fputs(": ", out);
		esc(out, fix);
	}
}

static void testcase(const json_t *report, const json_t *res, const char *lang, FILE *out)
{
	const char *status = str(res, "status");
	fputs("    <testcase classname=\"", out);
	esc(out, str(res, "pack"));
	fprintf(out, ".article-%lld\" name=\"",
		(long long)json_integer_value(json_object_get(res, "article")));
	esc(out, str(res, "id"));
	fputs(": ", out);
	esc(out, report_tr(json_object_get(res, "title"), lang));
	if (json_is_true(json_object_get(res, "attested"))) {
		fputs(" [", out);
		esc(out, L_(lang, "attested"));
		fputs("]", out);
	}
	fputs("\"", out);
	if (!strcmp(status, "pass")) {
		fputs("/>\n", out);
		return;
	}
	fputs(">\n      ", out);
	const char *reason = str(res, "reason");
	if (!strcmp(status, "fail")) {
		fputs("<failure type=\"", out);
		esc(out, str(res, "severity"));
		fputs("\" message=\"", out);
		esc(out, report_status_label(res, lang));
		fputs(": ", out);
		esc(out, report_tr(json_object_get(res, "title"), lang));
		fputs("\">", out);
		body(report, res, lang, out);
		fputs("</failure>\n", out);
	} else if (!strcmp(status, "error")) {
		fputs("<error message=\"", out);
		esc(out, reason);
		fputs("\">", out);
		body(report, res, lang, out);
		fputs("</error>\n", out);
	} else {
		fputs("<skipped message=\"", out);
		esc(out, report_status_label(res, lang));
		if (*reason) {
			fputs(": ", out);
			esc(out, reason);
		}
		fputs("\"/>\n", out);
	}
	fputs("    </testcase>\n", out);
}

int render_junit(const json_t *report, FILE *out, const render_options *o)
{
	const char *lang = o->lang;
	const json_t *results = json_object_get(report, "results");
	counts all = {0};
	size_t i;
	const json_t *res;
	json_array_foreach(results, i, res) count(res, &all);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hostaudit ", out);
	esc(out, str(json_object_get(report, "host"), "hostname"));
	fprintf(out, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\">\n", all.tests,
		all.failures, all.errors, all.skipped);
	size_t k;
	const json_t *pk;
	json_array_foreach(json_object_get(report, "packs"), k, pk)
	{
		const char *id = str(pk, "id");
		counts c = {0};
		json_array_foreach(results, i, res) if (!strcmp(str(res, "pack"), id)) count(res, &c);
		fputs("  <testsuite name=\"", out);
		esc(out, id);
		fprintf(out, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" "
			"timestamp=\"", c.tests, c.failures, c.errors, c.skipped);
		/* JUnit's timestamp has no zone designator. */
		char ts[32];
		snprintf(ts, sizeof ts, "%s", str(report, "finished_at"));
		char *z = strchr(ts, 'Z');
		if (z)
			*z = '\0';
		esc(out, ts);
		fputs("\" hostname=\"", out);
		esc(out, str(json_object_get(report, "host"), "hostname"));
		fputs("\">\n", out);
		json_array_foreach(results, i, res) if (!strcmp(str(res, "pack"), id))
			testcase(report, res, lang, out);
		fputs("  </testsuite>\n", out);
	}
	fputs("</testsuites>\n", out);
	return ferror(out) ? -1 : 0;
}
