/* SPDX-License-Identifier: Apache-2.0 */
/* The antivirus probe over fixture roots: ClamAV fresh / stale / absent,
 * and a product a site describes in its own file. */
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>

#include "probetest.h"

#include "hostaudit/config.h"
#include "hostaudit/probe.h"

#include "avproducts.h"

extern const probe probe_antivirus;

static void test_clamav_fresh(void **state)
{
	(void)state;
	host h = fixture_host("av-fresh", TEST_NOW);
	fact_set *fs = run_probe(&probe_antivirus, &h);

	want_list(fs, "antivirus.products", "ClamAV");
	want_bool(fs, "antivirus.active", true);
	want_evidence_has(fs, "antivirus.active", "clamd");
	/* daily.cld (seconds field) is newer than daily.cvd. */
	const fact *f = want_fact(fs, "antivirus.signatures_updated", FACT_KNOWN);
	assert_int_equal(f->v.i, TEST_NOW - 6 * 3600);
	want_evidence_has(fs, "antivirus.signatures_updated", "daily.cld (version 27830)");
	want_bool(fs, "antivirus.updater_active", true);
	want_evidence_has(fs, "antivirus.updater_active", "freshclam");
	fact_set_free(fs);
}

static void test_clamav_stale(void **state)
{
	(void)state;
	host h = fixture_host("av-stale", TEST_NOW);
	fact_set *fs = run_probe(&probe_antivirus, &h);

	want_list(fs, "antivirus.products", "ClamAV");
	want_bool(fs, "antivirus.active", false);
	/* "01 Nov 2026 09-00 +0900" = 2026-11-01T00:00:00Z = now - 25 days. */
	const fact *f = want_fact(fs, "antivirus.signatures_updated", FACT_KNOWN);
	assert_int_equal(f->v.i, TEST_NOW - 25 * 86400);
	want_bool(fs, "antivirus.updater_active", true);
	want_evidence_has(fs, "antivirus.updater_active", "clamav-freshclam.service enabled");
	fact_set_free(fs);
}

static void test_none(void **state)
{
	(void)state;
	host h = fixture_host("av-none", TEST_NOW);
	fact_set *fs = run_probe(&probe_antivirus, &h);

	want_list(fs, "antivirus.products", "");
	want_bool(fs, "antivirus.active", false);
	want_fact(fs, "antivirus.signatures_updated", FACT_NOT_APPLICABLE);
	want_fact(fs, "antivirus.updater_active", FACT_NOT_APPLICABLE);
	fact_set_free(fs);
}

/* Issue 10: apt remove (not purge) leaves the .list files, the status
 * stanza ("deinstall ok config-files"), a .wants link and a mask. */
static void test_clamav_removed(void **state)
{
	(void)state;
	host h = fixture_host("av-removed", TEST_NOW);
	fact_set *fs = run_probe(&probe_antivirus, &h);

	want_list(fs, "antivirus.products", "");
	want_evidence_has(fs, "antivirus.products", "/var/lib/dpkg/status");
	want_fact(fs, "antivirus.updater_active", FACT_NOT_APPLICABLE);
	fact_set_free(fs);
	h = fixture_host("av-halfinstalled", TEST_NOW);
	fs = run_probe(&probe_antivirus, &h);
	want_list(fs, "antivirus.products", "");
	fact_set_free(fs);
}

/* On rpm systems the rpm database says what is installed. */
static void test_rpm_installed(void **state)
{
	(void)state;
	host h = fixture_host("av-rpm", TEST_NOW);
	fact_set *fs = run_probe(&probe_antivirus, &h);

	want_list(fs, "antivirus.products", "ClamAV");
	want_evidence_has(fs, "antivirus.products", "package clamd 1.0.7-1.el9 installed "
						    "(/var/lib/rpm/rpmdb.sqlite)");
	fact_set_free(fs);
}

/* A masked freshclam does not update, whatever .wants links remain. */
static void test_updater_masked(void **state)
{
	(void)state;
	host h = fixture_host("av-updater-masked", TEST_NOW);
	fact_set *fs = run_probe(&probe_antivirus, &h);

	want_list(fs, "antivirus.products", "ClamAV");
	want_evidence_has(fs, "antivirus.products", "package clamav 1.0.7+dfsg-1~deb12u1 installed "
						      "(/var/lib/dpkg/status)");
	want_bool(fs, "antivirus.updater_active", false);
	want_evidence_has(fs, "antivirus.updater_active",
			  "/etc/systemd/system/clamav-freshclam.service is masked");
	fact_set_free(fs);
}

/* No database at all is known, and as old as can be. */
static void test_no_database(void **state)
{
	(void)state;
	host h = fixture_host("av-nodb", TEST_NOW);
	fact_set *fs = run_probe(&probe_antivirus, &h);

	want_list(fs, "antivirus.products", "ClamAV");
	const fact *f = want_fact(fs, "antivirus.signatures_updated", FACT_KNOWN);
	assert_int_equal(f->v.i, 0);
	want_evidence_has(fs, "antivirus.signatures_updated",
			  "no signature database in /var/lib/clamav");
	fact_set_free(fs);
}

static void test_site_product(void **state)
{
	(void)state;
	host h = fixture_host("av-site", TEST_NOW);
	char path[1024];
	char *files[] = {path};
	config cfg = {0};

	snprintf(path, sizeof path, "%s/products.yaml", h.root);
	cfg.antivirus.product_files = files;
	cfg.antivirus.product_file_count = 1;
	cfg.antivirus.no_builtin = true;
	set_mtime(&h, "/opt/acme/defs/main-20261125.def", TEST_NOW - 86400);
	set_mtime(&h, "/opt/acme/defs/main-20261101.def", TEST_NOW - 25 * 86400);
	fact_set *fs = fact_set_new();
	assert_int_equal(probe_antivirus.run(&h, &cfg, fs), 0);

	want_list(fs, "antivirus.products", "ACME Endpoint");
	want_bool(fs, "antivirus.active", true);
	const fact *f = want_fact(fs, "antivirus.signatures_updated", FACT_KNOWN);
	assert_int_equal(f->v.i, TEST_NOW - 86400);
	want_evidence_has(fs, "antivirus.signatures_updated", "main-20261125.def");
	want_bool(fs, "antivirus.updater_active", false);
	fact_set_free(fs);
}

static void test_bad_product_file(void **state)
{
	(void)state;
	av_products ps = {0};
	diag d;
	const char *p = write_temp_file("av.yaml", "schema: hostaudit/antivirus-products/v1\n"
						   "products:\n  - id: x\n    name: X\n"
						   "    proceses: [x]\n");
	assert_int_equal(av_products_load(&ps, p, false, &d), -1);
	assert_non_null(strstr(d.msg, "proceses"));
	av_products_free(&ps);
}

static void test_builtin_file_loads(void **state)
{
	(void)state;
	av_products ps = {0};
	diag d;
	if (av_products_load(&ps, HOSTAUDIT_SOURCE_DIR "/data/antivirus-products.yaml", false, &d))
		fail_msg("%s", d.msg);
	assert_true(ps.n >= 5);
	assert_string_equal(ps.p[0].id, "clamav");
	av_products_free(&ps);
}

static void test_header(void **state)
{
	(void)state;
	int64_t t;
	long v;
	const char *h = "ClamAV-VDB:26 Nov 2026 06-12 +0000:27831:2070000:90:md5:sig:b";
	assert_int_equal(clamav_header_parse(h, strlen(h), &t, &v), 0);
	assert_int_equal(t, TEST_NOW + 6 * 3600 + 12 * 60);
	assert_int_equal(v, 27831);
	assert_int_equal(clamav_header_parse("PK\3\4", 4, &t, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clamav_fresh),     cmocka_unit_test(test_clamav_stale),
		cmocka_unit_test(test_none),             cmocka_unit_test(test_site_product),
		cmocka_unit_test(test_clamav_removed),   cmocka_unit_test(test_updater_masked),
		cmocka_unit_test(test_no_database),      cmocka_unit_test(test_rpm_installed),
		cmocka_unit_test(test_bad_product_file), cmocka_unit_test(test_builtin_file_loads),
		cmocka_unit_test(test_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
