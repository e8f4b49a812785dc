/* SPDX-License-Identifier: Apache-2.0 */
/* No English left in a Japanese report: the real binary audits every
 * fixture root under tests/fixtures/roots (`hostaudit run --root R
 * --format json`), and every evidence and reason it recorded, and every
 * result's reason, is rendered as the text and HTML reports do
 * (report_fact_text, report_result_reason) in English and in Japanese.
 * A Japanese line fails when it is the English line unchanged although
 * that has words (not only paths, names, numbers), or when it still
 * holds a run of three English words (a piece composed in English).
 * The fact catalogue's meanings (`facts --catalog --lang ja`) likewise. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "hostaudit/report.h"
#include "i18n.h"

#define ROOTS "tests/fixtures/roots"

/* Offset just past a plain English word at s (letters only, at least
 * min long, not part of a path, file name, option or identifier), or 0. */
static size_t word_at(const char *line, const char *s, size_t min)
{
	if (s > line && (isalnum((unsigned char)s[-1]) || strchr("/._-=$%@<>~`'\\", s[-1])))
		return 0;
	size_t n = 0;
	while (isalpha((unsigned char)s[n]))
		n++;
	if (n < min || (s[n] && (isalnum((unsigned char)s[n]) || strchr("/._-=$%@<>~`'\\(", s[n]))))
		return 0;
	/* "ufw:", "nftables:": a product's label. */
	if (s[n] == ':')
		return 0;
	/* NFS, PAM, SSH, ClamAV: names, the same in both languages. */
	for (size_t i = 1; i < n; i++)
		if (isupper((unsigned char)s[i]))
			return 0;
	return n;
}

static bool has_word(const char *t)
{
	bool quoted = false;
	for (const char *s = t; *s; s++) {
		if (*s == '`')
			quoted = !quoted;
		if (!quoted && isalpha((unsigned char)*s) && word_at(t, s, 3))
			return true;
	}
	return false;
}

/* Three words in a row, separated by single spaces, outside `quotes`. */
static bool has_english_run(const char *t)
{
	bool quoted = false;
	for (const char *s = t; *s; s++) {
		if (*s == '`')
			quoted = !quoted;
		if (quoted || !isalpha((unsigned char)*s))
			continue;
		const char *p = s;
		int words = 0;
		size_t n;
		while ((n = word_at(t, p, 2)) != 0) {
			words++;
			p += n;
			if (*p != ' ')
				break;
			p++;
		}
		/* "map to guest = bad user": a setting's own words */
		if (words >= 3 && strncmp(p - 1, " =", 2) && *p != '=')
			return true;
		while (isalpha((unsigned char)s[1]))
			s++;
	}
	return false;
}

static int check_line(const char *root, const char *what, const char *en, const char *ja)
{
	if (!en || !ja)
		return 0;
	if ((!strcmp(en, ja) && has_word(en)) || has_english_run(ja)) {
		print_message("%s: %s:\n  en: %s\n  ja: %s\n", root, what, en, ja);
		return 1;
	}
	return 0;
}

static int check_root(const char *root)
{
	char dir[512];
	snprintf(dir, sizeof dir, ROOTS "/%s", root);
	const char *argv[] = {"run",	 "--root",	dir,	"--rules", "rules", "--now",
			      "2026-11-26", "--format", "json", "--lang",  "ja",    NULL};
	char *out = NULL;
	int st = run_hostaudit(argv, &out, NULL);
	if (st != 0 && st != 1) {
		print_message("%s: hostaudit run exited %d\n", root, st);
		free(out);
		return 1;
	}
	json_error_t e;
	json_t *rep = json_loads(out, 0, &e);
	free(out);
	if (!rep) {
		print_message("%s: the report is not JSON: %s\n", root, e.text);
		return 1;
	}
	int bad = 0;
	const char *name;
	json_t *f;
	json_object_foreach(json_object_get(rep, "facts"), name, f) {
		static const char *const keys[] = {"evidence", "reason"};
		for (size_t k = 0; k < 2; k++) {
			char *en = report_fact_text(f, keys[k], "en");
			char *ja = report_fact_text(f, keys[k], "ja");
			char what[300];
			snprintf(what, sizeof what, "%s %s", name, keys[k]);
			bad += check_line(root, what, en, ja);
			free(en);
			free(ja);
		}
	}
	size_t i;
	json_t *res;
	json_array_foreach(json_object_get(rep, "results"), i, res) {
		char *en = report_result_reason(rep, res, "en");
		char *ja = report_result_reason(rep, res, "ja");
		char what[300];
		snprintf(what, sizeof what, "result %s:%s reason",
			 json_string_value(json_object_get(res, "pack")),
			 json_string_value(json_object_get(res, "id")));
		bad += check_line(root, what, en, ja);
		free(en);
		free(ja);
	}
	json_decref(rep);
	return bad;
}

/* The detector itself: it must see English, and pass Japanese with
 * paths, names and numbers in it. */
static void detector(void **state)
{
	(void)state;
	assert_true(has_word("no pam_pwquality line"));
	assert_false(has_word("/etc/ufw/ufw.conf: ENABLED=yes, 3"));
	assert_false(has_word("NFS, PAM, ClamAV"));
	assert_true(has_english_run("/proc/self/mountinfo を読めません under the root"));
	assert_false(has_english_run("設定 `apt install clamav-daemon clamav-freshclam` を実行"));
	assert_false(has_english_run("Timeshift、rsnapshot、borg のクライアント状態"));
	assert_false(has_english_run("共有 4 件、map to guest = bad user"));
	assert_false(has_word("ufw: /etc/ufw/ufw.conf:5 ENABLED=yes"));
	assert_int_equal(check_line("r", "x", "not found", "not found"), 1);
	assert_int_equal(check_line("r", "x", "/etc/passwd:3", "/etc/passwd:3"), 0);
	assert_int_equal(check_line("r", "x", "not found", "見つかりません"), 0);
}

static void every_fixture_root(void **state)
{
	(void)state;
	DIR *d = opendir(ROOTS);
	assert_non_null(d);
	struct dirent *de;
	int roots = 0, bad = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		roots++;
		bad += check_root(de->d_name);
	}
	closedir(d);
	print_message("%d fixture roots, %d English line(s) in Japanese\n", roots, bad);
	assert_true(roots > 50);
	assert_int_equal(bad, 0);
}

static json_t *catalog(const char *lang)
{
	const char *argv[] = {"facts", "--catalog", "--lang", lang, NULL};
	char *out = NULL;
	assert_int_equal(run_hostaudit(argv, &out, NULL), 0);
	json_t *j = json_loads(out, 0, NULL);
	free(out);
	assert_non_null(j);
	return j;
}

/* `hostaudit facts --catalog --lang ja`: every fact's meaning in
 * Japanese (what `explain` shows beside each fact, too). */
static void catalog_meanings(void **state)
{
	(void)state;
	json_t *en = catalog("en"), *ja = catalog("ja");
	const char *name;
	json_t *e;
	int bad = 0, n = 0;
	json_object_foreach(en, name, e) {
		const char *m_en = json_string_value(json_object_get(e, "meaning"));
		const char *m_ja = json_string_value(
			json_object_get(json_object_get(ja, name), "meaning"));
		n++;
		bad += check_line("catalog", name, m_en, m_ja ? m_ja : m_en);
	}
	json_decref(en);
	json_decref(ja);
	assert_true(n > 50);
	assert_int_equal(bad, 0);
}

int main(void)
{
	i18n_set_lang("en");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(detector),
		cmocka_unit_test(every_fixture_root),
		cmocka_unit_test(catalog_meanings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
