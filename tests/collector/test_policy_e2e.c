/* SPDX-License-Identifier: Apache-2.0 */
/* End-to-end for the signed central policy (docs/policy.md): the real
 * hostaudit-collector (policy keygen/publish, serve) and the real hostaudit
 * agent over HTTPS on 127.0.0.1, with the PKI of gen_certs.sh.
 *   test_policy_e2e COLLECTOR PKI_DIR WORK_DIR HOSTAUDIT SOURCE_DIR
 * Each refusal is made the way an attacker holding the collector could:
 * by changing what is in its policy directory. */
#define _GNU_SOURCE
#include <dirent.h>
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
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "hostaudit/policy.h"
#include "e2e_common.h"
#include "testdb.h"

static char database[1024]; /* SQLite file or PostgreSQL URI (testdb.h) */

static char *read_file(const char *p)
{
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int setup(void **state)
{
	(void)state;
	new_test_dir("p", database, sizeof database);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stop_server();
	return 0;
}

/* Runs argv; its exit status, what it wrote to stderr in err. */
static int run(const char *const argv[], char *err, size_t err_size)
{
	const e2e_io io = {.capture = 2, .other = "/dev/null"};
	return e2e_run(argv, &io, err, err_size);
}

/* `policy SUB [A B]`: its standard output in out. */
static void policy_out(const char *sub, const char *a, const char *b, char *out, size_t size)
{
	const char *argv[] = {collector_bin, "-c", path("collector.yaml"), "policy", sub, a, b,
			      NULL};
	const e2e_io io = {.capture = 1};
	assert_int_equal(e2e_run(argv, &io, out, size), 0);
}

static void collector_config(const char *name, const char *key)
{
	char cfg[8192];
	snprintf(cfg, sizeof cfg,
		 "listen: 127.0.0.1:0\ntls_cert: %s/server.pem\ntls_key: %s/server-key.pem\n"
		 "database: %s\npolicy_dir: %s\npolicy_signing_key: %s\nthreads: 2\n"
		 "organisation_dir: %s\n",
		 pki, pki, database, path("policies"), path(key), path("organisation"));
	write_file(path(name), cfg, 0600);
}

static int collector(const char *a1, const char *a2, const char *a3, const char *a4,
		     const char *a5)
{
	const char *argv[] = {collector_bin, "-c", path("collector.yaml"), a1, a2, a3, a4, a5,
			      NULL};
	char err[8192];
	int rc = run(argv, err, sizeof err);
	if (getenv("E2E_VERBOSE"))
		fprintf(stderr, "%s", err);
	return rc;
}

static int start_server(void)
{
	spawn_server(NULL);
	return wait_for_port(5000);
}

static void enroll(const char *host)
{
	const char *argv[] = {collector_bin, "-c", path("collector.yaml"), "enroll", host, NULL};
	int pfd[2];
	assert_int_equal(pipe(pfd), 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pfd[1]);
	char tok[200];
	ssize_t n = read(pfd[0], tok, sizeof tok - 1);
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	assert_int_equal(n, 65);
	tok[n] = '\0';
	write_file(path("token"), tok, 0600);
}

static void agent_config(int port)
{
	char cfg[8192];
	snprintf(cfg, sizeof cfg,
		 "schema: hostaudit/config/v1\n"
		 "rules: [%s/tests/fixtures/rules/nisc-9-password.yaml]\n"
		 "upload:\n  url: https://127.0.0.1:%d/v1/reports\n  ca_file: %s/ca.pem\n"
		 "  token_file: %s\n  spool_dir: %s\n  deadline_s: 3\n  connect_timeout_s: 2\n"
		 "policy:\n  pubkey_file: %s\n  state_dir: %s\n  timeout_s: 3\n",
		 source_dir, port, pki, path("token"), path("spool"), path("sign.key.pub"), path("state"));
	write_file(path("agent.yaml"), cfg, 0600);
}

/* A policy directory with the password pack and one param. */
static void policy_dir(const char *name, int min_length, const char *extra)
{
	char d[4200], r[4300], text[512];
	snprintf(d, sizeof d, "%s", path(name));
	mkdir(d, 0700);
	snprintf(r, sizeof r, "%s/rules", d);
	mkdir(r, 0700);
	char src[4200], dst[4400];
	snprintf(src, sizeof src, "%s/tests/fixtures/rules/nisc-9-password.yaml", source_dir);
	snprintf(dst, sizeof dst, "%s/nisc-9-password.yaml", r);
	write_file(dst, read_file(src), 0600);
	snprintf(text, sizeof text, "schema: hostaudit/config/v1\nparams:\n  password_min_length: %d\n%s",
		 min_length, extra ? extra : "");
	snprintf(dst, sizeof dst, "%s/hostaudit.yaml", d);
	write_file(dst, text, 0600);
}

/* Only the group's own file: it overlays the base's. */
static void group_dir(const char *name, int min_length)
{
	char d[4200], dst[4300], text[512];
	snprintf(d, sizeof d, "%s", path(name));
	mkdir(d, 0700);
	snprintf(text, sizeof text, "schema: hostaudit/config/v1\nparams:\n  password_min_length: %d\n",
		 min_length);
	snprintf(dst, sizeof dst, "%s/hostaudit.yaml", d);
	write_file(dst, text, 0600);
}

typedef struct outcome {
	int rc;
	char source[16];
	long long version, group_version;
	char group[64];
	long long min_length;
	char refused[600];
	char err[8192];
} outcome;

/* hostaudit run --upload on the compliant fixture; the report's policy. */
static outcome agent_run(void)
{
	outcome o;
	memset(&o, 0, sizeof o);
	char root[4200];
	snprintf(root, sizeof root, "%s/tests/fixtures/roots/password-compliant", source_dir);
	unlink(path("report.json"));
	const char *argv[] = {hostaudit_bin, "run", "-c", path("agent.yaml"), "--root", root,
			      "--format", "json", "-o", path("report.json"), "--upload", NULL};
	o.rc = run(argv, o.err, sizeof o.err);
	if (getenv("E2E_VERBOSE"))
		fprintf(stderr, "hostaudit run: %d\n%s", o.rc, o.err);
	json_t *rep = json_load_file(path("report.json"), 0, NULL);
	if (!rep) {
		fprintf(stderr, "no report; stderr: %s\n", o.err);
		return o;
	}
	json_t *p = json_object_get(rep, "policy");
	snprintf(o.source, sizeof o.source, "%s",
		 json_string_value(json_object_get(p, "source")) ?: "");
	o.version = json_integer_value(json_object_get(p, "version"));
	o.group_version = json_integer_value(json_object_get(p, "group_version"));
	snprintf(o.group, sizeof o.group, "%s",
		 json_string_value(json_object_get(p, "group")) ?: "");
	snprintf(o.refused, sizeof o.refused, "%s",
		 json_string_value(json_object_get(p, "refused")) ?: "");
	o.min_length = json_integer_value(
		json_object_get(json_object_get(rep, "params"), "password_min_length"));
	json_decref(rep);
	return o;
}

static char *version_file(int v)
{
	static char b[4300];
	snprintf(b, sizeof b, "%s/v%08d.json", path("policies"), v);
	return b;
}

static size_t versions_stored(void)
{
	DIR *d = opendir(path("policies"));
	size_t n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += e->d_name[0] == 'v';
	if (d)
		closedir(d);
	return n;
}

/* What an attacker with the collector but not the key could try: a
 * bundle signed by the right key over a payload the test makes itself
 * (here with a key the signer never would put in). */
static void write_signed(int v, const char *hostaudit_yaml, const char *key_file)
{
	policy_bundle b = {.version = v, .created = "2026-01-01T00:00:00Z"};
	policy_file f = {"hostaudit.yaml", (char *)hostaudit_yaml, strlen(hostaudit_yaml)};
	b.files = &f;
	b.file_count = 1;
	char *payload = policy_payload_build(&b);
	assert_non_null(payload);
	FILE *kf = fopen(key_file, "r");
	assert_non_null(kf);
	EVP_PKEY *k = PEM_read_PrivateKey(kf, NULL, NULL, NULL);
	fclose(kf);
	assert_non_null(k);
	size_t cl = strlen(POLICY_SIGN_CONTEXT), pl = strlen(payload);
	unsigned char *msg = malloc(cl + pl), sig[64];
	memcpy(msg, POLICY_SIGN_CONTEXT, cl);
	memcpy(msg + cl, payload, pl);
	size_t sl = 64;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, NULL, NULL, k), 1);
	assert_int_equal(EVP_DigestSign(ctx, sig, &sl, msg, cl + pl), 1);
	char *env = policy_envelope_build(payload, sig);
	write_file(version_file(v), env, 0644);
	free(env);
	free(msg);
	free(payload);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
}

static void test_publish_fetch_and_refusals(void **state)
{
	(void)state;
	collector_config("collector.yaml", "sign.key");
	assert_int_equal(collector("policy", "keygen", NULL, NULL, NULL), 0);
	struct stat st;
	assert_int_equal(stat(path("sign.key"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(path("sign.key.pub"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* keygen never overwrites the key the agents trust */
	assert_int_equal(collector("policy", "keygen", NULL, NULL, NULL), 1);

	enroll("pc-01");
	int port = start_server();
	agent_config(port);
	/* nothing published yet: the local config, said in the report */
	outcome o = agent_run();
	assert_int_equal(o.rc, 0);
	assert_string_equal(o.source, "local");

	policy_dir("pol", 12, NULL);
	assert_int_equal(collector("policy", "publish", path("pol"), NULL, NULL), 0);
	o = agent_run();
	assert_int_equal(o.rc, 0);
	assert_string_equal(o.source, "collector");
	assert_int_equal(o.version, 1);
	assert_int_equal(o.min_length, 12);
	struct stat lg;
	assert_int_equal(stat(path("state/last-good.json"), &lg), 0);
	assert_int_equal(lg.st_mode & 0777, 0600);

	policy_dir("pol", 14, NULL);
	assert_int_equal(collector("policy", "publish", path("pol"), NULL, NULL), 0);
	o = agent_run();
	assert_int_equal(o.version, 2);
	assert_int_equal(o.min_length, 14);
	/* unchanged: 304, still from the collector */
	o = agent_run();
	assert_int_equal(o.rc, 0);
	assert_string_equal(o.source, "collector");
	assert_int_equal(o.version, 2);

	/* forbidden keys: refused at publish, nothing stored */
	policy_dir("bad", 9, "upload:\n  url: https://evil.example/v1/reports\n");
	assert_int_equal(collector("policy", "publish", path("bad"), NULL, NULL), 2);
	assert_int_equal(versions_stored(), 2);

	/* tampered: v2's envelope with its payload changed */
	char env[1 << 16];
	snprintf(env, sizeof env, "%s", read_file(version_file(2)));
	char *at = strstr(env, "password_min_length: 14");
	assert_non_null(at);
	at[21] = '0'; /* 14 -> 04 */
	char *ver = strstr(env, "\\\"version\\\":2");
	assert_non_null(ver);
	ver[12] = '3';
	write_file(version_file(3), env, 0644);
	o = agent_run();
	assert_int_equal(o.rc, 6);
	assert_string_equal(o.source, "last-good");
	assert_int_equal(o.version, 2);
	assert_int_equal(o.min_length, 14);
	assert_non_null(strstr(o.refused, "signature"));
	unlink(version_file(3));

	/* signed with another key */
	collector_config("other.yaml", "other.key");
	const char *kg[] = {collector_bin, "-c", path("other.yaml"), "policy", "keygen", NULL};
	char err[4096];
	assert_int_equal(run(kg, err, sizeof err), 0);
	const char *sg[] = {collector_bin, "-c", path("other.yaml"), "policy", "sign",
			    path("pol"), "--version", "3", "--out", version_file(3), NULL};
	assert_int_equal(run(sg, err, sizeof err), 0);
	/* publish --signed checks it too */
	assert_int_equal(collector("policy", "publish", "--signed", version_file(3), NULL), 2);
	o = agent_run();
	assert_int_equal(o.rc, 6);
	assert_int_equal(o.version, 2);
	assert_non_null(strstr(o.refused, "signature"));
	unlink(version_file(3));

	/* the right key over a payload with a forbidden key */
	write_signed(3, "schema: hostaudit/config/v1\nupload:\n  url: https://evil.example/x\n",
		     path("sign.key"));
	o = agent_run();
	assert_int_equal(o.rc, 6);
	assert_int_equal(o.version, 2);
	assert_non_null(strstr(o.refused, "'upload' cannot be set by a central policy"));
	unlink(version_file(3));

	/* rollback: the collector offers version 1 again */
	snprintf(env, sizeof env, "%s", read_file(version_file(2)));
	unlink(version_file(2));
	o = agent_run();
	assert_int_equal(o.rc, 6);
	assert_int_equal(o.version, 2);
	assert_int_equal(o.min_length, 14);
	assert_non_null(strstr(o.refused, "rollback"));
	write_file(version_file(2), env, 0644);

	/* collector down: the last-good, no refusal */
	stop_server();
	o = agent_run();
	assert_int_equal(o.rc, 4); /* the report waits in the spool */
	assert_string_equal(o.source, "last-good");
	assert_int_equal(o.version, 2);
	assert_string_equal(o.refused, "");

	/* offline signing, then publish --signed */
	policy_dir("pol", 13, NULL);
	const char *sg2[] = {collector_bin, "-c", path("collector.yaml"), "policy", "sign",
			     path("pol"), "--version", "3", "--out", path("v3.bundle"), NULL};
	assert_int_equal(run(sg2, err, sizeof err), 0);
	assert_int_equal(collector("policy", "publish", "--signed", path("v3.bundle"), NULL), 0);
	assert_int_equal(collector("policy", "publish", "--signed", path("v3.bundle"), NULL), 2);
	port = start_server();
	agent_config(port);
	o = agent_run();
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.version, 3);
	assert_int_equal(o.min_length, 13);
	/* the refusals reached the collector with the reports */
	stop_server();
	assert_non_null(strstr(read_file(path("collector.log")), "refused the collector's policy"));
}

static void test_groups(void **state)
{
	(void)state;
	collector_config("collector.yaml", "sign.key");
	assert_int_equal(collector("policy", "keygen", NULL, NULL, NULL), 0);
	enroll("pc-01");
	write_file(path("inventory.csv"), "hostname,owner,group\npc-01,Sato,eng\npc-02,Ito,\n",
		   0600);
	assert_int_equal(collector("inventory", "import", path("inventory.csv"), NULL, NULL), 0);
	group_dir("eng", 13);
	/* a group's policy needs a base to overlay */
	assert_int_equal(collector("policy", "publish", path("eng"), "--group", "eng"), 2);
	policy_dir("pol", 12, NULL);
	assert_int_equal(collector("policy", "publish", path("pol"), NULL, NULL), 0);
	assert_int_equal(collector("policy", "publish", path("eng"), "--group", "eng"), 0);
	int port = start_server();
	agent_config(port);
	outcome o = agent_run();
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.version, 1);
	assert_string_equal(o.group, "eng");
	assert_int_equal(o.group_version, 2);
	assert_int_equal(o.min_length, 13);
	/* out of the group: the base alone */
	assert_int_equal(collector("hosts", "set-group", "pc-01", "", NULL), 0);
	o = agent_run();
	assert_int_equal(o.rc, 0);
	assert_string_equal(o.group, "");
	assert_int_equal(o.min_length, 12);
	/* a new base keeps the group's overlay */
	assert_int_equal(collector("hosts", "set-group", "pc-01", "eng", NULL), 0);
	policy_dir("pol", 11, NULL);
	assert_int_equal(collector("policy", "publish", path("pol"), NULL, NULL), 0);
	o = agent_run();
	assert_int_equal(o.version, 3);
	assert_int_equal(o.group_version, 2);
	assert_int_equal(o.min_length, 13);
	stop_server();
	/* watching the hosts pick it up */
	char out[4096];
	policy_out("hosts", NULL, NULL, out, sizeof out);
	assert_non_null(strstr(out, "current 1, old 0"));
	assert_int_equal(collector("policy", "publish", path("eng"), "--group", "eng"), 0);
	policy_out("hosts", NULL, NULL, out, sizeof out);
	assert_non_null(strstr(out, "current 0, old 1"));
	/* which versions were in force this year, on how many hosts */
	char year[16];
	snprintf(year, sizeof year, "%d", 1900 + gmtime(&(time_t){time(NULL)})->tm_year);
	policy_out("history", "--year", year, out, sizeof out);
	assert_non_null(strstr(out, "\n1,eng,2,collector,"));
	assert_non_null(strstr(out, "\n1,,,collector,"));
	assert_non_null(strstr(out, "\n3,eng,2,collector,"));
	assert_non_null(strstr(out, ",1,1\n")); /* one host, one report */
}

/* A mixed fleet: a group's policy for its Windows PCs names backup
 * evidence by Windows paths. The Linux collector publishes it (relative
 * paths and ".." still refused, at file:line:column, nothing stored),
 * and a Linux PC put in that group still accepts the signed policy (its
 * backup probe reports such a path unknown: test_probe_backup). */
static void test_windows_group_evidence(void **state)
{
	(void)state;
	collector_config("collector.yaml", "sign.key");
	assert_int_equal(collector("policy", "keygen", NULL, NULL, NULL), 0);
	enroll("pc-01");
	policy_dir("pol", 12, NULL);
	assert_int_equal(collector("policy", "publish", path("pol"), NULL, NULL), 0);
	static const char *const bad[] = {"Backup\\last.log", "C:\\Backup\\..\\x.log"};
	char dst[4300], err[8192];
	mkdir(path("win"), 0700);
	snprintf(dst, sizeof dst, "%s/hostaudit.yaml", path("win"));
	for (size_t i = 0; i < 2; i++) {
		char text[512];
		snprintf(text, sizeof text,
			 "schema: hostaudit/config/v1\nbackup:\n  evidence:\n"
			 "    - {file: '%s', name: nightly}\n",
			 bad[i]);
		write_file(dst, text, 0600);
		const char *argv[] = {collector_bin, "-c", path("collector.yaml"), "policy",
				      "publish", path("win"), "--group", "windows", NULL};
		assert_int_equal(run(argv, err, sizeof err), 2);
		if (!strstr(err, "hostaudit.yaml:4:7:") || !strstr(err, bad[i]))
			fail_msg("%s: %s", bad[i], err);
	}
	assert_int_equal(versions_stored(), 1);
	write_file(dst,
		   "schema: hostaudit/config/v1\nbackup:\n  evidence:\n"
		   "    - {file: 'C:\\Backup\\last.log', name: nightly}\n"
		   "    - {glob: '\\\\nas\\backup\\pc-*.log'}\n"
		   "    - {dir: 'D:/Backups'}\n",
		   0600);
	assert_int_equal(collector("policy", "publish", path("win"), "--group", "windows"), 0);
	assert_int_equal(versions_stored(), 2);
	assert_int_equal(collector("hosts", "set-group", "pc-01", "windows", NULL), 0);
	int port = start_server();
	agent_config(port);
	outcome o = agent_run();
	assert_int_equal(o.rc, 0);
	assert_string_equal(o.source, "collector");
	assert_string_equal(o.refused, "");
	assert_string_equal(o.group, "windows");
	assert_int_equal(o.group_version, 2);
}

/* `hostaudit-collector org attest --now DAY` with the answers through a
 * pipe: every question yes (the signs of over-restriction no) but the
 * 9 articles' art. 9 (help_contact), answered no. */
static int org_attest(const char *day)
{
	char in[32768] = "佐藤 花子 (情報システム)\n株式会社テスト\n";
	for (int i = 0; i < 5; i++)
		strcat(in, "y\n\n");
	for (int i = 0; i < 4; i++)
		strcat(in, "n\n\n");
	for (int i = 0; i < 10; i++)
		strcat(in, "y\n\n\n");
	for (int i = 0; i < 12; i++) /* org items; the 4th is help_contact */
		strcat(in, i == 3 ? "n\n\n" : "y\n\n");
	write_file(path("attest-input.txt"), in, 0600);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(path("attest-input.txt"), O_RDONLY), null = open("/dev/null", O_WRONLY);
		dup2(fd, 0);
		dup2(null, 1);
		execl(collector_bin, collector_bin, "-c", path("collector.yaml"), "org", "attest",
		      "--now", day, (char *)NULL);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void day_before(int days, char out[11])
{
	time_t t = time(NULL) - (time_t)days * 86400;
	strftime(out, 11, "%Y-%m-%d", gmtime(&t));
}

/* The report's attest.ID fact and rule result. */
typedef struct org_item {
	char value[16], attested_for[16], evidence[600], status[16];
} org_item;

static org_item item(const json_t *rep, const char *fact, const char *rule)
{
	org_item it;
	memset(&it, 0, sizeof it);
	const json_t *f = json_object_get(json_object_get(rep, "facts"), fact);
	snprintf(it.value, sizeof it.value, "%s",
		 json_string_value(json_object_get(f, "value")) ?: "");
	snprintf(it.attested_for, sizeof it.attested_for, "%s",
		 json_string_value(json_object_get(f, "attested_for")) ?: "");
	snprintf(it.evidence, sizeof it.evidence, "%s",
		 json_string_value(json_object_get(f, "evidence")) ?: "");
	size_t i;
	const json_t *r;
	json_array_foreach(json_object_get(rep, "results"), i, r) if (
		!strcmp(json_string_value(json_object_get(r, "id")) ?: "", rule))
		snprintf(it.status, sizeof it.status, "%s",
			 json_string_value(json_object_get(r, "status")) ?: "");
	return it;
}

/* A policy directory with the real 9 articles pack (its organisational
 * items read attest.*) and extra in its hostaudit.yaml. */
static void org_policy_dir(const char *extra)
{
	char d[4200], dst[4400], src[4200], text[1024];
	snprintf(d, sizeof d, "%s", path("orgpol"));
	mkdir(d, 0700);
	snprintf(dst, sizeof dst, "%s/rules", d);
	mkdir(dst, 0700);
	snprintf(src, sizeof src, "%s/rules/nisc-9.yaml", source_dir);
	snprintf(dst, sizeof dst, "%s/rules/nisc-9.yaml", d);
	write_file(dst, read_file(src), 0600);
	snprintf(text, sizeof text, "schema: hostaudit/config/v1\n%s", extra ? extra : "");
	snprintf(dst, sizeof dst, "%s/hostaudit.yaml", d);
	write_file(dst, text, 0600);
}

/* The organisation's answers, answered once on the collector, reach the
 * host in the signed policy (docs/policy.md "The organisation's answers"). */
static void test_org_answers(void **state)
{
	(void)state;
	collector_config("collector.yaml", "sign.key");
	assert_int_equal(collector("policy", "keygen", NULL, NULL, NULL), 0);
	enroll("pc-01");
	int port = start_server();
	agent_config(port);
	org_policy_dir(NULL);
	/* nothing answered yet: refused, nothing stored */
	assert_int_equal(collector("policy", "publish", path("orgpol"), "--with-org-answers",
				   NULL), 2);
	assert_int_equal(versions_stored(), 0);
	/* a policy naming a file outside the bundle: refused */
	org_policy_dir("organisation:\n  answers_file: /etc/passwd\n");
	assert_int_equal(collector("policy", "publish", path("orgpol"), NULL, NULL), 2);
	/* a site config with its own organisation: section */
	org_policy_dir("organisation:\n  answers_file: organisation.yaml\n");
	assert_int_equal(org_attest("2026-01-01"), 0);
	assert_int_equal(collector("policy", "publish", path("orgpol"), "--with-org-answers",
				   NULL), 2);
	assert_int_equal(versions_stored(), 0);

	/* answered over a year ago: stale, so it does not apply */
	char old[11], today[11];
	day_before(400, old);
	day_before(0, today);
	unlink(path("organisation/answers.yaml"));
	assert_int_equal(org_attest(old), 0);
	org_policy_dir(NULL);
	assert_int_equal(collector("policy", "publish", path("orgpol"), "--with-org-answers",
				   NULL), 0);
	outcome o = agent_run();
	assert_string_equal(o.source, "collector");
	assert_int_equal(o.version, 1);
	json_t *rep = json_load_file(path("report.json"), 0, NULL);
	assert_non_null(rep);
	org_item it = item(rep, "attest.password_secrecy", "attest.password-secrecy");
	assert_string_equal(it.value, "");
	assert_string_equal(it.attested_for, "");
	assert_string_equal(it.status, "unknown");
	assert_string_equal(json_string_value(json_object_get(json_object_get(rep, "organisation"),
								"answers_from")),
			    "policy");
	json_decref(rep);

	/* answered again today (org attest asks the stale ones): applied */
	assert_int_equal(org_attest(today), 0);
	assert_int_equal(collector("policy", "publish", path("orgpol"), "--with-org-answers",
				   NULL), 0);
	o = agent_run();
	assert_int_equal(o.version, 2);
	rep = json_load_file(path("report.json"), 0, NULL);
	assert_non_null(rep);
	it = item(rep, "attest.password_secrecy", "attest.password-secrecy");
	assert_string_equal(it.value, "yes");
	assert_string_equal(it.attested_for, "organisation");
	assert_string_equal(it.status, "pass");
	assert_non_null(strstr(it.evidence, "the central policy's organisation.yaml:"));
	assert_non_null(strstr(it.evidence, "佐藤 花子"));
	it = item(rep, "attest.help_contact", "attest.help-contact");
	assert_string_equal(it.value, "no");
	assert_string_equal(it.attested_for, "organisation");
	assert_string_equal(it.status, "fail");
	json_decref(rep);

	/* the host's own answer (the policy's attestations) still wins */
	char host[512];
	snprintf(host, sizeof host,
		 "schema: hostaudit/attestations/v1\nattestations:\n"
		 "  - question: help_contact\n    answer: yes\n    who: Ito (pc-01)\n"
		 "    when: %s\n", today);
	org_policy_dir("attestations:\n  file: host.yaml\n");
	write_file(path("orgpol/host.yaml"), host, 0600);
	assert_int_equal(collector("policy", "publish", path("orgpol"), "--with-org-answers",
				   NULL), 0);
	o = agent_run();
	assert_int_equal(o.version, 3);
	rep = json_load_file(path("report.json"), 0, NULL);
	assert_non_null(rep);
	it = item(rep, "attest.help_contact", "attest.help-contact");
	assert_string_equal(it.value, "yes");
	assert_string_equal(it.attested_for, "host");
	assert_string_equal(it.status, "pass");
	it = item(rep, "attest.password_secrecy", "attest.password-secrecy");
	assert_string_equal(it.attested_for, "organisation");
	json_decref(rep);
	/* what was signed: the answers as org export prints them */
	char out[1 << 16];
	policy_out("show", "3", NULL, out, sizeof out);
	assert_non_null(strstr(out, "organisation.yaml"));
	assert_non_null(strstr(out, "answers_file: organisation.yaml"));
	stop_server();
}

int main(int argc, char **argv)
{
	if (!e2e_args(argc, argv, "test_policy_e2e", true))
		return 2;
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_publish_fetch_and_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_windows_group_evidence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_answers, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
