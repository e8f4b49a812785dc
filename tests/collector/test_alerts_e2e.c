/* SPDX-License-Identifier: Apache-2.0 */
/* Alerts end to end (collector/alerts/, docs/collector.md "Alerts"): the
 * real collector over HTTPS on 127.0.0.1, crafted valid reports uploaded
 * with real tokens, a real webhook receiver that checks the HMAC
 * (alert_webhook.py) and a real SMTP sink with STARTTLS and AUTH required
 * (alert_smtp.py, aiosmtpd), both with the test PKI.
 *   test_alerts_e2e COLLECTOR PKI WORK SOURCE_DIR
 * Runs on SQLite, and on PostgreSQL under run_pg.sh (collector_alerts_pg).
 * Every wait is bounded; every process started is stopped. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "e2e_common.h"
#include "e2e_http.h"
#include "testdb.h"

static char database[4200];
static pid_t procs[8]; /* everything started, stopped in teardown */

static char *pkipath(const char *name)
{
	static char bufs[8][4200];
	static int i;
	char *b = bufs[i++ % 8];
	snprintf(b, 4200, "%s/%s", pki, name);
	return b;
}

static char *slurp(const char *p)
{
	FILE *f = fopen(p, "r");
	if (!f)
		return strdup("");
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	return buf;
}

/* How often needle occurs in file p. */
static int count_in(const char *p, const char *needle)
{
	char *t = slurp(p);
	int n = 0;
	for (char *at = t; (at = strstr(at, needle)); at += strlen(needle))
		n++;
	free(t);
	return n;
}

static void remember(pid_t pid)
{
	for (int i = 0; i < 8; i++)
		if (!procs[i]) {
			procs[i] = pid;
			return;
		}
	fail_msg("too many processes");
}

static void stop_pid(pid_t *pid)
{
	if (*pid <= 0)
		return;
	for (int i = 0; i < 8; i++)
		if (procs[i] == *pid)
			procs[i] = 0;
	kill(*pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(*pid, NULL, WNOHANG) == *pid) {
			*pid = 0;
			return;
		}
		sleep_ms(50);
	}
	kill(*pid, SIGKILL);
	waitpid(*pid, NULL, 0);
	*pid = 0;
}

static int setup(void **state)
{
	(void)state;
	new_test_dir("a", database, sizeof database);
	write_file(path("hook.secret"), "s3cret-for-the-hook\n", 0600);
	write_file(path("smtp.cred"), "alerts\npw-of-alerts\n", 0600);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < 8; i++)
		if (procs[i]) {
			pid_t p = procs[i];
			stop_pid(&p);
		}
	return 0;
}

/* Starts argv with stderr to log; waits for port_file (when given) and
 * returns the port in it. */
static int spawn(const char *const argv[], const char *log, const char *port_file, pid_t *pid)
{
	if (port_file)
		unlink(port_file);
	*pid = fork();
	assert_true(*pid >= 0);
	if (*pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0 && !getenv("E2E_VERBOSE"))
			dup2(fd, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	remember(*pid);
	int port = 0;
	for (int i = 0; port_file && i < 200 && !port; i++) {
		FILE *f = fopen(port_file, "r");
		if (f) {
			if (fscanf(f, "%d", &port) != 1)
				port = 0;
			fclose(f);
		}
		if (!port)
			sleep_ms(50);
	}
	if (port_file)
		assert_true(port > 0);
	return port;
}

static char py_hook[4200], py_smtp[4200];

/* A webhook receiver logging to dir/NAME.log (port 0: any). */
static int start_webhook_as(const char *name, int port, pid_t *pid)
{
	char p[16], log[64], pf[64], errlog[64];
	snprintf(p, sizeof p, "%d", port);
	snprintf(log, sizeof log, "%s.log", name);
	snprintf(pf, sizeof pf, "%s.port", name);
	snprintf(errlog, sizeof errlog, "%s.stderr", name);
	const char *argv[] = {"/usr/bin/python3", py_hook, pkipath("server.pem"),
			      pkipath("server-key.pem"), path("hook.secret"), path(log),
			      path(pf), p, NULL};
	return spawn(argv, path(errlog), path(pf), pid);
}

static int start_webhook(int port, pid_t *pid)
{
	return start_webhook_as("hook", port, pid);
}

static int start_smtp(pid_t *pid)
{
	const char *argv[] = {"/usr/bin/python3", py_smtp, pkipath("server.pem"),
			      pkipath("server-key.pem"), "alerts", "pw-of-alerts",
			      path("mail.log"), path("smtp.port"), NULL};
	return spawn(argv, path("smtp.stderr"), path("smtp.port"), pid);
}

/* collector.yaml with an alerts: section of its own (alerts_extra goes
 * into it; hook_port/smtp_port 0 leave that receiver out). */
static void write_config(const char *name, int hook_port, int smtp_port, const char *alerts_extra,
			 const char *mail_extra)
{
	char cfg[16384];
	int n = snprintf(cfg, sizeof cfg,
			 "listen: 127.0.0.1:0\ntls_cert: %s\ntls_key: %s\ndatabase: %s\n"
			 "threads: 2\nstale_days: 7\nalerts:\n  scan_interval_s: 1\n"
			 "  check_interval_s: 1\n  retry_initial_s: 1\n  retry_max_s: 2\n%s",
			 pkipath("server.pem"), pkipath("server-key.pem"), database,
			 alerts_extra ? alerts_extra : "");
	if (smtp_port)
		n += snprintf(cfg + n, sizeof cfg - (size_t)n,
			      "  smtp:\n    url: smtp://127.0.0.1:%d\n    from: hostaudit@example.com\n"
			      "    credentials_file: %s\n    ca_file: %s\n",
			      smtp_port, path("smtp.cred"), pkipath("ca.pem"));
	if (hook_port)
		n += snprintf(cfg + n, sizeof cfg - (size_t)n,
			      "  webhooks:\n    - name: soc\n      url: https://127.0.0.1:%d/hook\n"
			      "      secret_file: %s\n      ca_file: %s\n",
			      hook_port, path("hook.secret"), pkipath("ca.pem"));
	if (smtp_port)
		snprintf(cfg + n, sizeof cfg - (size_t)n,
			 "  mail:\n    - name: it\n      to: [it@example.com, boss@example.com]\n%s",
			 mail_extra ? mail_extra : "");
	write_file(path(name), cfg, 0600);
}

static int start_collector(const char *cfg, const char *log, pid_t *pid)
{
	char pf[4300];
	snprintf(pf, sizeof pf, "%s.port", path(cfg));
	const char *argv[] = {collector_bin, "-c", path(cfg), "serve", "--port-file", pf, NULL};
	return spawn(argv, path(log), pf, pid);
}

/* Runs the collector with args (NULL-terminated); its exit status,
 * stdout+stderr in out. */
static int collector_args(const char *cfg, const char *const args[], char *out, size_t size)
{
	const char *argv[16] = {collector_bin, "-c", path(cfg)};
	for (int i = 0; args[i] && i < 12; i++)
		argv[3 + i] = args[i];
	const e2e_io io = {.capture = 3};
	int rc = e2e_run(argv, &io, out, size);
	if (getenv("E2E_VERBOSE"))
		fprintf(stderr, "%s", out);
	return rc;
}

static int collector(const char *cfg, const char *a1, const char *a2, const char *a3,
		     char *out, size_t size)
{
	const char *args[] = {a1, a2, a3, NULL};
	return collector_args(cfg, args, out, size);
}

/* A host of the organisation tenant (NULL: the default one). */
static void enroll_in(const char *tenant, const char *host, char token[80])
{
	char out[4096];
	const char *args[] = {"enroll", host, tenant ? "--tenant" : NULL, tenant, NULL};
	assert_int_equal(collector_args("collector.yaml", args, out, sizeof out), 0);
	/* the token is the one line of 64 hex characters */
	char *t = out;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
		if (strlen(line) == 64 && strspn(line, "0123456789abcdef") == 64)
			t = line;
	assert_int_equal(strlen(t), 64);
	memcpy(token, t, 65); /* 64 characters and the NUL, checked above */
}

static void enroll(const char *host, char token[80])
{
	enroll_in(NULL, host, token);
}

static void rfc3339(time_t t, char out[32])
{
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
}

static void day(time_t t, char out[16])
{
	strftime(out, 16, "%Y-%m-%d", gmtime(&t));
}

/* A valid report: three rules, crit (critical), high (high), med
 * (medium), each "pass" or "fail" as given; exceptions a JSON array. */
static char *report(int n, const char *claimed, time_t finished, const char *crit,
		    const char *high, const char *med, const char *exceptions)
{
	char id[40], fin[32];
	snprintf(id, sizeof id, "6f1c2e3a-0000-4000-8000-%012d", n);
	rfc3339(finished, fin);
	const char *st[3] = {crit, high, med};
	int fails = 0;
	for (int i = 0; i < 3; i++)
		fails += !strcmp(st[i], "fail");
	char *r;
	assert_true(asprintf(&r,
		"{\"schema\":\"hostaudit/report/v1\",\"report_id\":\"%s\","
		"\"agent\":{\"name\":\"hostaudit\",\"version\":\"0.1\"},"
		"\"host\":{\"hostname\":\"%s\",\"os\":\"linux\",\"os_release\":{\"id\":\"debian\","
		"\"version_id\":\"12\",\"pretty_name\":\"Debian 12\"},\"machine_id\":\"x\"},"
		"\"now\":\"%s\",\"started_at\":\"%s\",\"finished_at\":\"%s\",\"packs\":[],"
		"\"params\":{},\"exceptions\":%s,\"facts\":{},\"results\":["
		"{\"pack\":\"nisc-9\",\"id\":\"disk.crypt\",\"article\":1,\"severity\":\"critical\","
		"\"weight\":3,\"status\":\"%s\",\"title\":{\"en\":\"Disks are encrypted\","
		"\"ja\":\"ディスクが暗号化されている\"},\"remediation\":{\"en\":\"r\",\"ja\":\"r\"},"
		"\"facts\":[],\"attested\":false},"
		"{\"pack\":\"nisc-9\",\"id\":\"os.updates\",\"article\":1,\"severity\":\"high\","
		"\"weight\":3,\"status\":\"%s\",\"title\":{\"en\":\"Updates\",\"ja\":\"更新\"},"
		"\"remediation\":{\"en\":\"r\",\"ja\":\"r\"},\"facts\":[],\"attested\":false},"
		"{\"pack\":\"nisc-9\",\"id\":\"screen.lock\",\"article\":1,\"severity\":\"medium\","
		"\"weight\":1,\"status\":\"%s\",\"title\":{\"en\":\"Screen lock\",\"ja\":\"画面ロック\"},"
		"\"remediation\":{\"en\":\"r\",\"ja\":\"r\"},\"facts\":[],\"attested\":false}],"
		"\"scores\":{\"overall\":{\"score\":%d,\"pass\":%d,\"fail\":%d,\"unknown\":0,"
		"\"not_applicable\":0,\"error\":0,\"disabled\":0},\"packs\":[]}}",
		id, claimed, fin, fin, fin, exceptions ? exceptions : "[]", crit, high, med,
		100 * (3 - fails) / 3, 3 - fails, fails) > 0);
	return r;
}

/* Waits up to ms for `count_in(p, needle) >= want`; the count. */
static int wait_count(const char *p, const char *needle, int want, long ms)
{
	int n = 0;
	for (long t = 0; t <= ms; t += 100) {
		if ((n = count_in(p, needle)) >= want)
			return n;
		sleep_ms(100);
	}
	return n;
}

static long db_long(const char *sql)
{
	return testdb_int(database, sql, NULL);
}

/* Waits until every report stored has been scanned (the cursor is at the
 * newest), then two more scan rounds, so what was not sent by then is not
 * going to be. */
static void settle(void)
{
	for (int i = 0; i < 100; i++) {
		if (db_long("SELECT count(*) FROM reports WHERE id > (SELECT coalesce(max("
			    "last_report), 0) FROM alert_cursor)") == 0 &&
		    db_long("SELECT count(*) FROM alert_deliveries WHERE state = 'pending'") == 0)
			break;
		sleep_ms(100);
	}
	sleep_ms(2500);
}

#define OK_EVENT(kind) "\"ok\": true, \"key\": \"" kind

/* A critical rule newly failing: one webhook (HMAC right) and one mail
 * (STARTTLS, AUTH, in Japanese for this receiver); the same failure in the
 * next report: nothing; the medium rule's failure: nothing; the record. */
static void test_new_failure_once(void **state)
{
	(void)state;
	pid_t hook, smtp, col;
	int hp = start_webhook(0, &hook), sp = start_smtp(&smtp);
	write_config("collector.yaml", hp, sp, NULL, "      lang: ja\n");
	char token[80];
	enroll("pc-01", token);
	int port = start_collector("collector.yaml", "collector.log", &col);
	time_t now = time(NULL) - 60;
	char *r1 = report(1, "pc-01", now - 10, "pass", "pass", "pass", NULL);
	assert_int_equal(e2e_upload(port, token, r1), 201);
	free(r1);
	settle();
	assert_int_equal(count_in(path("hook.log"), "\"ok\": "), 0); /* all pass: nothing */
	char *r2 = report(2, "pc-01", now - 5, "fail", "pass", "fail", NULL);
	assert_int_equal(e2e_upload(port, token, r2), 201);
	free(r2);
	assert_int_equal(wait_count(path("hook.log"), OK_EVENT("rule_failed|pc-01|nisc-9:disk.crypt"),
				    1, 15000), 1);
	assert_int_equal(wait_count(path("mail.log"), "\"event\": \"rule_failed|pc-01|nisc-9:disk.crypt", 1,
				    15000), 1);
	char *r3 = report(3, "pc-01", now, "fail", "pass", "fail", NULL);
	assert_int_equal(e2e_upload(port, token, r3), 201);
	free(r3);
	settle();
	assert_int_equal(count_in(path("hook.log"), "\"ok\": "), 1);
	assert_int_equal(count_in(path("hook.log"), "\"ok\": false"), 0);
	assert_int_equal(count_in(path("mail.log"), "\"event\""), 1);
	assert_int_equal(count_in(path("hook.log"), "screen.lock"), 0);
	char *mail = slurp(path("mail.log"));
	assert_non_null(strstr(mail, "\"tls\": true"));
	assert_non_null(strstr(mail, "it@example.com"));
	assert_non_null(strstr(mail, "boss@example.com"));
	assert_non_null(strstr(mail, "ディスクが暗号化されている")); /* the rule's title in ja */
	assert_non_null(strstr(mail, "新たに")); /* the text in ja (po/ja.po) */
	free(mail);
	char *hooklog = slurp(path("hook.log"));
	assert_non_null(strstr(hooklog, "\"severity\": \"critical\""));
	assert_non_null(strstr(hooklog, "Disks are encrypted"));
	free(hooklog);
	char out[16384];
	assert_int_equal(collector("collector.yaml", "alerts", "list", NULL, out, sizeof out), 0);
	assert_non_null(strstr(out, "rule_failed  pc-01  nisc-9:disk.crypt"));
	assert_non_null(strstr(out, "webhook:soc: sent"));
	assert_non_null(strstr(out, "mail:it: sent"));
	assert_int_equal(db_long("SELECT count(*) FROM alert_attempts WHERE ok = 1"), 2);
	stop_pid(&col);
}

/* The webhook receiver down: attempts recorded and retried with backoff;
 * back up: delivered once. */
static void test_receiver_down_retried(void **state)
{
	(void)state;
	pid_t hook, col;
	int hp = start_webhook(0, &hook);
	stop_pid(&hook); /* its port is now closed */
	write_config("collector.yaml", hp, 0, NULL, NULL);
	char token[80];
	enroll("pc-01", token);
	int port = start_collector("collector.yaml", "collector.log", &col);
	char *r = report(1, "pc-01", time(NULL) - 30, "fail", "pass", "pass", NULL);
	assert_int_equal(e2e_upload(port, token, r), 201);
	free(r);
	for (int i = 0; i < 150 && db_long("SELECT count(*) FROM alert_attempts WHERE ok = 0") < 3;
	     i++)
		sleep_ms(100);
	assert_true(db_long("SELECT count(*) FROM alert_attempts WHERE ok = 0") >= 3);
	assert_int_equal(db_long("SELECT count(*) FROM alert_deliveries WHERE state = 'pending'"),
			 1);
	/* backoff: the third failure came at least 1 + 2 seconds after the first */
	assert_true(db_long("SELECT max(at) - min(at) FROM alert_attempts") >= 3);
	start_webhook(hp, &hook);
	assert_int_equal(wait_count(path("hook.log"), OK_EVENT("rule_failed"), 1, 15000), 1);
	settle();
	assert_int_equal(count_in(path("hook.log"), "\"ok\": "), 1);
	assert_int_equal(db_long("SELECT count(*) FROM alert_deliveries WHERE state = 'sent'"), 1);
	assert_int_equal(db_long("SELECT count(*) FROM alert_attempts WHERE ok = 1"), 1);
	char out[16384];
	assert_int_equal(collector("collector.yaml", "alerts", "list", NULL, out, sizeof out), 0);
	assert_non_null(strstr(out, "webhook:soc: sent"));
	stop_pid(&col);
}

/* Silent host, exceptions expiring and expired-but-claimed, a report under
 * another host's name: one event each, once. */
static void test_stale_exceptions_mismatch(void **state)
{
	(void)state;
	pid_t hook, col;
	int hp = start_webhook(0, &hook);
	write_config("collector.yaml", hp, 0, "  exception_warn_days: 14\n", NULL);
	char t1[80], t2[80], t3[80];
	enroll("pc-01", t1);
	enroll("pc-02", t2);
	enroll("pc-03", t3);
	int port = start_collector("collector.yaml", "collector.log", &col);
	time_t now = time(NULL) - 30;
	/* pc-02: last report 10 days ago (stale_days 7) */
	char *r = report(1, "pc-02", now - 10 * 86400, "pass", "pass", "pass", NULL);
	assert_int_equal(e2e_upload(port, t2, r), 201);
	free(r);
	/* pc-03: one exception ends in 5 days, one ended 3 days ago */
	char soon[16], past[16], exc[600];
	day(now + 5 * 86400, soon);
	day(now - 3 * 86400, past);
	snprintf(exc, sizeof exc,
		 "[{\"rule\":\"nisc-9:screen.lock\",\"reason\":\"kiosk\",\"approved_by\":\"Sato\","
		 "\"until\":\"%s\"},{\"rule\":\"nisc-9:os.updates\",\"reason\":\"lab\","
		 "\"approved_by\":\"Ito\",\"until\":\"%s\"}]",
		 soon, past);
	r = report(2, "pc-03", now, "pass", "pass", "pass", exc);
	assert_int_equal(e2e_upload(port, t3, r), 201);
	free(r);
	/* pc-01's token, pc-99's name */
	r = report(3, "pc-99", now, "pass", "pass", "pass", NULL);
	assert_int_equal(e2e_upload(port, t1, r), 201);
	free(r);
	assert_int_equal(wait_count(path("hook.log"), OK_EVENT("host_stale|pc-02|"), 1, 15000), 1);
	char key[200];
	snprintf(key, sizeof key, OK_EVENT("exception_expiring|pc-03|nisc-9:screen.lock|%s"), soon);
	assert_int_equal(wait_count(path("hook.log"), key, 1, 15000), 1);
	snprintf(key, sizeof key, OK_EVENT("exception_expired|pc-03|nisc-9:os.updates|%s"), past);
	assert_int_equal(wait_count(path("hook.log"), key, 1, 15000), 1);
	assert_int_equal(wait_count(path("hook.log"), OK_EVENT("host_mismatch|pc-01|pc-99"), 1,
				    15000), 1);
	settle(); /* the periodic check ran again every second: still once */
	assert_int_equal(count_in(path("hook.log"), "\"ok\": "), 4);
	assert_int_equal(count_in(path("hook.log"), OK_EVENT("host_stale")), 1);
	char *h = slurp(path("hook.log"));
	assert_non_null(strstr(h, "pc-01 reports under another name: pc-99"));
	free(h);
	stop_pid(&col);
}

/* bad.yaml: one webhook at url with the lines extra: refused (exit 2),
 * saying want. */
static void refused(const char *url, const char *extra, const char *want)
{
	char bad[8192], out[8192];
	snprintf(bad, sizeof bad,
		 "database: x.db\nalerts:\n  webhooks:\n    - name: soc\n"
		 "      url: %s\n      secret_file: %s\n%s",
		 url, path("hook.secret"), extra);
	write_file(path("bad.yaml"), bad, 0600);
	assert_int_equal(collector("bad.yaml", "alerts", "list", NULL, out, sizeof out), 2);
	assert_non_null(strstr(out, want));
}

/* A secret file others can read stops the start, naming the line; so do a
 * webhook that is not https://, an unknown event and an organisation that
 * cannot be one. */
static void test_bad_config_refused(void **state)
{
	(void)state;
	char out[8192];
	write_file(path("hook.secret"), "s3cret\n", 0644);
	write_config("collector.yaml", 4431, 0, NULL, NULL);
	pid_t col;
	const char *argv[] = {collector_bin, "-c", path("collector.yaml"), "serve", NULL};
	spawn(argv, path("serve.log"), NULL, &col);
	int st;
	assert_int_equal(waitpid(col, &st, 0), col);
	for (int i = 0; i < 8; i++)
		if (procs[i] == col)
			procs[i] = 0;
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 2);
	char *log = slurp(path("serve.log"));
	assert_non_null(strstr(log, "collector.yaml:"));
	assert_non_null(strstr(log, "chmod 600"));
	free(log);
	chmod(path("hook.secret"), 0600);
	assert_int_equal(collector("collector.yaml", "alerts", "list", NULL, out, sizeof out), 0);
	refused("http://127.0.0.1:1/hook", "", "bad.yaml:5:12: url: a webhook is https:// only");
	refused("https://127.0.0.1:1/hook", "      events: [rule_fail]\n",
		"bad.yaml:7:16: events: unknown event 'rule_fail'");
	refused("https://127.0.0.1:1/hook", "      organisation: a/b\n",
		"bad.yaml:7:21: organisation: 'a/b' is not an organisation");
}

/* Two collectors on one database: each event is sent once. */
static void test_two_collectors_send_once(void **state)
{
	(void)state;
	pid_t hook, smtp, c1, c2;
	int hp = start_webhook(0, &hook), sp = start_smtp(&smtp);
	write_config("collector.yaml", hp, sp, NULL, NULL);
	enum { HOSTS = 6 };
	char tok[HOSTS][80];
	for (int i = 0; i < HOSTS; i++) {
		char h[16];
		snprintf(h, sizeof h, "pc-%02d", i + 1);
		enroll(h, tok[i]);
	}
	int p1 = start_collector("collector.yaml", "c1.log", &c1);
	write_config("collector2.yaml", hp, sp, NULL, NULL);
	int p2 = start_collector("collector2.yaml", "c2.log", &c2);
	time_t now = time(NULL) - 30;
	for (int i = 0; i < HOSTS; i++) {
		char h[16];
		snprintf(h, sizeof h, "pc-%02d", i + 1);
		char *r = report(i + 1, h, now, "fail", "fail", "pass", NULL);
		assert_int_equal(e2e_upload(i % 2 ? p2 : p1, tok[i], r), 201);
		free(r);
	}
	/* two rules each: 2 * HOSTS events, to two receivers */
	assert_int_equal(wait_count(path("hook.log"), OK_EVENT("rule_failed"), 2 * HOSTS, 30000),
			 2 * HOSTS);
	assert_int_equal(wait_count(path("mail.log"), "\"event\": \"rule_failed", 2 * HOSTS,
				    30000), 2 * HOSTS);
	settle();
	assert_int_equal(count_in(path("hook.log"), "\"ok\": "), 2 * HOSTS);
	assert_int_equal(count_in(path("mail.log"), "\"event\""), 2 * HOSTS);
	assert_int_equal(db_long("SELECT count(*) FROM alert_events"), 2 * HOSTS);
	assert_int_equal(db_long("SELECT count(*) FROM alert_attempts"), 4 * HOSTS);
	/* both worked (each logged being a sender) */
	assert_true(count_in(path("c1.log"), "alerts: 2 receiver(s)") == 1);
	assert_true(count_in(path("c2.log"), "alerts: 2 receiver(s)") == 1);
	stop_pid(&c1);
	stop_pid(&c2);
}

/* digest: true: no mail per event; one mail for yesterday's events. */
static void test_daily_digest(void **state)
{
	(void)state;
	pid_t smtp, col;
	int sp = start_smtp(&smtp);
	write_config("collector.yaml", 0, sp, NULL, "      digest: true\n");
	char token[80];
	enroll("pc-01", token);
	int port = start_collector("collector.yaml", "collector.log", &col);
	char *r = report(1, "pc-01", time(NULL) - 30, "fail", "fail", "pass", NULL);
	assert_int_equal(e2e_upload(port, token, r), 201);
	free(r);
	for (int i = 0; i < 100 && db_long("SELECT count(*) FROM alert_events") < 2; i++)
		sleep_ms(100);
	assert_int_equal(db_long("SELECT count(*) FROM alert_events"), 2);
	settle();
	assert_int_equal(count_in(path("mail.log"), "\"event\""), 0);
	/* the day is over for them: the next check sends the digest */
	assert_int_equal(testdb_exec(database, "UPDATE alert_events SET created_at ="
					       " created_at - 86400"), 0);
	assert_int_equal(wait_count(path("mail.log"), "\"event\": \"digest|mail:it|", 1, 15000),
			 1);
	settle();
	assert_int_equal(count_in(path("mail.log"), "\"event\""), 1);
	char *m = slurp(path("mail.log"));
	assert_non_null(strstr(m, "2 event(s) on"));
	assert_non_null(strstr(m, "pc-01 newly fails nisc-9:disk.crypt (critical)"));
	assert_non_null(strstr(m, "pc-01 newly fails nisc-9:os.updates (high)"));
	free(m);
	stop_pid(&col);
}

/* alerts test: a message to each receiver now; a receiver down fails. */
static void test_alerts_test_command(void **state)
{
	(void)state;
	pid_t hook, smtp;
	int hp = start_webhook(0, &hook), sp = start_smtp(&smtp);
	write_config("collector.yaml", hp, sp, NULL, NULL);
	char out[8192];
	assert_int_equal(collector("collector.yaml", "alerts", "test", NULL, out, sizeof out), 0);
	assert_non_null(strstr(out, "webhook:soc: sent (HTTP 200)"));
	assert_non_null(strstr(out, "mail:it: sent"));
	assert_int_equal(count_in(path("hook.log"), OK_EVENT("test|webhook:soc|")), 1);
	assert_int_equal(count_in(path("mail.log"), "\"event\": \"test|mail:it|"), 1);
	stop_pid(&hook);
	assert_int_equal(collector("collector.yaml", "alerts", "test", NULL, out, sizeof out), 1);
	assert_non_null(strstr(out, "webhook:soc: FAILED"));
	/* a wrong secret: the receiver refuses the signature */
	write_file(path("hook.secret"), "another-secret\n", 0600);
	start_webhook(hp, &hook);
	write_file(path("hook.secret"), "s3cret-for-the-hook\n", 0600);
	/* the receiver read "another-secret" at its start; the collector signs
	 * with s3cret-for-the-hook */
	assert_int_equal(collector("collector.yaml", "alerts", "test", NULL, out, sizeof out), 1);
	assert_non_null(strstr(out, "webhook:soc: FAILED: HTTP 401"));
}

/* Two organisations besides the default one, on two collectors sharing
 * the database: A has receivers of its own (a webhook, a mail), B has
 * none and so gets the collector-wide ones. pc-01 fails a critical rule
 * and pc-02 is silent in every organisation (the same names: the keys
 * differ by "org-<id>|"). Each event goes once, to its organisation's
 * receivers only, and names the organisation when it is not the default. */
static void test_organisations(void **state)
{
	(void)state;
	pid_t hook, hooka, smtp, c1, c2;
	int hp = start_webhook(0, &hook), hpa = start_webhook_as("hooka", 0, &hooka),
	    sp = start_smtp(&smtp);
	char extra[4096];
	snprintf(extra, sizeof extra,
		 "    - name: a-soc\n      url: https://127.0.0.1:%d/hook\n"
		 "      secret_file: %s\n      ca_file: %s\n      organisation: A\n"
		 "    - name: z-soc\n      url: https://127.0.0.1:%d/hook\n"
		 "      secret_file: %s\n      ca_file: %s\n      organisation: Zed\n",
		 hpa, path("hook.secret"), pkipath("ca.pem"), hpa, path("hook.secret"),
		 pkipath("ca.pem"));
	char cfg[8192];
	write_config("collector.yaml", hp, sp, NULL,
		     "    - name: a-it\n      to: [a@example.com]\n      organisation: a\n");
	/* the extra webhooks go after soc, in the webhooks list */
	char *base = slurp(path("collector.yaml")), *mail = strstr(base, "  mail:\n");
	assert_non_null(mail);
	snprintf(cfg, sizeof cfg, "%.*s%s%s", (int)(mail - base), base, extra, mail);
	free(base);
	write_file(path("collector.yaml"), cfg, 0600);
	write_file(path("collector2.yaml"), cfg, 0600);
	char out[16384];
	const char *add_a[] = {"tenant", "add", "A", NULL}, *add_b[] = {"tenant", "add", "B", NULL};
	assert_int_equal(collector_args("collector.yaml", add_a, out, sizeof out), 0);
	assert_int_equal(collector_args("collector.yaml", add_b, out, sizeof out), 0);
	long ida = db_long("SELECT id FROM organisations WHERE name = 'A'"),
	     idb = db_long("SELECT id FROM organisations WHERE name = 'B'");
	assert_true(ida > 1 && idb > 1 && ida != idb);
	const char *orgs[] = {NULL, "A", "B"};
	char tok[3][80], silent[3][80];
	for (int i = 0; i < 3; i++) {
		enroll_in(orgs[i], "pc-01", tok[i]);
		enroll_in(orgs[i], "pc-02", silent[i]);
	}
	/* pc-02 enrolled 10 days ago and never reported (stale_days 7) */
	assert_int_equal(testdb_exec(database, "UPDATE hosts SET enrolled_at = enrolled_at -"
					       " 864000 WHERE name = 'pc-02'"), 0);
	int p1 = start_collector("collector.yaml", "c1.log", &c1);
	int p2 = start_collector("collector2.yaml", "c2.log", &c2);
	/* every organisation's cursor is set (at the newest report) */
	for (int i = 0; i < 100 && db_long("SELECT count(*) FROM alert_cursor") < 3; i++)
		sleep_ms(100);
	assert_int_equal(db_long("SELECT count(*) FROM alert_cursor"), 3);
	time_t now = time(NULL) - 30;
	for (int i = 0; i < 3; i++) {
		char *r = report(i + 1, "pc-01", now, "fail", "pass", "pass", NULL);
		assert_int_equal(e2e_upload(i % 2 ? p2 : p1, tok[i], r), 201);
		free(r);
	}
	char a_fail[200], b_fail[200], a_stale[200], b_stale[200];
	/* as the receiver logs a delivery: once each (the key is in the body
	 * and its text too) */
	snprintf(a_fail, sizeof a_fail, OK_EVENT("org-%ld|rule_failed|pc-01|nisc-9:disk.crypt|"),
		 ida);
	snprintf(b_fail, sizeof b_fail, OK_EVENT("org-%ld|rule_failed|pc-01|nisc-9:disk.crypt|"),
		 idb);
	snprintf(a_stale, sizeof a_stale, OK_EVENT("org-%ld|host_stale|pc-02|never"), ida);
	snprintf(b_stale, sizeof b_stale, OK_EVENT("org-%ld|host_stale|pc-02|never"), idb);
	/* the collector-wide webhook: the default organisation's and B's */
	assert_int_equal(wait_count(path("hook.log"), "\"ok\": true", 4, 30000), 4);
	assert_int_equal(wait_count(path("hooka.log"), "\"ok\": true", 2, 30000), 2);
	assert_int_equal(wait_count(path("mail.log"), "\"event\"", 6, 30000), 6);
	settle();
	assert_int_equal(count_in(path("hook.log"), "\"ok\": "), 4);
	assert_int_equal(count_in(path("hook.log"), OK_EVENT("rule_failed|pc-01|nisc-9:disk.crypt|")),
			 1);
	assert_int_equal(count_in(path("hook.log"), OK_EVENT("host_stale|pc-02|never")), 1);
	assert_int_equal(count_in(path("hook.log"), b_fail), 1);
	assert_int_equal(count_in(path("hook.log"), b_stale), 1);
	assert_int_equal(count_in(path("hook.log"), a_fail), 0); /* never A's */
	assert_int_equal(count_in(path("hook.log"), a_stale), 0);
	assert_int_equal(count_in(path("hook.log"), "[hostaudit] [B] pc-01 newly fails"), 1);
	assert_int_equal(count_in(path("hook.log"), "[hostaudit] pc-01 newly fails"), 1);
	/* in the body and in its detail, for each of the two */
	assert_int_equal(count_in(path("hook.log"), "\"organisation\": \"B\""), 4);
	assert_int_equal(count_in(path("hook.log"), "\"organisation\": \"A\""), 0);
	/* A's webhook: only A's, named */
	assert_int_equal(count_in(path("hooka.log"), "\"ok\": "), 2);
	assert_int_equal(count_in(path("hooka.log"), a_fail), 1);
	assert_int_equal(count_in(path("hooka.log"), a_stale), 1);
	assert_int_equal(count_in(path("hooka.log"), "[hostaudit] [A] pc-01 newly fails"), 1);
	assert_int_equal(count_in(path("hooka.log"), "Organisation: A"), 2);
	/* mail: it (collector-wide) the default's and B's, a-it A's */
	char *m = slurp(path("mail.log"));
	int to_a = 0;
	for (char *line = strtok(m, "\n"); line; line = strtok(NULL, "\n")) {
		char org_a[32];
		snprintf(org_a, sizeof org_a, "\"event\": \"org-%ld|", ida);
		bool is_a = strstr(line, org_a) != NULL;
		if (strstr(line, "\"to\": [\"a@example.com\"]")) {
			assert_true(is_a);
			to_a++;
		} else {
			assert_false(is_a);
		}
	}
	free(m);
	assert_int_equal(to_a, 2);
	/* exactly once: 6 events, each to two receivers, each sent once */
	assert_int_equal(db_long("SELECT count(*) FROM alert_events"), 6);
	assert_int_equal(db_long("SELECT count(*) FROM alert_attempts"), 12);
	assert_int_equal(db_long("SELECT count(*) FROM alert_attempts WHERE ok = 1"), 12);
	/* the receiver naming no organisation there is: said, and idle */
	assert_true(count_in(path("c1.log"), "webhook:z-soc: no organisation 'Zed'") == 1);
	/* each organisation's record */
	const char *list_a[] = {"alerts", "list", "--tenant", "A", NULL};
	assert_int_equal(collector_args("collector.yaml", list_a, out, sizeof out), 0);
	assert_non_null(strstr(out, "webhook:a-soc: sent"));
	assert_non_null(strstr(out, "mail:a-it: sent"));
	assert_null(strstr(out, "webhook:soc:"));
	const char *list_d[] = {"alerts", "list", NULL};
	assert_int_equal(collector_args("collector.yaml", list_d, out, sizeof out), 0);
	assert_non_null(strstr(out, "webhook:soc: sent"));
	assert_null(strstr(out, "a-soc"));
	/* a test message to the receivers serving A only */
	const char *test_a[] = {"alerts", "test", "--tenant", "A", NULL};
	assert_int_equal(collector_args("collector.yaml", test_a, out, sizeof out), 0);
	assert_non_null(strstr(out, "webhook:a-soc: sent"));
	assert_non_null(strstr(out, "mail:a-it: sent"));
	assert_null(strstr(out, "webhook:soc:"));
	assert_null(strstr(out, "mail:it:"));
	stop_pid(&c1);
	stop_pid(&c2);
}

int main(int argc, char **argv)
{
	if (!e2e_args(argc, argv, "test_alerts_e2e", false))
		return 2;
	snprintf(py_hook, sizeof py_hook, "%s/tests/collector/alert_webhook.py", source_dir);
	snprintf(py_smtp, sizeof py_smtp, "%s/tests/collector/alert_smtp.py", source_dir);
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_failure_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receiver_down_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_exceptions_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_config_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_collectors_send_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_daily_digest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alerts_test_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_organisations, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
