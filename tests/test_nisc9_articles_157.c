/* SPDX-License-Identifier: Apache-2.0 */
/* End to end: the hostaudit binary over fixture roots, judged by
 * rules/nisc-9.yaml. Articles 1 (updates), 5 (antivirus), 7 (backup). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const struct {
	const char *root, *rule, *status;
} cases[] = {
	{"apt-pending", "updates.security", "fail"},
	{"apt-pending", "updates.all", "fail"},
	{"apt-pending", "updates.automatic", "pass"},
	{"apt-pending", "updates.recent-upgrade", "pass"},
	{"apt-pending", "updates.reboot", "fail"},
	{"apt-uptodate", "updates.security", "pass"},
	{"apt-uptodate", "updates.all", "pass"},
	{"apt-uptodate", "updates.recent-upgrade", "unknown"},
	{"apt-nolists", "updates.security", "unknown"},
	{"av-fresh", "antivirus.installed", "pass"},
	{"av-fresh", "antivirus.active", "pass"},
	{"av-fresh", "antivirus.signatures-fresh", "pass"},
	{"av-fresh", "antivirus.updater", "pass"},
	{"av-stale", "antivirus.active", "fail"},
	{"av-stale", "antivirus.signatures-fresh", "fail"},
	{"av-none", "antivirus.installed", "fail"},
	{"av-none", "antivirus.active", "not_applicable"},
	{"av-none", "antivirus.signatures-fresh", "not_applicable"},
	{"backup-recent", "backup.recent", "pass"},
	{"backup-none", "backup.recent", "fail"}, /* no evidence: a fail, not unknown */
};

static const char *status_of(json_t *report, const char *rule)
{
	json_t *results = json_object_get(report, "results"), *r;
	size_t i;
	json_array_foreach(results, i, r) {
		if (strcmp(json_string_value(json_object_get(r, "id")), rule) == 0)
			return json_string_value(json_object_get(r, "status"));
	}
	return "absent";
}

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char root[512];
		snprintf(root, sizeof root, "tests/fixtures/roots/%s", cases[i].root);
		const char *const argv[] = {"run",   "--rules", "rules/nisc-9.yaml",   "--root", root,
					    "--now", "2026-11-26T00:00:00Z", "--format", "json", NULL};
		char *out = NULL, *err = NULL;
		int rc = run_hostaudit(argv, &out, &err);
		json_error_t je;
		json_t *report = json_loads(out, 0, &je);
		if (!report)
			fail_msg("%s: exit %d, no JSON (%s): %s", cases[i].root, rc, je.text, err);
		const char *got = status_of(report, cases[i].rule);
		if (strcmp(got, cases[i].status))
			fail_msg("%s on %s: %s, want %s", cases[i].rule, cases[i].root, got,
				 cases[i].status);
		json_decref(report);
		free(out);
		free(err);
	}
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
