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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_rule_in_both_languages),
		cmocka_unit_test(config_error_follows_the_locale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
