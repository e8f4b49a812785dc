/* SPDX-License-Identifier: Apache-2.0 */
/* The updates probe over fixture roots (tests/fixtures/make_probe_roots.py):
 * candidate policy, architectures, compressed lists, history, apt.conf. */
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "probetest.h"

#include "hostaudit/probe.h"

extern const probe probe_updates;

static int utc(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1); /* history.log dates are local time */
	tzset();
	return 0;
}

/* lz4 + gzip + xz + plain lists; security, updates, NotAutomatic backports
 * (ButAutomaticUpgrades), NotAutomatic experimental, arch all, i386, a
 * config-files package, an InRelease and a plain Release. */
static void test_pending(void **state)
{
	(void)state;
	host h = fixture_host("apt-pending", TEST_NOW);
	fact_set *fs = run_probe(&probe_updates, &h);

	want_fact(fs, "updates.source", FACT_KNOWN);
	want_list(fs, "updates.pending", "golang-1.22,libc6,libc6:i386,openssl,tzdata");
	want_int(fs, "updates.pending_count", 5);
	want_list(fs, "updates.security_pending", "libc6,libc6:i386,openssl");
	want_int(fs, "updates.security_pending_count", 3);
	/* what explain updates.security shows: version and suite of each */
	want_list(fs, "updates.security_packages",
		  "libc6 2.36-9+deb12u10 (bookworm-security),libc6:i386 2.36-9+deb12u10 "
		  "(bookworm-security),openssl 3.0.19-1~deb12u2 (bookworm-security)");
	want_evidence_has(fs, "updates.pending_count", "lz4 2, gzip 1, xz 1, plain 3");
	want_evidence_has(fs, "updates.pending_count", "2 with NotAutomatic");
	fact_set_free(fs);
}

/* The same lists with preferences: openssl held (1001 on its installed
 * version), backports raised to 500, libc6:i386 kept from security. */
static void test_pinned(void **state)
{
	(void)state;
	host h = fixture_host("apt-pinned", TEST_NOW);
	fact_set *fs = run_probe(&probe_updates, &h);

	want_list(fs, "updates.pending", "bash,golang-1.22,libc6,tzdata");
	want_list(fs, "updates.security_pending", "libc6");
	want_evidence_has(fs, "updates.pending_count", "3 pin record(s) in 3 file(s)");
	want_evidence_has(fs, "updates.pending_count", "2 installed package(s) decided by a specific pin");
	fact_set_free(fs);
}

static void test_history_auto_reboot(void **state)
{
	(void)state;
	host h = fixture_host("apt-pending", TEST_NOW);
	fact_set *fs = run_probe(&probe_updates, &h);

	/* 2026-11-20 10:00:00 UTC; the later entry with an Error and the
	 * install-only one do not count; the rotated .gz is older. */
	const fact *f = want_fact(fs, "updates.last_upgrade", FACT_KNOWN);
	assert_int_equal(f->v.i, TEST_NOW - 5 * 86400 - 14 * 3600);
	want_evidence_has(fs, "updates.last_upgrade", "2 history file(s)");
	want_bool(fs, "updates.auto_enabled", true);
	want_evidence_has(fs, "updates.auto_enabled", "20auto-upgrades");
	want_bool(fs, "updates.reboot_required", true);
	want_fact(fs, "updates.lists_refreshed", FACT_KNOWN);
	fact_set_free(fs);
}

static void test_uptodate(void **state)
{
	(void)state;
	host h = fixture_host("apt-uptodate", TEST_NOW);
	set_mtime(&h, "/var/lib/apt/lists", TEST_NOW - 2 * 86400);
	fact_set *fs = run_probe(&probe_updates, &h);

	want_int(fs, "updates.pending_count", 0);
	want_int(fs, "updates.security_pending_count", 0);
	want_list(fs, "updates.pending", "");
	want_bool(fs, "updates.auto_enabled", false);
	want_evidence_has(fs, "updates.auto_enabled", "not installed");
	/* 6.1.0-28 runs and is the newest in /boot (numerically, not 6.1.0-9). */
	want_bool(fs, "updates.reboot_required", false);
	want_evidence_has(fs, "updates.reboot_required", "6.1.0-28-amd64");
	want_fact(fs, "updates.last_upgrade", FACT_UNKNOWN);
	const fact *f = want_fact(fs, "updates.lists_refreshed", FACT_KNOWN);
	assert_true(f->v.i >= TEST_NOW - 2 * 86400);
	fact_set_free(fs);
}

/* A NUL byte in a list's Version once made the version comparison loop
 * forever; the alarm makes a regression fail instead of hanging. The
 * version is none dpkg could install, so the list does not count it. */
static void test_nul_in_version(void **state)
{
	(void)state;
	host h = fixture_host("apt-nulversion", TEST_NOW);
	alarm(20);
	fact_set *fs = run_probe(&probe_updates, &h);
	alarm(0);

	want_int(fs, "updates.pending_count", 0);
	want_list(fs, "updates.pending", "");
	fact_set_free(fs);
}

static void test_lists_missing(void **state)
{
	(void)state;
	host h = fixture_host("apt-nolists", TEST_NOW);
	fact_set *fs = run_probe(&probe_updates, &h);

	want_fact(fs, "updates.pending_count", FACT_UNKNOWN);
	want_fact(fs, "updates.security_pending_count", FACT_UNKNOWN);
	want_evidence_has(fs, "updates.pending_count", "no package lists");
	fact_set_free(fs);
}

static void repomd_age(const host *h, int64_t age)
{
	set_mtime(h, "/var/cache/dnf/baseos-0123456789abcdef/repodata/repomd.xml", TEST_NOW - age);
	set_mtime(h, "/var/cache/dnf/appstream-fedcba9876543210/repodata/repomd.xml",
		  TEST_NOW - age);
}

/* rpmdb.sqlite + gzip and xz primary.xml + updateinfo: epochs, ~ and ^,
 * installonly kernels, multilib i686, noarch to x86_64, a disabled
 * repository, gpg-pubkey, bugfix advisories that are not security. */
static void test_dnf_pending(void **state)
{
	(void)state;
	host h = fixture_host("dnf-pending", TEST_NOW);
	repomd_age(&h, 3600);
	fact_set *fs = run_probe(&probe_updates, &h);

	want_list(fs, "updates.pending", "bash.x86_64,curl.x86_64,glibc.x86_64,kernel-core.x86_64,"
					 "openssl.x86_64,python3-foo.noarch,tzdata.noarch");
	want_int(fs, "updates.pending_count", 7);
	want_list(fs, "updates.security_pending", "kernel-core.x86_64,openssl.x86_64");
	want_int(fs, "updates.security_pending_count", 2);
	want_fact(fs, "updates.security_packages", FACT_UNKNOWN);
	want_evidence_has(fs, "updates.pending_count", "/var/lib/rpm/rpmdb.sqlite (12 installed)");
	want_evidence_has(fs, "updates.pending_count", "2 enabled repositories (baseos; appstream");
	fact_set_free(fs);
}

static void test_dnf_unknown(void **state)
{
	(void)state;
	host h = fixture_host("dnf-pending", TEST_NOW);
	repomd_age(&h, 7 * 3600); /* baseos expires after 6 h */
	fact_set *fs = run_probe(&probe_updates, &h);
	want_fact(fs, "updates.pending_count", FACT_UNKNOWN);
	want_evidence_has(fs, "updates.pending_count", "older than its metadata_expire");
	fact_set_free(fs);

	h = fixture_host("dnf-bdb", TEST_NOW);
	fs = run_probe(&probe_updates, &h);
	want_fact(fs, "updates.security_pending_count", FACT_UNKNOWN);
	want_evidence_has(fs, "updates.pending_count", "Berkeley DB");
	fact_set_free(fs);

	h = fixture_host("dnf-nocache", TEST_NOW);
	fs = run_probe(&probe_updates, &h);
	want_fact(fs, "updates.pending", FACT_UNKNOWN);
	want_evidence_has(fs, "updates.pending_count", "no cached metadata for the enabled repository fedora");
	fact_set_free(fs);
}

static void test_not_debian(void **state)
{
	(void)state;
	host h = fixture_host("av-none", TEST_NOW);
	fact_set *fs = run_probe(&probe_updates, &h);

	want_fact(fs, "updates.pending_count", FACT_UNKNOWN);
	want_evidence_has(fs, "updates.pending_count", "neither dpkg");
	fact_set_free(fs);
}

/* Issue 10: "Pin: source-version" counts with apt 3.0 (Debian 13), and is
 * skipped by apt 2.6; the apt installed in the root decides. libfoo1 is
 * a binNMU (1.0-1+b1) of source foo 1.0-1. */
static void test_source_version_pins(void **state)
{
	(void)state;
	host h = fixture_host("apt-srcver-trixie", TEST_NOW);
	fact_set *fs = run_probe(&probe_updates, &h);
	want_list(fs, "updates.pending", "tzdata");
	want_evidence_has(fs, "updates.pending_count", "3 installed package(s) decided by a specific pin");
	want_evidence_has(fs, "updates.pending_count", "preferences read as apt 3.0.3 does");
	fact_set_free(fs);

	h = fixture_host("apt-srcver-bookworm", TEST_NOW);
	fs = run_probe(&probe_updates, &h);
	want_list(fs, "updates.pending", "apt,libfoo1,libssl3t64,openssl,tzdata");
	want_evidence_has(fs, "updates.pending_count", "pin type 'source-version' not understood");
	want_evidence_has(fs, "updates.pending_count", "as apt 2.6.1 does");
	fact_set_free(fs);
}

/* A file: repository: its lists are links into the repository, which
 * under --root is in the root; "Pin: origin \"\"" is such a local one. */
static void test_file_repository(void **state)
{
	(void)state;
	host h = fixture_host("apt-filerepo-nopin", TEST_NOW);
	fact_set *fs = run_probe(&probe_updates, &h);
	want_list(fs, "updates.pending", "bash,localtool");
	want_evidence_has(fs, "updates.pending_count", "3 package lists");
	fact_set_free(fs);

	h = fixture_host("apt-filerepo", TEST_NOW);
	fs = run_probe(&probe_updates, &h);
	want_list(fs, "updates.pending", "");
	want_evidence_has(fs, "updates.pending_count", "1 pin record(s)");
	fact_set_free(fs);
}

/* A failed apt update leaves files in lists/partial: not a refresh. */
static void test_failed_update_is_not_a_refresh(void **state)
{
	(void)state;
	host h = fixture_host("apt-update-failed", TEST_NOW);
	const char *const releases[] = {
		"/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease",
		"/var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_InRelease",
		"/var/lib/apt/periodic/update-success-stamp", NULL};
	for (size_t i = 0; releases[i]; i++)
		set_mtime(&h, releases[i], TEST_NOW - 40 * 86400 - (int64_t)i * 3600);
	set_mtime(&h, "/var/lib/apt/lists/partial/deb.debian.org_debian_dists_bookworm_InRelease",
		  TEST_NOW - 3600);
	set_mtime(&h, "/var/lib/apt/lists/partial", TEST_NOW - 3600);
	set_mtime(&h, "/var/lib/apt/lists/lock", TEST_NOW - 3600);
	set_mtime(&h, "/var/lib/apt/lists", TEST_NOW - 3600);
	fact_set *fs = run_probe(&probe_updates, &h);
	const fact *f = want_fact(fs, "updates.lists_refreshed", FACT_KNOWN);
	assert_int_equal(f->v.i, TEST_NOW - 40 * 86400);
	want_evidence_has(fs, "updates.lists_refreshed", "bookworm_InRelease");
	want_evidence_has(fs, "updates.lists_refreshed", "1 newer file(s) in /var/lib/apt/lists/partial");
	fact_set_free(fs);
}

/* unattended-upgrades configured, but its timer masked: nothing runs. */
static void test_auto_timer_masked(void **state)
{
	(void)state;
	host h = fixture_host("apt-auto-masked", TEST_NOW);
	fact_set *fs = run_probe(&probe_updates, &h);
	want_bool(fs, "updates.auto_enabled", false);
	want_evidence_has(fs, "updates.auto_enabled",
			  "/etc/systemd/system/apt-daily-upgrade.timer is masked");
	fact_set_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pending),
		cmocka_unit_test(test_pinned),
		cmocka_unit_test(test_history_auto_reboot),
		cmocka_unit_test(test_uptodate),
		cmocka_unit_test(test_nul_in_version),
		cmocka_unit_test(test_lists_missing),
		cmocka_unit_test(test_dnf_pending),
		cmocka_unit_test(test_dnf_unknown),
		cmocka_unit_test(test_not_debian),
		cmocka_unit_test(test_source_version_pins),
		cmocka_unit_test(test_file_repository),
		cmocka_unit_test(test_failed_update_is_not_a_refresh),
		cmocka_unit_test(test_auto_timer_masked),
	};
	return cmocka_run_group_tests(tests, utc, NULL);
}
