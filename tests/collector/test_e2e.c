/* SPDX-License-Identifier: Apache-2.0 */
/* End-to-end: the agent's upload path against a real hostaudit-collector
 * over HTTPS on 127.0.0.1, with a PKI made by gen_certs.sh.
 *   test_e2e COLLECTOR_BINARY PKI_DIR WORK_DIR
 * Every wait is bounded; every collector started is stopped. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <openssl/ssl.h>
#include <zlib.h>
#include <zstd.h>

#include "hostaudit/spool.h"
#include "hostaudit/upload.h"
#include "e2e_common.h"
#include "testdb.h"

static char database[4200]; /* its collector's database: a path or a URI */

static char *pkipath(const char *name)
{
	static char bufs[8][4200];
	static int i;
	char *b = bufs[i++ % 8];
	snprintf(b, 4200, "%s/%s", pki, name);
	return b;
}

static int setup(void **state)
{
	(void)state;
	new_test_dir("t", database, sizeof database);
	return 0;
}

/* ---- the collector process ---- */

typedef struct collector {
	pid_t pid;
	int port;
} collector;

static void write_config(const char *cert, const char *extra)
{
	char cfg[8192];
	/* extra may set its own */
	const char *max_body =
		extra && strstr(extra, "max_body_bytes") ? "" : "max_body_bytes: 65536\n";
	snprintf(cfg, sizeof cfg,
		 "listen: 127.0.0.1:0\ntls_cert: %s\ntls_key: %s\ndatabase: %s\n"
		 "%sconnection_timeout_s: 2\nrequest_timeout_s: 3\n"
		 "per_ip_connections: 32\nthreads: 2\n%s",
		 pkipath(cert[0] ? cert : "server.pem"), pkipath(cert[0] ? "" : "server-key.pem"),
		 database, max_body, extra ? extra : "");
	if (cert[0]) { /* "rogue" -> rogue.pem + rogue-key.pem */
		snprintf(cfg, sizeof cfg,
			 "listen: 127.0.0.1:0\ntls_cert: %s/%s.pem\ntls_key: %s/%s-key.pem\n"
			 "database: %s\n%sconnection_timeout_s: 2\n"
			 "request_timeout_s: 3\nper_ip_connections: 32\nthreads: 2\n%s",
			 pki, cert, pki, cert, database, max_body, extra ? extra : "");
	}
	write_file(path("collector.yaml"), cfg, 0600);
}

/* Runs argv[0] and returns its exit status, with what it wrote to fd
 * capture (1 or 2) in out; quiet sends its other output stream to
 * /dev/null instead of the test's log. */
static int run_program(const char *const argv[], int capture, bool quiet, char *out,
		       size_t out_size)
{
	const e2e_io io = {.capture = capture, .other = quiet ? "/dev/null" : NULL};
	return e2e_run(argv, &io, out, out_size);
}

/* The collector's stdout (a token, a report) in out. */
static int run_collector(char *const argv[], char *out, size_t out_size)
{
	return run_program((const char *const *)argv, 1, false, out, out_size);
}

static void enroll(const char *host, const char *token_file)
{
	char *argv[] = {(char *)collector_bin, "-c", path("collector.yaml"), "enroll",
			(char *)host, NULL};
	char tok[200];
	assert_int_equal(run_collector(argv, tok, sizeof tok), 0);
	assert_int_equal(strlen(tok), 65);
	write_file(token_file, tok, 0600);
}

static pid_t running[8];

static void remember(pid_t pid)
{
	for (int i = 0; i < 8; i++)
		if (running[i] == 0) {
			running[i] = pid;
			return;
		}
}

/* Stops what a failed test left running. */
static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < 8; i++)
		if (running[i] > 0) {
			kill(running[i], SIGKILL);
			waitpid(running[i], NULL, 0);
			running[i] = 0;
		}
	return 0;
}

static collector start(void)
{
	unlink(path("port"));
	collector c = {.pid = fork(), .port = 0};
	assert_true(c.pid >= 0);
	if (c.pid == 0) {
		int log = open(path("collector.log"), O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (!getenv("E2E_VERBOSE") && log >= 0)
			dup2(log, 2);
		execl(collector_bin, collector_bin, "-c", path("collector.yaml"), "serve",
		      "--port-file", path("port"), (char *)NULL);
		_exit(127);
	}
	remember(c.pid);
	c.port = wait_for_port(5000);
	return c;
}

static void forget(pid_t pid)
{
	for (int i = 0; i < 8; i++)
		if (running[i] == pid)
			running[i] = 0;
}

static void stop(collector *c, int sig)
{
	if (c->pid <= 0)
		return;
	if (sig != SIGSTOP)
		forget(c->pid);
	kill(c->pid, sig);
	if (sig == SIGSTOP)
		return;
	for (int i = 0; i < 100; i++) {
		if (waitpid(c->pid, NULL, WNOHANG) == c->pid) {
			c->pid = 0;
			return;
		}
		sleep_ms(50);
	}
	kill(c->pid, SIGKILL);
	waitpid(c->pid, NULL, 0);
	c->pid = 0;
}

/* ---- reports and the agent ---- */

static void make_id(int n, char id[37])
{
	snprintf(id, 37, "6f1c2e3a-0000-4000-8000-%012d", n);
}

static char *report(const char *id, const char *host, const char *finished)
{
	char *r;
	int n = asprintf(&r,
		 "{\"schema\":\"hostaudit/report/v1\",\"report_id\":\"%s\","
		 "\"agent\":{\"name\":\"hostaudit\",\"version\":\"0.1\"},"
		 "\"host\":{\"hostname\":\"%s\",\"os\":\"linux\",\"os_release\":{\"id\":\"debian\","
		 "\"version_id\":\"12\",\"pretty_name\":\"Debian 12\"},\"machine_id\":\"x\"},"
		 "\"now\":\"%s\",\"started_at\":\"%s\",\"finished_at\":\"%s\",\"packs\":[],\"params\":{},"
		 "\"exceptions\":[],\"facts\":{},\"results\":[{\"pack\":\"nisc-9\",\"id\":\"os.updates\","
		 "\"article\":1,\"severity\":\"high\",\"weight\":3,\"status\":\"pass\","
		 "\"title\":{\"en\":\"Updates\",\"ja\":\"更新\"},\"remediation\":{\"en\":\"r\",\"ja\":\"r\"},"
		 "\"facts\":[],\"attested\":false}],\"scores\":{\"overall\":{\"score\":100,\"pass\":1,"
		 "\"fail\":0,\"unknown\":0,\"not_applicable\":0,\"error\":0,\"disabled\":0},"
		 "\"packs\":[]}}",
		 id, host, finished, finished, finished);
	assert_true(n > 0);
	return r;
}

static const char *now_rfc3339(void)
{
	static char b[32];
	time_t t = time(NULL) - 60;
	strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	return b;
}

static void agent_config(upload_config *uc, int port, const char *ca)
{
	upload_config_init(uc);
	assert_true(asprintf(&uc->url, "https://127.0.0.1:%d/v1/reports", port) > 0);
	uc->ca_file = strdup(pkipath(ca ? ca : "ca.pem"));
	uc->token_file = strdup(path("token"));
	uc->spool_dir = strdup(path("spool"));
	uc->deadline_s = 5;
	uc->connect_timeout_s = 2;
}

static void spool_reports(upload_config *uc, int first, int count)
{
	for (int i = first; i < first + count; i++) {
		char id[37];
		make_id(i, id);
		char *r = report(id, "pc-01", now_rfc3339());
		upload_status st;
		assert_int_equal(upload_spool_report(uc, id, r, strlen(r), &st, NULL), 0);
		free(r);
	}
}

static size_t spooled(const upload_config *uc)
{
	spool sp;
	char err[300];
	spool_entry *es;
	size_t n;
	assert_int_equal(spool_open(&sp, uc->spool_dir, 0, 0, NULL, err, sizeof err), 0);
	assert_int_equal(spool_list(&sp, &es, &n, err, sizeof err), 0);
	free(es);
	spool_close(&sp);
	return n;
}

static int db_count(void)
{
	return (int)testdb_int(database, "SELECT count(*) FROM reports", NULL);
}

/* Fake time for the "days offline" test: sleeping advances the clock. */
static int64_t fake_clock;
static void fake_sleep(void *ctx, long ms) { (void)ctx; fake_clock += ms; }
static int64_t fake_now(void *ctx) { (void)ctx; return fake_clock; }

/* ---- raw requests for bad input ---- */

static size_t discard(char *p, size_t s, size_t n, void *u) { (void)p; (void)u; return s * n; }

/* POST a report; client certificate "NAME" means PKI/NAME.pem and
 * PKI/NAME-key.pem. 0 when no HTTP answer came (TLS refused, cut). */
static long post_full(int port, const char *token, const char *body, long declared_len,
		      const char *idem, const char *client)
{
	CURL *c = curl_easy_init();
	char url[100], auth[200], key[100];
	snprintf(url, sizeof url, "https://127.0.0.1:%d/v1/reports", port);
	struct curl_slist *h = curl_slist_append(NULL, "Expect: 100-continue"); /* as the agent */
	h = curl_slist_append(h, "Content-Type: application/json");
	if (token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	if (idem) {
		snprintf(key, sizeof key, "Idempotency-Key: %s", idem);
		h = curl_slist_append(h, key);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, pkipath("ca.pem"));
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, declared_len >= 0 ? declared_len : (long)strlen(body));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	if (client) {
		char cert[300], ckey[300];
		snprintf(cert, sizeof cert, "%s.pem", client);
		snprintf(ckey, sizeof ckey, "%s-key.pem", client);
		curl_easy_setopt(c, CURLOPT_SSLCERT, pkipath(cert));
		curl_easy_setopt(c, CURLOPT_SSLKEY, pkipath(ckey));
	}
	long code = 0;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return code;
}

static long post(int port, const char *token, const char *body, long declared_len,
		 const char *idem)
{
	return post_full(port, token, body, declared_len, idem, NULL);
}

static void read_token(char *tok, size_t size)
{
	FILE *f = fopen(path("token"), "r");
	assert_non_null(f);
	assert_non_null(fgets(tok, (int)size, f));
	tok[strcspn(tok, "\n")] = '\0';
	fclose(f);
}

/* ---- tests ---- */

static void test_bad_input_stores_nothing(void **state)
{
	(void)state;
	write_config("", NULL);
	enroll("pc-01", path("token"));
	enroll("pc-02", path("token2"));
	collector c = start();
	char tok[100], tok2[100], id[37], id2[37];
	read_token(tok, sizeof tok);
	FILE *f = fopen(path("token2"), "r");
	assert_non_null(fgets(tok2, sizeof tok2, f));
	fclose(f);
	tok2[strcspn(tok2, "\n")] = '\0';
	make_id(1, id);
	make_id(2, id2);
	char *good = report(id, "pc-01", now_rfc3339());
	char *future = report(id2, "pc-01", "2099-01-01T00:00:00Z");
	char big[70000];
	memset(big, ' ', sizeof big - 1);
	big[sizeof big - 1] = '\0';

	assert_int_equal(post(c.port, tok, "{\"schema\": ", -1, NULL), 400);   /* malformed */
	assert_int_equal(post(c.port, tok, "{\"schema\":\"x\"}", -1, NULL), 422); /* schema */
	assert_int_equal(post(c.port, NULL, good, -1, NULL), 401);             /* no token */
	assert_int_equal(post(c.port, "0123456789abcdef", good, -1, NULL), 401); /* wrong */
	assert_int_equal(post(c.port, tok, big, -1, NULL), 413);               /* too big */
	assert_int_equal(post(c.port, tok, future, -1, NULL), 422);            /* future */
	assert_int_equal(post(c.port, tok, good, -1, id2), 400);               /* key != id */
	assert_int_equal(db_count(), 0);

	assert_int_equal(post(c.port, tok, good, -1, id), 201);
	assert_int_equal(post(c.port, tok, good, -1, id), 200);   /* replay: nothing new */
	assert_int_equal(post(c.port, tok2, good, -1, id), 409);  /* same id, other host */
	char when[32];
	time_t earlier = time(NULL) - 3600;
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&earlier));
	char *other = report(id, "pc-01", when);
	assert_int_equal(post(c.port, tok, other, -1, id), 409);  /* same id, other body */
	assert_int_equal(db_count(), 1);
	free(good);
	free(future);
	free(other);
	stop(&c, SIGTERM);
}

/* One byte a second over TLS: the collector must cut the connection
 * (request_timeout_s: 3) long before the request could finish. */
static void test_slow_client_cut_off(void **state)
{
	(void)state;
	write_config("", NULL);
	enroll("pc-01", path("token"));
	collector c = start();
	char tok[100];
	read_token(tok, sizeof tok);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)c.port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	struct timeval tv = {5, 0}; /* every read and write bounded */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX_load_verify_locations(ctx, pkipath("ca.pem"), NULL);
	SSL *ssl = SSL_new(ctx);
	SSL_set_fd(ssl, fd);
	assert_int_equal(SSL_connect(ssl), 1);
	char req[400];
	snprintf(req, sizeof req,
		 "POST /v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
		 "Content-Length: 200\r\n\r\n{\"schema\":\"hostaudit/report/v1\"", tok);
	time_t t0 = time(NULL);
	bool cut = false;
	for (size_t i = 0; i < strlen(req) && time(NULL) - t0 < 15; i++) {
		/* headers fast, then the body one byte a second */
		if (i > strlen(req) - 30)
			sleep_ms(1000);
		if (SSL_write(ssl, req + i, 1) <= 0) {
			cut = true;
			break;
		}
	}
	if (!cut) { /* a write may still land in the buffer: the read tells */
		char b[100];
		cut = SSL_read(ssl, b, sizeof b) <= 0;
	}
	long took = (long)(time(NULL) - t0);
	assert_true(cut);
	assert_true(took <= 8);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
	assert_int_equal(db_count(), 0);
	stop(&c, SIGTERM);
}

static void test_upload_sends_and_empties_spool(void **state)
{
	(void)state;
	write_config("", NULL);
	enroll("pc-01", path("token"));
	collector c = start();
	upload_config uc;
	agent_config(&uc, c.port, NULL);
	spool_reports(&uc, 1, 2);
	upload_status st;
	assert_int_equal(upload_flush(&uc, &st, NULL), 0);
	assert_int_equal(st.sent, 2);
	assert_int_equal(st.pending, 0);
	assert_int_equal(spooled(&uc), 0);
	assert_int_equal(db_count(), 2);
	/* a token readable by others is refused before anything is sent */
	spool_reports(&uc, 3, 1);
	chmod(path("token"), 0644);
	assert_int_equal(upload_flush(&uc, &st, NULL), -1);
	assert_non_null(strstr(st.message, "readable by others"));
	assert_int_equal(spooled(&uc), 1);
	upload_config_free(&uc);
	stop(&c, SIGTERM);
}

static void refuses_cert(const char *cert)
{
	write_config(cert, NULL);
	enroll("pc-01", path("token"));
	collector c = start();
	upload_config uc;
	agent_config(&uc, c.port, NULL);
	spool_reports(&uc, 1, 1);
	upload_status st;
	assert_int_equal(upload_flush(&uc, &st, NULL), 1);
	assert_int_equal(st.sent, 0);
	assert_int_equal(st.pending, 1);
	assert_int_equal(spooled(&uc), 1);
	assert_int_equal(db_count(), 0);
	upload_config_free(&uc);
	stop(&c, SIGTERM);
}

static void test_untrusted_cert_refused(void **state)
{
	(void)state;
	refuses_cert("rogue");
}

static void test_wrong_host_cert_refused(void **state)
{
	(void)state;
	refuses_cert("wronghost");
}

typedef struct flush_job {
	upload_config *uc;
	upload_status st;
	int rc;
} flush_job;

static void *flush_thread(void *arg)
{
	flush_job *j = arg;
	j->rc = upload_flush(j->uc, &j->st, NULL);
	return NULL;
}

/* Killed after it stored the report but before it answered: the agent keeps
 * the report, resends it later, and the collector stores it once. */
static void test_killed_after_commit_exactly_once(void **state)
{
	(void)state;
	write_config("", NULL);
	enroll("pc-01", path("token"));
	setenv("HOSTAUDIT_COLLECTOR_TEST_REPLY_DELAY_MS", "3000", 1);
	collector c = start();
	unsetenv("HOSTAUDIT_COLLECTOR_TEST_REPLY_DELAY_MS");
	upload_config uc;
	agent_config(&uc, c.port, NULL);
	uc.deadline_s = 3;
	spool_reports(&uc, 1, 1);
	flush_job j = {.uc = &uc};
	pthread_t t;
	pthread_create(&t, NULL, flush_thread, &j);
	sleep_ms(1500);
	stop(&c, SIGKILL);
	pthread_join(t, NULL);
	assert_int_equal(j.rc, 1);
	assert_int_equal(j.st.pending, 1);
	assert_int_equal(spooled(&uc), 1);
	assert_int_equal(db_count(), 1); /* it was stored */
	c = start();
	free(uc.url);
	assert_true(asprintf(&uc.url, "https://127.0.0.1:%d/v1/reports", c.port) > 0);
	upload_status st;
	assert_int_equal(upload_flush(&uc, &st, NULL), 0);
	assert_int_equal(st.sent, 1);
	assert_int_equal(spooled(&uc), 0);
	assert_int_equal(db_count(), 1); /* exactly once */
	upload_config_free(&uc);
	stop(&c, SIGTERM);
}

/* Killed while the agent is connecting (the collector frozen, then
 * killed): nothing stored, the report stays, and arrives once later. */
static void test_killed_before_commit_arrives_later(void **state)
{
	(void)state;
	write_config("", NULL);
	enroll("pc-01", path("token"));
	collector c = start();
	upload_config uc;
	agent_config(&uc, c.port, NULL);
	uc.deadline_s = 3;
	spool_reports(&uc, 1, 1);
	stop(&c, SIGSTOP);
	flush_job j = {.uc = &uc};
	pthread_t t;
	pthread_create(&t, NULL, flush_thread, &j);
	sleep_ms(1000);
	stop(&c, SIGKILL);
	pthread_join(t, NULL);
	assert_int_equal(j.rc, 1);
	assert_int_equal(spooled(&uc), 1);
	assert_int_equal(db_count(), 0);
	c = start();
	free(uc.url);
	assert_true(asprintf(&uc.url, "https://127.0.0.1:%d/v1/reports", c.port) > 0);
	upload_status st;
	assert_int_equal(upload_flush(&uc, &st, NULL), 0);
	assert_int_equal(st.sent, 1);
	assert_int_equal(db_count(), 1);
	upload_config_free(&uc);
	stop(&c, SIGTERM);
}

/* The collector is down for "days" (a fake clock: the agent's backoff
 * sleeps advance it instantly); daily runs spool and fail; when it is back
 * every report arrives once, in the order it was made. */
static void test_down_for_days_all_arrive_in_order(void **state)
{
	(void)state;
	write_config("", NULL);
	enroll("pc-01", path("token"));
	collector c = start();
	int port = c.port;
	stop(&c, SIGTERM); /* nobody listens on port any more */
	upload_config uc;
	agent_config(&uc, port, NULL);
	uc.deadline_s = 600;
	upload_hooks h = {.sleep_ms = fake_sleep, .now_ms = fake_now};
	for (int day = 1; day <= 5; day++) {
		spool_reports(&uc, day, 1);
		upload_status st;
		assert_int_equal(upload_flush(&uc, &st, &h), 1);
		assert_int_equal(st.pending, day);
		assert_int_equal(st.sent, 0);
		fake_clock += 86400 * 1000LL;
	}
	c = start();
	free(uc.url);
	assert_true(asprintf(&uc.url, "https://127.0.0.1:%d/v1/reports", c.port) > 0);
	upload_status st;
	assert_int_equal(upload_flush(&uc, &st, NULL), 0);
	assert_int_equal(st.sent, 5);
	assert_int_equal(upload_flush(&uc, &st, NULL), 0);
	assert_int_equal(st.sent, 0);
	char ids[6][64];
	assert_int_equal(testdb_strings(database, "SELECT report_id FROM reports ORDER BY id", ids,
					6),
			 5);
	for (int i = 1; i <= 5; i++) {
		char id[37];
		make_id(i, id);
		assert_string_equal(ids[i - 1], id);
	}
	upload_config_free(&uc);
	stop(&c, SIGTERM);
}

/* 401 and 413 can never succeed: quarantined with a reason, not dropped. */
static void test_refused_reports_quarantined(void **state)
{
	(void)state;
	write_config("", NULL);
	enroll("pc-01", path("token"));
	collector c = start();
	upload_config uc;
	agent_config(&uc, c.port, NULL);
	/* too big for max_body_bytes 65536 */
	char id[37];
	make_id(7, id);
	char *r = report(id, "pc-01", now_rfc3339());
	size_t n = strlen(r) + 70000;
	char *big = malloc(n + 1);
	memcpy(big, r, strlen(r) - 1);
	memset(big + strlen(r) - 1, ' ', n - strlen(r));
	big[n - 1] = '}';
	big[n] = '\0';
	upload_status st;
	assert_int_equal(upload_spool_report(&uc, id, big, n, &st, NULL), 0);
	assert_int_equal(upload_flush(&uc, &st, NULL), 2);
	assert_int_equal(st.quarantined, 1);
	char q[4300];
	snprintf(q, sizeof q, "%s/quarantine", uc.spool_dir);
	spool sp;
	char err[200];
	assert_int_equal(spool_open(&sp, q, 0, 0, NULL, err, sizeof err), 0);
	spool_entry *es;
	size_t cnt;
	assert_int_equal(spool_list(&sp, &es, &cnt, err, sizeof err), 0);
	assert_int_equal(cnt, 1);
	char reason[4500];
	snprintf(reason, sizeof reason, "%s/%s.reason", q, es[0].name);
	struct stat sb;
	assert_int_equal(stat(reason, &sb), 0);
	free(es);
	spool_close(&sp);
	/* a wrong token: 401, quarantined, and the flush stops there */
	write_file(path("token"), "0000000000000000000000000000000000000000000000000000000000000000\n",
		   0600);
	spool_reports(&uc, 8, 2);
	assert_int_equal(upload_flush(&uc, &st, NULL), 1);
	assert_int_equal(st.quarantined, 1);
	assert_int_equal(st.pending, 1);
	assert_int_equal(db_count(), 0);
	free(big);
	free(r);
	upload_config_free(&uc);
	stop(&c, SIGTERM);
}

/* evidence: `hostaudit-collector verify` passes on the store, whose chain
 * has exactly links links (docs/collector.md "Evidence"). */
static void chain_verifies(long links)
{
	char *argv[] = {(char *)collector_bin, "-c", path("collector.yaml"), "verify", NULL};
	char out[8192], want[64];
	assert_int_equal(run_collector(argv, out, sizeof out), 0);
	snprintf(want, sizeof want, "chain: %ld links", links);
	assert_non_null(strstr(out, want));
}

/* ---- group commit: many concurrent uploads ---- */

enum { UPLOADERS = 16, PER_UPLOADER = 20, MAX_SENT = 4000 };

typedef struct uploader {
	int no, port, count; /* count: reports to send; 0 = until an error */
	const char *token, *when; /* finished_at: the same body when sent again */
	int sent;            /* reports attempted: ids no*1000+0 .. no*1000+sent-1 */
	int answered;        /* of those, answered 2xx (a prefix: each waits its answer) */
	long codes[MAX_SENT / UPLOADERS];
	volatile int *total_2xx;
} uploader;

static int uploader_id(int no, int i)
{
	return 100000 + no * 1000 + i;
}

/* One keep-alive connection, one report after another, like an agent. */
static void *uploader_run(void *arg)
{
	uploader *u = arg;
	CURL *c = curl_easy_init();
	char url[100], auth[200], key[100];
	snprintf(url, sizeof url, "https://127.0.0.1:%d/v1/reports", u->port);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", u->token);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, pkipath("ca.pem"));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	int limit = u->count ? u->count : MAX_SENT / UPLOADERS;
	for (int i = 0; i < limit; i++) {
		char id[37];
		make_id(uploader_id(u->no, i), id);
		char *body = report(id, "pc-01", u->when);
		snprintf(key, sizeof key, "Idempotency-Key: %s", id);
		struct curl_slist *h = curl_slist_append(NULL, auth);
		h = curl_slist_append(h, key);
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		long code = 0;
		u->sent = i + 1;
		if (curl_easy_perform(c) == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		u->codes[i] = code;
		curl_slist_free_all(h);
		free(body);
		if (code / 100 != 2)
			break;
		u->answered = i + 1;
		__atomic_add_fetch(u->total_2xx, 1, __ATOMIC_SEQ_CST);
	}
	curl_easy_cleanup(c);
	return NULL;
}

static char upload_time[32];

static void run_uploaders(uploader *u, int port, const char *token, int count,
			  volatile int *total, bool kill_after, collector *c)
{
	pthread_t t[UPLOADERS];
	if (!upload_time[0])
		snprintf(upload_time, sizeof upload_time, "%s", now_rfc3339());
	for (int i = 0; i < UPLOADERS; i++) {
		u[i] = (uploader){.no = i, .port = port, .count = count, .token = token,
				  .when = upload_time, .total_2xx = total};
		assert_int_equal(pthread_create(&t[i], NULL, uploader_run, &u[i]), 0);
	}
	if (kill_after) {
		/* SIGKILL as soon as enough answers are in: some 2xx are still on
		 * their way to the agents when the process dies. */
		for (int i = 0; i < 400 && __atomic_load_n(total, __ATOMIC_SEQ_CST) < 80; i++)
			sleep_ms(25);
		stop(c, SIGKILL);
	}
	for (int i = 0; i < UPLOADERS; i++)
		pthread_join(t[i], NULL);
}

static bool db_has(const char *id)
{
	long n = testdb_int(database, "SELECT count(*) FROM reports WHERE report_id = $1", id);
	assert_true(n <= 1);
	return n == 1;
}

/* "group commit: N reports in M commits" from the collector's log. */
static void logged_commits(long *reports, long *commits)
{
	char buf[65536];
	int fd = open(path("collector.log"), O_RDONLY);
	assert_true(fd >= 0);
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	const char *p = strstr(buf, "group commit: ");
	*reports = *commits = 0;
	if (p)
		assert_int_equal(sscanf(p, "group commit: %ld reports in %ld commits", reports,
					commits),
				 2);
}

/* 16 agents at once: every report stored exactly once, several per COMMIT;
 * sending them all again stores nothing new (200 each). */
static void test_concurrent_uploads_stored_once(void **state)
{
	(void)state;
	write_config("", NULL);
	enroll("pc-01", path("token"));
	collector c = start();
	char tok[100];
	read_token(tok, sizeof tok);
	uploader u[UPLOADERS];
	volatile int total = 0;
	run_uploaders(u, c.port, tok, PER_UPLOADER, &total, false, NULL);
	for (int i = 0; i < UPLOADERS; i++)
		for (int k = 0; k < PER_UPLOADER; k++)
			assert_int_equal(u[i].codes[k], 201);
	assert_int_equal(db_count(), UPLOADERS * PER_UPLOADER);
	run_uploaders(u, c.port, tok, PER_UPLOADER, &total, false, NULL);
	for (int i = 0; i < UPLOADERS; i++)
		for (int k = 0; k < PER_UPLOADER; k++)
			assert_int_equal(u[i].codes[k], 200);
	assert_int_equal(db_count(), UPLOADERS * PER_UPLOADER);
	stop(&c, SIGTERM);
	chain_verifies(UPLOADERS * PER_UPLOADER); /* evidence: one link each */
	if (getenv("E2E_VERBOSE"))
		return; /* the log went to the terminal */
	long reports, commits;
	logged_commits(&reports, &commits);
	assert_int_equal(reports, 2 * UPLOADERS * PER_UPLOADER);
	assert_true(commits < reports); /* reports shared a COMMIT */
	print_message("group commit: %ld reports in %ld commits\n", reports, commits);
}

/* kill -9 while 16 agents upload: every report answered 2xx is in the
 * database after the crash (never 2xx before COMMIT); sent again after a
 * restart, each report is stored exactly once. */
static void test_kill9_after_answer_nothing_lost(void **state)
{
	(void)state;
	write_config("", NULL);
	enroll("pc-01", path("token"));
	collector c = start();
	char tok[100];
	read_token(tok, sizeof tok);
	uploader u[UPLOADERS];
	volatile int total = 0;
	run_uploaders(u, c.port, tok, 0, &total, true, &c);
	int answered = 0, attempted = 0;
	for (int i = 0; i < UPLOADERS; i++) {
		for (int k = 0; k < u[i].answered; k++) {
			char id[37];
			make_id(uploader_id(i, k), id);
			assert_true(db_has(id));
		}
		answered += u[i].answered;
		attempted += u[i].sent;
	}
	assert_true(answered > 0);
	assert_true(attempted > answered); /* the kill cut some in flight */
	print_message("kill -9 after %d answers (%d reports attempted, %d stored)\n", answered,
		      attempted, db_count());
	/* The agents send again what they did not get an answer for, and
	 * (lost answers) some of what was stored: each ends up stored once. */
	c = start();
	for (int i = 0; i < UPLOADERS; i++) {
		for (int k = 0; k < u[i].sent; k++) {
			char id[37];
			make_id(uploader_id(i, k), id);
			char *body = report(id, "pc-01", upload_time);
			long code = post(c.port, tok, body, -1, id);
			free(body);
			assert_true(code == 200 || code == 201);
			if (k < u[i].answered)
				assert_int_equal(code, 200);
		}
	}
	assert_int_equal(db_count(), attempted);
	stop(&c, SIGTERM);
}

/* ---- compact storage and encoded uploads ---- */

static char *annual_json(void);

/* POST len bytes with Content-Encoding: encoding; the HTTP status. */
static long post_encoded(int port, const char *token, const void *data, size_t len,
			 const char *idem, const char *encoding)
{
	CURL *c = curl_easy_init();
	char url[100], auth[200], key[100], ce[100];
	snprintf(url, sizeof url, "https://127.0.0.1:%d/v1/reports", port);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	snprintf(key, sizeof key, "Idempotency-Key: %s", idem);
	snprintf(ce, sizeof ce, "Content-Encoding: %s", encoding);
	struct curl_slist *h = curl_slist_append(NULL, auth);
	h = curl_slist_append(h, key);
	h = curl_slist_append(h, ce);
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, pkipath("ca.pem"));
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, data);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	long code = 0;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return code;
}

static void *zstd_of(const void *data, size_t len, size_t *out_len)
{
	size_t cap = ZSTD_compressBound(len);
	void *out = malloc(cap);
	assert_non_null(out);
	*out_len = ZSTD_compress(out, cap, data, len, 19);
	assert_false(ZSTD_isError(*out_len));
	return out;
}

static void *gzip_of(const void *data, size_t len, size_t *out_len)
{
	z_stream z = {0};
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY),
			 Z_OK);
	size_t cap = deflateBound(&z, (uLong)len) + 64;
	unsigned char *out = malloc(cap);
	assert_non_null(out);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out_len = z.total_out;
	deflateEnd(&z);
	return out;
}

/* A real report of the agent (a fixture root the dictionary was not made
 * from) into path(name); its report_id in id. */
static char *agent_report(const char *root, const char *name, char id[37])
{
	char rules[4200], rootdir[4200], err[4096];
	snprintf(rules, sizeof rules, "%s/rules", source_dir);
	snprintf(rootdir, sizeof rootdir, "%s/tests/fixtures/roots/%s", source_dir, root);
	const char *argv[] = {hostaudit_bin, "run", "--rules", rules, "--root", rootdir, "-f",
			      "json", "-o", path(name), NULL};
	int rc = run_program(argv, 2, true, err, sizeof err);
	assert_true(rc == 0 || rc == 1); /* findings are not an error */
	FILE *f = fopen(path(name), "rb");
	assert_non_null(f);
	char *body = calloc(1, 1 << 20);
	assert_non_null(body);
	assert_true(fread(body, 1, (1 << 20) - 1, f) > 0);
	fclose(f);
	const char *p = strstr(body, "\"report_id\"");
	assert_non_null(p);
	p = strchr(p + 11, '"');
	assert_non_null(p);
	snprintf(id, 37, "%.36s", p + 1);
	return body;
}

/* The exported bytes of a report, and their length. */
static char *exported(const char *id, size_t *len)
{
	static char out[1 << 20];
	char *argv[] = {(char *)collector_bin, "-c", path("collector.yaml"), "export",
			(char *)id, NULL};
	assert_int_equal(run_collector(argv, out, sizeof out), 0);
	*len = strlen(out);
	return out;
}

/* Real reports of the agent are stored compressed (encoding 1: zstd with
 * the built-in dictionary), in under 15 KB, and exported byte for byte.
 * Uploads may come zstd- or gzip-encoded; a body that decodes past
 * max_body_bytes (a decompression bomb) is refused with 413, an unknown
 * encoding with 415, and nothing of them is stored. */
static void test_compressed_bodies_and_encodings(void **state)
{
	(void)state;
	write_config("", "max_body_bytes: 1048576\n");
	enroll("pc-01", path("token"));
	collector c = start();
	char tok[100], id[3][37];
	read_token(tok, sizeof tok);
	const char *roots[3] = {"password-weak", "firewall-ufw", "backup-recent"};
	const char *how[3] = {"identity", "zstd", "gzip"};
	char *bodies[3];
	for (int i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof name, "r%d.json", i);
		bodies[i] = agent_report(roots[i], name, id[i]);
		size_t len = strlen(bodies[i]), wire_len = len;
		void *wire = i == 1 ? zstd_of(bodies[i], len, &wire_len)
			   : i == 2 ? gzip_of(bodies[i], len, &wire_len) : NULL;
		assert_true(len > 100000); /* a real report, ~140 KB */
		assert_int_equal(post_encoded(c.port, tok, wire ? wire : bodies[i], wire_len, id[i],
					      how[i]),
				 201);
		free(wire);
	}
	for (int i = 0; i < 3; i++) {
		size_t len;
		char *out = exported(id[i], &len);
		assert_int_equal(len, strlen(bodies[i]));
		assert_memory_equal(out, bodies[i], len);
		long stored = testdb_int(database,
					 "SELECT length(b.body) FROM report_bodies b JOIN reports r"
					 " ON r.id = b.report WHERE r.report_id = $1 AND b.encoding = 1",
					 id[i]);
		print_message("report of %s: %zu bytes, stored %ld (%s on the wire)\n", roots[i],
			      len, stored, how[i]);
		assert_true(stored > 0 && stored <= 15 * 1024);
	}
	/* bombs: 64 MiB of zeros, a few KB on the wire */
	size_t big = 64u << 20, zlen, glen;
	char *zeros = calloc(1, big);
	assert_non_null(zeros);
	void *zb = zstd_of(zeros, big, &zlen), *gb = gzip_of(zeros, big, &glen);
	free(zeros);
	char bid[37];
	make_id(77, bid);
	assert_true(zlen < 1048576 && glen < 1048576);
	assert_int_equal(post_encoded(c.port, tok, zb, zlen, bid, "zstd"), 413);
	assert_int_equal(post_encoded(c.port, tok, gb, glen, bid, "gzip"), 413);
	size_t slen;
	void *small = zstd_of(bodies[0], strlen(bodies[0]), &slen);
	assert_int_equal(post_encoded(c.port, tok, small, slen / 2, bid, "zstd"), 400); /* cut */
	free(small);
	assert_int_equal(post_encoded(c.port, tok, bodies[0], strlen(bodies[0]), id[0], "br"), 415);
	free(zb);
	free(gb);
	assert_int_equal(db_count(), 3);
	stop(&c, SIGTERM);
	for (int i = 0; i < 3; i++)
		free(bodies[i]);
}

/* retention_days: prune removes the bodies of older reports and keeps
 * their rows (summary, SHA-256), so the annual report's evidence list is
 * whole; export then says the body is gone. */
static void test_retention_keeps_summaries(void **state)
{
	(void)state;
	write_config("", "retention_days: 400\n");
	enroll("pc-01", path("token"));
	collector c = start();
	char tok[100], id[37];
	read_token(tok, sizeof tok);
	make_id(88, id);
	char *r = report(id, "pc-01", now_rfc3339());
	assert_int_equal(post(c.port, tok, r, -1, id), 201);
	stop(&c, SIGTERM);
	char *before = annual_json();
	char out[4096];
	/* 399 days on: kept */
	time_t later = time(NULL) + 399 * 86400L;
	char when[32];
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&later));
	char *prune[] = {(char *)collector_bin, "-c", path("collector.yaml"), "prune", "--now",
			 when, NULL};
	assert_int_equal(run_collector(prune, out, sizeof out), 0);
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM report_bodies", NULL), 1);
	/* 401 days on: the body goes, the row stays */
	later = time(NULL) + 401 * 86400L;
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&later));
	assert_int_equal(run_collector(prune, out, sizeof out), 0);
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM report_bodies", NULL), 0);
	assert_int_equal(db_count(), 1);
	char *after = annual_json();
	assert_string_equal(after, before); /* same evidence, same SHA-256 list */
	const char *ex[] = {collector_bin, "-c", path("collector.yaml"), "export", id, NULL};
	assert_int_equal(run_program(ex, 2, true, out, sizeof out), 1);
	assert_non_null(strstr(out, "removed by retention"));
	free(before);
	free(after);
	free(r);
}

/* ---- several collectors on one database ---- */

enum { FAILOVER_AGENTS = 8, FAILOVER_EACH = 30 };

typedef struct failover_agent {
	int no, ports[2], at;   /* at: the collector it talks to now */
	const char *token;
	int stored, dup, switched;
	volatile int *total_2xx;
} failover_agent;

/* Sends its reports one after another, each until a 2xx; a collector that
 * does not answer (killed) or answers 5xx makes it go to the other one,
 * as behind a load balancer, with the same Idempotency-Key. */
static void *failover_run(void *arg)
{
	failover_agent *a = arg;
	char auth[200], key[100], url[100];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", a->token);
	for (int i = 0; i < FAILOVER_EACH; i++) {
		char id[37];
		make_id(200000 + a->no * 1000 + i, id);
		char *body = report(id, "pc-01", upload_time);
		snprintf(key, sizeof key, "Idempotency-Key: %s", id);
		long code = 0;
		for (int attempt = 0; attempt < 40 && code / 100 != 2; attempt++) {
			CURL *c = curl_easy_init();
			snprintf(url, sizeof url, "https://127.0.0.1:%d/v1/reports", a->ports[a->at]);
			struct curl_slist *h = curl_slist_append(NULL, auth);
			h = curl_slist_append(h, key);
			h = curl_slist_append(h, "Content-Type: application/json");
			curl_easy_setopt(c, CURLOPT_URL, url);
			curl_easy_setopt(c, CURLOPT_CAINFO, pkipath("ca.pem"));
			curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
			curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
			curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
			curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
			code = 0;
			if (curl_easy_perform(c) == CURLE_OK)
				curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
			curl_slist_free_all(h);
			curl_easy_cleanup(c);
			if (code / 100 != 2) {
				a->at = !a->at;
				a->switched++;
				sleep_ms(20);
			}
		}
		free(body);
		if (code == 201)
			a->stored++;
		else if (code == 200)
			a->dup++;
		else
			break; /* the test fails on the count below */
		__atomic_add_fetch(a->total_2xx, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

/* Two collectors on one database (PostgreSQL in the _pg run, one SQLite
 * file otherwise), the agents split between them; one is killed with
 * kill -9 in the middle of the burst and its agents go on with the other:
 * every report ends up stored exactly once. */
static void test_two_collectors_one_killed(void **state)
{
	(void)state;
	write_config("", NULL);
	enroll("pc-01", path("token"));
	/* a holds every answer 1 s after its COMMIT (long enough that a loaded
	 * machine still has committed, unanswered reports at the kill): the
	 * kill loses answers to reports a stored, which b must then recognise
	 * (200) */
	setenv("HOSTAUDIT_COLLECTOR_TEST_REPLY_DELAY_MS", "1000", 1);
	collector a = start();
	unsetenv("HOSTAUDIT_COLLECTOR_TEST_REPLY_DELAY_MS");
	collector b = start();
	assert_true(a.port != b.port);
	char tok[100];
	read_token(tok, sizeof tok);
	if (!upload_time[0])
		snprintf(upload_time, sizeof upload_time, "%s", now_rfc3339());
	failover_agent ag[FAILOVER_AGENTS];
	pthread_t t[FAILOVER_AGENTS];
	volatile int total = 0;
	for (int i = 0; i < FAILOVER_AGENTS; i++) {
		ag[i] = (failover_agent){.no = i, .ports = {a.port, b.port}, .at = i % 2,
					 .token = tok, .total_2xx = &total};
		assert_int_equal(pthread_create(&t[i], NULL, failover_run, &ag[i]), 0);
	}
	for (int i = 0; i < 400 && __atomic_load_n(&total, __ATOMIC_SEQ_CST) < 60; i++)
		sleep_ms(10);
	int at_kill = __atomic_load_n(&total, __ATOMIC_SEQ_CST);
	stop(&a, SIGKILL);
	for (int i = 0; i < FAILOVER_AGENTS; i++)
		pthread_join(t[i], NULL);
	int stored = 0, dup = 0, switched = 0;
	for (int i = 0; i < FAILOVER_AGENTS; i++) {
		stored += ag[i].stored;
		dup += ag[i].dup;
		switched += ag[i].switched;
	}
	assert_true(at_kill < FAILOVER_AGENTS * FAILOVER_EACH); /* killed mid-burst */
	assert_int_equal(stored + dup, FAILOVER_AGENTS * FAILOVER_EACH);
	assert_true(dup > 0); /* stored by a, answered by b */
	assert_int_equal(db_count(), FAILOVER_AGENTS * FAILOVER_EACH);
	for (int i = 0; i < FAILOVER_AGENTS; i++)
		for (int k = 0; k < FAILOVER_EACH; k++) {
			char id[37];
			make_id(200000 + i * 1000 + k, id);
			assert_true(db_has(id));
		}
	print_message("two collectors, one killed after %d answers: %d stored, %d already "
		      "stored (answer lost in the kill), %d switches to the other\n",
		      at_kill, stored, dup, switched);
	stop(&b, SIGTERM);
	/* evidence: two collectors, one chain, no fork, no gap */
	chain_verifies(FAILOVER_AGENTS * FAILOVER_EACH);
}

/* A database from before report_bodies (bodies in reports.body) is
 * migrated on open: export still gives the exact bytes. */
static void test_old_database_migrated(void **state)
{
	(void)state;
	snprintf(database, sizeof database, "%s", path("old.db")); /* SQLite's history */
	write_config("", NULL);
	assert_int_equal(
		testdb_exec(database,
			     "CREATE TABLE hosts(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE"
			     " COLLATE NOCASE, token_sha256 TEXT UNIQUE, enrolled_at INTEGER NOT NULL);"
			     "CREATE TABLE reports(id INTEGER PRIMARY KEY, report_id TEXT NOT NULL"
			     " UNIQUE, host_id INTEGER NOT NULL REFERENCES hosts(id),"
			     " claimed_hostname TEXT, hostname_mismatch INTEGER NOT NULL,"
			     " finished_at INTEGER NOT NULL, received_at INTEGER NOT NULL, score REAL,"
			     " body_sha256 TEXT NOT NULL, summary TEXT NOT NULL, body BLOB NOT NULL);"
			     "INSERT INTO hosts VALUES(1, 'pc-01', 'x', 0);"
			     "INSERT INTO reports VALUES(7, '6f1c2e3a-0000-4000-8000-000000000001', 1,"
			     " 'pc-01', 0, 1, 2, 100, 'sha', 'nisc-9:a=p\n', '{\"old\":\"body\"}');"),
		0);
	char *argv[] = {(char *)collector_bin, "-c", path("collector.yaml"), "export",
			"6f1c2e3a-0000-4000-8000-000000000001", NULL};
	char out[200];
	assert_int_equal(run_collector(argv, out, sizeof out), 0);
	assert_string_equal(out, "{\"old\":\"body\"}");
	assert_int_equal(db_count(), 1);
	/* and it takes new reports */
	enroll("pc-02", path("token"));
	collector c = start();
	char tok[100], id[37];
	read_token(tok, sizeof tok);
	make_id(2, id);
	char *r = report(id, "pc-02", now_rfc3339());
	assert_int_equal(post(c.port, tok, r, -1, id), 201);
	free(r);
	assert_int_equal(db_count(), 2);
	stop(&c, SIGTERM);
}

/* The schema of the collector before schema_version (main before issue
 * 16), with data in every table. */
static const char main_schema_sql[] =
	"CREATE TABLE hosts(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE"
	" COLLATE NOCASE, token_sha256 TEXT UNIQUE, enrolled_at INTEGER NOT NULL);"
	"CREATE TABLE reports(id INTEGER PRIMARY KEY, report_id TEXT NOT NULL"
	" UNIQUE, host_id INTEGER NOT NULL REFERENCES hosts(id),"
	" claimed_hostname TEXT, hostname_mismatch INTEGER NOT NULL,"
	" finished_at INTEGER NOT NULL, received_at INTEGER NOT NULL, score REAL,"
	" body_sha256 TEXT NOT NULL, summary TEXT NOT NULL);"
	"CREATE TABLE report_bodies(report INTEGER PRIMARY KEY REFERENCES"
	" reports(id), body BLOB NOT NULL);"
	"CREATE TABLE exceptions(host_id INTEGER NOT NULL REFERENCES hosts(id),"
	" rule TEXT NOT NULL, reason TEXT NOT NULL, approved_by TEXT NOT NULL,"
	" until TEXT NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER"
	" NOT NULL, UNIQUE(host_id, rule, reason, approved_by, until));"
	"CREATE TABLE inventory(hostname TEXT PRIMARY KEY COLLATE NOCASE,"
	" attributes TEXT NOT NULL, imported_at INTEGER NOT NULL);"
	"CREATE INDEX reports_time ON reports(finished_at);"
	"CREATE INDEX reports_host_time ON reports(host_id, finished_at);"
	"INSERT INTO hosts VALUES(3, 'pc-03', 'ab', 5);"
	"INSERT INTO reports VALUES(9, '6f1c2e3a-0000-4000-8000-000000000009', 3,"
	" 'pc-03', 0, 1798797600, 1798797605, 87.5,"
	" 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',"
	" 'nisc-9:a=p\n');"
	"INSERT INTO report_bodies VALUES(9, X'7B2262223A317D0A');"
	"INSERT INTO exceptions VALUES(3, 'nisc-9:a', 'kiosk', 'Sato',"
	" '2027-12-31', 1798797600, 1798797600);"
	"INSERT INTO inventory VALUES('pc-03', '{\"owner\":\"Ito\"}', 4);";

/* Opened by this collector, such a database is brought to the current
 * version and nothing is lost or changed. */
static void test_main_schema_upgraded(void **state)
{
	(void)state;
	snprintf(database, sizeof database, "%s", path("main.db")); /* SQLite's history */
	write_config("", NULL);
	assert_int_equal(testdb_exec(database, main_schema_sql), 0);
	e2e_assert_old_report_kept(path("collector.yaml"));
	assert_int_equal(testdb_int(database, "SELECT min(version) FROM schema_version", NULL), 1);
	assert_true(testdb_int(database, "SELECT max(version) FROM schema_version", NULL) >= 1);
	/* the throttles' table came with migration 3 */
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM rate_limits", NULL), 0);
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM inventory", NULL), 1);
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM hosts WHERE token_sha256"
					      " = 'ab' AND enrolled_at = 5", NULL),
			 1);
}

/* main after issue 11 had the rate_limits table, still without
 * schema_version: it passes through migration 3 keeping its rows, and the
 * throttle goes on counting in it. */
static void test_main_schema_with_rate_limits_upgraded(void **state)
{
	(void)state;
	snprintf(database, sizeof database, "%s", path("main.db"));
	write_config("", NULL);
	assert_int_equal(testdb_exec(database, main_schema_sql), 0);
	assert_int_equal(testdb_exec(database,
				     "CREATE TABLE rate_limits(key TEXT PRIMARY KEY,"
				     " window_start INTEGER NOT NULL, count INTEGER NOT NULL);"
				     "INSERT INTO rate_limits VALUES('enroll:192.0.2.7', 4102444800, 3);"),
			 0);
	char *argv[] = {(char *)collector_bin, "-c", path("collector.yaml"), "export",
			"6f1c2e3a-0000-4000-8000-000000000009", NULL};
	char out[8192];
	assert_int_equal(run_collector(argv, out, sizeof out), 0);
	assert_string_equal(out, "{\"b\":1}\n");
	/* through migration 3 at least (later branches append theirs) */
	assert_true(testdb_int(database, "SELECT max(version) FROM schema_version", NULL) >= 3);
	assert_int_equal(testdb_int(database, "SELECT count FROM rate_limits WHERE key ="
					      " 'enroll:192.0.2.7'", NULL),
			 3);
}

/* The annual report of the configured store, --now fixed: a digest of
 * everything the store holds (coverage, rules, exceptions, evidence). */
static char *annual_json(void)
{
	static char out[1 << 16];
	char year[16];
	snprintf(year, sizeof year, "%d", 1900 + gmtime(&(time_t){time(NULL)})->tm_year);
	char *argv[] = {(char *)collector_bin, "-c", path("collector.yaml"), "report", "--year",
			year, "--format", "json", "--now", "2099-01-01T00:00:00Z", NULL};
	assert_int_equal(run_collector(argv, out, sizeof out), 0);
	return strdup(out);
}

/* body with one approved exception instead of none (body is freed). */
static char *with_exception(char *body)
{
	static const char none[] = "\"exceptions\":[]";
	size_t len = strlen(body), at = 0;
	while (at < len && strncmp(body + at, none, sizeof none - 1) != 0)
		at++;
	char *nb = malloc(len + 200);
	assert_non_null(nb);
	snprintf(nb, len + 200, "%.*s\"exceptions\":[{\"rule\":\"nisc-9:os.updates\","
				"\"reason\":\"kiosk\",\"approved_by\":\"Sato\","
				"\"until\":\"2099-12-31\"}]%s",
		 (int)at, body, body + (at < len ? at + sizeof none - 1 : len));
	free(body);
	return nb;
}

/* migrate --to: a SQLite store copied into the suite's store (PostgreSQL in
 * the _pg run), every report verified; the copy gives the same annual
 * report, the same bytes on export, and the agents' tokens still work. A
 * source body that no longer matches its SHA-256 stops the copy. */
static void test_migrate_verified(void **state)
{
	(void)state;
	char dst[4200], src[4200];
	snprintf(dst, sizeof dst, "%s", database);
	snprintf(src, sizeof src, "%s", path("src.db"));
	snprintf(database, sizeof database, "%s", src);
	write_config("", NULL);
	enroll("pc-01", path("token"));
	collector c = start();
	char tok[100], id[37], *bodies[4];
	read_token(tok, sizeof tok);
	for (int i = 0; i < 4; i++) {
		make_id(40 + i, id);
		bodies[i] = report(id, "pc-01", now_rfc3339());
		if (i == 2) /* one with an approved exception */
			bodies[i] = with_exception(bodies[i]);
		assert_int_equal(post(c.port, tok, bodies[i], -1, id), 201);
	}
	stop(&c, SIGTERM);
	write_file(path("inventory.csv"), "hostname,owner\npc-01,Sato\npc-09,Ito\n", 0600);
	char *inv[] = {(char *)collector_bin, "-c", path("collector.yaml"), "inventory", "import",
		       path("inventory.csv"), NULL};
	char out[4096];
	assert_int_equal(run_collector(inv, out, sizeof out), 0);
	char *before = annual_json();
	assert_non_null(strstr(before, "\"kiosk\""));
	char *mig[] = {(char *)collector_bin, "-c", path("collector.yaml"), "migrate", "--to", dst,
		       NULL};
	assert_int_equal(run_collector(mig, out, sizeof out), 0);
	assert_int_equal(run_collector(mig, out, sizeof out), 0); /* again: nothing doubled */
	snprintf(database, sizeof database, "%s", dst);
	write_config("", NULL);
	char *after = annual_json();
	assert_string_equal(after, before);
	assert_int_equal(db_count(), 4);
	static char body[65536];
	for (int i = 0; i < 4; i++) {
		make_id(40 + i, id);
		char *ex[] = {(char *)collector_bin, "-c", path("collector.yaml"), "export", id, NULL};
		assert_int_equal(run_collector(ex, body, sizeof body), 0);
		assert_string_equal(body, bodies[i]);
	}
	c = start();
	make_id(41, id);
	assert_int_equal(post(c.port, tok, bodies[1], -1, id), 200);
	make_id(49, id);
	char *r = report(id, "pc-01", now_rfc3339());
	assert_int_equal(post(c.port, tok, r, -1, id), 201);
	free(r);
	stop(&c, SIGTERM);
	/* a tampered source body: refused, named */
	assert_int_equal(testdb_exec(src, "UPDATE report_bodies SET body = X'7B7D', encoding = 0"
					  " WHERE report = (SELECT min(report) FROM report_bodies)"),
			 0);
	char fresh[4200];
	testdb_new(dir, "fresh", fresh, sizeof fresh);
	snprintf(database, sizeof database, "%s", src);
	write_config("", NULL);
	const char *bad[] = {collector_bin, "-c", path("collector.yaml"), "migrate", "--to", fresh,
			     NULL};
	assert_int_equal(run_program(bad, 2, false, out, sizeof out), 1);
	assert_non_null(strstr(out, "does not match its SHA-256"));
	for (int i = 0; i < 4; i++)
		free(bodies[i]);
	free(before);
	free(after);
}

/* ---- client certificates (mTLS) ---- */

static void read_token_file(const char *name, char *tok, size_t size)
{
	FILE *f = fopen(path(name), "r");
	assert_non_null(f);
	assert_non_null(fgets(tok, (int)size, f));
	tok[strcspn(tok, "\n")] = '\0';
	fclose(f);
}

static long post_id(int port, int n, const char *token, const char *client)
{
	char id[37];
	make_id(n, id);
	char *body = report(id, "pc-01", now_rfc3339());
	long code = post_full(port, token, body, -1, id, client);
	free(body);
	return code;
}

static void mtls_config(bool required)
{
	char extra[600];
	snprintf(extra, sizeof extra, "client_ca: %s\nclient_cert_required: %s\n",
		 pkipath("client-ca.pem"), required ? "true" : "false");
	write_config("", extra);
}

/* client_ca set, certificates optional: a certificate naming an enrolled
 * host replaces the token; a bad one is refused even with a good token. */
static void test_mtls_client_certificates(void **state)
{
	(void)state;
	mtls_config(false);
	enroll("pc-01", path("token"));
	enroll("pc-02", path("token2"));
	collector c = start();
	char tok[100], tok2[100];
	read_token_file("token", tok, sizeof tok);
	read_token_file("token2", tok2, sizeof tok2);
	assert_int_equal(post_id(c.port, 1, NULL, "client-pc-01"), 201);   /* cert only */
	assert_int_equal(post_id(c.port, 2, tok, "client-pc-01"), 201);    /* both agree */
	assert_int_equal(post_id(c.port, 3, tok2, "client-pc-01"), 403);   /* disagree */
	long rogue = post_id(c.port, 4, NULL, "client-rogue");             /* other CA */
	assert_true(rogue == 0 || rogue == 401 || rogue == 403);
	assert_int_equal(post_id(c.port, 4, tok, "client-rogue"), rogue == 0 ? 0 : 403);
	assert_int_equal(post_id(c.port, 5, NULL, "client-pc-99"), 403);   /* not enrolled */
	assert_int_equal(post_id(c.port, 6, NULL, "client-serveronly"), 403); /* not for clients */
	assert_int_equal(post_id(c.port, 7, NULL, NULL), 401);             /* nothing */
	assert_int_equal(post_id(c.port, 8, tok, NULL), 201);              /* token only */
	assert_int_equal(db_count(), 3);
	/* the agent's own upload path: client_cert, no token_file */
	upload_config uc;
	agent_config(&uc, c.port, NULL);
	free(uc.token_file);
	uc.token_file = NULL;
	uc.client_cert = strdup(pkipath("client-pc-01.pem"));
	uc.client_key = strdup(pkipath("client-pc-01-key.pem"));
	spool_reports(&uc, 20, 2);
	upload_status st;
	assert_int_equal(upload_flush(&uc, &st, NULL), 0);
	assert_int_equal(st.sent, 2);
	assert_int_equal(db_count(), 5);
	upload_config_free(&uc);
	stop(&c, SIGTERM);
}

/* client_cert_required: a token alone is no longer enough. */
static void test_mtls_required(void **state)
{
	(void)state;
	mtls_config(true);
	enroll("pc-01", path("token"));
	collector c = start();
	char tok[100];
	read_token_file("token", tok, sizeof tok);
	assert_int_equal(post_id(c.port, 1, tok, NULL), 401);
	assert_int_equal(post_id(c.port, 2, NULL, "client-pc-99"), 403);
	assert_int_equal(db_count(), 0);
	assert_int_equal(post_id(c.port, 3, NULL, "client-pc-01"), 201);
	assert_int_equal(post_id(c.port, 4, tok, "client-pc-01"), 201);
	assert_int_equal(db_count(), 2);
	stop(&c, SIGTERM);
}

/* ---- the hostaudit program: run --upload and flush ---- */

static void write_agent_config(int port)
{
	char cfg[4096];
	snprintf(cfg, sizeof cfg,
		 "schema: hostaudit/config/v1\n"
		 "rules: [%s/tests/fixtures/rules/nisc-9-password.yaml]\n"
		 "upload:\n  url: https://127.0.0.1:%d/v1/reports\n  ca_file: %s\n"
		 "  token_file: %s\n  spool_dir: %s\n  deadline_s: 3\n  connect_timeout_s: 2\n",
		 source_dir, port, pkipath("ca.pem"), path("token"), path("spool"));
	write_file(path("agent.yaml"), cfg, 0600);
}

/* Runs hostaudit with args; returns its exit status, stderr in err. */
static int run_hostaudit(const char *const args[], char *err, size_t err_size)
{
	return run_program(args, 2, true, err, err_size);
}

static void test_cli_run_upload_and_flush(void **state)
{
	(void)state;
	write_config("", NULL);
	enroll("pc-01", path("token"));
	collector c = start();
	write_agent_config(c.port);
	char root[4096], err[2048];
	snprintf(root, sizeof root, "%s/tests/fixtures/roots/password-compliant", source_dir);
	const char *run[] = {hostaudit_bin, "run", "-c", path("agent.yaml"), "--root", root,
			     "--upload", NULL};
	/* Sent: the audit's own status (0: the compliant fixture passes). */
	assert_int_equal(run_hostaudit(run, err, sizeof err), 0);
	assert_non_null(strstr(err, "sent 1"));
	assert_int_equal(db_count(), 1);
	/* Collector down: the report waits in the spool, exit 4. */
	stop(&c, SIGTERM);
	assert_int_equal(run_hostaudit(run, err, sizeof err), 4);
	assert_non_null(strstr(err, "pending 1"));
	upload_config uc;
	agent_config(&uc, 1, NULL);
	assert_int_equal(spooled(&uc), 1);
	/* Back up (on a new port): flush sends it, exactly once. */
	c = start();
	write_agent_config(c.port);
	const char *flush[] = {hostaudit_bin, "flush", "-c", path("agent.yaml"), NULL};
	assert_int_equal(run_hostaudit(flush, err, sizeof err), 0);
	assert_non_null(strstr(err, "sent 1"));
	assert_int_equal(spooled(&uc), 0);
	assert_int_equal(db_count(), 2);
	assert_int_equal(run_hostaudit(flush, err, sizeof err), 0);
	assert_int_equal(db_count(), 2);
	upload_config_free(&uc);
	stop(&c, SIGTERM);
}

static char *slurp(const char *p)
{
	static char buf[4096];
	int fd = open(p, O_RDONLY);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* hostaudit enroll: the secret buys one token, written 0600; the token
 * then uploads; a wrong secret gets 401 and writes nothing; a second
 * enrollment of the host is refused, leaving the token as it was. */
static void test_cli_enroll_then_upload(void **state)
{
	(void)state;
	write_file(path("secret"), "company-enrollment-secret\n", 0600);
	write_file(path("wrong-secret"), "not-the-secret\n", 0600);
	char extra[4300];
	snprintf(extra, sizeof extra, "enrollment_secret_file: %s\n", path("secret"));
	write_config("", extra);
	collector c = start();
	write_agent_config(c.port);
	char err[2048];
	const char *wrong[] = {hostaudit_bin, "enroll", "-c", path("agent.yaml"), "--secret-file",
			       path("wrong-secret"), NULL};
	assert_int_equal(run_hostaudit(wrong, err, sizeof err), 5);
	assert_non_null(strstr(err, "401"));
	struct stat sb;
	assert_int_equal(stat(path("token"), &sb), -1);

	const char *enroll_cmd[] = {hostaudit_bin, "enroll", "-c", path("agent.yaml"),
				    "--secret-file", path("secret"), NULL};
	assert_int_equal(run_hostaudit(enroll_cmd, err, sizeof err), 0);
	assert_non_null(strstr(err, "enrolled"));
	assert_int_equal(stat(path("token"), &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	char token[4096];
	snprintf(token, sizeof token, "%s", slurp(path("token")));
	assert_int_equal(strlen(token), 65); /* 64 hex + newline */

	char root[4096];
	snprintf(root, sizeof root, "%s/tests/fixtures/roots/password-compliant", source_dir);
	const char *run[] = {hostaudit_bin, "run", "-c", path("agent.yaml"), "--root", root,
			     "--upload", NULL};
	assert_int_equal(run_hostaudit(run, err, sizeof err), 0);
	assert_non_null(strstr(err, "sent 1"));
	assert_int_equal(db_count(), 1);

	/* again: the token file is there (local refusal, nothing sent) ... */
	assert_int_equal(run_hostaudit(enroll_cmd, err, sizeof err), 2);
	assert_non_null(strstr(err, "already exists"));
	/* ... and with --force the collector refuses: enrolled once already */
	const char *again[] = {hostaudit_bin, "enroll", "-c", path("agent.yaml"), "--secret-file",
			       path("secret"), "--force", NULL};
	assert_int_equal(run_hostaudit(again, err, sizeof err), 5);
	assert_non_null(strstr(err, "already enrolled"));
	assert_string_equal(slurp(path("token")), token);
	/* a secret file others can read is refused before anything is sent */
	chmod(path("secret"), 0644);
	assert_int_equal(run_hostaudit(again, err, sizeof err), 2);
	assert_non_null(strstr(err, "readable by others"));
	stop(&c, SIGTERM);
}

/* The whole of a file the collector wrote (up to 1 MiB). */
static char *read_whole(const char *p)
{
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The auditor's side: inventory import and the annual report in its three
 * formats, over two stored reports and one inventory host that never
 * reported; then the refusals. */
static void test_annual_report_and_inventory(void **state)
{
	(void)state;
	write_config("", NULL);
	enroll("pc-01", path("token"));
	collector c = start();
	upload_config uc;
	agent_config(&uc, c.port, NULL);
	spool_reports(&uc, 1, 2);
	upload_status st;
	assert_int_equal(upload_flush(&uc, &st, NULL), 0);
	assert_int_equal(st.sent, 2);
	upload_config_free(&uc);
	stop(&c, SIGTERM);
	char cfg[4200], out[4096], year[16];
	snprintf(cfg, sizeof cfg, "%s", path("collector.yaml")); /* path() rotates 8 buffers */
	snprintf(year, sizeof year, "%d", 1900 + gmtime(&(time_t){time(NULL)})->tm_year);
	write_file(path("inventory.csv"), "hostname,owner\npc-01,Sato\npc-02,Suzuki\n", 0600);
	char *inv[] = {(char *)collector_bin, "-c", cfg, "inventory", "import",
		       path("inventory.csv"), NULL};
	assert_int_equal(run_collector(inv, out, sizeof out), 0);
	char *js[] = {(char *)collector_bin, "-c", cfg, "report", "--year", year, "--format",
		      "json", "--out", path("annual.json"), NULL};
	assert_int_equal(run_collector(js, out, sizeof out), 0);
	const char *j = read_whole(path("annual.json"));
	assert_non_null(strstr(j, "\"hostaudit/annual/v2\""));
	assert_non_null(strstr(j, "\"pc-02\""));
	char *html[] = {(char *)collector_bin, "-c", cfg, "report", "--year", year, "--format",
			"html", "--out", path("annual.html"), NULL};
	assert_int_equal(run_collector(html, out, sizeof out), 0);
	const char *h = read_whole(path("annual.html"));
	assert_non_null(strstr(h, "pc-01"));
	assert_non_null(strstr(h, "pc-02"));
	struct stat sb;
	assert_int_equal(stat(path("annual.html"), &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600); /* the evidence is the owner's */
	assert_int_equal(mkdir(path("csv"), 0700), 0);
	char *csv[] = {(char *)collector_bin, "-c", cfg, "report", "--year", year, "--format",
		       "csv", "--out", path("csv"), NULL};
	assert_int_equal(run_collector(csv, out, sizeof out), 0);
	assert_non_null(strstr(read_whole(path("csv/hosts.csv")), "pc-02"));
	/* refusals: csv needs a directory, a year is a year, an inventory
	 * needs a hostname column, an unknown report id */
	char *csv_no_out[] = {(char *)collector_bin, "-c", cfg, "report", "--year", year,
			      "--format", "csv", NULL};
	assert_int_equal(run_collector(csv_no_out, out, sizeof out), 2);
	char *bad_year[] = {(char *)collector_bin, "-c", cfg, "report", "--year", "20x6",
			    "--format", "json", NULL};
	assert_int_equal(run_collector(bad_year, out, sizeof out), 2);
	write_file(path("bad.csv"), "name,owner\npc-01,Sato\n", 0600);
	char *bad_inv[] = {(char *)collector_bin, "-c", cfg, "inventory", "import",
			   path("bad.csv"), NULL};
	assert_int_equal(run_collector(bad_inv, out, sizeof out), 1);
	char *export[] = {(char *)collector_bin, "-c", cfg, "export",
			  "00000000-0000-4000-8000-000000000000", NULL};
	assert_int_equal(run_collector(export, out, sizeof out), 1);
}

/* An empty database; a database that cannot be opened, a config that is a
 * directory or names
 * an unknown key (the old test_reply_delay_ms among them): a clear error,
 * never a half-started collector. */
static void test_unusable_database_and_config(void **state)
{
	(void)state;
	char out[4096];
	write_config("", NULL);
	/* an empty fleet is a report with no hosts, not an error */
	char *empty[] = {(char *)collector_bin, "-c", path("collector.yaml"), "report", "--year",
			 "2026", "--format", "json", NULL};
	assert_int_equal(run_collector(empty, out, sizeof out), 0);
	assert_non_null(strstr(out, "\"hosts\": []"));
	char cfg[8192];
	snprintf(cfg, sizeof cfg, "%s", read_whole(path("collector.yaml")));
	char *db = strstr(cfg, "database: ");
	assert_non_null(db);
	/* everything after "database: " up to the line end replaced */
	char *eol = strchr(db, '\n');
	char rest[8192];
	snprintf(rest, sizeof rest, "%s", eol);
	snprintf(db, sizeof cfg - (size_t)(db - cfg), "database: %s%s",
		 path("no-such-dir/collector.db"), rest);
	write_file(path("collector.yaml"), cfg, 0600);
	char *enr[] = {(char *)collector_bin, "-c", path("collector.yaml"), "enroll", "pc-01",
		       NULL};
	assert_int_equal(run_collector(enr, out, sizeof out), 1);
	char *serve[] = {(char *)collector_bin, "-c", path("collector.yaml"), "serve", NULL};
	assert_int_equal(run_collector(serve, out, sizeof out), 2);
	char *dir_cfg[] = {(char *)collector_bin, "-c", (char *)work, "enroll", "pc-01", NULL};
	assert_int_equal(run_collector(dir_cfg, out, sizeof out), 2);
	write_config("", "test_reply_delay_ms: 3000\n");
	assert_int_equal(run_collector(enr, out, sizeof out), 2);
}

/* Runs the collector with a config of the given text; its exit status,
 * stderr in err. */
static int collector_with_config(const char *text, char *err, size_t err_size)
{
	write_file(path("bad.yaml"), text, 0600);
	const char *argv[] = {collector_bin, "-c", path("bad.yaml"), "enroll", "pc-01", NULL};
	return run_program(argv, 2, false, err, err_size);
}

/* Each config mistake: exit 2, one line naming the file and the problem. */
static void test_config_errors(void **state)
{
	(void)state;
	char cfg[2048], err[2048];
	/* A text ending in ": " gets a real file's path appended. */
	const struct {
		const char *text, *needle;
	} cases[] = {
		{"tls_cert: ", "tls_cert and tls_key go together"},
		{"listen: 127.0.0.1:0\nclient_ca: ", "client_ca needs tls_cert and tls_key"},
		{"listen: 127.0.0.1:0\nclient_cert_required: true\n",
		 "client_cert_required: true needs client_ca"},
		{"threads: 0\n", "threads: 0 is outside 1..256"},
		{"max_body_bytes: 12\n", "max_body_bytes: 12 is outside"},
		{"max_report_age_days: 0\n", "max_report_age_days: 0 is outside 1..36600"},
		{"enroll_max_failures: 0\n", "enroll_max_failures: 0 is outside"},
		{"header_timeout_s: 0\n", "header_timeout_s: 0 is outside 1..3600"},
		{"listen: [unclosed\n", "bad.yaml:"},
		{"lisen: 127.0.0.1:0\n", "lisen"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len = strlen(cases[i].text);
		bool path_needed = len >= 2 && !strcmp(cases[i].text + len - 2, ": ");
		snprintf(cfg, sizeof cfg, "%s%s\n", cases[i].text,
			 path_needed ? pkipath("ca.pem") : "");
		assert_int_equal(collector_with_config(cfg, err, sizeof err), 2);
		if (!strstr(err, cases[i].needle) || !strstr(err, "bad.yaml"))
			fail_msg("config %zu: '%s' lacks '%s'", i, err, cases[i].needle);
		assert_ptr_equal(strchr(err, '\n'), err + strlen(err) - 1); /* one line */
	}
}

/* ---- issue 11: nothing hangs, nothing races, nothing is forged ---- */

typedef struct answer {
	long code;
	long retry_after; /* the Retry-After header, 0 when none */
	char body[4096];
	size_t len;
} answer;

static size_t collect_body(char *p, size_t s, size_t n, void *u)
{
	answer *a = u;
	size_t k = s * n;
	if (a->len + k >= sizeof a->body)
		k = sizeof a->body - 1 - a->len;
	memcpy(a->body + a->len, p, k);
	a->len += k;
	a->body[a->len] = '\0';
	return s * n;
}

static size_t collect_header(char *p, size_t s, size_t n, void *u)
{
	answer *a = u;
	if (s * n > 12 && strncasecmp(p, "Retry-After:", 12) == 0)
		a->retry_after = strtol(p + 12, NULL, 10);
	return s * n;
}

/* POSTs a JSON body to path with bearer; from: the source address (NULL:
 * any); reuse: a handle whose connection is kept (NULL: a new one). */
static void post_json(CURL *reuse, int port, const char *path_, const char *bearer,
		      const char *idem, const char *body, const char *from, answer *a)
{
	CURL *c = reuse ? reuse : curl_easy_init();
	char url[200], auth[300], key[100];
	snprintf(url, sizeof url, "https://127.0.0.1:%d%s", port, path_);
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	if (bearer) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", bearer);
		h = curl_slist_append(h, auth);
	}
	if (idem) {
		snprintf(key, sizeof key, "Idempotency-Key: %s", idem);
		h = curl_slist_append(h, key);
	}
	*a = (answer){0};
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, pkipath("ca.pem"));
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_INTERFACE, from);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->code);
	curl_slist_free_all(h);
	if (!reuse)
		curl_easy_cleanup(c);
}

/* A TCP connection to the collector from source address from (NULL: any
 * loopback), every read and write bounded; -1 if refused. */
static int tcp_connect(int port, const char *from)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (from) {
		struct sockaddr_in b = {.sin_family = AF_INET};
		inet_pton(AF_INET, from, &b.sin_addr);
		if (bind(fd, (struct sockaddr *)&b, sizeof b) != 0) {
			close(fd);
			return -1;
		}
	}
	struct timeval tv = {5, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Sends req byte for byte over TLS (what curl would never send) and reads
 * the answer to its end; the status code, 0 when none came. */
static long raw_request(int port, const char *req, char *resp, size_t resp_size)
{
	resp[0] = '\0';
	int fd = tcp_connect(port, NULL);
	assert_true(fd >= 0);
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX_load_verify_locations(ctx, pkipath("ca.pem"), NULL);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	SSL *ssl = SSL_new(ctx);
	SSL_set_fd(ssl, fd);
	long code = 0;
	int len = (int)strlen(req);
	if (SSL_connect(ssl) == 1 && SSL_write(ssl, req, len) == len) {
		size_t n = 0;
		int r;
		while (n + 1 < resp_size && (r = SSL_read(ssl, resp + n, (int)(resp_size - 1 - n))) > 0)
			n += (size_t)r;
		resp[n] = '\0';
		if (sscanf(resp, "HTTP/1.%*d %ld", &code) != 1)
			code = 0;
	}
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
	return code;
}

static void enrollment_config(const char *more)
{
	write_file(path("secret"), "company-enrollment-secret\n", 0600);
	char extra[4300];
	snprintf(extra, sizeof extra, "enrollment_secret_file: %s\n%s", path("secret"),
		 more ? more : "");
	write_config("", extra);
}

/* The token in a 201 answer to /v1/enroll. */
static void token_of(const answer *a, char tok[65])
{
	const char *p = strstr(a->body, "\"token\":\"");
	assert_non_null(p);
	snprintf(tok, 65, "%s", p + 9);
	assert_int_equal(strlen(tok), 64);
}

enum { ENROLLERS = 8, ENROLL_ROUNDS = 5 };

typedef struct enroller {
	int port;
	char body[100];
	pthread_barrier_t *go;
	answer a;
} enroller;

static void *enroller_run(void *arg)
{
	enroller *e = arg;
	pthread_barrier_wait(e->go);
	/* 503 is the protocol's "try again" (the database busy): asked again,
	 * as a person at the enrolling PC would */
	for (int k = 0; k < 20; k++) {
		post_json(NULL, e->port, "/v1/enroll", "company-enrollment-secret", NULL, e->body,
			  NULL, &e->a);
		if (e->a.code != 503)
			break;
		usleep(100 * 1000);
	}
	return NULL;
}

/* 8 enrollments of one host at once: exactly one token is issued (201),
 * the others are told it is enrolled (409) (after a 503, when the
 * database was busy, asked again), and that token works. */
static void test_enroll_race_one_token(void **state)
{
	(void)state;
	enrollment_config(NULL);
	collector c = start();
	for (int round = 0; round < ENROLL_ROUNDS; round++) {
		enroller e[ENROLLERS];
		pthread_t t[ENROLLERS];
		pthread_barrier_t go;
		pthread_barrier_init(&go, NULL, ENROLLERS);
		for (int i = 0; i < ENROLLERS; i++) {
			e[i] = (enroller){.port = c.port, .go = &go};
			snprintf(e[i].body, sizeof e[i].body, "{\"host\":\"pc-race-%d\"}", round);
			assert_int_equal(pthread_create(&t[i], NULL, enroller_run, &e[i]), 0);
		}
		int created = 0, conflict = 0, winner = -1;
		for (int i = 0; i < ENROLLERS; i++) {
			pthread_join(t[i], NULL);
			if (e[i].a.code == 201)
				created++, winner = i;
			else if (e[i].a.code == 409)
				conflict++;
		}
		pthread_barrier_destroy(&go);
		if (created != 1 || conflict != ENROLLERS - 1) {
			for (int i = 0; i < ENROLLERS; i++)
				if (e[i].a.code != 201 && e[i].a.code != 409)
					print_message("enroller %d: answer %ld: %s\n", i, e[i].a.code,
						      e[i].a.body);
			fail_msg("round %d: %d tokens issued (201), %d refused (409)", round, created,
				 conflict);
		}
		char tok[65], id[37], host[32];
		token_of(&e[winner].a, tok);
		snprintf(host, sizeof host, "pc-race-%d", round);
		make_id(500 + round, id);
		char *r = report(id, host, now_rfc3339());
		assert_int_equal(post(c.port, tok, r, -1, id), 201); /* the token issued works */
		free(r);
	}
	assert_int_equal(db_count(), ENROLL_ROUNDS);
	stop(&c, SIGTERM);
}

static int log_count(const char *needle)
{
	char *log = read_whole(path("collector.log"));
	int n = 0;
	for (const char *p = log; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* Wrong enrollment secrets on one keep-alive connection: after
 * enroll_max_failures, 429 with Retry-After, even for the right secret;
 * another address is not affected; a restart forgets nothing (the count is
 * in the database); one log line says so. */
static void test_enroll_secret_throttled(void **state)
{
	(void)state;
	enrollment_config(NULL); /* the defaults: 10 in 600 s */
	collector c = start();
	CURL *one = curl_easy_init();
	answer a;
	for (int i = 0; i < 14; i++) {
		char guess[40];
		snprintf(guess, sizeof guess, "guess-%d", i);
		post_json(one, c.port, "/v1/enroll", guess, NULL, "{\"host\":\"pc-01\"}", NULL, &a);
		if (i < 10) {
			assert_int_equal(a.code, 401);
		} else {
			if (a.code != 429)
				fail_msg("guess %d: %ld, not 429", i, a.code);
			assert_true(a.retry_after >= 1 && a.retry_after <= 600);
		}
	}
	post_json(one, c.port, "/v1/enroll", "company-enrollment-secret", NULL,
		  "{\"host\":\"pc-01\"}", NULL, &a);
	assert_int_equal(a.code, 429); /* the right secret is no way around it */
	assert_non_null(strstr(a.body, "try again in"));
	curl_easy_cleanup(one);
	post_json(NULL, c.port, "/v1/enroll", "company-enrollment-secret", NULL,
		  "{\"host\":\"pc-02\"}", "127.0.0.2", &a);
	assert_int_equal(a.code, 201); /* another address enrolls */
	stop(&c, SIGTERM);
	if (!getenv("E2E_VERBOSE"))
		assert_int_equal(log_count("enrollment throttled"), 1); /* not one a guess */
	c = start();
	post_json(NULL, c.port, "/v1/enroll", "company-enrollment-secret", NULL,
		  "{\"host\":\"pc-01\"}", NULL, &a);
	assert_int_equal(a.code, 429); /* kept across the restart */
	/* the right secret does not count: an office enrolls many PCs */
	for (int i = 0; i < 8; i++) {
		char body[40];
		snprintf(body, sizeof body, "{\"host\":\"pc-1%d\"}", i);
		post_json(NULL, c.port, "/v1/enroll", "company-enrollment-secret", NULL, body,
			  "127.0.0.3", &a);
		assert_int_equal(a.code, 201);
	}
	stop(&c, SIGTERM);
}

/* A report may not be backdated into an old year, nor dated ahead, nor
 * carry a time that is not one. */
static void test_report_time_bounds(void **state)
{
	(void)state;
	write_config("", NULL);
	enroll("pc-01", path("token"));
	collector c = start();
	char tok[100];
	read_token(tok, sizeof tok);
	const struct {
		const char *when, *reason;
	} bad[] = {
		{"2001-01-01T00:00:00Z", "older than max_report_age_days"},
		{"0000-01-01T00:00:00Z", "older than max_report_age_days"},
		{"2026-01-01T-1:-1:-1Z", "RFC 3339"},
		{"2099-01-01T00:00:00Z", "in the future"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char id[37];
		make_id(600 + (int)i, id);
		char *r = report(id, "pc-01", bad[i].when);
		answer a;
		post_json(NULL, c.port, "/v1/reports", tok, id, r, NULL, &a);
		free(r);
		if (a.code != 422 || !strstr(a.body, bad[i].reason))
			fail_msg("finished_at %s: %ld %s", bad[i].when, a.code, a.body);
	}
	assert_int_equal(db_count(), 0);
	stop(&c, SIGTERM);
	/* the bound is max_report_age_days */
	write_config("", "max_report_age_days: 30\n");
	c = start();
	char when[32], id[37];
	time_t t = time(NULL) - 40 * 86400;
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	make_id(610, id);
	char *r = report(id, "pc-01", when);
	assert_int_equal(post(c.port, tok, r, -1, id), 422);
	free(r);
	t = time(NULL) - 20 * 86400;
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	make_id(611, id);
	r = report(id, "pc-01", when);
	assert_int_equal(post(c.port, tok, r, -1, id), 201);
	free(r);
	assert_int_equal(db_count(), 1);
	stop(&c, SIGTERM);
}

static void log_is_escaped(void);

/* What a client sends, in a path, a header or a body, cannot write a line
 * of its own into the log, nor an ESC sequence, nor bytes that are not
 * UTF-8: every line is the collector's, escaped. */
static void test_log_injection_escaped(void **state)
{
	(void)state;
	enrollment_config(NULL);
	enroll("pc-01", path("token"));
	collector c = start();
	char tok[100], req[1024], resp[4096];
	read_token(tok, sizeof tok);
	/* the answers are checked after the log: that is the point here */
	long path_code = raw_request(c.port,
				     "GET /v1/x%0aFAKE%20hostaudit-collector:%20forged%0d%1b[31m%ff"
				     " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
				     resp, sizeof resp);
	snprintf(req, sizeof req,
		 "POST /v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
		 "Content-Type: application/json\r\nContent-Length: 9\x1b[2J\xff\r\n"
		 "Connection: close\r\n\r\n{\"a\":\"b\"}",
		 tok);
	long header_code = raw_request(c.port, req, resp, sizeof resp);
	answer a;
	post_json(NULL, c.port, "/v1/enroll", "company-enrollment-secret", NULL,
		  "{\"host\":\"pc\\nFAKE forged line\\u001b[0m\"}", NULL, &a);
	stop(&c, SIGTERM);
	if (!getenv("E2E_VERBOSE"))
		log_is_escaped();
	assert_int_equal(path_code, 404); /* with a JSON answer, though the path is not UTF-8 */
	assert_true(header_code == 400 || header_code == 413);
	assert_int_equal(a.code, 400);
}

static void log_is_escaped(void)
{
	char *log = read_whole(path("collector.log"));
	for (const unsigned char *p = (const unsigned char *)log; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f || *p == 0xff)
			fail_msg("raw byte 0x%02x in the log at %td", *p, (const char *)p - log);
	for (const char *line = log; *line; line = strchr(line, '\n') + 1) {
		if (strncmp(line, "hostaudit-collector: ", 21) != 0)
			fail_msg("a line not the collector's: %.80s", line);
		if (!strchr(line, '\n'))
			break;
	}
	assert_non_null(strstr(log, "/v1/x\\x0aFAKE hostaudit-collector: forged\\x0d\\x1b[31m\\xff"));
	assert_non_null(strstr(log, "'pc\\x0aFAKE forged line\\x1b[0m'"));
	assert_int_equal(log_count("forged"), 2); /* each on the line of its refusal */
}

/* The answer's hostname_mismatch and the stored row's agree, by one rule:
 * equal (any case), or a short name and the same host's full name. */
static void test_hostname_mismatch_consistent(void **state)
{
	(void)state;
	write_config("", NULL);
	enroll("pc-01", path("token"));
	enroll("pc-02.corp.example", path("token2"));
	collector c = start();
	char tok[100], tok2[100];
	read_token_file("token", tok, sizeof tok);
	read_token_file("token2", tok2, sizeof tok2);
	const struct {
		const char *token, *claimed;
		bool mismatch;
	} cases[] = {
		{tok, "pc-01", false},
		{tok, "PC-01", false},
		{tok, "pc-01.corp.example", false},
		{tok, "pc-010", true},  /* answered false before: prefix compare */
		{tok, "pc-02", true},
		{tok2, "pc-02", false},
		{tok2, "PC-02.CORP.EXAMPLE", false},
		{tok2, "pc-02.other.example", true}, /* stored 0 before: first label only */
		{tok2, "pc-0", true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char id[37];
		make_id(700 + (int)i, id);
		char *r = report(id, cases[i].claimed, now_rfc3339());
		answer a;
		post_json(NULL, c.port, "/v1/reports", cases[i].token, id, r, NULL, &a);
		free(r);
		assert_int_equal(a.code, 201);
		bool answered = strstr(a.body, "\"hostname_mismatch\":true") != NULL;
		assert_true(answered || strstr(a.body, "\"hostname_mismatch\":false"));
		long stored_n = testdb_int(database,
					   "SELECT hostname_mismatch FROM reports WHERE report_id = $1",
					   id);
		assert_true(stored_n == 0 || stored_n == 1);
		bool stored = stored_n != 0;
		if (answered != cases[i].mismatch || stored != cases[i].mismatch)
			fail_msg("'%s' for %s: answered %d, stored %d, expected %d", cases[i].claimed,
				 cases[i].token == tok ? "pc-01" : "pc-02.corp.example", answered,
				 stored, cases[i].mismatch);
	}
	stop(&c, SIGTERM);
}

/* Runs argv with /dev/null as stdin, stdout and stderr: its exit status,
 * or -1 when it is still running after seconds (then killed). */
static int run_bounded(const char *const argv[], int seconds)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0); /* end of input: s_client quits after the handshake */
		dup2(null, 1);
		dup2(null, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int st;
	for (int i = 0; i < seconds * 20; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		sleep_ms(50);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

/* A FIFO where a file is expected hangs nothing, and the annual report
 * never writes through a symbolic link left at its --out name. */
static void test_no_blocking_or_symlinked_files(void **state)
{
	(void)state;
	write_config("", NULL);
	assert_int_equal(mkfifo(path("fifo"), 0600), 0);
	const char *inv[] = {collector_bin, "-c", path("collector.yaml"), "inventory", "import",
			     path("fifo"), NULL};
	assert_int_equal(run_bounded(inv, 5), 1);
	write_file(path("victim"), "precious\n", 0600);
	assert_int_equal(symlink(path("victim"), path("annual.json")), 0);
	const char *rep[] = {collector_bin, "-c", path("collector.yaml"), "report", "--year",
			     "2026", "--format", "json", "--out", path("annual.json"), NULL};
	assert_int_equal(run_bounded(rep, 5), 1);
	assert_string_equal(read_whole(path("victim")), "precious\n");
	const char *fifo_out[] = {collector_bin, "-c", path("collector.yaml"), "report", "--year",
				  "2026", "--format", "json", "--out", path("fifo"), NULL};
	assert_int_equal(run_bounded(fifo_out, 5), 1);
	/* a FIFO as the TLS key: refused at start, not waited on */
	char cfg[8192];
	snprintf(cfg, sizeof cfg,
		 "listen: 127.0.0.1:0\ntls_cert: %s\ntls_key: %s\ndatabase: %s\n",
		 pkipath("server.pem"), path("fifo"), database);
	write_file(path("collector.yaml"), cfg, 0600);
	const char *serve[] = {collector_bin, "-c", path("collector.yaml"), "serve", NULL};
	assert_int_equal(run_bounded(serve, 5), 2);
}

/* /usr/bin/openssl s_client with args against the collector: its exit
 * status (0: handshake done), bounded to 10 s. */
static int s_client(int port, const char *const args[])
{
	char connect_to[40];
	snprintf(connect_to, sizeof connect_to, "127.0.0.1:%d", port);
	const char *argv[16] = {"/usr/bin/openssl", "s_client", "-connect", connect_to, "-CAfile",
				pkipath("ca.pem"), "-verify_return_error"};
	size_t n = 7;
	for (size_t i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return run_bounded(argv, 10);
}

/* TLS 1.2 only with AEAD suites (no CBC, no SHA-1), and TLS 1.3. */
static void test_tls_weak_suites_refused(void **state)
{
	(void)state;
	write_config("", NULL);
	collector c = start();
	const char *cbc_sha1[] = {"-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA", NULL};
	const char *cbc_sha256[] = {"-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256", NULL};
	const char *gcm[] = {"-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", NULL};
	const char *chacha[] = {"-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305", NULL};
	const char *tls13[] = {"-tls1_3", NULL};
	const char *tls11[] = {"-tls1_1", "-cipher", "ALL:@SECLEVEL=0", NULL};
	assert_int_not_equal(s_client(c.port, cbc_sha1), 0);
	assert_int_not_equal(s_client(c.port, cbc_sha256), 0);
	assert_int_not_equal(s_client(c.port, tls11), 0);
	assert_int_equal(s_client(c.port, gcm), 0);
	assert_int_equal(s_client(c.port, chacha), 0);
	assert_int_equal(s_client(c.port, tls13), 0);
	stop(&c, SIGTERM);
}

/* One way to frame a body, and only JSON bodies. */
static void test_http_framing_and_content_type(void **state)
{
	(void)state;
	enrollment_config(NULL);
	enroll("pc-01", path("token"));
	collector c = start();
	char tok[100], resp[4096];
	read_token(tok, sizeof tok);
	const struct {
		const char *headers; /* besides Authorization and the right Content-Length */
		long code;
	} cases[] = {
		{"Content-Type: application/json\r\nContent-Length: 5\r\n", 400},
		{"Content-Type: application/json\r\n"
		 "Transfer-Encoding: chunked\r\n", 400},
		{"", 415},
		{"Content-Type: text/plain\r\n", 415},
		{"Content-Type: application/x-www-form-urlencoded\r\n", 415},
		{"Content-Type: application/jsonx\r\n", 415},
		{"Content-Type: application/json; charset=latin1\r\n", 415},
		{"Content-Type: application/json; charset=utf-8\r\n", 201},
		{"Content-Type: Application/JSON;charset=\"UTF-8\"\r\n", 201},
	};
	int stored = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char id[37], req[8192];
		make_id(800 + (int)i, id);
		char *r = report(id, "pc-01", now_rfc3339());
		snprintf(req, sizeof req,
			 "POST /v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
			 "Content-Length: %zu\r\n%sConnection: close\r\n\r\n%s",
			 tok, strlen(r), cases[i].headers, r);
		free(r);
		long code = raw_request(c.port, req, resp, sizeof resp);
		if (code != cases[i].code)
			fail_msg("case %zu: %ld, expected %ld: %s", i, code, cases[i].code, resp);
		stored += code == 201;
	}
	assert_int_equal(db_count(), stored);
	/* enrollment's JSON body too */
	const char *form = "host=pc-02";
	char req[1024];
	snprintf(req, sizeof req,
		 "POST /v1/enroll HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		 "Authorization: Bearer company-enrollment-secret\r\n"
		 "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n\r\n%s",
		 strlen(form), form);
	assert_int_equal(raw_request(c.port, req, resp, sizeof resp), 415);
	stop(&c, SIGTERM);
}

/* ---- saturation: slow connections from many addresses ---- */

enum { SLOW_ADDRESSES = 70, SLOW_PER_ADDRESS = 4 };

typedef struct slowloris {
	int port;
	int fd[SLOW_ADDRESSES * SLOW_PER_ADDRESS];
	volatile bool stop;
	int reconnects;
} slowloris;

/* Holds every slot open without ever sending a byte, and opens a new one
 * as soon as the collector closes one, like an attacker would. */
static void *slowloris_run(void *arg)
{
	slowloris *s = arg;
	while (!s->stop) {
		for (int i = 0; i < SLOW_ADDRESSES * SLOW_PER_ADDRESS && !s->stop; i++) {
			char b;
			if (s->fd[i] >= 0 && recv(s->fd[i], &b, 1, MSG_DONTWAIT) != 0 &&
			    (errno == EAGAIN || errno == EWOULDBLOCK))
				continue; /* still held */
			if (s->fd[i] >= 0)
				close(s->fd[i]);
			char from[20];
			snprintf(from, sizeof from, "127.0.0.%d", 2 + i / SLOW_PER_ADDRESS);
			s->fd[i] = tcp_connect(s->port, from);
			s->reconnects++;
		}
		sleep_ms(20);
	}
	return NULL;
}

/* 70 addresses, each under its per-IP limit, keep 280 slow connections
 * open (reopening every one that is closed) against a budget of 100: the
 * real agent still uploads within seconds. */
static void test_saturation_agent_gets_through(void **state)
{
	(void)state;
	/* timeouts far longer than the test: only the budget can let it in */
	char cfg[8192];
	snprintf(cfg, sizeof cfg,
		 "listen: 127.0.0.1:0\ntls_cert: %s\ntls_key: %s\ndatabase: %s\nthreads: 2\n"
		 "max_connections: 100\nper_ip_connections: 16\nconnection_timeout_s: 60\n"
		 "request_timeout_s: 60\n",
		 pkipath("server.pem"), pkipath("server-key.pem"), database);
	write_file(path("collector.yaml"), cfg, 0600);
	enroll("pc-01", path("token"));
	collector c = start();
	static slowloris s;
	s.port = c.port;
	s.stop = false;
	s.reconnects = 0;
	for (int i = 0; i < SLOW_ADDRESSES * SLOW_PER_ADDRESS; i++)
		s.fd[i] = -1;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, slowloris_run, &s), 0);
	sleep_ms(2000); /* every slot taken at least once */
	upload_config uc;
	agent_config(&uc, c.port, NULL);
	uc.deadline_s = 8;
	spool_reports(&uc, 1, 1);
	upload_status st;
	time_t t0 = time(NULL);
	int rc = upload_flush(&uc, &st, NULL);
	long took = (long)(time(NULL) - t0);
	s.stop = true;
	pthread_join(t, NULL);
	int held = 0;
	for (int i = 0; i < SLOW_ADDRESSES * SLOW_PER_ADDRESS; i++)
		if (s.fd[i] >= 0) {
			held++;
			close(s.fd[i]);
		}
	print_message("slow connections: %d slots, %d opened, agent in after %lds\n", held,
		      s.reconnects, took);
	assert_true(s.reconnects >= SLOW_ADDRESSES * SLOW_PER_ADDRESS);
	if (rc != 0)
		fail_msg("the agent was kept out: %s", st.message);
	assert_int_equal(st.sent, 1);
	assert_true(took <= 5);
	assert_int_equal(db_count(), 1);
	upload_config_free(&uc);
	stop(&c, SIGTERM);
}

int main(int argc, char **argv)
{
	if (!e2e_args(argc, argv, "test_e2e", true))
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_input_stores_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_client_cut_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upload_sends_and_empties_spool, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untrusted_cert_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_host_cert_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_after_commit_exactly_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_before_commit_arrives_later, setup, teardown),
		cmocka_unit_test_setup_teardown(test_down_for_days_all_arrive_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_reports_quarantined, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_uploads_stored_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill9_after_answer_nothing_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_collectors_one_killed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compressed_bodies_and_encodings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retention_keeps_summaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_database_migrated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_main_schema_upgraded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_main_schema_with_rate_limits_upgraded, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_migrate_verified, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mtls_client_certificates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mtls_required, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli_run_upload_and_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli_enroll_then_upload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_annual_report_and_inventory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unusable_database_and_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enroll_race_one_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enroll_secret_throttled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_time_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_injection_escaped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostname_mismatch_consistent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tls_weak_suites_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_http_framing_and_content_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_saturation_agent_gets_through, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_blocking_or_symlinked_files, setup, teardown),
	};
	if (getenv("E2E_ONLY")) /* a glob of test names, to iterate on one */
		cmocka_set_test_filter(getenv("E2E_ONLY"));
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
