/* Choosing a renderer by name, and rendering into memory. */
#include <stdlib.h>
#include <string.h>

#include "hostaudit/report.h"
#include "i18n.h"

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
			const json_t *ev = json_object_get(f, "evidence");
			if (ev) {
				append(&buf, &len, " (");
				append(&buf, &len, json_string_value(ev));
				append(&buf, &len, ")");
			}
		} else {
			append(&buf, &len, ": ");
			append(&buf, &len, !strcmp(state, "unknown") ? L_(lang, "unknown")
					   : !strcmp(state, "not_applicable") ? L_(lang, "not applicable")
									      : L_(lang, "error"));
			const json_t *why = json_object_get(f, "reason");
			if (why) {
				append(&buf, &len, " (");
				append(&buf, &len, json_string_value(why));
				append(&buf, &len, ")");
			}
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

void report_xml_escape(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				fputs("\xEF\xBF\xBD", out);
			else
				fputc(c, out);
		}
	}
}
