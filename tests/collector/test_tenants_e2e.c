/* SPDX-License-Identifier: Apache-2.0 */
/* Organisations (tenants) kept apart, end to end (issue 16): the real
 * hostaudit-collector over HTTPS on 127.0.0.1, two organisations A and B
 * with hosts of the same name, and every interface tried across them:
 * enrollment, upload, policy fetch, export, the annual report, inventory
 * import, policy groups, org attest/show. Each attempt is refused (or
 * lands in the asker's own organisation) and nothing of it is stored in
 * the other. Then the upgrade of today's schema (org 1 owns it all).
 *   test_tenants_e2e COLLECTOR PKI_DIR WORK_DIR SOURCE_DIR
 * Runs on SQLite, and on PostgreSQL under run_pg.sh (testdb.h). */
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

static char *read_file(const char *p)
{
	FILE *f = fopen(p, "rb");
	if (!f)
		return NULL;
	char *buf = calloc(1, 1 << 20);
	size_t n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static bool exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

static int setup(void **state)
{
	(void)state;
	new_test_dir("t", database, sizeof database);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stop_server();
	return 0;
}

/* The collector with args (NULL-terminated), input on its stdin (NULL:
 * none); its exit status, stdout in *out (malloc'd). */
static int collector_io(const char *input, char **out, ...)
{
	const char *argv[32] = {collector_bin, "-c", path("collector.yaml")};
	int n = 3;
	va_list ap;
	va_start(ap, out);
	const char *a;
	while ((a = va_arg(ap, const char *)) && n < 31)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	size_t cap = 1 << 20;
	char *buf = calloc(1, cap);
	assert_non_null(buf);
	const e2e_io io = {.input = input, .capture = 1, .other = path("cli.log")};
	int rc = e2e_run(argv, &io, buf, cap);
	if (out)
		*out = buf;
	else
		free(buf);
	return rc;
}

#define collector(...) collector_io(NULL, NULL, __VA_ARGS__, (const char *)NULL)
#define collector_out(out, ...) collector_io(NULL, out, __VA_ARGS__, (const char *)NULL)

static void write_config_with(const char *extra)
{
	char cfg[8192];
	snprintf(cfg, sizeof cfg,
		 "listen: 127.0.0.1:0\ntls_cert: %s/server.pem\ntls_key: %s/server-key.pem\n"
		 "database: %s\npolicy_dir: %s\npolicy_signing_key: %s\n"
		 "organisation_dir: %s\nenrollment_secret_file: %s\nthreads: 2\n%s",
		 pki, pki, database, path("policies"), path("sign.key"), path("organisation"),
		 path("secret-default"), extra);
	write_file(path("collector.yaml"), cfg, 0600);
	write_file(path("secret-default"), "default-secret-0123456789abcdef\n", 0600);
}

static void write_config(void)
{
	write_config_with("");
}

static int start_server(void)
{
	spawn_server(NULL);
	return wait_for_port(10000);
}

typedef struct answer {
	long code;
	char body[65536];
	size_t len;
} answer;

static size_t collect(char *p, size_t s, size_t n, void *u)
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

static const char *client_cert; /* a client certificate's name in pki, or NULL */

/* method GET when body is NULL, else POST of a JSON body; bearer NULL:
 * none. */
static void http(int port, const char *where, const char *bearer, const char *body, answer *a)
{
	CURL *c = curl_easy_init();
	char url[200], auth[300], ca[4200];
	snprintf(url, sizeof url, "https://127.0.0.1:%d%s", port, where);
	snprintf(ca, sizeof ca, "%s/ca.pem", pki);
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	if (bearer) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", bearer);
		h = curl_slist_append(h, auth);
	}
	char cert[4200], key[4200];
	if (client_cert) {
		snprintf(cert, sizeof cert, "%s/%s.pem", pki, client_cert);
		snprintf(key, sizeof key, "%s/%s-key.pem", pki, client_cert);
		curl_easy_setopt(c, CURLOPT_SSLCERT, cert);
		curl_easy_setopt(c, CURLOPT_SSLKEY, key);
	}
	memset(a, 0, sizeof *a);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

/* POST /v1/enroll with secret for host (extra: more JSON members); the
 * status, the token in tok when 201. */
static long enroll(int port, const char *secret, const char *host, const char *extra,
		   char tok[65])
{
	char body[400];
	snprintf(body, sizeof body, "{\"host\":\"%s\"%s}", host, extra ? extra : "");
	answer a;
	http(port, "/v1/enroll", secret, body, &a);
	if (a.code == 201) {
		json_t *j = json_loads(a.body, 0, NULL);
		assert_non_null(j);
		snprintf(tok, 65, "%s", json_string_value(json_object_get(j, "token")));
		json_decref(j);
	}
	return a.code;
}

static void make_id(int n, char id[37])
{
	snprintf(id, 37, "7a1c2e3a-0000-4000-8000-%012d", n);
}

static const char *recent(void)
{
	static char b[32];
	time_t t = time(NULL) - 120;
	strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	return b;
}

static char *report(const char *id, const char *host, int score)
{
	char *r;
	const char *f = recent();
	int n = asprintf(&r,
		 "{\"schema\":\"hostaudit/report/v1\",\"report_id\":\"%s\","
		 "\"agent\":{\"name\":\"hostaudit\",\"version\":\"0.1\"},"
		 "\"host\":{\"hostname\":\"%s\",\"os\":\"linux\",\"os_release\":{\"id\":\"debian\","
		 "\"version_id\":\"12\",\"pretty_name\":\"Debian 12\"},\"machine_id\":\"x\"},"
		 "\"now\":\"%s\",\"started_at\":\"%s\",\"finished_at\":\"%s\",\"packs\":[],\"params\":{},"
		 "\"exceptions\":[{\"rule\":\"nisc-9:os.updates\",\"reason\":\"r-%s\","
		 "\"approved_by\":\"x\",\"until\":\"2099-12-31\"}],\"facts\":{},"
		 "\"results\":[{\"pack\":\"nisc-9\",\"id\":\"os.updates\","
		 "\"article\":1,\"severity\":\"high\",\"weight\":3,\"status\":\"pass\","
		 "\"title\":{\"en\":\"Updates\",\"ja\":\"更新\"},\"remediation\":{\"en\":\"r\",\"ja\":\"r\"},"
		 "\"facts\":[],\"attested\":false}],\"scores\":{\"overall\":{\"score\":%d,\"pass\":1,"
		 "\"fail\":0,\"unknown\":0,\"not_applicable\":0,\"error\":0,\"disabled\":0},"
		 "\"packs\":[]}}",
		 id, host, f, f, f, id, score);
	assert_true(n > 0);
	return r;
}

static long upload(int port, const char *token, const char *id, const char *host, int score)
{
	char *r = report(id, host, score);
	answer a;
	http(port, "/v1/reports", token, r, &a);
	free(r);
	return a.code;
}

static long count(const char *sql, const char *param)
{
	return testdb_int(database, sql, param);
}

/* Reports stored for the host named name in organisation org (by name). */
static long reports_of(const char *org, const char *host)
{
	char sql[600];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM reports r JOIN hosts h ON h.id = r.host_id"
		 " JOIN organisations o ON o.id = h.org_id WHERE o.name = '%s' AND h.name = $1",
		 org);
	return count(sql, host); /* $1: a parameter in SQLite's words too */
}

/* Same name, same organisation column, for any table with org_id. */
static long rows_in(const char *table, const char *org)
{
	char sql[300];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM %s t JOIN organisations o ON o.id = t.org_id"
		 " WHERE o.name = '%s'",
		 table, org);
	return count(sql, NULL);
}

/* A policy directory with the password pack and its minimum length. */
static void policy_dir(const char *name, int min_length)
{
	char d[4200], r[4300], text[512], src[4200], dst[4400];
	snprintf(d, sizeof d, "%s", path(name));
	mkdir(d, 0700);
	snprintf(r, sizeof r, "%s/rules", d);
	mkdir(r, 0700);
	snprintf(src, sizeof src, "%s/tests/fixtures/rules/nisc-9-password.yaml", source_dir);
	snprintf(dst, sizeof dst, "%s/nisc-9-password.yaml", r);
	char *rules = read_file(src);
	assert_non_null(rules);
	write_file(dst, rules, 0600);
	free(rules);
	snprintf(text, sizeof text,
		 "schema: hostaudit/config/v1\nparams:\n  password_min_length: %d\n", min_length);
	snprintf(dst, sizeof dst, "%s/hostaudit.yaml", d);
	write_file(dst, text, 0600);
}

/* Every self-assessment question answered "yes" but the signs of
 * over-restriction (test_org_e2e.c's answers). */
static char *all_answers(const char *company)
{
	char *buf = calloc(1, 8192);
	snprintf(buf, 8192, "Tanaka (CEO)\n%s\n", company);
	for (int i = 0; i < 5; i++)
		strcat(buf, "y\n\n");
	for (int i = 0; i < 4; i++)
		strcat(buf, "n\n\n");
	for (int i = 0; i < 10; i++)
		strcat(buf, "y\n\n\n");
	for (int i = 0; i < 12; i++)
		strcat(buf, "y\n\n");
	return buf;
}

static const char *this_year(void)
{
	static char y[16];
	snprintf(y, sizeof y, "%d", 1900 + gmtime(&(time_t){time(NULL)})->tm_year);
	return y;
}

/* Two organisations, hosts named alike, and every way across tried. */
static void test_isolation(void **state)
{
	(void)state;
	write_config();
	/* ---- the provider sets up A and B ---- */
	write_file(path("secret-a"), "secret-of-a-0123456789abcdef\n", 0600);
	write_file(path("secret-b"), "secret-of-b-0123456789abcdef\n", 0600);
	write_file(path("secret-open"), "secret-world-readable-0123456\n", 0644);
	assert_int_equal(collector("tenant", "add", "A", "--enroll-secret-file", path("secret-a")),
			 0);
	assert_int_equal(collector("tenant", "add", "B", "--enroll-secret-file", path("secret-b")),
			 0);
	/* refused, nothing added: a readable secret, a name or secret taken,
	 * the default organisation's secret, a bad name */
	assert_int_equal(collector("tenant", "add", "C", "--enroll-secret-file",
				   path("secret-open")), 2);
	write_file(path("secret-c"), "secret-of-c-0123456789abcdef\n", 0600);
	assert_int_equal(collector("tenant", "add", "a", "--enroll-secret-file", path("secret-c")),
			 2);
	assert_int_equal(collector("tenant", "add", "A"), 2);
	assert_int_equal(collector("tenant", "add", "C", "--enroll-secret-file", path("secret-b")),
			 2);
	assert_int_equal(collector("tenant", "add", "C", "--enroll-secret-file",
				   path("secret-default")), 2);
	assert_int_equal(collector("tenant", "add", "no/such"), 2);
	assert_int_equal(count("SELECT count(*) FROM organisations", NULL), 3);
	/* only the secrets' hashes are stored */
	assert_int_equal(count("SELECT count(*) FROM organisations WHERE enroll_secret_sha256"
			       " LIKE 'secret%'", NULL), 0);
	assert_int_equal(count("SELECT count(*) FROM organisations WHERE enroll_secret_sha256"
			       " IS NOT NULL", NULL), 2);
	char *out;
	assert_int_equal(collector_out(&out, "tenant", "list"), 0);
	assert_non_null(strstr(out, " default "));
	assert_non_null(strstr(out, " A "));
	assert_non_null(strstr(out, " B "));
	free(out);
	assert_int_equal(collector("enroll", "--tenant", "nobody", "pc1"), 2);

	int port = start_server();
	/* ---- enrollment: the secret decides; the body never does ---- */
	char ta[65], tb[65], td[65], tbonly[65], tx[65];
	assert_int_equal(enroll(port, "secret-of-a-0123456789abcdef", "pc1", NULL, ta), 201);
	assert_int_equal(enroll(port, "secret-of-b-0123456789abcdef", "pc1", NULL, tb), 201);
	assert_int_equal(enroll(port, "default-secret-0123456789abcdef", "pc1", NULL, td), 201);
	assert_int_equal(enroll(port, "secret-of-b-0123456789abcdef", "bonly", NULL, tbonly), 201);
	/* A's secret cannot take B's pc1, nor A's own pc1 again */
	assert_int_equal(enroll(port, "secret-of-a-0123456789abcdef", "pc1", NULL, tx), 409);
	/* a body naming B changes nothing: the host lands in A */
	assert_int_equal(enroll(port, "secret-of-a-0123456789abcdef", "newhost",
				",\"tenant\":\"B\",\"org_id\":3", tx), 201);
	assert_int_equal(enroll(port, "wrong-secret-0123456789abcdef", "pc9", NULL, tx), 401);
	assert_int_equal(rows_in("hosts", "A"), 2);
	assert_int_equal(rows_in("hosts", "B"), 2);
	assert_int_equal(rows_in("hosts", "default"), 1);
	assert_int_equal(count("SELECT count(*) FROM hosts WHERE name = 'pc9'", NULL), 0);
	assert_int_equal(count("SELECT count(*) FROM hosts WHERE name = 'newhost' AND org_id ="
			       " (SELECT id FROM organisations WHERE name = 'A')", NULL), 1);
	/* CLI enrollment into B: its own pc2, not the default's */
	assert_int_equal(collector("enroll", "--tenant", "B", "pc2"), 0);
	assert_int_equal(rows_in("hosts", "B"), 3);
	assert_int_equal(rows_in("hosts", "default"), 1);

	/* ---- upload: a host of A stores only into A ---- */
	char id_a[37], id_b[37], id_claim[37], id_d[37];
	make_id(1, id_a);
	make_id(2, id_b);
	make_id(3, id_claim);
	make_id(4, id_d);
	assert_int_equal(upload(port, ta, id_a, "pc1", 100), 201);
	assert_int_equal(upload(port, tb, id_b, "pc1", 40), 201);
	assert_int_equal(upload(port, td, id_d, "pc1", 70), 201);
	/* B's report_id from A's host: refused, B's row untouched */
	assert_int_equal(upload(port, ta, id_b, "pc1", 40), 409);
	/* claiming B's host in the body: stored as A's pc1, flagged */
	assert_int_equal(upload(port, ta, id_claim, "bonly", 100), 201);
	assert_int_equal(reports_of("A", "pc1"), 2);
	assert_int_equal(reports_of("B", "pc1"), 1);
	assert_int_equal(reports_of("B", "bonly"), 0);
	assert_int_equal(reports_of("default", "pc1"), 1);
	assert_int_equal(count("SELECT hostname_mismatch FROM reports WHERE report_id = $1",
			       id_claim), 1);
	assert_int_equal(count("SELECT hostname_mismatch FROM reports WHERE report_id = $1",
			       id_a), 0);
	assert_int_equal(count("SELECT count(*) FROM reports", NULL), 4);

	/* ---- policy: each host gets its own organisation's ---- */
	assert_int_equal(collector("policy", "keygen"), 0);
	policy_dir("pol-a", 12);
	policy_dir("pol-b", 14);
	assert_int_equal(collector("policy", "publish", path("pol-a"), "--tenant", "A"), 0);
	assert_int_equal(collector("--tenant", "B", "policy", "publish", path("pol-b")), 2);
	assert_int_equal(collector("policy", "--tenant", "B", "publish", path("pol-b")), 0);
	char *env_a = read_file(path("policies/org-2/v00000001.json"));
	char *env_b = read_file(path("policies/org-3/v00000001.json"));
	assert_non_null(env_a);
	assert_non_null(env_b);
	assert_string_not_equal(env_a, env_b);
	assert_false(exists(path("policies/v00000001.json"))); /* the default has none */
	answer a;
	http(port, "/v1/policy", ta, NULL, &a);
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, env_a));
	assert_null(strstr(a.body, env_b));
	http(port, "/v1/policy", tb, NULL, &a);
	assert_int_equal(a.code, 200);
	assert_non_null(strstr(a.body, env_b));
	assert_null(strstr(a.body, env_a));
	http(port, "/v1/policy", td, NULL, &a);
	assert_int_equal(a.code, 404);
	free(env_a);
	free(env_b);
	/* list/show see only the tenant's versions */
	assert_int_equal(collector_out(&out, "policy", "list"), 0);
	assert_null(strstr(out, "\n1 ")); /* the default: none */
	free(out);
	assert_int_equal(collector_out(&out, "policy", "show", "1", "--tenant", "A"), 0);
	assert_non_null(strstr(out, "12"));
	assert_null(strstr(out, "password_min_length: 14"));
	free(out);
	/* groups: A's pc1 in eng leaves B's pc1 alone */
	assert_int_equal(collector("hosts", "set-group", "pc1", "eng", "--tenant", "A"), 0);
	assert_int_equal(rows_in("inventory", "A"), 1);
	assert_int_equal(rows_in("inventory", "B"), 0);
	assert_int_equal(rows_in("inventory", "default"), 0);
	stop_server();

	/* ---- export: another organisation's report is not found ---- */
	assert_int_equal(collector_out(&out, "export", id_b, "--tenant", "A"), 1);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(collector_out(&out, "export", id_a), 1); /* the default */
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(collector_out(&out, "export", "--tenant", "B", id_b), 0);
	assert_non_null(strstr(out, id_b));
	free(out);

	/* ---- the annual report: only the tenant's hosts and reports ---- */
	assert_int_equal(collector_out(&out, "report", "--year", this_year(), "--format", "json",
				       "--tenant", "A"),
			 0);
	assert_non_null(strstr(out, id_a));
	assert_non_null(strstr(out, id_claim));
	assert_null(strstr(out, id_b));
	assert_null(strstr(out, id_d));
	assert_null(strstr(out, "bonly"));
	assert_null(strstr(out, "r-" "7a1c2e3a-0000-4000-8000-000000000002")); /* B's exception */
	free(out);
	assert_int_equal(collector_out(&out, "report", "--year", this_year(), "--format", "json",
				       "--tenant", "B"),
			 0);
	assert_non_null(strstr(out, id_b));
	assert_non_null(strstr(out, "bonly"));
	assert_null(strstr(out, id_a));
	assert_null(strstr(out, id_claim));
	assert_null(strstr(out, id_d));
	free(out);
	assert_int_equal(collector_out(&out, "report", "--year", this_year(), "--format", "json"),
			 0);
	assert_non_null(strstr(out, id_d));
	assert_null(strstr(out, id_a));
	assert_null(strstr(out, id_b));
	free(out);

	/* ---- inventory: A's import leaves B's and the default's alone ---- */
	write_file(path("inv-b.csv"), "hostname,owner\npc1,Bob\npc2,Bea\n", 0600);
	write_file(path("inv-a.csv"), "hostname,owner\npc1,Alice\n", 0600);
	assert_int_equal(collector("inventory", "import", path("inv-b.csv"), "--tenant", "B"), 0);
	assert_int_equal(collector("inventory", "--tenant", "A", "import", path("inv-a.csv")), 0);
	assert_int_equal(rows_in("inventory", "A"), 1);
	assert_int_equal(rows_in("inventory", "B"), 2);
	assert_int_equal(rows_in("inventory", "default"), 0);
	assert_int_equal(count("SELECT count(*) FROM inventory WHERE attributes LIKE '%Bob%'",
			       NULL), 1);

	/* ---- org attest and show: answers and fleet per organisation ---- */
	char *ans = all_answers("Company A");
	assert_int_equal(collector_io(ans, &out, "org", "attest", "--lang", "en", "--tenant",
				      "A", (const char *)NULL),
			 0);
	free(out);
	free(ans);
	assert_true(exists(path("organisation/org-2/answers.yaml")));
	assert_false(exists(path("organisation/org-3/answers.yaml")));
	assert_false(exists(path("organisation/answers.yaml")));
	assert_int_equal(collector_out(&out, "org", "show", "--format", "json", "--tenant", "B"),
			 0);
	json_t *p = json_loads(out, 0, NULL);
	free(out);
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(p, "category")), "unknown");
	json_t *comp = json_object_get(json_object_get(p, "figures"), "compliance");
	/* B's fleet: its pc1 (40); bonly and pc2 never reported, in the
	 * inventory only pc2 widens the range */
	assert_true(json_real_value(json_object_get(comp, "low")) < 41);
	json_decref(p);
	assert_int_equal(collector_out(&out, "org", "show", "--format", "json", "--tenant", "A"),
			 0);
	p = json_loads(out, 0, NULL);
	free(out);
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(p, "organisation")), "Company A");
	comp = json_object_get(json_object_get(p, "figures"), "compliance");
	assert_true(json_real_value(json_object_get(comp, "value")) > 99.9); /* A's 100 only */
	json_decref(p);

	/* ---- the provider level ---- */
	assert_int_equal(collector_out(&out, "tenant", "show", "B"), 0);
	assert_non_null(strstr(out, "hosts: 3"));
	assert_non_null(strstr(out, "inventory: 2"));
	free(out);
	assert_int_equal(collector("tenant", "remove", "B"), 1); /* not empty */
	assert_int_equal(collector("tenant", "remove", "default"), 1);
	assert_int_equal(collector("tenant", "add", "C"), 0);
	write_file(path("pw-c"), "carol-secret-0003\n", 0600);
	assert_int_equal(collector("user", "add", "carol", "--role", "auditor", "--password-file",
				   path("pw-c"), "--tenant", "C"), 0);
	assert_int_equal(collector("tenant", "remove", "C"), 1); /* a user is something */
	assert_int_equal(collector("user", "remove", "carol", "--tenant", "C"), 0);
	assert_int_equal(collector("tenant", "remove", "C"), 0);
	assert_int_equal(count("SELECT count(*) FROM organisations", NULL), 3);
	/* migrate keeps them apart too (into a SQLite file) */
	char to[1024];
	snprintf(to, sizeof to, "%.1000s", path("copy.db"));
	assert_int_equal(collector("migrate", "--to", to), 0);
	char saved[1024];
	snprintf(saved, sizeof saved, "%s", database);
	snprintf(database, sizeof database, "%s", to);
	assert_int_equal(rows_in("hosts", "A"), 2);
	assert_int_equal(rows_in("hosts", "B"), 3);
	assert_int_equal(reports_of("A", "pc1"), 2);
	assert_int_equal(reports_of("B", "pc1"), 1);
	assert_int_equal(rows_in("inventory", "B"), 2);
	assert_int_equal(count("SELECT count(*) FROM organisations WHERE enroll_secret_sha256"
			       " IS NOT NULL", NULL), 2);
	snprintf(database, sizeof database, "%s", saved);
}

/* A client certificate names a host; the host, its organisation. One
 * name enrolled in two organisations is ambiguous: refused, nothing
 * stored, whatever token comes with it. */
static void test_client_certificate_tenants(void **state)
{
	(void)state;
	char extra[4400];
	snprintf(extra, sizeof extra, "client_ca: %s/client-ca.pem\n", pki);
	write_config_with(extra);
	assert_int_equal(collector("tenant", "add", "A"), 0);
	assert_int_equal(collector("tenant", "add", "B"), 0);
	assert_int_equal(collector("enroll", "--tenant", "A", "pc-01"), 0);
	int port = start_server();
	char id[37];
	client_cert = "client-pc-01";
	make_id(11, id);
	assert_int_equal(upload(port, NULL, id, "pc-01", 90), 201);
	assert_int_equal(reports_of("A", "pc-01"), 1);
	/* policy for the certificate's host: A's (none yet) */
	answer a;
	http(port, "/v1/policy", NULL, NULL, &a);
	assert_int_equal(a.code, 404);
	/* now B has a pc-01 too: the certificate names two hosts */
	char *tok_b;
	assert_int_equal(collector_out(&tok_b, "enroll", "--tenant", "B", "pc-01"), 0);
	tok_b[strcspn(tok_b, "\n")] = '\0';
	make_id(12, id);
	assert_int_equal(upload(port, NULL, id, "pc-01", 90), 403);
	assert_int_equal(upload(port, tok_b, id, "pc-01", 90), 403);
	client_cert = NULL;
	assert_int_equal(reports_of("A", "pc-01"), 1);
	assert_int_equal(reports_of("B", "pc-01"), 0);
	/* B's token alone stores into B */
	assert_int_equal(upload(port, tok_b, id, "pc-01", 90), 201);
	assert_int_equal(reports_of("B", "pc-01"), 1);
	free(tok_b);
	stop_server();
}

/* ---- the console and the read API (after the merge of ui and api) ---- */

typedef struct web_answer {
	long code;
	char body[262144];
	size_t len;
	char headers[8192];
} web_answer;

static size_t web_body(char *p, size_t s, size_t n, void *u)
{
	web_answer *a = u;
	size_t k = s * n;
	if (a->len + k >= sizeof a->body)
		k = sizeof a->body - 1 - a->len;
	memcpy(a->body + a->len, p, k);
	a->len += k;
	a->body[a->len] = '\0';
	return s * n;
}

static size_t web_header(char *p, size_t s, size_t n, void *u)
{
	web_answer *a = u;
	size_t have = strlen(a->headers);
	snprintf(a->headers + have, sizeof a->headers - have, "%.*s", (int)(s * n), p);
	return s * n;
}

/* A console request: form (POST) or NULL (GET), the session cookie or
 * NULL, or a bearer (the read API) or NULL. */
static void web(int port, const char *where, const char *form, const char *cookie,
		const char *bearer, web_answer *a)
{
	CURL *c = curl_easy_init();
	char url[600], ca[4200], ck[200], auth[300];
	snprintf(url, sizeof url, "https://127.0.0.1:%d%s", port, where);
	snprintf(ca, sizeof ca, "%s/ca.pem", pki);
	memset(a, 0, sizeof *a);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	if (form)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, web_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, web_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	struct curl_slist *h = NULL;
	if (bearer) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", bearer);
		h = curl_slist_append(h, auth);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	}
	if (cookie) {
		snprintf(ck, sizeof ck, "hostaudit_session=%s", cookie);
		curl_easy_setopt(c, CURLOPT_COOKIE, ck);
	}
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

/* POST /ui/login: the status, the session id in id when 303. */
static long console_login(int port, const char *user, const char *password, char id[65])
{
	char form[300];
	snprintf(form, sizeof form, "user=%s&password=%s", user, password);
	static web_answer a;
	web(port, "/ui/login", form, NULL, NULL, &a);
	id[0] = '\0';
	const char *ck = strstr(a.headers, "hostaudit_session=");
	if (a.code == 303 && ck)
		snprintf(id, 65, "%.64s", ck + 18);
	return a.code;
}

static void console_csrf(int port, const char *id, char out[65])
{
	static web_answer a;
	web(port, "/ui/fleet", NULL, id, NULL, &a);
	assert_int_equal(a.code, 200);
	const char *p = strstr(a.body, "name=\"csrf\" value=\"");
	assert_non_null(p);
	snprintf(out, 65, "%.64s", p + 19);
}

/* A line of stdout, its newline cut. */
static char *first_line(char *out)
{
	out[strcspn(out, "\n")] = '\0';
	return out;
}

/* A and B each with a pc1, A with aonly, B with bonly; console users and
 * API tokens of each; every read and change tried across. */
static void test_console_and_api(void **state)
{
	(void)state;
	write_config_with("per_ip_connections: 64\n");
	assert_int_equal(collector("tenant", "add", "A"), 0);
	assert_int_equal(collector("tenant", "add", "B"), 0);
	char *ta, *tb, *taonly, *tbonly, *out;
	assert_int_equal(collector_out(&ta, "enroll", "--tenant", "A", "pc1"), 0);
	assert_int_equal(collector_out(&tb, "enroll", "--tenant", "B", "pc1"), 0);
	assert_int_equal(collector_out(&taonly, "enroll", "--tenant", "A", "aonly"), 0);
	assert_int_equal(collector_out(&tbonly, "enroll", "--tenant", "B", "bonly"), 0);
	first_line(ta), first_line(tb), first_line(taonly), first_line(tbonly);
	write_file(path("pw-alice"), "alice-secret-0001\n", 0600);
	write_file(path("pw-bob"), "bob-secret-00002\n", 0600);
	assert_int_equal(collector("user", "add", "alice", "--role", "admin", "--password-file",
				   path("pw-alice"), "--tenant", "A"), 0);
	assert_int_equal(collector("user", "add", "bob", "--role", "admin", "--password-file",
				   path("pw-bob"), "--tenant", "B"), 0);
	char *api_a, *api_b, *api_d;
	assert_int_equal(collector_out(&api_a, "token", "create", "--role", "auditor", "--name",
				       "audit", "--tenant", "A"), 0);
	assert_int_equal(collector_out(&api_b, "token", "create", "--role", "auditor", "--name",
				       "audit", "--tenant", "B"), 0);
	assert_int_equal(collector_out(&api_d, "token", "create", "--role", "auditor", "--name",
				       "audit"), 0);
	first_line(api_a), first_line(api_b), first_line(api_d);
	assert_int_equal(collector_out(&out, "token", "list", "--tenant", "A"), 0);
	assert_non_null(strstr(out, "audit"));
	free(out);
	int port = start_server();
	char id_a[37], id_b[37], id_ao[37], id_bo[37];
	make_id(21, id_a);
	make_id(22, id_b);
	make_id(23, id_ao);
	make_id(24, id_bo);
	assert_int_equal(upload(port, ta, id_a, "pc1", 100), 201);
	assert_int_equal(upload(port, tb, id_b, "pc1", 40), 201);
	assert_int_equal(upload(port, taonly, id_ao, "aonly", 90), 201);
	assert_int_equal(upload(port, tbonly, id_bo, "bonly", 30), 201);

	/* ---- the read API: a token reads its own organisation only ---- */
	static web_answer w;
	web(port, "/v1/hosts", NULL, NULL, api_a, &w);
	assert_int_equal(w.code, 200);
	assert_non_null(strstr(w.body, "\"aonly\""));
	assert_non_null(strstr(w.body, "\"pc1\""));
	assert_null(strstr(w.body, "bonly"));
	web(port, "/v1/hosts/bonly", NULL, NULL, api_a, &w);
	assert_int_equal(w.code, 404);
	web(port, "/v1/hosts/bonly/reports", NULL, NULL, api_a, &w);
	assert_int_equal(w.code, 404);
	web(port, "/v1/hosts/pc1/reports", NULL, NULL, api_a, &w);
	assert_int_equal(w.code, 200);
	assert_non_null(strstr(w.body, id_a));
	assert_null(strstr(w.body, id_b));
	web(port, "/v1/hosts/pc1/reports", NULL, NULL, api_b, &w);
	assert_int_equal(w.code, 200);
	assert_non_null(strstr(w.body, id_b));
	assert_null(strstr(w.body, id_a));
	web(port, "/v1/hosts/pc1", NULL, NULL, api_b, &w);
	assert_int_equal(w.code, 200);
	assert_null(strstr(w.body, id_a));
	web(port, "/v1/fleet", NULL, NULL, api_d, &w); /* the default: none of theirs */
	assert_int_equal(w.code, 200);
	assert_null(strstr(w.body, "pc1"));
	assert_null(strstr(w.body, "aonly"));
	web(port, "/v1/hosts", NULL, NULL, api_d, &w);
	assert_int_equal(w.code, 200);
	assert_null(strstr(w.body, "pc1"));
	web(port, "/v1/hosts", NULL, NULL, ta, &w); /* a host's token reads nothing */
	assert_int_equal(w.code, 403);

	/* ---- the console: the session's organisation only ---- */
	char sa[65], sb[65], csrf[65], form[300];
	assert_int_equal(console_login(port, "alice", "alice-secret-0001", sa), 401);
	assert_int_equal(console_login(port, "B/alice", "alice-secret-0001", sa), 401);
	assert_int_equal(console_login(port, "C/alice", "alice-secret-0001", sa), 401);
	assert_int_equal(console_login(port, "A/alice", "alice-secret-0001", sa), 303);
	assert_int_equal(console_login(port, "B/bob", "bob-secret-00002", sb), 303);
	web(port, "/ui/fleet", NULL, sa, NULL, &w);
	assert_int_equal(w.code, 200);
	assert_non_null(strstr(w.body, ">aonly<"));
	assert_null(strstr(w.body, "bonly"));
	web(port, "/ui/host?name=bonly", NULL, sa, NULL, &w);
	assert_int_equal(w.code, 404);
	web(port, "/ui/host?name=aonly", NULL, sb, NULL, &w);
	assert_int_equal(w.code, 404);
	/* A's admin revokes pc1: A's, not B's */
	console_csrf(port, sa, csrf);
	snprintf(form, sizeof form, "host=bonly&csrf=%s", csrf);
	web(port, "/ui/host/revoke", form, sa, NULL, &w);
	assert_true(w.code == 404 || w.code == 400);
	snprintf(form, sizeof form, "host=pc1&csrf=%s", csrf);
	web(port, "/ui/host/revoke", form, sa, NULL, &w);
	assert_true(w.code == 303 || w.code == 200);
	char id_x[37];
	make_id(25, id_x);
	assert_int_equal(upload(port, ta, id_x, "pc1", 100), 401);
	assert_int_equal(upload(port, tb, id_x, "pc1", 40), 201);
	make_id(26, id_x);
	assert_int_equal(upload(port, tbonly, id_x, "bonly", 30), 201); /* B's tokens work */
	/* A's console enrolls into A */
	snprintf(form, sizeof form, "host=fromconsole&csrf=%s", csrf);
	web(port, "/ui/enroll", form, sa, NULL, &w);
	assert_int_equal(w.code, 200);
	assert_int_equal(count("SELECT count(*) FROM hosts WHERE name = 'fromconsole' AND org_id ="
			       " (SELECT id FROM organisations WHERE name = 'A')", NULL), 1);
	assert_int_equal(rows_in("hosts", "B"), 2);
	/* a session cookie of A does not open B's data whatever else is sent */
	web(port, "/ui/host?name=bonly&tenant=B&org_id=3", NULL, sa, NULL, &w);
	assert_int_equal(w.code, 404);
	stop_server();
	/* the host lifecycle on the command line: A's pc1 only */
	assert_int_equal(collector("hosts", "retire", "pc1", "--tenant", "B"), 0);
	assert_int_equal(count("SELECT count(*) FROM retired_hosts r JOIN organisations o"
			       " ON o.id = r.org_id WHERE o.name = 'B'", NULL), 1);
	assert_int_equal(count("SELECT count(*) FROM retired_hosts", NULL), 1);
	assert_int_equal(count("SELECT count(*) FROM hosts h JOIN organisations o ON o.id ="
			       " h.org_id WHERE o.name = 'A' AND h.name = 'aonly' AND"
			       " h.token_sha256 IS NOT NULL", NULL), 1);
	free(ta);
	free(tb);
	free(taonly);
	free(tbonly);
	free(api_a);
	free(api_b);
	free(api_d);
}

/* Today's schema (version 3), with data: the upgrade gives it all to the
 * default organisation, and a single-company install goes on as before. */
static const char sqlite_v3[] =
	"CREATE TABLE schema_version(version INTEGER NOT NULL, applied_at INTEGER NOT NULL);"
	"INSERT INTO schema_version VALUES(1, 0), (2, 0), (3, 0);"
	"CREATE TABLE hosts(  id INTEGER PRIMARY KEY,  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  token_sha256 TEXT UNIQUE,  enrolled_at INTEGER NOT NULL);"
	"CREATE TABLE reports(id INTEGER PRIMARY KEY, report_id TEXT NOT NULL UNIQUE,"
	" host_id INTEGER NOT NULL REFERENCES hosts(id), claimed_hostname TEXT,"
	" hostname_mismatch INTEGER NOT NULL, finished_at INTEGER NOT NULL,"
	" received_at INTEGER NOT NULL, score REAL, body_sha256 TEXT NOT NULL,"
	" summary TEXT NOT NULL);"
	"CREATE TABLE report_bodies(report INTEGER PRIMARY KEY REFERENCES reports(id),"
	" body BLOB NOT NULL, encoding INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE exceptions(host_id INTEGER NOT NULL REFERENCES hosts(id),"
	" rule TEXT NOT NULL, reason TEXT NOT NULL, approved_by TEXT NOT NULL,"
	" until TEXT NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
	" UNIQUE(host_id, rule, reason, approved_by, until));"
	"CREATE TABLE inventory(  hostname TEXT PRIMARY KEY COLLATE NOCASE,"
	"  attributes TEXT NOT NULL,  imported_at INTEGER NOT NULL);"
	"CREATE INDEX reports_time ON reports(finished_at);"
	"CREATE INDEX reports_host_time ON reports(host_id, finished_at);"
	"CREATE TABLE rate_limits(  key TEXT PRIMARY KEY,  window_start INTEGER NOT NULL,"
	"  count INTEGER NOT NULL);";

static const char pg_v3[] =
	"CREATE TABLE schema_version(version INTEGER NOT NULL, applied_at BIGINT NOT NULL);"
	"INSERT INTO schema_version VALUES(1, 0), (2, 0), (3, 0);"
	"CREATE TABLE hosts(id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL,"
	" token_sha256 TEXT UNIQUE, enrolled_at BIGINT NOT NULL);"
	"CREATE UNIQUE INDEX hosts_name ON hosts(lower(name));"
	"CREATE TABLE reports(id BIGSERIAL PRIMARY KEY, report_id TEXT NOT NULL UNIQUE,"
	" host_id BIGINT NOT NULL REFERENCES hosts(id), claimed_hostname TEXT,"
	" hostname_mismatch INTEGER NOT NULL, finished_at BIGINT NOT NULL,"
	" received_at BIGINT NOT NULL, score DOUBLE PRECISION, body_sha256 TEXT NOT NULL,"
	" summary TEXT NOT NULL);"
	"CREATE TABLE report_bodies(report BIGINT PRIMARY KEY REFERENCES reports(id),"
	" body BYTEA NOT NULL, encoding INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE exceptions(host_id BIGINT NOT NULL REFERENCES hosts(id),"
	" rule TEXT NOT NULL, reason TEXT NOT NULL, approved_by TEXT NOT NULL,"
	" until TEXT NOT NULL, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL,"
	" UNIQUE(host_id, rule, reason, approved_by, until));"
	"CREATE TABLE inventory(hostname TEXT NOT NULL, attributes TEXT NOT NULL,"
	" imported_at BIGINT NOT NULL);"
	"CREATE UNIQUE INDEX inventory_host ON inventory(lower(hostname));"
	"CREATE INDEX reports_time ON reports(finished_at);"
	"CREATE INDEX reports_host_time ON reports(host_id, finished_at);"
	"CREATE TABLE rate_limits(key TEXT PRIMARY KEY, window_start BIGINT NOT NULL,"
	" count BIGINT NOT NULL);";

static const char v3_data[] =
	"INSERT INTO hosts(id, name, token_sha256, enrolled_at) VALUES(3, 'pc-03', 'ab', 5);"
	"INSERT INTO reports VALUES(9, '6f1c2e3a-0000-4000-8000-000000000009', 3,"
	" 'pc-03', 0, 1798797600, 1798797605, 87.5,"
	" 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',"
	" 'nisc-9:a=p\n');"
	"INSERT INTO exceptions VALUES(3, 'nisc-9:a', 'kiosk', 'Sato',"
	" '2027-12-31', 1798797600, 1798797600);"
	"INSERT INTO inventory VALUES('pc-03', '{\"owner\":\"Ito\",\"group\":\"eng\"}', 4);"
	"INSERT INTO rate_limits VALUES('enroll:192.0.2.7', 4102444800, 3);";

static void test_todays_schema_upgraded(void **state)
{
	(void)state;
	write_config();
	assert_int_equal(testdb_exec(database, testdb_pg() ? pg_v3 : sqlite_v3), 0);
	assert_int_equal(testdb_exec(database, v3_data), 0);
	assert_int_equal(testdb_exec(database,
				     testdb_pg() ? "INSERT INTO report_bodies VALUES(9,"
						   " '\\x7b2262223a317d0a'::bytea, 0);"
						 : "INSERT INTO report_bodies VALUES(9,"
						   " X'7B2262223A317D0A', 0);"),
			 0);
	e2e_assert_old_report_kept(path("collector.yaml"));
	assert_true(count("SELECT max(version) FROM schema_version", NULL) >= 4);
	assert_int_equal(count("SELECT count(*) FROM organisations WHERE id = 1 AND"
			       " name = 'default'", NULL), 1);
	assert_int_equal(count("SELECT count(*) FROM hosts WHERE org_id = 1 AND name = 'pc-03'"
			       " AND token_sha256 = 'ab' AND enrolled_at = 5", NULL), 1);
	assert_int_equal(count("SELECT count(*) FROM inventory WHERE org_id = 1", NULL), 1);
	assert_int_equal(count("SELECT count FROM rate_limits WHERE org_id = 1 AND"
			       " key = 'enroll:192.0.2.7'", NULL), 3);
	/* the same host name is now free in another organisation, and taken
	 * in the default one */
	assert_int_equal(collector("tenant", "add", "other"), 0);
	assert_int_equal(collector("enroll", "--tenant", "other", "PC-03"), 0);
	assert_int_equal(collector("enroll", "pc-03"), 0); /* re-enrolls the default's */
	assert_int_equal(count("SELECT count(*) FROM hosts", NULL), 2);
	assert_int_equal(count("SELECT count(*) FROM hosts WHERE org_id = 1 AND token_sha256"
			       " <> 'ab'", NULL), 1);
	/* its group survived, in its organisation */
	char *out;
	assert_int_equal(collector_out(&out, "policy", "hosts"), 0);
	assert_non_null(strstr(out, "eng"));
	free(out);
	assert_int_equal(collector_out(&out, "policy", "hosts", "--tenant", "other"), 0);
	assert_null(strstr(out, "eng"));
	free(out);
}

int main(int argc, char **argv)
{
	if (!e2e_args(argc, argv, "test_tenants_e2e", false))
		return 2;
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_isolation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_certificate_tenants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console_and_api, setup, teardown),
		cmocka_unit_test_setup_teardown(test_todays_schema_upgraded, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
