/* SPDX-License-Identifier: Apache-2.0 */
/* The console (collector/ui/) end to end: the real hostaudit-collector
 * over HTTPS on 127.0.0.1 (the PKI of gen_certs.sh), real reports of the
 * agent uploaded with host tokens, real users made by `user add`; every
 * page, and each refusal: no session, a host's token, a wrong password,
 * an unknown user, the throttle, the wrong role, a missing or wrong CSRF
 * token, an expired session. Runs on SQLite (collector_ui_e2e) and on
 * PostgreSQL (collector_ui_e2e_pg, through run_pg.sh).
 *   test_ui_e2e COLLECTOR PKI_DIR WORK_DIR HOSTAUDIT SOURCE_DIR */
#define _GNU_SOURCE
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
#include <openssl/sha.h>

#include "e2e_common.h"
#include "e2e_http.h"
#include "testdb.h"

static char database[4200];
static int port;
static char token_weak[80], token_good[80];

/* argv's exit status, its stdout in out (stderr dropped). */
static int run(const char *const argv[], char *out, size_t size)
{
	const e2e_io io = {.capture = 1, .other = "/dev/null"};
	return e2e_run(argv, &io, out, size);
}

static int collector(const char *a1, const char *a2, const char *a3, const char *a4,
		     const char *a5, const char *a6, const char *a7, char *out, size_t size)
{
	const char *argv[] = {collector_bin, "-c", path("collector.yaml"), a1, a2, a3, a4, a5,
			      a6, a7, NULL};
	return run(argv, out, size);
}

/* ---- HTTP ---- */

typedef struct answer {
	long code;
	char *body;
	size_t len;
	char headers[8192];
} answer;

static size_t on_body(char *d, size_t sz, size_t n, void *x)
{
	answer *a = x;
	char *b = realloc(a->body, a->len + sz * n + 1);
	assert_non_null(b);
	memcpy(b + a->len, d, sz * n);
	a->len += sz * n;
	b[a->len] = '\0';
	a->body = b;
	return sz * n;
}

static size_t on_header(char *d, size_t sz, size_t n, void *x)
{
	answer *a = x;
	size_t have = strlen(a->headers);
	snprintf(a->headers + have, sizeof a->headers - have, "%.*s", (int)(sz * n), d);
	return sz * n;
}

/* One request; cookie "" for none; header an extra one (or NULL). */
static answer http(const char *method, const char *url_path, const char *form,
		   const char *cookie, const char *header)
{
	answer a = {0};
	a.body = calloc(1, 1);
	CURL *c = curl_easy_init();
	char url[600], ca[4200];
	snprintf(url, sizeof url, "https://127.0.0.1:%d%s", port, url_path);
	snprintf(ca, sizeof ca, "%s/ca.pem", pki);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (form)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &a);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 90L); /* a loaded CI machine */
	struct curl_slist *h = NULL;
	if (header)
		h = curl_slist_append(h, header);
	if (h)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (cookie && *cookie) {
		char ck[200];
		snprintf(ck, sizeof ck, "hostaudit_session=%s", cookie);
		curl_easy_setopt(c, CURLOPT_COOKIE, ck);
	}
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		fail_msg("%s %s: %s", method, url_path, curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return a;
}

static void done(answer *a)
{
	free(a->body);
	a->body = NULL;
}

/* A header's value (case-insensitive name) into out, "" when absent. */
static const char *header_of(const answer *a, const char *name, char *out, size_t size)
{
	out[0] = '\0';
	for (const char *l = a->headers; l && *l;) {
		if (!strncasecmp(l, name, strlen(name)) && l[strlen(name)] == ':') {
			const char *v = l + strlen(name) + 1;
			v += strspn(v, " ");
			snprintf(out, size, "%.*s", (int)strcspn(v, "\r\n"), v);
			return out;
		}
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
	return out;
}

/* Logs in: the session id (64 hex) into id; asserts 303 to the fleet. */
static void login(const char *user, const char *password, char id[65])
{
	char form[300], h[400];
	snprintf(form, sizeof form, "user=%s&password=%s", user, password);
	answer a = http("POST", "/ui/login", form, "", NULL);
	assert_int_equal(a.code, 303);
	assert_string_equal(header_of(&a, "Location", h, sizeof h), "/ui/fleet");
	header_of(&a, "Set-Cookie", h, sizeof h);
	assert_true(strncmp(h, "hostaudit_session=", 18) == 0);
	snprintf(id, 65, "%.64s", h + 18);
	assert_int_equal(strlen(id), 64);
	done(&a);
}

/* The csrf field of a page into out. */
static void csrf_of(const char *cookie, char out[65])
{
	answer a = http("GET", "/ui/fleet", NULL, cookie, NULL);
	assert_int_equal(a.code, 200);
	const char *p = strstr(a.body, "name=\"csrf\" value=\"");
	assert_non_null(p);
	snprintf(out, 65, "%.64s", p + 19);
	done(&a);
}

/* ---- the fleet of the test ---- */

static char *agent_report(const char *root, const char *name)
{
	char rules[4200], rootdir[4200], out[256];
	snprintf(rules, sizeof rules, "%s/rules", source_dir);
	snprintf(rootdir, sizeof rootdir, "%s/tests/fixtures/roots/%s", source_dir, root);
	const char *argv[] = {hostaudit_bin, "run", "--rules", rules, "--root", rootdir, "-f",
			      "json", "-o", path(name), NULL};
	int rc = run(argv, out, sizeof out);
	assert_true(rc == 0 || rc == 1);
	FILE *f = fopen(path(name), "rb");
	assert_non_null(f);
	char *body = calloc(1, 1 << 20);
	assert_true(fread(body, 1, (1 << 20) - 1, f) > 0);
	fclose(f);
	return body;
}

static long upload(const char *token, const char *body)
{
	return e2e_upload(port, token, body);
}

/* A collector with two users (alice admin, bob auditor in Japanese),
 * three hosts (pc-weak and pc-good reporting, pc-silent only in the
 * inventory), a department column. */
static int setup(void **state)
{
	(void)state;
	new_test_dir("ui", database, sizeof database);
	char cfg[8192];
	snprintf(cfg, sizeof cfg,
		 "listen: 127.0.0.1:0\ntls_cert: %s/server.pem\ntls_key: %s/server-key.pem\n"
		 "database: %s\nthreads: 2\nper_ip_connections: 64\norganisation_dir: %s\n",
		 pki, pki, database, path("organisation"));
	write_file(path("collector.yaml"), cfg, 0600);
	write_file(path("pw-alice"), "alice-secret-1\n", 0600);
	write_file(path("pw-bob"), "bob-secret-2\n", 0600);
	char out[4096];
	assert_int_equal(collector("user", "add", "alice", "--role", "admin", "--password-file",
				   path("pw-alice"), out, sizeof out), 0);
	const char *bob[] = {collector_bin, "-c", path("collector.yaml"), "user", "add", "bob",
			     "--role", "auditor", "--password-file", path("pw-bob"), "--lang", "ja",
			     NULL};
	assert_int_equal(run(bob, out, sizeof out), 0);
	assert_int_equal(collector("enroll", "pc-weak", NULL, NULL, NULL, NULL, NULL, token_weak,
				   sizeof token_weak), 0);
	token_weak[strcspn(token_weak, "\n")] = '\0';
	assert_int_equal(collector("enroll", "pc-good", NULL, NULL, NULL, NULL, NULL, token_good,
				   sizeof token_good), 0);
	token_good[strcspn(token_good, "\n")] = '\0';
	write_file(path("inventory.csv"),
		   "hostname,department,owner\npc-weak,Sales,sato\npc-good,Engineering,kato\n"
		   "pc-silent,Sales,ito\n", 0600);
	assert_int_equal(collector("inventory", "import", path("inventory.csv"), NULL, NULL, NULL,
				   NULL, out, sizeof out), 0);
	spawn_server(NULL);
	port = wait_for_port(60000); /* migrations on a busy PostgreSQL */
	char *weak = agent_report("password-weak", "weak.json");
	char *good = agent_report("password-compliant", "good.json");
	assert_int_equal(upload(token_weak, weak), 201);
	assert_int_equal(upload(token_good, good), 201);
	free(weak);
	free(good);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stop_server_within(5000);
	return 0;
}

/* ---- the tests ---- */

static void test_no_session_goes_to_login(void **state)
{
	(void)state;
	const char *pages[] = {"/ui/", "/ui", "/ui/fleet", "/ui/host?name=pc-weak",
			       "/ui/rule?id=ipa-5:password.strength", "/ui/enroll"};
	char h[400];
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		answer a = http("GET", pages[i], NULL, "", NULL);
		assert_int_equal(a.code, 303);
		assert_string_equal(header_of(&a, "Location", h, sizeof h), "/ui/login");
		assert_null(strstr(a.body, "pc-weak"));
		done(&a);
	}
	/* a forged cookie is no session */
	answer a = http("GET", "/ui/fleet", NULL,
			"0000000000000000000000000000000000000000000000000000000000000000", NULL);
	assert_int_equal(a.code, 303);
	done(&a);
	/* a POST of an admin action without a session changes nothing */
	a = http("POST", "/ui/enroll", "host=pc-new&csrf=x", "", NULL);
	assert_int_equal(a.code, 303);
	done(&a);
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM hosts WHERE name = $1",
				    "pc-new"), 0);
	/* the login page itself is open */
	a = http("GET", "/ui/login", NULL, "", NULL);
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, "name=\"user\""));
	assert_non_null(strstr(a.body, "name=\"password\""));
	done(&a);
}

/* A host's upload token opens nothing of the console (as a bearer token
 * or as the cookie). */
static void test_host_token_cannot_open_console(void **state)
{
	(void)state;
	char auth[200], h[400];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token_weak);
	answer a = http("GET", "/ui/fleet", NULL, "", auth);
	assert_int_equal(a.code, 303);
	assert_string_equal(header_of(&a, "Location", h, sizeof h), "/ui/login");
	done(&a);
	a = http("GET", "/ui/host?name=pc-good", NULL, token_weak, NULL);
	assert_int_equal(a.code, 303);
	assert_null(strstr(a.body, "pc-good"));
	done(&a);
}

static void test_login_cookie_and_session_row(void **state)
{
	(void)state;
	answer a = http("POST", "/ui/login", "user=alice&password=alice-secret-1", "", NULL);
	assert_int_equal(a.code, 303);
	char h[400];
	header_of(&a, "Set-Cookie", h, sizeof h);
	assert_non_null(strstr(h, "; HttpOnly"));
	assert_non_null(strstr(h, "; Secure"));
	assert_non_null(strstr(h, "; SameSite=Strict"));
	assert_non_null(strstr(h, "; Path=/ui/"));
	assert_non_null(strstr(h, "; Max-Age=28800"));
	char id[65];
	snprintf(id, sizeof id, "%.64s", h + 18);
	done(&a);
	/* stored as its SHA-256 only, expiring in the database */
	unsigned char md[32];
	SHA256((const unsigned char *)id, 64, md);
	char hex[65];
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM sessions WHERE id_sha256 = $1",
				    hex), 1);
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM sessions WHERE id_sha256 = $1",
				    id), 0);
	assert_int_equal(testdb_int(database, "SELECT expires_at - created_at FROM sessions"
					      " WHERE id_sha256 = $1", hex), 28800);
	assert_int_equal(testdb_int(database, "SELECT org_id FROM sessions WHERE id_sha256 = $1",
				    hex), 1);
	/* the password is argon2id, not the text */
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM users WHERE password_hash"
					      " LIKE '$argon2id$%' AND name = $1", "alice"), 1);
	a = http("GET", "/ui/", NULL, id, NULL);
	assert_int_equal(a.code, 303);
	assert_string_equal(header_of(&a, "Location", h, sizeof h), "/ui/fleet");
	done(&a);
	/* expired in the database: over, whatever the cookie says */
	assert_int_equal(testdb_exec(database, "UPDATE sessions SET expires_at = 1"), 0);
	a = http("GET", "/ui/fleet", NULL, id, NULL);
	assert_int_equal(a.code, 303);
	assert_string_equal(header_of(&a, "Location", h, sizeof h), "/ui/login");
	done(&a);
}

/* A wrong password and an unknown user get the same answer. */
static void test_wrong_password_unknown_user_same(void **state)
{
	(void)state;
	answer a = http("POST", "/ui/login", "user=alice&password=wrong", "", NULL);
	answer b = http("POST", "/ui/login", "user=alicf&password=wrong", "", NULL);
	assert_int_equal(a.code, 401);
	assert_int_equal(b.code, 401);
	char h[400];
	assert_string_equal(header_of(&a, "Set-Cookie", h, sizeof h), "");
	assert_string_equal(header_of(&b, "Set-Cookie", h, sizeof h), "");
	/* the same page but for the name typed, echoed back */
	char *x = strstr(a.body, "value=\"alice\""), *y = strstr(b.body, "value=\"alicf\"");
	assert_non_null(x);
	assert_non_null(y);
	x[11] = y[11] = 'X';
	assert_string_equal(a.body, b.body);
	assert_non_null(strstr(a.body, "Wrong user name or password."));
	done(&a);
	done(&b);
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM sessions", NULL), 0);
}

/* Five wrong passwords for a user, then even the right one waits; the
 * right one before that refunds its count. */
static void test_login_rate_limited(void **state)
{
	(void)state;
	char id[65];
	login("alice", "alice-secret-1", id);
	for (int i = 0; i < 5; i++) {
		answer a = http("POST", "/ui/login", "user=alice&password=guess", "", NULL);
		assert_int_equal(a.code, 401);
		done(&a);
	}
	answer a = http("POST", "/ui/login", "user=alice&password=alice-secret-1", "", NULL);
	assert_int_equal(a.code, 429);
	assert_non_null(strstr(a.body, "Too many wrong passwords"));
	char h[400];
	assert_string_equal(header_of(&a, "Set-Cookie", h, sizeof h), "");
	done(&a);
	/* counted in the store, per user: bob from the same address still may */
	assert_true(testdb_int(database, "SELECT count FROM rate_limits WHERE key = $1",
			       "ui-login-user:alice") >= 6);
	login("bob", "bob-secret-2", id);
}

static void test_pages_en(void **state)
{
	(void)state;
	char id[65];
	login("alice", "alice-secret-1", id);
	answer a = http("GET", "/ui/fleet", NULL, id, NULL);
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, "<h1>Fleet overview</h1>"));
	assert_non_null(strstr(a.body, "id=\"expected\">3<"));
	assert_non_null(strstr(a.body, "id=\"reporting\">2<"));
	assert_non_null(strstr(a.body, "id=\"stale\">1<"));
	assert_non_null(strstr(a.body, "Compliance per checklist article"));
	assert_non_null(strstr(a.body, "New passwords must have at least 10 characters"));
	assert_non_null(strstr(a.body, "/ui/rule?id=ipa-5%3Apassword.strength"));
	assert_non_null(strstr(a.body, "<svg"));
	assert_non_null(strstr(a.body, ">pc-silent<"));
	assert_null(strstr(a.body, "<script"));
	assert_null(strstr(a.body, "href=\"http"));
	assert_null(strstr(a.body, "src="));
	done(&a);
	/* the rule: its texts, the host it fails on, since when */
	a = http("GET", "/ui/rule?id=ipa-5:password.strength", NULL, id, NULL);
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, "Why it matters"));
	assert_non_null(strstr(a.body, "How to fix"));
	char today[16];
	time_t now = time(NULL);
	strftime(today, sizeof today, "%Y-%m-%d", gmtime(&now));
	assert_non_null(strstr(a.body, ">pc-weak</a></td><td>"));
	assert_non_null(strstr(a.body, today));
	assert_null(strstr(a.body, ">pc-good<"));
	done(&a);
	/* the host: its report as the agent renders it, history, chart */
	a = http("GET", "/ui/host?name=pc-weak", NULL, id, NULL);
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, "Security audit report: "));
	assert_non_null(strstr(a.body, "Fix these first"));
	assert_non_null(strstr(a.body, "id=\"history\""));
	assert_non_null(strstr(a.body, "<svg"));
	assert_non_null(strstr(a.body, ">Sales<"));
	assert_non_null(strstr(a.body, "id=\"revoke\"")); /* an admin's */
	done(&a);
	a = http("GET", "/ui/host?name=nobody", NULL, id, NULL);
	assert_int_equal(a.code, 404);
	done(&a);
	/* the filter by an inventory column */
	a = http("GET", "/ui/fleet?department=Sales", NULL, id, NULL);
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, ">pc-weak<"));
	assert_null(strstr(a.body, ">pc-good<"));
	assert_non_null(strstr(a.body, "id=\"expected\">2<"));
	done(&a);
	a = http("GET", "/ui/no-such-page", NULL, id, NULL);
	assert_int_equal(a.code, 404);
	done(&a);
}

static void test_pages_ja(void **state)
{
	(void)state;
	char id[65];
	/* bob chose Japanese */
	login("bob", "bob-secret-2", id);
	answer a = http("GET", "/ui/fleet", NULL, id, "Accept-Language: en");
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, "<html lang=\"ja\">"));
	assert_non_null(strstr(a.body, "フリート概要"));
	assert_non_null(strstr(a.body, "新しいパスワード"));
	assert_null(strstr(a.body, "Fleet overview"));
	done(&a);
	a = http("GET", "/ui/host?name=pc-weak", NULL, id, NULL);
	assert_non_null(strstr(a.body, "まず直すこと"));
	done(&a);
	/* alice chose nothing: her browser's language decides */
	login("alice", "alice-secret-1", id);
	a = http("GET", "/ui/rule?id=ipa-5:password.strength", NULL, id,
		 "Accept-Language: ja,en-US;q=0.8");
	assert_non_null(strstr(a.body, "<html lang=\"ja\">"));
	assert_non_null(strstr(a.body, "重要な理由"));
	done(&a);
	a = http("GET", "/ui/login", NULL, "", "Accept-Language: en-GB,ja;q=0.5");
	assert_non_null(strstr(a.body, "<html lang=\"en\">"));
	done(&a);
}

/* The report's three times (now, started_at, finished_at) moved back by
 * days, in place (the agent writes them as "KEY": "YYYY-MM-DDTHH:MM:SSZ"). */
static void backdate(char *report, int days)
{
	static const char *const keys[] = {"\"now\": \"", "\"started_at\": \"",
					   "\"finished_at\": \""};
	for (size_t i = 0; i < 3; i++) {
		char *at = strstr(report, keys[i]);
		assert_non_null(at);
		at += strlen(keys[i]);
		struct tm tm = {0};
		assert_non_null(strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm));
		time_t t = timegm(&tm) - (time_t)days * 86400;
		char b[32];
		strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		memcpy(at, b, 20);
	}
}

/* A host whose newest report fails the rule but is stale (10 days old,
 * stale_days 7): the rule page, the fleet page and GET /v1/rules/{rule}
 * agree that it fails nothing now; its own page says it is stale. */
static void test_stale_host_rule_page_agrees_with_api(void **state)
{
	(void)state;
	char out[4096], token_old[80];
	assert_int_equal(collector("enroll", "pc-old", NULL, NULL, NULL, NULL, NULL, token_old,
				   sizeof token_old), 0);
	token_old[strcspn(token_old, "\n")] = '\0';
	char *old = agent_report("password-weak", "old.json");
	backdate(old, 10);
	assert_int_equal(upload(token_old, old), 201);
	free(old);
	const char *tok_argv[] = {collector_bin, "-c", path("collector.yaml"), "token", "create",
				  "--role", "auditor", "--name", "reader", NULL};
	assert_int_equal(run(tok_argv, out, sizeof out), 0);
	out[strcspn(out, "\n")] = '\0';
	char bearer[200];
	assert_int_equal(strlen(out), 68); /* hat_ and 64 hex */
	snprintf(bearer, sizeof bearer, "Authorization: Bearer %.68s", out);
	answer a = http("GET", "/v1/rules/ipa-5:password.strength", NULL, "", bearer);
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, "\"hosts_failing\":1"));
	assert_non_null(strstr(a.body, "\"hostname\":\"pc-weak\""));
	assert_null(strstr(a.body, "pc-old"));
	done(&a);
	char id[65];
	login("alice", "alice-secret-1", id);
	a = http("GET", "/ui/rule?id=ipa-5:password.strength", NULL, id, NULL);
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, ">pc-weak</a></td><td>"));
	assert_null(strstr(a.body, ">pc-old<")); /* stale: fails nothing now */
	assert_non_null(strstr(a.body, "Why it matters"));
	done(&a);
	a = http("GET", "/ui/fleet", NULL, id, NULL);
	assert_non_null(strstr(a.body, "id=\"stale\">2<")); /* pc-silent, pc-old */
	done(&a);
	a = http("GET", "/ui/host?name=pc-old", NULL, id, NULL);
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, "id=\"stale\""));
	assert_non_null(strstr(a.body, "Security audit report: ")); /* its report still shown */
	done(&a);
	a = http("GET", "/ui/host?name=pc-weak", NULL, id, NULL);
	assert_null(strstr(a.body, "id=\"stale\""));
	done(&a);
}

/* The auditor reads everything and changes nothing. */
static void test_auditor_cannot_change(void **state)
{
	(void)state;
	char id[65], csrf[65], form[300];
	login("bob", "bob-secret-2", id);
	csrf_of(id, csrf);
	snprintf(form, sizeof form, "host=pc-new&csrf=%s", csrf);
	answer a = http("POST", "/ui/enroll", form, id, NULL);
	assert_int_equal(a.code, 403);
	done(&a);
	snprintf(form, sizeof form, "host=pc-weak&csrf=%s", csrf);
	a = http("POST", "/ui/host/revoke", form, id, NULL);
	assert_int_equal(a.code, 403);
	done(&a);
	snprintf(form, sizeof form, "host=pc-weak&key=owner&value=eve&csrf=%s", csrf);
	a = http("POST", "/ui/host/inventory", form, id, NULL);
	assert_int_equal(a.code, 403);
	done(&a);
	a = http("GET", "/ui/enroll", NULL, id, NULL);
	assert_int_equal(a.code, 403);
	done(&a);
	a = http("GET", "/ui/host?name=pc-weak", NULL, id, NULL);
	assert_int_equal(a.code, 200);
	assert_null(strstr(a.body, "id=\"revoke\""));
	done(&a);
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM hosts WHERE name = $1",
				    "pc-new"), 0);
	/* pc-weak's token still works */
	char *weak = agent_report("password-weak", "weak2.json");
	assert_int_equal(upload(token_weak, weak), 201);
	free(weak);
}

/* The admin's actions, each only with the session's CSRF token. */
static void test_admin_actions_need_csrf(void **state)
{
	(void)state;
	char id[65], csrf[65], form[300];
	login("alice", "alice-secret-1", id);
	csrf_of(id, csrf);
	answer a = http("POST", "/ui/enroll", "host=pc-new", id, NULL);
	assert_int_equal(a.code, 403);
	done(&a);
	a = http("POST", "/ui/enroll",
		 "host=pc-new&csrf=0000000000000000000000000000000000000000000000000000000000000000",
		 id, NULL);
	assert_int_equal(a.code, 403);
	done(&a);
	/* another session's token is no good either */
	char id2[65], csrf2[65];
	login("alice", "alice-secret-1", id2);
	csrf_of(id2, csrf2);
	assert_string_not_equal(csrf, csrf2);
	snprintf(form, sizeof form, "host=pc-new&csrf=%s", csrf2);
	a = http("POST", "/ui/enroll", form, id, NULL);
	assert_int_equal(a.code, 403);
	done(&a);
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM hosts WHERE name = $1",
				    "pc-new"), 0);
	/* enroll: the token shown once works */
	snprintf(form, sizeof form, "host=pc-new&csrf=%s", csrf);
	a = http("POST", "/ui/enroll", form, id, NULL);
	assert_int_equal(a.code, 200);
	const char *t = strstr(a.body, "id=\"token\">");
	assert_non_null(t);
	char token[65];
	snprintf(token, sizeof token, "%.64s", t + 11);
	done(&a);
	char *body = agent_report("password-compliant", "new.json");
	/* the report names another host: stored, flagged; the token is good */
	assert_int_equal(upload(token, body), 201);
	free(body);
	/* inventory field */
	snprintf(form, sizeof form, "host=pc-new&key=department&value=Sales&csrf=%s", csrf);
	a = http("POST", "/ui/host/inventory", form, id, NULL);
	assert_int_equal(a.code, 303);
	done(&a);
	a = http("GET", "/ui/fleet?department=Sales", NULL, id, NULL);
	assert_non_null(strstr(a.body, ">pc-new<"));
	done(&a);
	/* revoke: its next upload is refused */
	snprintf(form, sizeof form, "host=pc-weak&csrf=%s", csrf);
	a = http("POST", "/ui/host/revoke", form, id, NULL);
	assert_int_equal(a.code, 303);
	done(&a);
	char *weak = agent_report("password-weak", "weak3.json");
	assert_int_equal(upload(token_weak, weak), 401);
	free(weak);
	/* logout ends the session in the store */
	snprintf(form, sizeof form, "csrf=%s", csrf);
	a = http("POST", "/ui/logout", "", id, NULL);
	assert_int_equal(a.code, 403);
	done(&a);
	a = http("POST", "/ui/logout", form, id, NULL);
	assert_int_equal(a.code, 303);
	char h[400];
	assert_non_null(strstr(header_of(&a, "Set-Cookie", h, sizeof h), "Max-Age=0"));
	done(&a);
	a = http("GET", "/ui/fleet", NULL, id, NULL);
	assert_int_equal(a.code, 303);
	done(&a);
}

/* The organisation's answers file as kept (malloc'd). */
static char *kept_answers(void)
{
	FILE *f = fopen(path("organisation/answers.yaml"), "rb");
	assert_non_null(f);
	char *b = calloc(1, 1 << 16);
	assert_non_null(b);
	size_t n = fread(b, 1, (1 << 16) - 1, f);
	fclose(f);
	assert_true(n > 0);
	return b;
}

/* /ui/org: the category for whoever may read the console; the
 * questionnaire answered by an admin, kept as `org attest` keeps it. */
static void test_org_page(void **state)
{
	(void)state;
	char id[65], csrf[65], form[1200];
	login("alice", "alice-secret-1", id);
	csrf_of(id, csrf);
	answer a = http("GET", "/ui/org", NULL, id, "Accept-Language: en");
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, "href=\"/ui/org\"")); /* in the bar */
	assert_non_null(strstr(a.body, "[unknown]"));           /* nothing answered */
	assert_non_null(strstr(a.body, "id=\"undecided\""));
	assert_non_null(strstr(a.body, "not answered"));
	assert_non_null(strstr(a.body, "<form method=\"post\" action=\"/ui/org\" id=\"answer\">"));
	assert_non_null(strstr(a.body, "name=\"a_directive_1\""));
	assert_non_null(strstr(a.body, "name=\"t_directive_1\""));
	assert_null(strstr(a.body, "<script"));
	done(&a);
	struct stat st;
	/* without the CSRF token: refused, nothing kept */
	a = http("POST", "/ui/org", "who=Sato&a_it_used=no", id, NULL);
	assert_int_equal(a.code, 403);
	done(&a);
	assert_int_not_equal(stat(path("organisation/answers.yaml"), &st), 0);
	/* a word that is no answer: refused, nothing kept */
	snprintf(form, sizeof form, "who=Sato&a_it_used=maybe&csrf=%s", csrf);
	a = http("POST", "/ui/org", form, id, NULL);
	assert_int_equal(a.code, 400);
	done(&a);
	/* a document without its URL */
	snprintf(form, sizeof form, "who=Sato&a_directive_1=yes&t_directive_1=Policy&csrf=%s",
		 csrf);
	a = http("POST", "/ui/org", form, id, NULL);
	assert_int_equal(a.code, 400);
	done(&a);
	assert_int_not_equal(stat(path("organisation/answers.yaml"), &st), 0);
	/* the answer words of org attest, in Japanese too (はい) */
	snprintf(form, sizeof form,
		 "who=%%E4%%BD%%90%%E8%%97%%A4+%%E8%%8A%%B1%%E5%%AD%%90&organisation=Sample+KK"
		 "&a_it_used=no&a_security_needed=%%E3%%81%%AF%%E3%%81%%84"
		 "&a_directive_1=yes&t_directive_1=Security+policy+2026"
		 "&u_directive_1=https%%3A%%2F%%2Fintra.example%%2Fpolicy.pdf&a_data_used=&csrf=%s",
		 csrf);
	a = http("POST", "/ui/org", form, id, NULL);
	assert_int_equal(a.code, 303);
	char h[400];
	assert_string_equal(header_of(&a, "Location", h, sizeof h), "/ui/org?recorded=3");
	done(&a);
	assert_int_equal(stat(path("organisation/answers.yaml"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* kept as org attest keeps it: org show reads it and places the company */
	char out[1 << 16];
	assert_int_equal(collector("org", "show", "--format", "json", NULL, NULL, NULL, out,
				   sizeof out), 0);
	assert_non_null(strstr(out, "\"category\": \"no-it\""));
	assert_non_null(strstr(out, "佐藤 花子"));
	assert_non_null(strstr(out, "https://intra.example/policy.pdf"));
	assert_non_null(strstr(out, "\"organisation\": \"Sample KK\""));
	a = http("GET", "/ui/org?recorded=3", NULL, id, "Accept-Language: en");
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, "Recorded 3 answer(s)."));
	assert_non_null(strstr(a.body, "[no-it]"));
	assert_non_null(strstr(a.body, "id=\"approach\""));
	assert_non_null(strstr(a.body, "id=\"measures\""));
	assert_non_null(strstr(a.body, "Security policy 2026"));
	done(&a);
	/* a new answer to the directive keeps its document */
	snprintf(form, sizeof form, "who=Sato&a_directive_1=partly&csrf=%s", csrf);
	a = http("POST", "/ui/org", form, id, NULL);
	assert_int_equal(a.code, 303);
	done(&a);
	assert_int_equal(collector("org", "show", "--format", "json", NULL, NULL, NULL, out,
				   sizeof out), 0);
	assert_non_null(strstr(out, "\"answer\": \"partly\""));
	assert_non_null(strstr(out, "https://intra.example/policy.pdf"));
	/* the auditor reads it, in Japanese, and cannot change it */
	char bid[65], bcsrf[65];
	login("bob", "bob-secret-2", bid);
	csrf_of(bid, bcsrf);
	a = http("GET", "/ui/org", NULL, bid, NULL);
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, "<html lang=\"ja\">"));
	assert_non_null(strstr(a.body, "【対象外】"));
	assert_non_null(strstr(a.body, "組織の自己評価"));
	assert_null(strstr(a.body, "id=\"answer\""));
	assert_null(strstr(a.body, "name=\"a_it_used\""));
	done(&a);
	char *before = kept_answers();
	snprintf(form, sizeof form, "who=bob&a_it_used=yes&csrf=%s", bcsrf);
	a = http("POST", "/ui/org", form, bid, NULL);
	assert_int_equal(a.code, 403);
	done(&a);
	char *after = kept_answers();
	assert_string_equal(after, before); /* not a byte changed */
	free(before);
	free(after);
	assert_int_equal(collector("org", "show", "--format", "json", NULL, NULL, NULL, out,
				   sizeof out), 0);
	assert_non_null(strstr(out, "\"category\": \"no-it\""));
}

/* user list|passwd|remove; a password file others can read is refused. */
static void test_user_command(void **state)
{
	(void)state;
	char out[4096], id[65];
	write_file(path("pw-open"), "carol-pass\n", 0644);
	assert_int_equal(collector("user", "add", "carol", "--role", "admin", "--password-file",
				   path("pw-open"), out, sizeof out), 1);
	assert_int_equal(collector("user", "add", "alice", "--role", "admin", "--password-file",
				   path("pw-alice"), out, sizeof out), 1);
	assert_int_equal(collector("user", "add", "dave", "--role", "root", "--password-file",
				   path("pw-alice"), out, sizeof out), 2);
	assert_int_equal(collector("user", "list", NULL, NULL, NULL, NULL, NULL, out, sizeof out),
			 0);
	assert_string_equal(out, "alice\tadmin\t-\nbob\tauditor\tja\n");
	/* migrate --to carries the users (their hashes), and again changes nothing */
	for (int i = 0; i < 2; i++)
		assert_int_equal(collector("migrate", "--to", path("copy.db"), NULL, NULL, NULL,
					   NULL, out, sizeof out), 0);
	assert_int_equal(testdb_int(path("copy.db"), "SELECT count(*) FROM users WHERE"
				    " password_hash LIKE '$argon2id$%' AND name <> $1", "x"), 2);
	login("alice", "alice-secret-1", id);
	write_file(path("pw-new"), "alice-secret-new\n", 0600);
	assert_int_equal(collector("user", "passwd", "alice", "--password-file", path("pw-new"),
				   NULL, NULL, out, sizeof out), 0);
	/* the new password ends the old sessions */
	answer a = http("GET", "/ui/fleet", NULL, id, NULL);
	assert_int_equal(a.code, 303);
	done(&a);
	login("alice", "alice-secret-new", id);
	assert_int_equal(collector("user", "remove", "alice", NULL, NULL, NULL, NULL, out,
				   sizeof out), 0);
	a = http("GET", "/ui/fleet", NULL, id, NULL);
	assert_int_equal(a.code, 303);
	done(&a);
	a = http("POST", "/ui/login", "user=alice&password=alice-secret-new", "", NULL);
	assert_int_equal(a.code, 401);
	done(&a);
	assert_int_equal(collector("user", "remove", "alice", NULL, NULL, NULL, NULL, out,
				   sizeof out), 1);
}

int main(int argc, char **argv)
{
	if (!e2e_args(argc, argv, "test_ui_e2e", true))
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_session_goes_to_login, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_host_rule_page_agrees_with_api, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_host_token_cannot_open_console, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_login_cookie_and_session_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_password_unknown_user_same, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_login_rate_limited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pages_en, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pages_ja, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auditor_cannot_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin_actions_need_csrf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_page, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
