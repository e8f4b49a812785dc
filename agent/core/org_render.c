/* SPDX-License-Identifier: Apache-2.0 */
/* A placement (org_place()'s JSON) for people: the category with its
 * basic approach and minimum measures, the documents to use, what decided
 * it, what would move the company on, the figures, and last year beside
 * this year. Lines fit 80 columns in either language. */
#include "hostaudit/org.h"

#include <string.h>

#include "i18n.h"
#include "util.h"

#define WIDTH 80

static const char *tr(const json_t *t, const char *lang)
{
	const char *s = json_string_value(json_object_get(t, lang));
	if (!s)
		s = json_string_value(json_object_get(t, "en"));
	return s ? s : "";
}

static size_t char_len(unsigned char c)
{
	return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
}

static bool starts_closing(const char *s)
{
	static const char *const closing[] = {"。", "、", "）", "」", "』", "】", ")", ",", ".",
					      NULL};
	for (size_t k = 0; closing[k]; k++)
		if (!strncmp(s, closing[k], strlen(closing[k])))
			return true;
	return false;
}

void org_print_wrapped(FILE *out, const char *prefix, const char *s, int indent)
{
	fputs(prefix, out);
	size_t col = utf8_display_width(prefix);
	while (*s) {
		/* How much of s fits on this line. */
		size_t w = col, i = 0, prev = 0, last_space = 0, space_col = 0;
		bool fits_all = true;
		while (s[i]) {
			size_t n = char_len((unsigned char)s[i]);
			char one[5] = {0};
			memcpy(one, s + i, n);
			size_t cw = utf8_display_width(one);
			if (w + cw > WIDTH) {
				fits_all = false;
				break;
			}
			if (s[i] == ' ') {
				last_space = i;
				space_col = w;
			}
			w += cw;
			prev = i;
			i += n;
		}
		if (fits_all) {
			fputs(s, out);
			break;
		}
		/* A space far back (Japanese with a few spaces): break at the
		 * character instead of wasting the line. */
		size_t cut = last_space && WIDTH - space_col < 20 ? last_space : i;
		/* No line starts with closing punctuation (禁則): break one
		 * character earlier. */
		if (cut == i && prev > 0 && starts_closing(s + i))
			cut = prev;
		if (cut == 0) /* nothing fits after a long prefix: next line */
			cut = i ? i : char_len((unsigned char)s[0]);
		fwrite(s, 1, cut, out);
		fprintf(out, "\n%*s", indent, "");
		col = (size_t)indent;
		s += cut;
		while (*s == ' ')
			s++;
	}
	fputc('\n', out);
}

static void bullet(FILE *out, const char *s)
{
	org_print_wrapped(out, "  - ", s, 4);
}

static void leaves(FILE *out, const json_t *arr, const char *lang)
{
	size_t i;
	const json_t *l;
	json_array_foreach(arr, i, l)
	{
		const char *seen = tr(json_object_get(l, "observed"), lang);
		char *line = *seen ? xasprintf(L_(lang, "%s (%s)"),
					       tr(json_object_get(l, "condition"), lang), seen)
				   : xstrdup(tr(json_object_get(l, "condition"), lang));
		bullet(out, line);
		free(line);
	}
}

static void heading(FILE *out, const char *s)
{
	fprintf(out, "\n%s\n", s);
}

static const char *category_label(const json_t *p, const char *lang)
{
	const char *id = json_string_value(json_object_get(p, "category"));
	if (!id || !strcmp(id, "unknown"))
		return L_(lang, "unknown");
	return tr(json_object_get(p, "label"), lang);
}

static void figures(FILE *out, const json_t *p, const json_t *prev, const char *lang)
{
	const char *name;
	const json_t *f;
	int year = (int)json_integer_value(json_object_get(p, "year"));
	json_object_foreach((json_t *)json_object_get(p, "figures"), name, f)
	{
		if (!prev) {
			char *line = xasprintf("%s: %s", tr(json_object_get(f, "label"), lang),
					       tr(json_object_get(f, "observed"), lang));
			bullet(out, line);
			free(line);
		} else {
			/* This year beside last year, one line each. */
			bullet(out, tr(json_object_get(f, "label"), lang));
			const json_t *pf = json_object_get(json_object_get(prev, "figures"), name);
			char head[32];
			snprintf(head, sizeof head, "      %d: ", year);
			org_print_wrapped(out, head, tr(json_object_get(f, "observed"), lang), 12);
			snprintf(head, sizeof head, "      %d: ",
				 (int)json_integer_value(json_object_get(prev, "year")));
			org_print_wrapped(out, head,
					  pf ? tr(json_object_get(pf, "observed"), lang)
					     : L_(lang, "not recorded"), 12);
		}
		const json_t *src = json_object_get(f, "source");
		if (src) {
			char *s = xasprintf("(%s)", tr(src, lang));
			org_print_wrapped(out, "      ", s, 7);
			free(s);
		}
	}
}

/* The documents management gave as evidence, and whether each is still
 * the one vouched for. */
static void evidence(FILE *out, const json_t *p, const char *lang)
{
	const char *id;
	const json_t *a;
	bool any = false;
	json_object_foreach((json_t *)json_object_get(p, "answers"), id, a)
	{
		const json_t *ev = json_object_get(a, "evidence");
		if (!ev)
			continue;
		if (!any)
			heading(out, L_(lang, "Evidence documents:"));
		any = true;
		char *line = xasprintf("%s: %s", tr(json_object_get(a, "label"), lang),
				       json_string_value(json_object_get(ev, "title")));
		bullet(out, line);
		free(line);
		const char *check = json_string_value(json_object_get(ev, "check"));
		const char *what = !check ? "" :
			!strcmp(check, "matches") ? L_(lang, "SHA-256 matches") :
			!strcmp(check, "differs") ? L_(lang, "CHANGED since it was answered "
							"(SHA-256 differs)") :
			!strcmp(check, "unreadable") ? L_(lang, "cannot be read here") :
						       L_(lang, "not checked");
		const char *where = json_string_value(json_object_get(ev, "path"));
		if (!where)
			where = json_string_value(json_object_get(ev, "url"));
		line = xasprintf("%s (%s)", where ? where : "", what);
		org_print_wrapped(out, "    ", line, 6);
		free(line);
	}
}

void org_render_text(FILE *out, const json_t *p, const json_t *prev, const char *lang)
{
	const char *org = json_string_value(json_object_get(p, "organisation"));
	if (org)
		fprintf(out, L_(lang, "Organisation: %s\n"), org);
	const char *id = json_string_value(json_object_get(p, "category"));
	bool unknown = !id || !strcmp(id, "unknown");
	char *line = xasprintf(L_(lang, "Category (%d): %s [%s]"),
			       (int)json_integer_value(json_object_get(p, "year")),
			       category_label(p, lang), id ? id : "unknown");
	org_print_wrapped(out, "", line, 2);
	free(line);
	if (prev) {
		line = xasprintf(L_(lang, "Last year (%d): %s [%s]"),
				 (int)json_integer_value(json_object_get(prev, "year")),
				 category_label(prev, lang),
				 json_string_value(json_object_get(prev, "category")));
		org_print_wrapped(out, "", line, 2);
		free(line);
	}
	if (unknown) {
		org_print_wrapped(out, L_(lang, "  Why unknown: "), tr(json_object_get(p, "unknown_reason"), lang),
		     4);
		heading(out, L_(lang, "Answer these to be placed:"));
		leaves(out, json_object_get(json_object_get(p, "undecided"), "because"), lang);
	} else {
		org_print_wrapped(out, L_(lang, "  Who: "), tr(json_object_get(p, "who"), lang), 4);
		org_print_wrapped(out, L_(lang, "  Basic approach: "), tr(json_object_get(p, "approach"), lang), 4);
		heading(out, L_(lang, "Minimum measures:"));
		size_t i;
		const json_t *m;
		json_array_foreach(json_object_get(p, "measures"), i, m) bullet(out, tr(m, lang));
		heading(out, L_(lang, "Documents to use:"));
		json_array_foreach(json_object_get(p, "documents"), i, m)
		{
			bullet(out, json_string_value(json_object_get(m, "title")));
			const char *url = json_string_value(json_object_get(m, "url"));
			if (url)
				fprintf(out, "    %s\n", url);
		}
		heading(out, L_(lang, "Decided by:"));
		const json_t *by = json_object_get(p, "decided_by");
		if (json_array_size(by))
			leaves(out, by, lang);
		else
			bullet(out, L_(lang, "no earlier category applies"));
	}
	const json_t *ruled = json_object_get(p, "ruled_out");
	if (json_array_size(ruled)) {
		heading(out, L_(lang, "Ruled out before it:"));
		size_t i;
		const json_t *r;
		json_array_foreach(ruled, i, r)
		{
			fprintf(out, "  %s\n", tr(json_object_get(r, "label"), lang));
			size_t k;
			const json_t *l;
			json_array_foreach(json_object_get(r, "because"), k, l)
			{
				const char *seen = tr(json_object_get(l, "observed"), lang);
				char *s = *seen ? xasprintf(L_(lang, "%s: does not hold (%s)"),
							    tr(json_object_get(l, "condition"), lang),
							    seen)
						: xasprintf(L_(lang, "%s: does not hold"),
							    tr(json_object_get(l, "condition"), lang));
				bullet(out, s);
				free(s);
			}
		}
	}
	const json_t *next = json_object_get(p, "next");
	if (next) {
		const json_t *label = json_object_get(next, "label");
		char *h = label ? xasprintf(L_(lang, "To move to %s:"), tr(label, lang))
				: xstrdup(L_(lang, "Next steps:"));
		heading(out, h);
		free(h);
		size_t i;
		const json_t *l;
		json_array_foreach(json_object_get(next, "no_longer"), i, l)
		{
			char *s = xasprintf(L_(lang, "no longer %s (now %s)"),
					    tr(json_object_get(l, "condition"), lang),
					    tr(json_object_get(l, "observed"), lang));
			bullet(out, s);
			free(s);
		}
		json_array_foreach(json_object_get(next, "needs"), i, l)
		{
			const char *seen = tr(json_object_get(l, "observed"), lang);
			char *s = *seen ? xasprintf(L_(lang, "needs %s (now %s)"),
						    tr(json_object_get(l, "condition"), lang), seen)
					: xasprintf(L_(lang, "needs %s"),
						    tr(json_object_get(l, "condition"), lang));
			bullet(out, s);
			free(s);
		}
		org_print_wrapped(out, "  ", tr(json_object_get(next, "steps"), lang), 2);
	}
	evidence(out, p, lang);
	heading(out, L_(lang, "Figures:"));
	figures(out, p, prev, lang);
}
