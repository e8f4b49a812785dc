/* SPDX-License-Identifier: Apache-2.0 */
/* End to end for the read API, /metrics and host lifecycle (issue 12):
 * the real hostaudit-collector (serve, enroll, inventory, token, hosts)
 * and the real hostaudit agent uploading real reports over HTTPS on
 * 127.0.0.1 with the PKI of gen_certs.sh; every endpoint and each
 * refusal (no token, unknown token, a host's token, another host's
 * token, a metrics token on /v1/..., an auditor token on /metrics, a bad
 * cursor, an unknown host). On SQLite, and on PostgreSQL under run_pg.sh.
 *   test_api_e2e COLLECTOR PKI_DIR WORK_DIR HOSTAUDIT SOURCE_DIR */
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
#include <jansson.h>

#include "e2e_common.h"
#include "testdb.h"

static char database[1024];
static int port;

static int setup(void **state)
{
	(void)state;
	new_test_dir("a", database, sizeof database);
	char cfg[8192];
	snprintf(cfg, sizeof cfg,
		 "listen: 127.0.0.1:0\ntls_cert: %s/server.pem\ntls_key: %s/server-key.pem\n"
		 "database: %s\nthreads: 2\n",
		 pki, pki, database);
	write_file(path("collector.yaml"), cfg, 0600);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stop_server();
	return 0;
}

/* Runs argv: its exit status; its stdout in out (may be NULL). */
static int run(const char *const argv[], char *out, size_t out_size, const char *env)
{
	const e2e_io io = {.capture = 1, .other = path("commands.log"), .env = env};
	return e2e_run(argv, &io, out, out_size);
}

static int collector(const char *a1, const char *a2, const char *a3, const char *a4,
		     const char *a5, char *out, size_t out_size)
{
	const char *argv[] = {collector_bin, "-c", path("collector.yaml"), a1, a2, a3, a4, a5,
			      NULL};
	return run(argv, out, out_size, NULL);
}

static void start_server(const char *env)
{
	spawn_server(env);
	port = wait_for_port(10000);
}

/* Enrolls host; its token in tok and in the file <host>.token. */
static void enroll(const char *host, char tok[80])
{
	char out[200];
	assert_int_equal(collector("enroll", host, NULL, NULL, NULL, out, sizeof out), 0);
	assert_int_equal(strlen(out), 65);
	out[64] = '\0';
	snprintf(tok, 80, "%.79s", out);
	char name[300];
	snprintf(name, sizeof name, "%s.token", host);
	write_file(path(name), tok, 0600);
}

static void token_create(const char *role, const char *name, char tok[80])
{
	char out[200];
	assert_int_equal(collector("token", "create", "--role", role, "--name", out, sizeof out),
			 2); /* --name without its value: a usage error */
	const char *argv[] = {collector_bin, "-c", path("collector.yaml"), "token", "create",
			      "--role", role, "--name", name, NULL};
	assert_int_equal(run(argv, out, sizeof out, NULL), 0);
	assert_int_equal(strlen(out), 69); /* hat_ + 64 hex + newline */
	out[68] = '\0';
	snprintf(tok, 80, "%.79s", out);
}

/* The real agent: one run on a fixture root, uploading as host. 0 when
 * it says it sent its report (its exit status tells of failing rules). */
static int agent_upload(const char *host, const char *root)
{
	struct stat sb;
	off_t before = stat(path("commands.log"), &sb) == 0 ? sb.st_size : 0;
	char cfg[16384], name[300], r[4200];
	snprintf(cfg, sizeof cfg,
		 "schema: hostaudit/config/v1\n"
		 "rules: [%s/tests/fixtures/rules/nisc-9-password.yaml]\n"
		 "upload:\n  url: https://127.0.0.1:%d/v1/reports\n  ca_file: %s/ca.pem\n"
		 "  token_file: %s/%s.token\n  spool_dir: %s/spool-%s\n  deadline_s: 5\n"
		 "  connect_timeout_s: 2\n",
		 source_dir, port, pki, dir, host, dir, host);
	snprintf(name, sizeof name, "agent-%s.yaml", host);
	write_file(path(name), cfg, 0600);
	snprintf(r, sizeof r, "%s/tests/fixtures/roots/%s", source_dir, root);
	const char *argv[] = {hostaudit_bin, "run", "-c", path(name), "--root", r, "--format",
			      "json", "-o", path("report.json"), "--upload", NULL};
	int rc = run(argv, NULL, 0, NULL);
	FILE *f = fopen(path("commands.log"), "r");
	assert_non_null(f);
	static char log[1 << 16];
	fseek(f, before, SEEK_SET);
	size_t n = fread(log, 1, sizeof log - 1, f);
	fclose(f);
	log[n] = '\0';
	if (getenv("E2E_VERBOSE"))
		fprintf(stderr, "hostaudit run: %d\n%s", rc, log);
	return rc <= 1 && strstr(log, "upload: sent 1,") ? 0 : 1;
}

/* ---- HTTPS ---- */

typedef struct answer {
	long code;
	char *body;
	size_t len;
	json_t *json;
} answer;

static size_t collect(char *p, size_t s, size_t n, void *u)
{
	answer *a = u;
	char *b = realloc(a->body, a->len + s * n + 1);
	assert_non_null(b);
	memcpy(b + a->len, p, s * n);
	a->len += s * n;
	b[a->len] = '\0';
	a->body = b;
	return s * n;
}

static answer request(const char *method, const char *url_path, const char *token,
		      const char *body)
{
	answer a = {0};
	CURL *c = curl_easy_init();
	char url[4200], auth[200];
	snprintf(url, sizeof url, "https://127.0.0.1:%d%s", port, url_path);
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	if (token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	char ca[4200];
	snprintf(ca, sizeof ca, "%s/ca.pem", pki);
	curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (a.body)
		a.json = json_loads(a.body, 0, NULL);
	return a;
}

static answer get(const char *url_path, const char *token)
{
	return request("GET", url_path, token, NULL);
}

static void answer_free(answer *a)
{
	free(a->body);
	json_decref(a->json);
}

static long code_of(const char *url_path, const char *token)
{
	answer a = get(url_path, token);
	long code = a.code;
	if (code >= 400)
		assert_non_null(json_object_get(a.json, "error")); /* says why */
	answer_free(&a);
	return code;
}

static json_int_t jint(const json_t *o, const char *a, const char *b)
{
	const json_t *v = json_object_get(o, a);
	if (b)
		v = json_object_get(v, b);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/* ---- the tests ---- */

static const char *const endpoints[] = {
	"/v1/fleet", "/v1/hosts", "/v1/hosts/pc-01", "/v1/hosts/pc-01/reports",
	"/v1/rules/password.min-length",
};
#define N_ENDPOINTS (sizeof endpoints / sizeof endpoints[0])

static void api_endpoints_and_refusals(void **state)
{
	(void)state;
	char pc01[80], pc02[80], auditor[80], metrics[80];
	enroll("pc-01", pc01);
	enroll("pc-02", pc02);
	/* the inventory keeps every column, asset_tag too */
	write_file(path("inventory.csv"),
		   "hostname,department,owner,location,asset_tag\n"
		   "pc-01,sales,alice,Osaka,A-0001\npc-03,ops,bob,Tokyo,A-0003\n",
		   0600);
	assert_int_equal(collector("inventory", "import", path("inventory.csv"), NULL, NULL, NULL,
				   0),
			 0);
	token_create("auditor", "bi", auditor);
	token_create("metrics", "prom", metrics);
	start_server(NULL);
	assert_int_equal(agent_upload("pc-01", "password-weak"), 0);
	assert_int_equal(agent_upload("pc-01", "password-compliant"), 0);
	assert_int_equal(agent_upload("pc-02", "password-weak"), 0);

	/* GET /v1/fleet: pc-01 and pc-02 report, pc-03 (inventory) never did */
	answer a = get("/v1/fleet", auditor);
	assert_int_equal(a.code, 200);
	assert_int_equal(jint(a.json, "hosts", "expected"), 3);
	assert_int_equal(jint(a.json, "hosts", "reporting"), 2);
	assert_int_equal(jint(a.json, "hosts", "stale"), 1);
	assert_int_equal(jint(a.json, "hosts", "never_reported"), 1);
	json_t *rules = json_object_get(a.json, "rules");
	assert_true(json_array_size(rules) > 0);
	/* password-weak fails rules the compliant root passes: only pc-02's
	 * latest report fails them, on exactly one host each */
	json_t *r0 = json_array_get(rules, 0);
	assert_int_equal(jint(r0, "hosts_failing", NULL), 1);
	char rule[200];
	snprintf(rule, sizeof rule, "%s", json_string_value(json_object_get(r0, "rule")));
	assert_true(json_array_size(json_object_get(a.json, "articles")) > 0);
	assert_int_equal(json_array_size(json_object_get(a.json, "trend")), 90);
	answer_free(&a);

	/* GET /v1/rules/{rule}: its failing host */
	char url[600];
	snprintf(url, sizeof url, "/v1/rules/%s", rule);
	a = get(url, auditor);
	assert_int_equal(a.code, 200);
	assert_int_equal(jint(a.json, "hosts_failing", NULL), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(a.json, "hosts"), 0)),
			    "pc-02");
	assert_true(strlen(json_string_value(
			    json_object_get(json_object_get(a.json, "title"), "ja"))) > 0);
	json_t *fh = json_array_get(json_object_get(a.json, "failing_hosts"), 0);
	assert_string_equal(json_string_value(json_object_get(fh, "failing_since")),
			    json_string_value(json_object_get(fh, "last_report")));
	answer_free(&a);

	/* GET /v1/hosts: three hosts, one page at a time with the cursor */
	char seen[3][64], cur[200] = "";
	for (int i = 0; i < 3; i++) {
		snprintf(url, sizeof url, "/v1/hosts?limit=1%s%s", cur[0] ? "&cursor=" : "", cur);
		a = get(url, auditor);
		assert_int_equal(a.code, 200);
		json_t *hs = json_object_get(a.json, "hosts");
		assert_int_equal(json_array_size(hs), 1);
		snprintf(seen[i], sizeof seen[i], "%s",
			 json_string_value(json_object_get(json_array_get(hs, 0), "hostname")));
		json_t *next = json_object_get(a.json, "next_cursor");
		if (i < 2)
			snprintf(cur, sizeof cur, "%s", json_string_value(next));
		else
			assert_true(json_is_null(next));
		if (!strcmp(seen[i], "pc-01")) {
			json_t *h = json_array_get(hs, 0);
			json_t *inv = json_object_get(h, "inventory");
			assert_string_equal(json_string_value(json_object_get(inv, "asset_tag")),
					    "A-0001");
			assert_string_equal(json_string_value(json_object_get(inv, "location")),
					    "Osaka");
			assert_false(json_is_true(json_object_get(h, "stale")));
		}
		answer_free(&a);
	}
	assert_string_equal(seen[0], "pc-01");
	assert_string_equal(seen[1], "pc-02");
	assert_string_equal(seen[2], "pc-03");

	/* filtered by an inventory column */
	a = get("/v1/hosts?column=location&value=Tokyo", auditor);
	assert_int_equal(a.code, 200);
	assert_int_equal(jint(a.json, "total", NULL), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(a.json, "hosts"), 0), "hostname")),
			    "pc-03");
	answer_free(&a);
	assert_int_equal(code_of("/v1/hosts?column=location", auditor), 400);

	/* GET /v1/hosts/{hostname}: the latest results, with their evidence */
	a = get("/v1/hosts/pc-01", auditor);
	assert_int_equal(a.code, 200);
	json_t *res = json_object_get(a.json, "latest_results");
	assert_true(json_array_size(res) > 0);
	size_t with_evidence = 0, i;
	json_t *r;
	json_array_foreach(res, i, r) {
		json_t *ev = json_object_get(r, "evidence");
		assert_true(json_is_object(ev));
		with_evidence += json_object_size(ev) > 0;
	}
	assert_true(with_evidence > 0);
	assert_string_equal(json_string_value(json_object_get(a.json, "latest_body")), "stored");
	answer_free(&a);

	/* GET /v1/hosts/{hostname}/reports: two, newest first, by cursor */
	a = get("/v1/hosts/pc-01/reports?limit=1", auditor);
	assert_int_equal(a.code, 200);
	json_t *reps = json_object_get(a.json, "reports");
	assert_int_equal(json_array_size(reps), 1);
	char first[64];
	snprintf(first, sizeof first, "%s",
		 json_string_value(json_object_get(json_array_get(reps, 0), "report_id")));
	double newest_score =
		json_number_value(json_object_get(json_array_get(reps, 0), "score"));
	snprintf(url, sizeof url, "/v1/hosts/pc-01/reports?limit=1&cursor=%s",
		 json_string_value(json_object_get(a.json, "next_cursor")));
	answer_free(&a);
	a = get(url, auditor);
	assert_int_equal(a.code, 200);
	reps = json_object_get(a.json, "reports");
	assert_int_equal(json_array_size(reps), 1);
	assert_string_not_equal(
		json_string_value(json_object_get(json_array_get(reps, 0), "report_id")), first);
	/* the older one ran on the weak root: a lower score */
	assert_true(json_number_value(json_object_get(json_array_get(reps, 0), "score")) <
		    newest_score);
	assert_true(json_is_null(json_object_get(a.json, "next_cursor")));
	answer_free(&a);

	/* refusals */
	for (size_t e = 0; e < N_ENDPOINTS; e++) {
		assert_int_equal(code_of(endpoints[e], NULL), 401);
		assert_int_equal(code_of(endpoints[e], "hat_0000"), 401);
		assert_int_equal(code_of(endpoints[e], pc01), 403);   /* a host's own token */
		assert_int_equal(code_of(endpoints[e], metrics), 403);
		assert_int_equal(code_of(endpoints[e], auditor), 200);
	}
	assert_int_equal(code_of("/v1/hosts/pc-01", pc02), 403); /* another host's token */
	assert_int_equal(code_of("/v1/hosts/pc-01/reports?cursor=c1bogus", auditor), 400);
	assert_int_equal(code_of("/v1/hosts/pc-01/reports?cursor=c10000000000000001000000000000000"
				 "100000000",
				 auditor),
			 400); /* well formed, wrong check digits */
	assert_int_equal(code_of("/v1/hosts?cursor=zzz", auditor), 400);
	assert_int_equal(code_of("/v1/hosts?limit=0", auditor), 400);
	assert_int_equal(code_of("/v1/hosts?limit=100000", auditor), 400);
	assert_int_equal(code_of("/v1/hosts/nope", auditor), 404);
	assert_int_equal(code_of("/v1/hosts/nope/reports", auditor), 404);
	a = request("POST", "/v1/fleet", auditor, "{}");
	assert_int_equal(a.code, 405);
	answer_free(&a);

	/* /metrics from loopback: open; an auditor's token is not a metrics one */
	a = get("/metrics", NULL);
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, "\nhostaudit_reports_stored_total 3\n"));
	assert_non_null(strstr(a.body, "\nhostaudit_hosts_stale 1\n"));
	assert_non_null(strstr(a.body, "hostaudit_process_reports_received_total{outcome=\"stored\","
				       "scope=\"process\"} 3\n"));
	assert_non_null(strstr(a.body, "hostaudit_process_ingest_latency_seconds_count{scope="
				       "\"process\"} 3\n"));
	assert_non_null(strstr(a.body, "hostaudit_process_requests_refused_total{code=\"401\","));
	answer_free(&a);
	assert_int_equal(code_of("/metrics", metrics), 200);
	assert_int_equal(code_of("/metrics", auditor), 403);

	/* token revoke: the next call is refused */
	assert_int_equal(collector("token", "revoke", "bi", NULL, NULL, NULL, 0), 0);
	assert_int_equal(code_of("/v1/fleet", auditor), 401);
	char out[4096];
	assert_int_equal(collector("token", "list", NULL, NULL, NULL, out, sizeof out), 0);
	assert_null(strstr(out, "bi "));
	assert_non_null(strstr(out, "prom"));
}

/* /metrics from a client not on loopback (the test hook makes every
 * client one): only with a metrics token. */
static void metrics_needs_token_off_loopback(void **state)
{
	(void)state;
	char metrics[80], auditor[80], pc01[80];
	enroll("pc-01", pc01);
	token_create("metrics", "prom", metrics);
	token_create("auditor", "bi", auditor);
	start_server("HOSTAUDIT_COLLECTOR_TEST_NO_LOOPBACK=1");
	assert_int_equal(code_of("/metrics", NULL), 401);
	assert_int_equal(code_of("/metrics", pc01), 403);
	assert_int_equal(code_of("/metrics", auditor), 403);
	answer a = get("/metrics", metrics);
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, "# TYPE hostaudit_process_ingest_latency_seconds histogram"));
	answer_free(&a);
}

/* hosts revoke|rename|retire|list|show while serve runs. */
static void host_lifecycle(void **state)
{
	(void)state;
	char pc01[80], pc02[80], auditor[80];
	enroll("pc-01", pc01);
	enroll("pc-02", pc02);
	write_file(path("inventory.csv"), "hostname,department\npc-03,ops\n", 0600);
	assert_int_equal(collector("inventory", "import", path("inventory.csv"), NULL, NULL, NULL,
				   0),
			 0);
	token_create("auditor", "bi", auditor);
	start_server(NULL);
	assert_int_equal(agent_upload("pc-01", "password-compliant"), 0);
	assert_int_equal(agent_upload("pc-02", "password-weak"), 0);

	/* revoke: the very next upload gets 401, the agent keeps its report */
	assert_int_equal(collector("hosts", "revoke", "pc-02", NULL, NULL, NULL, 0), 0);
	answer a = request("POST", "/v1/reports", pc02, "{}");
	assert_int_equal(a.code, 401);
	answer_free(&a);
	assert_true(agent_upload("pc-02", "password-weak") != 0);
	/* a revoked host is still expected (it must enroll again) */
	a = get("/v1/fleet", auditor);
	assert_int_equal(jint(a.json, "hosts", "expected"), 3);
	answer_free(&a);

	/* rename keeps the history: the report and its body follow */
	assert_int_equal(collector("hosts", "rename", "pc-01", "pc-01b", NULL, NULL, 0), 0);
	assert_int_equal(code_of("/v1/hosts/pc-01", auditor), 404);
	a = get("/v1/hosts/pc-01b/reports", auditor);
	assert_int_equal(a.code, 200);
	assert_int_equal(json_array_size(json_object_get(a.json, "reports")), 1);
	answer_free(&a);
	assert_int_equal(agent_upload("pc-01", "password-compliant"), 0); /* same token */
	a = get("/v1/hosts/pc-01b/reports", auditor);
	assert_int_equal(json_array_size(json_object_get(a.json, "reports")), 2);
	answer_free(&a);
	assert_int_equal(collector("hosts", "rename", "pc-01b", "pc-02", NULL, NULL, 0), 1);
	assert_int_equal(collector("hosts", "rename", "nope", "x", NULL, NULL, 0), 1);

	/* retire: history kept, no longer expected nor stale */
	assert_int_equal(collector("hosts", "retire", "pc-03", NULL, NULL, NULL, 0), 0);
	a = get("/v1/fleet", auditor);
	assert_int_equal(jint(a.json, "hosts", "expected"), 2);
	assert_int_equal(jint(a.json, "hosts", "stale"), 0);
	assert_int_equal(jint(a.json, "hosts", "retired"), 1);
	answer_free(&a);
	a = get("/v1/hosts/pc-03", auditor);
	assert_int_equal(a.code, 200);
	assert_true(json_is_true(json_object_get(a.json, "retired")));
	assert_false(json_is_true(json_object_get(a.json, "expected")));
	answer_free(&a);

	char out[16384];
	assert_int_equal(collector("hosts", "list", NULL, NULL, NULL, out, sizeof out), 0);
	assert_non_null(strstr(out, "pc-01b"));
	assert_non_null(strstr(out, "retired"));
	assert_non_null(strstr(out, "revoked"));
	assert_int_equal(collector("hosts", "show", "pc-01b", NULL, NULL, out, sizeof out), 0);
	json_t *j = json_loads(out, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "hostname")), "pc-01b");
	json_decref(j);
	assert_int_equal(collector("hosts", "show", "nope", NULL, NULL, out, sizeof out), 1);
	assert_int_equal(collector("hosts", "bogus", NULL, NULL, NULL, NULL, 0), 2);
}

int main(int argc, char **argv)
{
	if (!e2e_args(argc, argv, "test_api_e2e", true))
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(api_endpoints_and_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(metrics_needs_token_off_loopback, setup, teardown),
		cmocka_unit_test_setup_teardown(host_lifecycle, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
