/* SPDX-License-Identifier: Apache-2.0 */
/* The signed central policy's core (hostaudit/policy.h): bundle names,
 * the signature, the served pair, the overlay and the policy-mode config
 * with its forbidden keys. Keys are made here with OpenSSL. */
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
#include <openssl/evp.h>

#include "hostaudit/config.h"
#include "hostaudit/org.h"
#include "hostaudit/policy.h"

static EVP_PKEY *key, *other;
static unsigned char pub[32], other_pub[32];

static char *sign_with(EVP_PKEY *k, const policy_bundle *b)
{
	char *payload = policy_payload_build(b);
	size_t cl = strlen(POLICY_SIGN_CONTEXT), pl = strlen(payload);
	unsigned char *msg = malloc(cl + pl), sig[64];
	memcpy(msg, POLICY_SIGN_CONTEXT, cl);
	memcpy(msg + cl, payload, pl);
	size_t sl = 64;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, NULL, NULL, k), 1);
	assert_int_equal(EVP_DigestSign(ctx, sig, &sl, msg, cl + pl), 1);
	EVP_MD_CTX_free(ctx);
	char *env = policy_envelope_build(payload, sig);
	free(msg);
	free(payload);
	return env;
}

static policy_bundle bundle(long long v, const char *group, const char *yaml)
{
	policy_bundle b = {.version = v, .group = (char *)group, .created = "2026-01-01T00:00:00Z"};
	static policy_file f[2];
	f[0] = (policy_file){"hostaudit.yaml", (char *)yaml, strlen(yaml)};
	b.files = f;
	b.file_count = 1;
	return b;
}

static int setup(void **state)
{
	(void)state;
	key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	other = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	size_t n = 32;
	EVP_PKEY_get_raw_public_key(key, pub, &n);
	n = 32;
	EVP_PKEY_get_raw_public_key(other, other_pub, &n);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
	return 0;
}

static void test_file_names(void **state)
{
	(void)state;
	assert_true(policy_file_name_ok("hostaudit.yaml"));
	assert_true(policy_file_name_ok("rules/site.yaml"));
	assert_false(policy_file_name_ok("../etc/passwd.yaml"));
	assert_false(policy_file_name_ok("rules/../x.yaml"));
	assert_false(policy_file_name_ok("rules/a/b.yaml"));
	assert_false(policy_file_name_ok(".hidden.yaml"));
	assert_false(policy_file_name_ok("/etc/x.yaml"));
	assert_false(policy_file_name_ok("script.sh"));
}

static void test_signature(void **state)
{
	(void)state;
	policy_bundle b = bundle(7, NULL, "schema: hostaudit/config/v1\n");
	char *env = sign_with(key, &b);
	policy_bundle out;
	diag d;
	assert_int_equal(policy_envelope_open(env, strlen(env), pub, &out, &d), 0);
	assert_int_equal(out.version, 7);
	assert_null(out.group);
	assert_int_equal(out.file_count, 1);
	assert_string_equal(out.files[0].data, "schema: hostaudit/config/v1\n");
	policy_bundle_free(&out);
	/* the wrong key */
	assert_int_equal(policy_envelope_open(env, strlen(env), other_pub, &out, &d), -1);
	assert_non_null(strstr(d.msg, "signature"));
	/* one byte of the payload changed */
	char *at = strstr(env, "\\\"version\\\":7");
	assert_non_null(at);
	at[12] = '8';
	assert_int_equal(policy_envelope_open(env, strlen(env), pub, &out, &d), -1);
	assert_non_null(strstr(d.msg, "signature"));
	free(env);
	/* a file name that would leave the policy directory, signed */
	policy_bundle evil = bundle(1, NULL, "x");
	evil.files[0].name = "../../etc/cron.yaml";
	env = sign_with(key, &evil);
	assert_int_equal(policy_envelope_open(env, strlen(env), pub, &out, &d), -1);
	assert_non_null(strstr(d.msg, "not allowed"));
	free(env);
}

static char *served(const char *base, const char *group)
{
	char *s = NULL;
	assert_true(asprintf(&s, "{\"base\":%s,\"group\":%s,\"schema\":\"%s\"}", base,
			     group ? group : "null", POLICY_SERVED_SCHEMA) > 0);
	return s;
}

static void test_served_and_overlay(void **state)
{
	(void)state;
	policy_bundle b = bundle(3, NULL, "base\n");
	char *be = sign_with(key, &b);
	policy_bundle g = bundle(4, "eng", "group\n");
	policy_file gf[2] = {{"hostaudit.yaml", "group\n", 6}, {"rules/extra.yaml", "r\n", 2}};
	g.files = gf;
	g.file_count = 2;
	char *ge = sign_with(key, &g);
	char *doc = served(be, ge);
	policy_bundle ob, og, r;
	diag d;
	assert_int_equal(policy_served_open(doc, strlen(doc), pub, &ob, &og, &d), 0);
	assert_string_equal(og.group, "eng");
	policy_resolve(&ob, &og, &r);
	assert_int_equal(r.file_count, 2);
	assert_string_equal(r.files[0].data, "group\n");
	assert_string_equal(r.files[1].name, "rules/extra.yaml");
	policy_bundle_free(&r);
	policy_bundle_free(&ob);
	policy_bundle_free(&og);
	free(doc);
	/* a group bundle served as the base, and the reverse */
	doc = served(ge, NULL);
	assert_int_equal(policy_served_open(doc, strlen(doc), pub, &ob, &og, &d), -1);
	free(doc);
	doc = served(be, be);
	assert_int_equal(policy_served_open(doc, strlen(doc), pub, &ob, &og, &d), -1);
	free(doc);
	free(be);
	free(ge);
}

static void write_text(const char *p, const char *body)
{
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(body, f);
	fclose(f);
	chmod(p, 0600);
}

static void test_forbidden_keys(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_policy-XXXXXX", p[64];
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof p, "%s/hostaudit.yaml", dir);
	static const char *const bad[] = {"upload:\n  url: https://evil.example/\n",
					  "policy:\n  pubkey_file: /tmp/k\n",
					  "rules: [/etc/shadow]\n"};
	config cfg;
	diag d;
	for (size_t i = 0; i < 3; i++) {
		char body[256];
		snprintf(body, sizeof body, "schema: hostaudit/config/v1\n%s", bad[i]);
		write_text(p, body);
		assert_int_equal(config_load_policy(&cfg, dir, false, &d), -1);
		assert_non_null(strstr(d.msg, "hostaudit.yaml:2:1:"));
		assert_non_null(strstr(d.msg, "cannot be set by a central policy"));
		/* the same file is a good local config */
		assert_int_equal(config_load(&cfg, p, false, &d), 0);
		config_free(&cfg);
	}
	/* attestation files are files of the bundle */
	write_text(p, "schema: hostaudit/config/v1\nattestations: /etc/answers.yaml\n");
	assert_int_equal(config_load_policy(&cfg, dir, false, &d), -1);
	assert_non_null(strstr(d.msg, "names a file of the bundle"));
	write_text(p, "schema: hostaudit/config/v1\nattestations:\n  file: answers.yaml\n");
	assert_int_equal(config_load_policy(&cfg, dir, false, &d), 0);
	config_free(&cfg);
	unlink(p);
	rmdir(dir);
}

/* A policy may be for Windows PCs (a group's) or Linux ones: its backup
 * evidence paths are absolute in either OS's form, wherever it is
 * validated; relative paths and ".." stay refused, each at file:line:col. */
static void test_evidence_paths_any_os(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_policy-XXXXXX", p[64];
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof p, "%s/hostaudit.yaml", dir);
	static const char *const good[] = {"/var/backups/last.log", "C:\\Backup\\last.log",
					   "d:/Backup/last.log", "\\\\nas\\backup\\pc.log"};
	static const struct {
		const char *path;
		bool dotdot; /* refused for its ".." (the message quotes it) */
	} bad[] = {
		{"Backup\\last.log", false},
		{"C:Backup\\last.log", false},
		{"\\\\nas", false},
		{"\\\\\\\\share\\x", false},
		{"relative/last.log", false},
		{"C:\\Backup\\..\\Windows\\x.log", true},
		{"/var/backups/../../etc/shadow", true},
	};
	config cfg;
	diag d;
	char body[256];
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		snprintf(body, sizeof body,
			 "schema: hostaudit/config/v1\nbackup:\n  evidence:\n    - file: '%s'\n",
			 good[i]);
		write_text(p, body);
		if (config_load_policy(&cfg, dir, false, &d))
			fail_msg("%s: %s", good[i], d.msg);
		assert_int_equal(cfg.backup.evidence_count, 1);
		config_free(&cfg);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(body, sizeof body,
			 "schema: hostaudit/config/v1\nbackup:\n  evidence:\n    - file: '%s'\n",
			 bad[i].path);
		write_text(p, body);
		assert_int_equal(config_load_policy(&cfg, dir, false, &d), -1);
		/* Either language: the place, the path, and the ".." when that is why. */
		if (!strstr(d.msg, "hostaudit.yaml:4:7:") || !strstr(d.msg, bad[i].path) ||
		    bad[i].dotdot != !!strstr(d.msg, "'..'"))
			fail_msg("%s: %s", bad[i].path, d.msg);
	}
	/* The local config is for this PC alone: its own OS's form only. */
	snprintf(body, sizeof body,
		 "schema: hostaudit/config/v1\nbackup:\n  evidence:\n    - file: '%s'\n",
		 good[1]);
	write_text(p, body);
#ifdef _WIN32
	assert_int_equal(config_load(&cfg, p, false, &d), 0);
	config_free(&cfg);
#else
	assert_int_equal(config_load(&cfg, p, false, &d), -1);
	assert_non_null(strstr(d.msg, "hostaudit.yaml:4:7:"));
#endif
	unlink(p);
	rmdir(dir);
}

/* A policy's organisation files are files of the bundle (#15's limits:
 * nothing in a policy makes the agent read outside its probes). */
static void test_org_paths(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_policy-XXXXXX", p[64], ans[80], doc[80];
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof p, "%s/hostaudit.yaml", dir);
	static const char *const bad[][2] = {
		{"organisation:\n  answers_file: /etc/shadow\n", "3:17:"},
		{"organisation:\n  answers_file: ../org.yaml\n", "3:17:"},
		{"organisation:\n  answers_file: rules/org.yaml\n", "3:17:"},
		{"organisation:\n  answers_file: org.txt\n", "3:17:"},
		{"organisation:\n  answers_file: organisation.yaml\n"
		 "  questions: /usr/share/hostaudit/rules/org/organisation.yaml\n", "4:14:"},
	};
	config cfg;
	diag d;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char body[300], want[80];
		snprintf(body, sizeof body, "schema: hostaudit/config/v1\n%s", bad[i][0]);
		write_text(p, body);
		assert_int_equal(config_load_policy(&cfg, dir, false, &d), -1);
		snprintf(want, sizeof want, "hostaudit.yaml:%s", bad[i][1]);
		assert_non_null(strstr(d.msg, want));
		assert_non_null(strstr(d.msg, "names a file of the bundle"));
		/* a local config may name any path */
		assert_int_equal(config_load(&cfg, p, false, &d), 0);
		assert_false(cfg.org->from_policy);
		config_free(&cfg);
	}
	/* a bare name is the bundle's file; its evidence is not read here */
	snprintf(doc, sizeof doc, "%s/board.yaml", dir);
	write_text(doc, "minutes\n");
	char sha[65], why[200];
	assert_int_equal(org_file_sha256(doc, sha, why, sizeof why), 0);
	snprintf(ans, sizeof ans, "%s/organisation.yaml", dir);
	char body[900];
	snprintf(body, sizeof body,
		 "schema: hostaudit/org-answers/v1\nanswers:\n"
		 "  - question: directive_1\n    answer: yes\n    who: Sato\n"
		 "    when: 2026-04-01\n    evidence:\n      title: policy\n"
		 "      path: %s\n      sha256: %s\n", doc, sha);
	write_text(ans, body);
	write_text(p, "schema: hostaudit/config/v1\norganisation:\n"
		      "  answers_file: organisation.yaml\n");
	assert_int_equal(config_load_policy(&cfg, dir, false, &d), 0);
	assert_string_equal(cfg.org->answers_file, ans);
	assert_true(cfg.org->from_policy);
	setenv("HOSTAUDIT_ORG_QUESTIONS", HOSTAUDIT_SOURCE_DIR "/rules/org/organisation.yaml", 1);
	const int64_t now = 1795000000; /* 2026-11-18 */
	assert_int_equal(org_settings_load(cfg.org, NULL, now, &d), 0);
	assert_true(cfg.org->answers.evidence_elsewhere);
	org_measured m = {.known = true, .low = 90, .high = 90};
	json_t *placed[2];
	for (int k = 0; k < 2; k++) {
		/* 0: as loaded from the policy; 1: the same answers read locally */
		cfg.org->answers.evidence_elsewhere = k == 0;
		placed[k] = org_place(cfg.org->q, &cfg.org->answers, &m, now);
	}
	json_t *ev0 = json_object_get(json_object_get(json_object_get(placed[0], "answers"),
						       "directive_1"), "evidence");
	json_t *ev1 = json_object_get(json_object_get(json_object_get(placed[1], "answers"),
						       "directive_1"), "evidence");
	assert_string_equal(json_string_value(json_object_get(ev0, "check")), "not-checked");
	assert_string_equal(json_string_value(json_object_get(ev1, "check")), "matches");
	json_decref(placed[0]);
	json_decref(placed[1]);
	config_free(&cfg);
	unlink(doc);
	unlink(ans);
	unlink(p);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_names),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_served_and_overlay),
		cmocka_unit_test(test_forbidden_keys),
		cmocka_unit_test(test_org_paths),
		cmocka_unit_test(test_evidence_paths_any_os),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
