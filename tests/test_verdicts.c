/* SPDX-License-Identifier: Apache-2.0 */
/* End to end: the hostaudit binary over the fixture roots of issue 10
 * ("verdicts an auditor can trust"), judged by rules/nisc-9.yaml. Each row
 * is a state a real system was found in and the verdict its own tools
 * support (see docs/password-accounts.md, docs/updates-antivirus-backup.md). */
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

static const struct {
	const char *root, *rule, *status;
	bool shadow; /* judged from /etc/shadow: unknown without root */
} cases[] = {
	/* pam_pwquality with enforcing = 0 only warns. */
	{"password-pwquality-warnonly", "password.quality-enforced", "fail", false},
	{"password-pwquality-warnonly", "password.min-length", "fail", false},
	{"password-pwquality-warnarg", "password.quality-enforced", "fail", false},
	{"password-compliant", "password.quality-enforced", "pass", false},
	/* pam_faillock preauth alone records nothing; deny = 0 never locks. */
	{"password-faillock-preauth-only", "password.lockout", "fail", false},
	{"password-faillock-deny0", "password.lockout", "fail", false},
	{"password-compliant", "password.lockout", "pass", false},
	/* An empty field in /etc/passwd is an empty password. */
	{"password-passwd-empty", "password.no-empty", "fail", true},
	{"password-compliant", "password.no-empty", "pass", true},
	/* apt remove leaves config files, a .wants link and a mask: no ClamAV. */
	{"av-removed", "antivirus.installed", "fail", false},
	{"av-removed", "antivirus.updater", "not_applicable", false},
	{"av-updater-masked", "antivirus.updater", "fail", false},
	{"av-nodb", "antivirus.signatures-fresh", "fail", false},
	{"av-fresh", "antivirus.signatures-fresh", "pass", false},
	/* nft: includes, one-line chains, add commands; accept-all first. */
	{"firewall-nft-include", "firewall.enabled", "pass", false},
	{"firewall-nft-commands", "firewall.enabled", "pass", false},
	{"firewall-nft-acceptall", "firewall.enabled", "fail", false},
	{"firewall-nft-acceptonly", "firewall.enabled", "fail", false},
	{"firewall-nft-badinclude", "firewall.enabled", "fail", false},
	/* apt 3.0 honours Pin: source-version; apt 2.6 skips it. */
	{"apt-srcver-trixie", "updates.all", "fail", false},     /* tzdata */
	{"apt-srcver-trixie", "updates.security", "pass", false},
	/* A file: repository pinned low by Pin: origin "". */
	{"apt-filerepo", "updates.all", "pass", false},
	{"apt-filerepo-nopin", "updates.all", "fail", false},
	/* unattended-upgrades with its timer masked does not run. */
	{"apt-auto-masked", "updates.automatic", "fail", false},
	{"apt-pending", "updates.automatic", "pass", false},
	/* A failed apt update is not a refresh (mtimes set below). */
	{"apt-update-failed", "updates.lists-fresh", "fail", false},
	/* borg's archive times are not readable: unknown, never fresh. */
	{"backup-borg-client", "backup.recent", "unknown", false},
	/* dconf keyfiles never compiled are not in force. */
	{"screenlock-gnome-uncompiled", "screenlock.idle", "fail", false},
	{"screenlock-gnome-locked", "screenlock.idle", "pass", false},
	/* sshd takes "no" (quoted) as no. */
	{"accounts-sshd-quoted", "ssh.no-root-password", "pass", false},
	{"accounts-sshd-quoted", "ssh.no-password-login", "pass", false},
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

/* git keeps no mtimes: the failed update's files, as apt leaves them. */
static void set_mtimes(void)
{
	static const struct {
		const char *path;
		int64_t age;
	} files[] = {
		{"/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", 40 * 86400},
		{"/var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_InRelease",
		 40 * 86400},
		{"/var/lib/apt/periodic/update-success-stamp", 40 * 86400},
		{"/var/lib/apt/lists/partial/deb.debian.org_debian_dists_bookworm_InRelease", 3600},
		{"/var/lib/apt/lists/partial", 3600},
		{"/var/lib/apt/lists", 3600},
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char p[512];
		snprintf(p, sizeof p, "tests/fixtures/roots/apt-update-failed%s", files[i].path);
		struct timespec ts[2] = {{.tv_sec = (time_t)(TEST_NOW - files[i].age)},
					 {.tv_sec = (time_t)(TEST_NOW - files[i].age)}};
		if (utimensat(AT_FDCWD, p, ts, 0) != 0)
			fail_msg("cannot set the mtime of %s", p);
	}
}

static void test_cases(void **state)
{
	(void)state;
	set_mtimes();
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
		const char *want = cases[i].shadow && geteuid() != 0 ? "unknown" : cases[i].status;
		if (strcmp(got, want))
			fail_msg("%s on %s: %s, want %s", cases[i].rule, cases[i].root, got, want);
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
