/* SPDX-License-Identifier: Apache-2.0 */
/* The core's own errors (rule packs, config, attestations) in Japanese:
 * the file:line:column prefix is the same in both languages, and the
 * language comes from --lang or the locale before the config is read. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define BAD_RULE                                                                         \
	"schema: hostaudit/rules/v1\n"                                                   \
	"pack: bad\n"                                                                    \
	"title: {en: \"Bad\", ja: \"悪い\"}\n"                                           \
	"articles:\n"                                                                    \
	"  - {number: 1, title: {en: \"One\", ja: \"一\"}}\n"                            \
	"rules:\n"                                                                       \
	"  - id: bad.rule\n"                                                             \
	"    article: 1\n"                                                               \
	"    severity: hgh\n"                                                            \
	"    title: {en: \"t\", ja: \"t\"}\n"                                            \
	"    remediation: {en: \"r\", ja: \"r\"}\n"                                      \
	"    check: {fact: os.name, eq: \"x\"}\n"

static char *list_error(const char *pack, const char *lang)
{
	const char *argv[] = {"list", "--rules", pack, "--lang", lang, NULL};
	char *err = NULL;
	assert_int_equal(run_hostaudit(argv, NULL, &err), 2);
	return err;
}

static void bad_rule_in_both_languages(void **state)
{
	(void)state;
	const char *pack = write_temp_file("bad.yaml", BAD_RULE);
	char *en = list_error(pack, "en"), *ja = list_error(pack, "ja");
	char prefix[600];
	snprintf(prefix, sizeof prefix, "%s:9:15: ", pack);
	assert_non_null(strstr(en, prefix));
	assert_non_null(strstr(ja, prefix));
	assert_non_null(strstr(en, "unknown severity 'hgh' (did you mean 'high'?) (info, low, "
				   "medium, high, critical)"));
	assert_non_null(strstr(ja, "不明な重大度 'hgh'（'high' の誤りではありませんか？）"
				   "（info、low、medium、high、critical のいずれか）"));
	/* One line each. */
	assert_ptr_equal(strchr(ja, '\n'), ja + strlen(ja) - 1);
	free(en);
	free(ja);
}

static void config_error_follows_the_locale(void **state)
{
	(void)state;
	/* The config's own lang: cannot apply to an error in the config
	 * itself: the locale (or --lang) decides. */
	const char *cfg = write_temp_file("hostaudit.yaml", "schema: hostaudit/config/v1\n"
							    "lang: en\n"
							    "rulez: []\n");
	const char *argv[] = {"list", "--config", cfg, NULL};
	char *err = NULL;
	setenv("LANG", "ja_JP.UTF-8", 1);
	assert_int_equal(run_hostaudit(argv, NULL, &err), 2);
	unsetenv("LANG");
	char prefix[600];
	snprintf(prefix, sizeof prefix, "%s:3:1: 不明なキー 'rulez'", cfg);
	if (!strstr(err, prefix))
		fail_msg("want '%s' in: %s", prefix, err);
	free(err);
}

/* A probe's evidence and reasons in Japanese under --lang ja, the JSON
 * keeping the English text beside the message id. */
static void probe_evidence_in_japanese(void **state)
{
	(void)state;
	const char *argv[] = {"run", "-r", HOSTAUDIT_SOURCE_DIR "/rules", "--root",
			      HOSTAUDIT_SOURCE_DIR "/tests/fixtures/roots/password-weak", "--now",
			      "2026-11-26", "--lang", "ja", NULL};
	char *out = NULL;
	setenv("COLUMNS", "1000", 1); /* one line per sentence, to search */
	assert_int_equal(run_hostaudit(argv, &out, NULL), 1);
	unsetenv("COLUMNS");
	if (!strstr(out, "パスワード品質モジュールなし。pam_unix の minlen"))
		fail_msg("no Japanese evidence in: %s", out);
	assert_null(strstr(out, "no password-quality module"));
	assert_non_null(strstr(out, "確認結果:"));
	assert_non_null(strstr(out, "まず直すこと"));
	free(out);
	const char *json[] = {"run", "-r", HOSTAUDIT_SOURCE_DIR "/rules", "--root",
			      HOSTAUDIT_SOURCE_DIR "/tests/fixtures/roots/password-weak", "--now",
			      "2026-11-26", "--lang", "ja", "-f", "json", NULL};
	assert_int_equal(run_hostaudit(json, &out, NULL), 1);
	assert_non_null(strstr(out, "\"evidence\": \"no password-quality module; pam_unix minlen from"));
	assert_non_null(strstr(out, "\"id\": \"no password-quality module; pam_unix minlen from %s\""));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_rule_in_both_languages),
		cmocka_unit_test(config_error_follows_the_locale),
		cmocka_unit_test(probe_evidence_in_japanese),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
