/* SPDX-License-Identifier: Apache-2.0 */
/* The backup probe over fixture roots: recent (Timeshift, Déjà Dup), old
 * (rsnapshot, borg client state), none, and the site's evidence. */
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>

#include "probetest.h"

#include "hostaudit/config.h"
#include "hostaudit/probe.h"

extern const probe probe_backup;

static void test_recent(void **state)
{
	(void)state;
	host h = fixture_host("backup-recent", TEST_NOW);
	fact_set *fs = run_probe(&probe_backup, &h);

	want_bool(fs, "backup.evidence_found", true);
	const fact *f = want_fact(fs, "backup.last_success", FACT_KNOWN);
	assert_int_equal(f->v.i, TEST_NOW - 22 * 3600);
	want_evidence_has(fs, "backup.last_success", "2026-11-25_02-00-01");
	want_list(fs, "backup.sources", "deja-dup,timeshift:/timeshift/snapshots");
	fact_set_free(fs);
}

static void test_old(void **state)
{
	(void)state;
	host h = fixture_host("backup-old", TEST_NOW);
	set_mtime(&h, "/srv/rsnap/daily.0", TEST_NOW - 20 * 86400);
	set_mtime(&h, "/srv/rsnap/weekly.0", TEST_NOW - 30 * 86400);
	fact_set *fs = run_probe(&probe_backup, &h);

	want_bool(fs, "backup.evidence_found", true);
	const fact *f = want_fact(fs, "backup.last_success", FACT_KNOWN);
	assert_int_equal(f->v.i, TEST_NOW - 20 * 86400);
	want_evidence_has(fs, "backup.last_success", "/srv/rsnap/daily.0");
	want_list(fs, "backup.sources", "borg:/srv/borg-repo,rsnapshot:/srv/rsnap");
	fact_set_free(fs);
}

static void test_none(void **state)
{
	(void)state;
	host h = fixture_host("backup-none", TEST_NOW);
	fact_set *fs = run_probe(&probe_backup, &h);

	want_bool(fs, "backup.evidence_found", false);
	want_evidence_has(fs, "backup.evidence_found", "Timeshift configured");
	want_fact(fs, "backup.last_success", FACT_UNKNOWN);
	want_list(fs, "backup.sources", "");
	fact_set_free(fs);
}

static void test_site(void **state)
{
	(void)state;
	host h = fixture_host("backup-site", TEST_NOW);
	char *restic[] = {"/srv/restic"}, *borg[] = {"/srv/borg"};
	backup_evidence ev[] = {
		{.kind = BACKUP_EV_DIR, .path = "/mnt/nas/pc-042", .name = "NAS copy"},
		{.kind = BACKUP_EV_GLOB, .path = "/srv/dumps/db-*.sql.gz"},
		{.kind = BACKUP_EV_FILE, .path = "/var/backups/nightly.ok"},
		{.kind = BACKUP_EV_FILE, .path = "/var/backups/missing.ok"},
	};
	config cfg = {0};
	cfg.backup.restic = restic;
	cfg.backup.restic_count = 1;
	cfg.backup.borg = borg;
	cfg.backup.borg_count = 1;
	cfg.backup.evidence = ev;
	cfg.backup.evidence_count = 4;
	set_mtime(&h, "/srv/restic/snapshots/"
		      "4f2a9c0de1b2c3d4e5f60718293a4b5c6d7e8f9011223344556677889900aabb",
		  TEST_NOW - 3 * 86400);
	set_mtime(&h, "/srv/borg/index.12", TEST_NOW - 4 * 86400);
	set_mtime(&h, "/srv/borg/integrity.12", TEST_NOW - 4 * 86400);
	set_mtime(&h, "/mnt/nas/pc-042/2026-11-24.tar", TEST_NOW - 2 * 86400);
	set_mtime(&h, "/srv/dumps/db-2026-11-25.sql.gz", TEST_NOW - 3600);
	set_mtime(&h, "/srv/dumps/db-2026-11-18.sql.gz", TEST_NOW - 8 * 86400);
	set_mtime(&h, "/var/backups/nightly.ok", TEST_NOW - 5 * 86400);

	fact_set *fs = fact_set_new();
	assert_int_equal(probe_backup.run(&h, &cfg, fs), 0);
	want_bool(fs, "backup.evidence_found", true);
	const fact *f = want_fact(fs, "backup.last_success", FACT_KNOWN);
	assert_int_equal(f->v.i, TEST_NOW - 3600);
	want_evidence_has(fs, "backup.last_success", "db-2026-11-25.sql.gz");
	want_evidence_has(fs, "backup.last_success", "missing.ok");
	want_list(fs, "backup.sources",
		  "borg:/srv/borg,restic:/srv/restic,site:/srv/dumps/db-*.sql.gz,site:/var/backups/"
		  "nightly.ok,site:NAS copy");
	fact_set_free(fs);
}

/* Issue 10: restic and borg keep their backup times encrypted; a fresh
 * file mtime (a copied repository) must not pass for a fresh backup. */
static void test_untimed_tools(void **state)
{
	(void)state;
	host h = fixture_host("backup-restic", TEST_NOW);
	char *restic[] = {"/srv/restic"};
	config cfg = {0};
	cfg.backup.restic = restic;
	cfg.backup.restic_count = 1;
	set_mtime(&h, "/srv/restic/snapshots/"
		      "9c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091",
		  TEST_NOW - 3600);
	fact_set *fs = fact_set_new();
	assert_int_equal(probe_backup.run(&h, &cfg, fs), 0);
	want_bool(fs, "backup.evidence_found", true);
	want_fact(fs, "backup.last_success", FACT_UNKNOWN);
	want_evidence_has(fs, "backup.last_success", "1 snapshot(s), whose times are encrypted");
	want_list(fs, "backup.sources", "restic:/srv/restic");
	fact_set_free(fs);

	h = fixture_host("backup-borg-client", TEST_NOW);
	fs = run_probe(&probe_backup, &h);
	want_bool(fs, "backup.evidence_found", true);
	want_fact(fs, "backup.last_success", FACT_UNKNOWN);
	want_evidence_has(fs, "backup.last_success", "prune and delete change it too");
	want_list(fs, "backup.sources", "borg:ssh://backup@nas/./pc-042");
	fact_set_free(fs);
}

/* A policy for a mixed fleet may name Windows paths; on Linux they are not
 * read, and with no other backup found the result is unknown, never false
 * (the file is not missing: it is on another kind of PC) nor a pass. */
static void test_windows_path(void **state)
{
	(void)state;
	host h = fixture_host("backup-site", TEST_NOW);
	backup_evidence ev[] = {
		{.kind = BACKUP_EV_FILE, .path = "C:\\Backup\\last.log"},
		{.kind = BACKUP_EV_GLOB, .path = "\\\\nas\\backup\\pc-*.log", .name = "NAS"},
	};
	config cfg = {0};
	cfg.backup.evidence = ev;
	cfg.backup.evidence_count = 2;

	fact_set *fs = fact_set_new();
	assert_int_equal(probe_backup.run(&h, &cfg, fs), 0);
	want_fact(fs, "backup.evidence_found", FACT_UNKNOWN);
	want_fact(fs, "backup.last_success", FACT_UNKNOWN);
	want_evidence_has(fs, "backup.evidence_found",
			  "'C:\\Backup\\last.log' is a Windows path; this PC runs Linux");
	want_evidence_has(fs, "backup.last_success", "site evidence NAS: '\\\\nas");
	want_list(fs, "backup.sources", "");
	fact_set_free(fs);

	/* Beside a backup this PC does have, the foreign path is only noted. */
	backup_evidence both[] = {
		ev[0],
		{.kind = BACKUP_EV_FILE, .path = "/var/backups/nightly.ok"},
	};
	cfg.backup.evidence = both;
	set_mtime(&h, "/var/backups/nightly.ok", TEST_NOW - 86400);
	fs = fact_set_new();
	assert_int_equal(probe_backup.run(&h, &cfg, fs), 0);
	want_bool(fs, "backup.evidence_found", true);
	const fact *f = want_fact(fs, "backup.last_success", FACT_KNOWN);
	assert_int_equal(f->v.i, TEST_NOW - 86400);
	want_evidence_has(fs, "backup.last_success", "is a Windows path");
	fact_set_free(fs);
}

static void test_config_section(void **state)
{
	(void)state;
	config cfg;
	diag d;
	const char *p = write_temp_file(
		"c.yaml", "schema: hostaudit/config/v1\n"
			  "backup:\n  evidence:\n    - {dir: /mnt/nas/pc-042, name: NAS}\n"
			  "    - {glob: \"/srv/dumps/db-*.gz\"}\n  restic: [/srv/restic]\n"
			  "antivirus:\n  products: [/etc/hostaudit/av.yaml]\n");
	if (config_load(&cfg, p, false, &d))
		fail_msg("%s", d.msg);
	assert_int_equal(cfg.backup.evidence_count, 2);
	assert_int_equal(cfg.backup.evidence[0].kind, BACKUP_EV_DIR);
	assert_string_equal(cfg.backup.evidence[0].name, "NAS");
	assert_int_equal(cfg.backup.evidence[1].kind, BACKUP_EV_GLOB);
	assert_int_equal(cfg.backup.restic_count, 1);
	assert_int_equal(cfg.antivirus.product_file_count, 1);
	config_free(&cfg);

	p = write_temp_file("bad.yaml", "schema: hostaudit/config/v1\n"
					"backup:\n  evidence:\n    - {dir: relative/path}\n");
	assert_int_equal(config_load(&cfg, p, false, &d), -1);
	assert_non_null(strstr(d.msg, "not an absolute path"));
	assert_non_null(strstr(d.msg, ":4:"));
	p = write_temp_file("bad2.yaml", "schema: hostaudit/config/v1\n"
					 "backup:\n  evidence:\n    - {file: /a, dir: /b}\n");
	assert_int_equal(config_load(&cfg, p, false, &d), -1);
	assert_non_null(strstr(d.msg, "exactly one"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recent), cmocka_unit_test(test_old),
		cmocka_unit_test(test_none),   cmocka_unit_test(test_site),
		cmocka_unit_test(test_config_section),
		cmocka_unit_test(test_windows_path),
		cmocka_unit_test(test_untimed_tools),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
