/* SPDX-License-Identifier: Apache-2.0 */
/* The reports people read, from a fixed JSON report
 * (tests/fixtures/reports/sample.json): CSV and HTML compared byte for
 * byte with tests/golden/ in both languages, JUnit well formed, hostile
 * text neutralised or escaped, the Japanese terminal table aligned by
 * display width, and gettext's Japanese actually applied.
 *
 * To accept new output after an intended change, see tests/golden/README.md:
 *   HOSTAUDIT_UPDATE_GOLDEN=1 ctest --test-dir build -R test_render */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "hostaudit/report.h"
#include "i18n.h"
#include "textwrap.h"
#include "util.h"

#define FIXTURE "tests/fixtures/reports/sample.json"
#define GOLDEN "tests/golden/"

static json_t *load_fixture(void)
{
	json_error_t e;
	json_t *rep = json_load_file(FIXTURE, 0, &e);
	if (!rep)
		fail_msg("%s:%d: %s", FIXTURE, e.line, e.text);
	char err[256];
	if (report_validate(rep, err, sizeof err))
		fail_msg("fixture is not a valid report: %s", err);
	return rep;
}

static char *render(const char *format, const json_t *rep, const char *lang, size_t *len)
{
	render_options o = {.lang = lang, .colour = false};
	char *s = render_to_string(render_find(format), rep, &o, len);
	assert_non_null(s);
	return s;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = xmalloc(1 << 20);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void golden(const char *format, const char *lang)
{
	json_t *rep = load_fixture();
	size_t len, want_len = 0;
	char *got = render(format, rep, lang, &len);
	char path[256];
	snprintf(path, sizeof path, GOLDEN "report.%s.%s", lang, format);
	if (getenv("HOSTAUDIT_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		fwrite(got, 1, len, f);
		fclose(f);
	}
	char *want = slurp(path, &want_len);
	if (!want)
		fail_msg("%s is missing: see tests/golden/README.md", path);
	if (len != want_len || memcmp(got, want, len)) {
		size_t i = 0;
		while (i < len && i < want_len && got[i] == want[i])
			i++;
		fail_msg("%s differs from the rendered output at byte %zu: \"%.60s\" (see "
			 "tests/golden/README.md)", path, i, got + i);
	}
	free(got);
	free(want);
	json_decref(rep);
}

static void csv_en(void **state) { (void)state; golden("csv", "en"); }
static void csv_ja(void **state) { (void)state; golden("csv", "ja"); }
static void html_en(void **state) { (void)state; golden("html", "en"); }
static void html_ja(void **state) { (void)state; golden("html", "ja"); }

/* The first result's title replaced by hostile text. */
static json_t *hostile_report(const char *title)
{
	json_t *rep = load_fixture();
	json_t *res = json_array_get(json_object_get(rep, "results"), 0);
	json_object_set_new(res, "title", json_pack("{s:s, s:s}", "en", title, "ja", title));
	return rep;
}

static void csv_is_excel_safe(void **state)
{
	(void)state;
	static const char *const formulas[] = {"=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"};
	for (size_t i = 0; i < 6; i++) {
		json_t *rep = hostile_report(formulas[i]);
		size_t len;
		char *csv = render("csv", rep, "en", &len);
		assert_memory_equal(csv, "\xEF\xBB\xBF", 3);
		char want[32];
		snprintf(want, sizeof want, ",\"'%s\",", formulas[i][0] == '\r' ? "x" : formulas[i]);
		if (!strstr(csv, want))
			fail_msg("formula cell %zu not neutralised", i);
		/* Every line ends in CRLF; no bare LF. */
		for (size_t k = 0; k < len; k++)
			if (csv[k] == '\n' && (k == 0 || csv[k - 1] != '\r'))
				fail_msg("bare LF at byte %zu", k);
		free(csv);
		json_decref(rep);
	}
	json_t *rep = hostile_report("say \"hi\", then\nleave");
	size_t len;
	char *csv = render("csv", rep, "en", &len);
	assert_non_null(strstr(csv, ",\"say \"\"hi\"\", then\r\nleave\","));
	free(csv);
	json_decref(rep);
}

static void html_is_escaped_and_offline(void **state)
{
	(void)state;
	json_t *rep = hostile_report("<script>alert('x')</script> & \"q\"");
	size_t len;
	char *html = render("html", rep, "en", &len);
	assert_null(strstr(html, "<script"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
				     "&quot;q&quot;"));
	/* Nothing fetched from anywhere: no src, no links, no imports. */
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "href="));
	assert_null(strstr(html, "@import"));
	assert_null(strstr(html, "url("));
	assert_non_null(strstr(html, "default-src 'none'"));
	free(html);
	json_decref(rep);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void junit_maps_statuses(void **state)
{
	(void)state;
	json_t *rep = load_fixture();
	size_t len;
	char *xml = render("junit", rep, "en", &len);
	const json_t *overall = json_object_get(json_object_get(rep, "scores"), "overall");
	int fails = (int)json_integer_value(json_object_get(overall, "fail"));
	int skipped = (int)(json_integer_value(json_object_get(overall, "unknown")) +
			    json_integer_value(json_object_get(overall, "not_applicable")) +
			    json_integer_value(json_object_get(overall, "disabled")));
	assert_int_equal(count(xml, "<testcase "),
			 (int)json_array_size(json_object_get(rep, "results")));
	assert_int_equal(count(xml, "<failure "), fails);
	assert_int_equal(count(xml, "<skipped "), skipped);
	char head[128];
	snprintf(head, sizeof head, "failures=\"%d\" errors=\"0\" skipped=\"%d\"", fails, skipped);
	assert_non_null(strstr(xml, head));
	assert_non_null(strstr(xml, "message=\"PARTIAL: "));
	assert_non_null(strstr(xml, "note: 購買ルールは作成中"));
	free(xml);
	json_decref(rep);
	rep = hostile_report("<x> & \"q\"\x01");
	xml = render("junit", rep, "en", &len);
	assert_non_null(strstr(xml, ": &lt;x&gt; &amp; &quot;q&quot;\xEF\xBF\xBD"));
	free(xml);
	json_decref(rep);
}

/* In each pack's score table the item's title starts at the same terminal
 * column in every row and in the header, however many double-width
 * characters the header has. */
static void japanese_terminal_table_lines_up(void **state)
{
	(void)state;
	json_t *rep = load_fixture();
	size_t len;
	char *txt = render("text", rep, "ja", &len);
	const char *art_word = i18n_tr("ja", "Article");
	assert_string_not_equal(art_word, "Article");
	size_t rows = 0, column = 0;
	for (char *line = strtok(txt, "\n"); line; line = strtok(NULL, "\n")) {
		const char *head = strstr(line, i18n_tr("ja", "No."));
		const char *title = NULL;
		if (head && (strstr(line, art_word) || strstr(line, i18n_tr("ja", "Question")))) {
			title = strstr(line, art_word) ? strstr(line, art_word)
						      : strstr(line, i18n_tr("ja", "Question"));
		} else {
			/* a row: five numbers (the score may be "-"), then the title */
			const char *p = line;
			int cells = 0;
			while (cells < 5) {
				while (*p == ' ')
					p++;
				if (!(*p >= '0' && *p <= '9') && *p != '-')
					break;
				while (*p && *p != ' ')
					p++;
				cells++;
			}
			while (*p == ' ')
				p++;
			if (cells == 5 && *p && (unsigned char)*p >= 0x80)
				title = p;
		}
		if (!title)
			continue;
		char *prefix = xstrndup(line, (size_t)(title - line));
		size_t at = utf8_display_width(prefix);
		free(prefix);
		if (rows++ == 0)
			column = at;
		else if (at != column)
			fail_msg("row %zu: title at column %zu, the first row's at %zu: %s", rows, at,
				 column, line);
	}
	assert_true(rows > 20);
	free(txt);
	json_decref(rep);
}

/* A measure several packs check is one finding, with every checklist
 * item it answers; the report starts with the failures, most severe
 * first, each with its fix. */
static void findings_once_and_fix_these_first(void **state)
{
	(void)state;
	json_t *rep = load_fixture();
	size_t len;
	char *txt = render("text", rep, "en", &len);
	/* ipa-5:password.no-empty and nisc-9:password.no-empty read the same
	 * fact and fail: shown once, answering both packs' items. */
	assert_int_equal(count(txt, "No account can log in without a password"), 1);
	assert_non_null(strstr(txt, "critical · 5 articles 3 · 9 articles 2"));
	/* three packs, one unknown finding */
	assert_int_equal(count(txt, "No security update is waiting to be installed"), 1);
	assert_non_null(strstr(txt, "critical · Self-check 1 · 5 articles 1"));
	const char *fix = strstr(txt, "Fix these first (");
	const char *unknown = strstr(txt, "Could not be checked (");
	const char *passed = strstr(txt, "Passed (");
	assert_non_null(fix);
	assert_non_null(unknown);
	assert_non_null(passed);
	assert_true(fix < unknown && unknown < passed);
	/* The first failure is the critical one, with its fix; the high ones
	 * follow it. */
	const char *first = strstr(fix, "   1. ");
	const char *second = strstr(fix, "   2. ");
	assert_non_null(first);
	assert_non_null(second);
	assert_true(strstr(first, "critical ·") < second);
	assert_true(strstr(first, "fix: ") < second);
	assert_true(strstr(fix, "high ·") > strstr(fix, "critical ·"));
	/* every failing result is in some finding of the section */
	const json_t *scores = json_object_get(json_object_get(rep, "scores"), "overall");
	assert_true(json_integer_value(json_object_get(scores, "fail")) >=
		    count(fix, "\n      fix: ") - count(unknown, "\n      fix: "));
	/* An unknown result says why once, not again as "observed:". */
	const char *upd = strstr(txt, "No security update is waiting");
	const char *next = strstr(upd, "fix: ");
	const char *why = strstr(upd, "why: ");
	assert_true(why && why < next);
	assert_true(!strstr(upd, "observed: ") || strstr(upd, "observed: ") > next);
	free(txt);
	/* HTML: once too */
	char *html = render("html", rep, "en", &len);
	assert_int_equal(count(html, "No account can log in without a password"), 1);
	assert_non_null(strstr(html, "5 articles 3 · 9 articles 2"));
	assert_true(strstr(html, "Fix these first") < strstr(html, "Passed"));
	free(html);
	json_decref(rep);
}

static char *wrapped(const char *s, size_t col, size_t indent, size_t width)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	text_wrap(f, s, col, indent, width);
	long n = ftell(f);
	rewind(f);
	char *buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The one wrapping helper: display width, word boundaries, Japanese
 * breaks between characters but not before closing punctuation. */
static void wraps_by_display_width(void **state)
{
	(void)state;
	char *s = wrapped("alpha beta gamma delta", 0, 2, 12);
	assert_string_equal(s, "alpha beta\n  gamma\n  delta\n");
	free(s);
	/* the first line starts where the caller left the cursor */
	s = wrapped("alpha betas", 8, 8, 18);
	assert_string_equal(s, "alpha\n        betas\n");
	free(s);
	/* 10 wide characters = 20 columns: 5 fit in 10, the 、 never starts a line */
	s = wrapped("あいうえお、かきくけこ", 0, 0, 10);
	assert_string_equal(s, "あいうえ\nお、かきく\nけこ\n");
	free(s);
	assert_int_equal(utf8_display_width("確認結果: ok"), 12);
	/* colour codes take no room */
	s = wrapped("\033[1mabc\033[0m def", 0, 0, 7);
	assert_string_equal(s, "\033[1mabc\033[0m def\n");
	free(s);
	/* only a word longer than the line is cut */
	s = wrapped("abcdefghijkl", 0, 0, 10);
	assert_string_equal(s, "abcdefghij\nkl\n");
	free(s);
}

/* Evidence is a message id with arguments: shown in the reader's
 * language, while the JSON keeps the English text. */
static void evidence_translated(void **state)
{
	(void)state;
	json_t *rep = load_fixture();
	const json_t *f = json_object_get(json_object_get(rep, "facts"), "password.min_length");
	assert_non_null(json_object_get(f, "evidence_msg"));
	char *en = report_fact_text(f, "evidence", "en");
	assert_string_equal(en, json_string_value(json_object_get(f, "evidence")));
	char *ja = report_fact_text(f, "evidence", "ja");
	assert_string_not_equal(ja, en);
	assert_non_null(strstr(ja, "/etc/pam.d/common-password:1"));
	free(en);
	free(ja);
	size_t len;
	char *txt = render("text", rep, "ja", &len);
	assert_null(strstr(txt, "no password-quality module"));
	free(txt);
	json_decref(rep);
}

/* Translations come from the compiled catalogue (po/ja.po), chosen by
 * --lang or LANG, on a host with no ja_JP locale generated. */
static void gettext_japanese_applied(void **state)
{
	(void)state;
	char *out = NULL, *err = NULL;
	const char *render_ja[] = {"render", "--lang", "ja", FIXTURE, NULL};
	assert_int_equal(run_hostaudit(render_ja, &out, NULL), 0);
	assert_non_null(strstr(out, "スコア 29.6 / 100  (合格 6、不合格 13、不明 37"));
	assert_non_null(strstr(out, "一部実施"));
	assert_non_null(strstr(out, "IPA 自社診断: -15 点（満点 100"));
	free(out);
	const char *bad[] = {"render", "--lang", "ja", "--format", "pdf", FIXTURE, NULL};
	assert_int_equal(run_hostaudit(bad, NULL, &err), 2);
	assert_non_null(strstr(err, "--format は text, json, csv, html, junit のいずれかです"));
	free(err);
	setenv("LANG", "ja_JP.UTF-8", 1);
	const char *help[] = {"--help", NULL};
	assert_int_equal(run_hostaudit(help, &out, NULL), 0);
	assert_non_null(strstr(out, "使い方: hostaudit [コマンド] [オプション]"));
	free(out);
	const char *english[] = {"render", "--lang", "en", FIXTURE, NULL};
	assert_int_equal(run_hostaudit(english, &out, NULL), 0);
	assert_non_null(strstr(out, "Score 29.6 / 100  (pass 6, fail 13"));
	free(out);
	unsetenv("LANG");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_en),
		cmocka_unit_test(csv_ja),
		cmocka_unit_test(html_en),
		cmocka_unit_test(html_ja),
		cmocka_unit_test(csv_is_excel_safe),
		cmocka_unit_test(html_is_escaped_and_offline),
		cmocka_unit_test(junit_maps_statuses),
		cmocka_unit_test(japanese_terminal_table_lines_up),
		cmocka_unit_test(gettext_japanese_applied),
		cmocka_unit_test(findings_once_and_fix_these_first),
		cmocka_unit_test(evidence_translated),
		cmocka_unit_test(wraps_by_display_width),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
