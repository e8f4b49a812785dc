/* SPDX-License-Identifier: Apache-2.0 */
/* The audit's time budgets (agent/core/probes.c, host_budget_set): a probe
 * that reads past its budget is stopped by the readers and all its facts
 * are errors "deadline", also those it recorded before; probes the audit
 * has no time left for do not run; host_run gives a program no more than
 * what is left. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probetest.h"

#include "hostaudit/platform.h"
#include "hostaudit/probe.h"
#include "zreader.h"

static int reads_before_timeout;

/* Reads the same file again and again, as a probe over an endless input
 * would, after recording a fact that must not survive. */
static int slow_run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	fact_set_int(fs, "updates.pending_count", 0, "recorded before the end");
	char *data;
	int r;
	reads_before_timeout = 0;
	while ((r = host_read_file(h, "/var/lib/dpkg/status", 1 << 20, &data, NULL)) == 0) {
		free(data);
		reads_before_timeout++;
	}
	assert_int_equal(r, -ETIMEDOUT);
	return 0;
}

static bool later_ran;

static int later_run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)h;
	(void)cfg;
	later_ran = true;
	fact_set_bool(fs, "firewall.active", true, "must not run");
	return 0;
}

static const probe slow = {"slow", "updates.", slow_run};
static const probe later = {"later", "firewall.", later_run};

static void test_probe_past_budget(void **state)
{
	(void)state;
	host h = fixture_host("apt-uptodate", TEST_NOW);
	const probe *const list[] = {&slow, &later, NULL};
	fact_set *fs = fact_set_new();
	int64_t t0 = platform_monotonic_ms();
	probes_run_list(list, &h, NULL, fs, 200, 250);
	int64_t took = platform_monotonic_ms() - t0;

	assert_true(took < 2000);
	assert_true(reads_before_timeout > 0);
	const fact *f = want_fact(fs, "updates.pending_count", FACT_ERROR);
	assert_non_null(strstr(f->reason, "deadline: the slow probe ran out of its 200 ms"));
	want_fact(fs, "updates.pending", FACT_ERROR);
	/* 200 of the 250 ms are gone, the next probe gets the 50 left and
	 * records at once: it is not late. */
	assert_true(later_ran);
	want_bool(fs, "firewall.active", true);
	fact_set_free(fs);
}

static void test_no_time_left(void **state)
{
	(void)state;
	host h = fixture_host("apt-uptodate", TEST_NOW);
	const probe *const list[] = {&slow, &later, NULL};
	fact_set *fs = fact_set_new();
	later_ran = false;
	probes_run_list(list, &h, NULL, fs, 300, 300);

	assert_false(later_ran);
	const fact *f = want_fact(fs, "firewall.active", FACT_ERROR);
	assert_non_null(strstr(f->reason, "before the later probe could run"));
	fact_set_free(fs);
}

/* The zreader (every apt list and log) stops too. */
static void test_zreader_stops(void **state)
{
	(void)state;
	host h = fixture_host("apt-uptodate", TEST_NOW);
	zreader *z;
	assert_int_equal(zreader_open(&h, "/var/lib/dpkg/status", &z), 0);
	char buf[64];
	host_budget_set(platform_monotonic_ms() - 1);
	assert_int_equal(zreader_read(z, buf, sizeof buf), -ETIMEDOUT);
	host_budget_set(0);
	assert_true(zreader_read(z, buf, sizeof buf) > 0);
	zreader_close(z);
}

/* A program that would run 30 s is killed when the budget ends. */
static void test_host_run_clamped(void **state)
{
	(void)state;
	host h;
	host_init_live(&h);
	const char *const argv[] = {"/bin/sleep", "30", NULL};
	int status = 0;
	host_budget_set(platform_monotonic_ms() + 200);
	int64_t t0 = platform_monotonic_ms();
	assert_int_equal(host_run(&h, argv, 60000, 64, NULL, NULL, &status), 0);
	host_budget_set(0);
	assert_int_equal(status, -1);
	assert_true(platform_monotonic_ms() - t0 < 5000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_past_budget),
		cmocka_unit_test(test_no_time_left),
		cmocka_unit_test(test_zreader_stops),
		cmocka_unit_test(test_host_run_clamped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
