/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the agent's spool, backoff, start delay and upload: config. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostaudit/platform.h"
#include "hostaudit/spool.h"
#include "hostaudit/upload.h"
#include "../../agent/upload/upload_proxy.h"

static char dir[256];

/* A fresh private directory, on either system (also built for Windows
 * and run under wine: packaging/windows/test-wine.sh). */
static int setup(void **state)
{
	(void)state;
	unsigned char r[6];
	assert_int_equal(platform_random_bytes(r, sizeof r), 0);
#ifdef _WIN32
	const char *base = getenv("TEMP");
	snprintf(dir, sizeof dir, "%s\\hostaudit-upload-unit.%02x%02x%02x%02x%02x%02x",
		 base ? base : ".", r[0], r[1], r[2], r[3], r[4], r[5]);
#else
	snprintf(dir, sizeof dir, "/tmp/hostaudit-upload-unit.%02x%02x%02x%02x%02x%02x", r[0],
		 r[1], r[2], r[3], r[4], r[5]);
#endif
	char err[600];
	assert_int_equal(platform_mkdir_private(dir, err, sizeof err), 0);
	return 0;
}

static FILE *scratch_log(void)
{
	char p[400];
	snprintf(p, sizeof p, "%s/log.txt", dir);
	FILE *f = fopen(p, "w+");
	assert_non_null(f);
	return f;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static void id_of(int n, char id[37])
{
	snprintf(id, 37, "00000000-0000-4000-8000-%012d", n);
}

static void test_spool_order_bounds_and_modes(void **state)
{
	(void)state;
	char sd[300], err[300];
	snprintf(sd, sizeof sd, "%s/spool", dir);
	spool sp;
	FILE *log = scratch_log();
	assert_int_equal(spool_open(&sp, sd, 3, 0, log, err, sizeof err), 0);
	for (int i = 1; i <= 5; i++) {
		char id[37];
		id_of(i, id);
		assert_int_equal(spool_put(&sp, id, "{}", 2, err, sizeof err), 0);
	}
	assert_int_equal(spool_put(&sp, "../../etc/passwd", "{}", 2, err, sizeof err), -1);
	spool_entry *es;
	size_t n;
	assert_int_equal(spool_list(&sp, &es, &n, err, sizeof err), 0);
	assert_int_equal(n, 3); /* bounded: 1 and 2 dropped, oldest first */
	char id[37];
	for (int i = 0; i < 3; i++) {
		id_of(i + 3, id);
		assert_string_equal(es[i].report_id, id);
	}
	char p[700];
	struct stat st;
	snprintf(p, sizeof p, "%s/%s", sd, es[0].name);
	assert_int_equal(stat(p, &st), 0);
#ifndef _WIN32
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(sd, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
#endif
	/* private on every system: the secret-file check accepts it (mode
	 * 0600; on Windows a DACL of SYSTEM, Administrators, the owner) */
	char *data;
	size_t len;
	assert_int_equal(platform_read_secret_file(p, 100, &data, &len, err, sizeof err), 0);
	assert_string_equal(data, "{}");
	free(data);
	/* the same report again is not spooled twice */
	id_of(5, id);
	assert_int_equal(spool_put(&sp, id, "{}", 2, err, sizeof err), 0);
	spool_entry *again;
	size_t n2;
	assert_int_equal(spool_list(&sp, &again, &n2, err, sizeof err), 0);
	assert_int_equal(n2, 3);
	free(again);
	/* the drops were logged, one line each */
	char line[300];
	rewind(log);
	int lines = 0;
	while (fgets(line, sizeof line, log))
		lines += strstr(line, "dropped the oldest report") != NULL;
	assert_int_equal(lines, 2);
	assert_int_equal(spool_quarantine(&sp, &es[0], "HTTP 400", err, sizeof err), 0);
	snprintf(p, sizeof p, "%s/quarantine/%s.reason", sd, es[0].name);
	assert_int_equal(stat(p, &st), 0);
	snprintf(p, sizeof p, "%s/quarantine/%s", sd, es[0].name);
	assert_true(exists(p));
	snprintf(p, sizeof p, "%s/%s", sd, es[0].name);
	assert_false(exists(p));
	assert_int_equal(spool_read(&sp, &es[1], &data, &len, err, sizeof err), 0);
	assert_int_equal(len, 2);
	free(data);
	assert_int_equal(spool_remove(&sp, &es[1], err, sizeof err), 0);
	assert_int_equal(spool_remove(&sp, &es[1], err, sizeof err), 0); /* gone is fine */
	free(es);
	assert_int_equal(spool_list(&sp, &es, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	id_of(5, id);
	assert_string_equal(es[0].report_id, id);
	free(es);
	spool_close(&sp);
	fclose(log);
}

static void test_backoff_full_jitter(void **state)
{
	(void)state;
	assert_int_equal(upload_backoff_ms(0, 1000, 60000, 0), 0);
	assert_int_equal(upload_backoff_ms(0, 1000, 60000, 1000), 1000);
	assert_int_equal(upload_backoff_ms(0, 1000, 60000, 1001), 0);
	assert_int_equal(upload_backoff_ms(3, 1000, 60000, 8000), 8000);
	assert_int_equal(upload_backoff_ms(30, 1000, 60000, 60000), 60000); /* capped */
	for (uint32_t r = 0; r < 100000; r += 7)
		assert_true(upload_backoff_ms(2, 1000, 60000, r) <= 4000);
}

static long slept;
static void fake_sleep(void *ctx, long ms) { (void)ctx; slept += ms; }
static uint32_t fixed_random(void *ctx) { return *(uint32_t *)ctx; }

static void test_start_delay_without_sleeping(void **state)
{
	(void)state;
	upload_config uc;
	upload_config_init(&uc);
	uint32_t r = 123456789;
	upload_hooks h = {.sleep_ms = fake_sleep, .random = fixed_random, .ctx = &r,
			  .log = scratch_log()};
	uc.start_delay_max_s = 600;
	slept = 0;
	upload_start_delay(&uc, &h);
	assert_int_equal(slept, 123456789 % 600001);
	uc.start_delay_max_s = 0;
	slept = 0;
	upload_start_delay(&uc, &h);
	assert_int_equal(slept, 0);
	assert_true(upload_start_delay_ms(10, UINT32_MAX) <= 10000);
	fclose(h.log);
}

static int parse(const char *yaml, upload_config *uc, diag *d)
{
	char p[300];
	snprintf(p, sizeof p, "%s/c.yaml", dir);
	FILE *f = fopen(p, "w");
	fputs(yaml, f);
	fclose(f);
	yamlfile yf;
	upload_config_init(uc);
	if (yamlfile_load(&yf, p, false, d) != 0)
		return -1;
	int rc = upload_config_parse_into(&yf, yaml_get(&yf, yamlfile_root(&yf), "upload"), uc, d);
	yamlfile_free(&yf);
	return rc;
}

static void test_config_section(void **state)
{
	(void)state;
	upload_config uc;
	diag d;
	assert_int_equal(parse("upload:\n  url: https://c.example:8443/v1/reports\n"
			       "  ca_file: /etc/hostaudit/ca.pem\n  token_file: /etc/hostaudit/token\n"
			       "  deadline_s: 120\n  start_delay_max_s: 900\n  enabled: true\n",
			       &uc, &d), 0);
	assert_true(uc.enabled);
	assert_string_equal(uc.url, "https://c.example:8443/v1/reports");
	assert_int_equal(uc.deadline_s, 120);
	assert_int_equal(uc.start_delay_max_s, 900);
	upload_config_free(&uc);
	assert_int_equal(parse("upload: true\n", &uc, &d), 0);
	assert_true(uc.enabled);
	assert_int_equal(parse("upload:\n  url: http://c.example/\n", &uc, &d), -1);
	assert_non_null(strstr(d.msg, "https://"));
	upload_config_free(&uc);
	assert_int_equal(parse("upload:\n  deadline: 5\n", &uc, &d), -1);
	assert_non_null(strstr(d.msg, "c.yaml:2:3:")); /* names file:line:column */
	assert_non_null(strstr(d.msg, "deadline"));
	upload_config_free(&uc);
	assert_int_equal(parse("upload:\n  verify: false\n", &uc, &d), -1); /* no such switch */
	upload_config_free(&uc);
}

/* The bytes cap drops the oldest; the lock is taken again after a close
 * and the order survives it. */
static void test_spool_bytes_bound(void **state)
{
	(void)state;
	char sd[300], err[600], id[37];
	snprintf(sd, sizeof sd, "%s/spool-b", dir);
	spool sp;
	FILE *log = scratch_log();
	assert_int_equal(spool_open(&sp, sd, 0, 10, log, err, sizeof err), 0);
	id_of(1, id);
	assert_int_equal(spool_put(&sp, id, "12345678", 8, err, sizeof err), 0);
	id_of(2, id);
	assert_int_equal(spool_put(&sp, id, "12345678", 8, err, sizeof err), 0);
	spool_close(&sp);
	assert_int_equal(spool_open(&sp, sd, 0, 10, log, err, sizeof err), 0);
	spool_entry *es;
	size_t n;
	assert_int_equal(spool_list(&sp, &es, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(es[0].report_id, id);
	free(es);
	spool_close(&sp);
	fclose(log);
}

/* The WinHTTP proxy strings (pure code, on every system). */
static void test_winhttp_proxy_strings(void **state)
{
	(void)state;
	char *s;
	assert_string_equal(s = winhttp_proxy_for_https("proxy.corp:8080"), "proxy.corp:8080");
	free(s);
	assert_string_equal(s = winhttp_proxy_for_https("http=a:80;https=b:443"), "b:443");
	free(s);
	assert_string_equal(s = winhttp_proxy_for_https("ftp=f:21 http=a:80"), "a:80");
	free(s);
	assert_string_equal(s = winhttp_proxy_for_https("http=a:80;c:3128"), "c:3128");
	free(s);
	assert_null(winhttp_proxy_for_https("ftp=f:21"));
	assert_null(winhttp_proxy_for_https(""));
	assert_null(winhttp_proxy_for_https(NULL));
	assert_string_equal(s = winhttp_bypass_to_noproxy("<local>;*.corp.example;10.1.2.3"),
			    "corp.example,10.1.2.3");
	free(s);
	assert_string_equal(s = winhttp_bypass_to_noproxy("host1 *.b.example"), "host1,b.example");
	free(s);
	assert_null(winhttp_bypass_to_noproxy("<local>;192.168.*"));
	assert_null(winhttp_bypass_to_noproxy(NULL));
	/* the config's proxy wins over everything */
	upload_proxy px;
	upload_proxy_choose("http://p.example:3128", &px);
	assert_string_equal(px.proxy, "http://p.example:3128");
	assert_null(px.noproxy);
	upload_proxy_free(&px);
}

/* A spool that cannot be made: a clear error naming the path, no crash. */
static void test_spool_cannot_be_created(void **state)
{
	(void)state;
	char sd[300], file[300], err[600];
	spool sp;
	snprintf(sd, sizeof sd, "%s/no-such-parent/spool", dir);
	assert_int_equal(spool_open(&sp, sd, 0, 0, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot create"));
	assert_non_null(strstr(err, "no-such-parent"));
	spool_close(&sp);
	/* a file where the directory should be */
	snprintf(file, sizeof file, "%s/a-file", dir);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(spool_open(&sp, file, 0, 0, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "a-file"));
	spool_close(&sp);
	assert_int_equal(spool_open(&sp, "", 0, 0, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "no spool_dir"));
	spool_close(&sp);
}

/* Uploading with the token file missing: the error names token_file and
 * the report stays in the spool for the next flush. */
static void test_missing_token_keeps_report(void **state)
{
	(void)state;
	upload_config uc;
	upload_config_init(&uc);
	char sd[300], tok[300];
	snprintf(sd, sizeof sd, "%s/spool-t", dir);
	snprintf(tok, sizeof tok, "%s/no-token", dir);
	uc.url = strdup("https://127.0.0.1:1/v1/reports");
	uc.spool_dir = strdup(sd);
	uc.token_file = strdup(tok);
	char id[37];
	id_of(7, id);
	upload_status st;
	FILE *log = scratch_log();
	upload_hooks h = {.log = log};
	assert_int_equal(upload_report(&uc, id, "{}", 2, &st, &h), -1);
	assert_non_null(strstr(st.message, "token_file"));
	assert_non_null(strstr(st.message, "no-token"));
	spool sp;
	char err[600];
	assert_int_equal(spool_open(&sp, sd, 0, 0, NULL, err, sizeof err), 0);
	spool_entry *es;
	size_t n;
	assert_int_equal(spool_list(&sp, &es, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(es[0].report_id, id);
	free(es);
	spool_close(&sp);
	/* a flush without a url is refused before anything is touched */
	free(uc.url);
	uc.url = NULL;
	assert_int_equal(upload_flush(&uc, &st, &h), -1);
	assert_non_null(strstr(st.message, "no url"));
	upload_config_free(&uc);
	fclose(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_spool_order_bounds_and_modes, setup),
		cmocka_unit_test_setup(test_spool_bytes_bound, setup),
		cmocka_unit_test_setup(test_spool_cannot_be_created, setup),
		cmocka_unit_test_setup(test_missing_token_keeps_report, setup),
		cmocka_unit_test(test_winhttp_proxy_strings),
		cmocka_unit_test(test_backoff_full_jitter),
		cmocka_unit_test_setup(test_start_delay_without_sleeping, setup),
		cmocka_unit_test_setup(test_config_section, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
