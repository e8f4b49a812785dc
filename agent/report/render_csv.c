/* SPDX-License-Identifier: Apache-2.0 */
/* The report as CSV for Excel: one row per rule result.
 *
 * Excel opens a file as UTF-8 only with a byte-order mark, and expects
 * CRLF. Every field is quoted (RFC 4180). A cell that Excel would take for
 * a formula (starting with = + - @, a tab or a carriage return) gets a
 * leading apostrophe: report text comes from hosts and config files, and a
 * hostile "=HYPERLINK(...)" must stay text (CSV injection). */
#include <stdlib.h>
#include <string.h>

#include "hostaudit/report.h"
#include "i18n.h"

static void cell(FILE *out, const char *s, bool last)
{
	if (!s)
		s = "";
	fputc('"', out);
	if (strchr("=+-@\t\r", s[0]) && s[0])
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		if (*s == '\r')
			continue;
		if (*s == '\n') {
			/* Line breaks inside a cell: CRLF like the rows. */
			fputs("\r\n", out);
			continue;
		}
		fputc(*s, out);
	}
	fputs(last ? "\"\r\n" : "\",", out);
}

static void cell_int(FILE *out, long long v)
{
	fprintf(out, "%lld,", v);
}

static const json_t *find_article_title(const json_t *report, const char *pack_id, long long n)
{
	size_t i, k;
	const json_t *pk, *art;
	json_array_foreach(json_object_get(json_object_get(report, "scores"), "packs"), i, pk)
	{
		if (strcmp(json_string_value(json_object_get(pk, "pack")), pack_id))
			continue;
		json_array_foreach(json_object_get(pk, "articles"), k, art)
			if (json_integer_value(json_object_get(art, "article")) == n)
				return json_object_get(art, "title");
	}
	return NULL;
}

int render_csv(const json_t *report, FILE *out, const render_options *o)
{
	const char *lang = o->lang;
	const json_t *hostinfo = json_object_get(report, "host");
	const char *hostname = json_string_value(json_object_get(hostinfo, "hostname"));
	const char *when = json_string_value(json_object_get(report, "finished_at"));
	fputs("\xEF\xBB\xBF", out);
	const char *header[] = {
		L_(lang, "Host"),	 L_(lang, "Audited at"), L_(lang, "Pack"),
		L_(lang, "Article"),	 L_(lang, "Article title"), L_(lang, "Rule"),
		L_(lang, "Title"),	 L_(lang, "Result"),	  L_(lang, "Status"),
		L_(lang, "Severity"),	 L_(lang, "Weight"),	  L_(lang, "Basis"),
		L_(lang, "Observed"),	 L_(lang, "Reason"),	  L_(lang, "Remediation"),
	};
	size_t n = sizeof header / sizeof header[0];
	for (size_t i = 0; i < n; i++)
		cell(out, header[i], i + 1 == n);
	size_t i;
	const json_t *res;
	json_array_foreach(json_object_get(report, "results"), i, res)
	{
		const char *pack_id = json_string_value(json_object_get(res, "pack"));
		long long number = json_integer_value(json_object_get(res, "article"));
		char *observed = report_observed(report, res, lang);
		cell(out, hostname, false);
		cell(out, when, false);
		cell(out, pack_id, false);
		cell_int(out, number);
		cell(out, report_tr(find_article_title(report, pack_id, number), lang), false);
		cell(out, json_string_value(json_object_get(res, "id")), false);
		cell(out, report_tr(json_object_get(res, "title"), lang), false);
		cell(out, report_status_label(res, lang), false);
		cell(out, json_string_value(json_object_get(res, "status")), false);
		cell(out, json_string_value(json_object_get(res, "severity")), false);
		cell_int(out, json_integer_value(json_object_get(res, "weight")));
		cell(out, json_is_true(json_object_get(res, "attested")) ? L_(lang, "attested")
									 : L_(lang, "observed"),
		     false);
		cell(out, observed, false);
		char *reason = report_result_reason(report, res, lang);
		cell(out, reason, false);
		cell(out, report_tr(json_object_get(res, "remediation"), lang), true);
		free(reason);
		free(observed);
	}
	return ferror(out) ? -1 : 0;
}
