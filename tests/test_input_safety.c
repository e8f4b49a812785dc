/* SPDX-License-Identifier: Apache-2.0 */
/* The agent's own inputs (rule packs, site config, attestations) are read
 * once, checked on what was opened: a FIFO neither hangs `validate` nor a
 * rules directory; as root, a pack others could change is refused however
 * it is reached (a link to it, a link others own, a directory others may
 * write) and a link swapped between check and read never loads the other
 * file. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "hostaudit/rules.h"

#define PACK(id)                                                                    \
	"schema: hostaudit/rules/v1\n"                                              \
	"pack: " id "\n"                                                            \
	"title: {en: Test, ja: テスト}\n"                                            \
	"articles:\n"                                                               \
	"  - {number: 2, title: {en: Passwords, ja: パスワード}}\n"                    \
	"rules:\n"                                                                  \
	"  - id: r1\n"                                                              \
	"    article: 2\n"                                                          \
	"    severity: high\n"                                                      \
	"    title: {en: T, ja: T}\n"                                               \
	"    remediation: {en: R, ja: R}\n"                                         \
	"    check: {fact: password.min_length, ge: 8}\n"

#define OTHER_UID 4242

static void put(const char *path, const char *body, unsigned mode, uid_t uid)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(body, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
	assert_int_equal(chown(path, uid, 0), 0);
}

static const char *empty_config(void)
{
	return write_temp_file("config.yaml", "schema: hostaudit/config/v1\n");
}

static void expect_exit2(const char *const argv[], const char *needle1, const char *needle2)
{
	char *out, *err;
	assert_int_equal(run_hostaudit(argv, &out, &err), 2);
	assert_string_equal(out, "");
	if (!strstr(err, needle1) || !strstr(err, needle2))
		fail_msg("'%s' lacks '%s' or '%s'", err, needle1, needle2);
	free(out);
	free(err);
}

/* Before the fix both commands blocked forever in open(). */
static void fifo_is_refused_not_read(void **state)
{
	(void)state;
	char dir[256], fifo[300], rules[300], in_rules[340];
	snprintf(dir, sizeof dir, "%s", make_temp_dir());
	snprintf(fifo, sizeof fifo, "%s/x.yaml", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(30);
	const char *validate[] = {"validate", fifo, NULL};
	expect_exit2(validate, fifo, ": not a regular file");

	snprintf(rules, sizeof rules, "%s/rules", dir);
	assert_int_equal(mkdir(rules, 0755), 0);
	snprintf(in_rules, sizeof in_rules, "%s/a.yaml", rules);
	assert_int_equal(mkfifo(in_rules, 0600), 0);
	const char *run[] = {"run", "-c", empty_config(), "-r", rules, NULL};
	expect_exit2(run, in_rules, ": not a regular file");
	const char *cfg[] = {"run", "-c", fifo, "-r", rules, NULL};
	expect_exit2(cfg, fifo, ": not a regular file");
	alarm(0);
}

static void expect_refused(const char *path, const char *needle)
{
	diag d;
	pack *p = pack_load(path, true, &d);
	if (p) {
		pack_free(p);
		fail_msg("%s loaded as root, expected a refusal with '%s'", path, needle);
	}
	if (!strstr(d.msg, "refusing a file") || !strstr(d.msg, needle))
		fail_msg("'%s' lacks '%s'", d.msg, needle);
}

static void other_owned_is_refused_however_reached(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	char dir[256], theirs[300], link[300], open_dir[300], in_open[340], good[300],
		their_link[300];
	snprintf(dir, sizeof dir, "%s", make_temp_dir());
	assert_int_equal(chmod(dir, 0755), 0);

	/* a link (ours) to a file another user owns */
	snprintf(theirs, sizeof theirs, "%s/theirs.yaml", dir);
	put(theirs, PACK("theirs"), 0644, OTHER_UID);
	snprintf(link, sizeof link, "%s/pack.yaml", dir);
	assert_int_equal(symlink(theirs, link), 0);
	expect_refused(link, "owned by user 4242");

	/* a link another user owns, to our good pack */
	snprintf(good, sizeof good, "%s/good.yaml", dir);
	put(good, PACK("good"), 0644, 0);
	snprintf(their_link, sizeof their_link, "%s/via-their-link.yaml", dir);
	assert_int_equal(symlink(good, their_link), 0);
	assert_int_equal(lchown(their_link, OTHER_UID, 0), 0);
	expect_refused(their_link, "a link owned by user 4242");

	/* our file in a directory everyone may write (not sticky) */
	snprintf(open_dir, sizeof open_dir, "%s/open", dir);
	assert_int_equal(mkdir(open_dir, 0755), 0);
	assert_int_equal(chmod(open_dir, 0777), 0);
	snprintf(in_open, sizeof in_open, "%s/pack.yaml", open_dir);
	put(in_open, PACK("good"), 0644, 0);
	expect_refused(in_open, "writable by every user");
	/* ... or one its group may write, or another user owns */
	assert_int_equal(chmod(open_dir, 0775), 0);
	assert_int_equal(chown(open_dir, 0, 4242), 0);
	expect_refused(in_open, "writable by group 4242");
	assert_int_equal(chmod(open_dir, 0755), 0);
	assert_int_equal(chown(open_dir, OTHER_UID, 0), 0);
	expect_refused(in_open, "owned by user 4242");

	/* the good pack itself loads: the checks refuse only what they should */
	diag d;
	pack *p = pack_load(good, true, &d);
	if (!p)
		fail_msg("%s", d.msg);
	pack_free(p);
	/* and not as a normal user, who may read what they like */
	p = pack_load(link, false, &d);
	assert_non_null(p);
	pack_free(p);
}

/* A child swaps the link between a good pack and one another user owns
 * as fast as it can; the check used to stat the path and then open it
 * again, so the other pack loaded now and then. It must never. */
static void swapped_link_never_loads_the_other_file(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	char dir[256], good[300], theirs[300], link[300], tmp[300];
	snprintf(dir, sizeof dir, "%s", make_temp_dir());
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(good, sizeof good, "%s/good.yaml", dir);
	snprintf(theirs, sizeof theirs, "%s/theirs.yaml", dir);
	snprintf(link, sizeof link, "%s/pack.yaml", dir);
	snprintf(tmp, sizeof tmp, "%s/pack.tmp", dir);
	put(good, PACK("good"), 0644, 0);
	put(theirs, PACK("theirs"), 0644, OTHER_UID);
	assert_int_equal(symlink(good, link), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		for (unsigned i = 0;; i++) {
			unlink(tmp);
			if (symlink(i % 2 ? theirs : good, tmp) == 0)
				rename(tmp, link);
		}
	}
	int loaded_good = 0, refused = 0, loaded_theirs = 0;
	for (int i = 0; i < 3000; i++) {
		diag d;
		pack *p = pack_load(link, true, &d);
		if (!p) {
			refused++;
			continue;
		}
		if (!strcmp(p->id, "theirs"))
			loaded_theirs++;
		else
			loaded_good++;
		pack_free(p);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	print_message("good %d, refused %d, theirs %d\n", loaded_good, refused, loaded_theirs);
	assert_int_equal(loaded_theirs, 0);
	assert_true(loaded_good > 0 && refused > 0); /* the race did run */
}

/* A rule pack, config or attestation path pointed at a secret: the error
 * says what is wrong and where, never a byte of the secret (a pack linked
 * to /etc/shadow printed its first line as an "unknown key"). */
static void errors_do_not_quote_a_foreign_file(void **state)
{
	(void)state;
	static const char *const secrets[] = {
		"root:$6$S3CR3Tsalt$S3CR3Thash:19000:0:99999:7:::\ndaemon:*:19000::::::\n",
		"password: S3CR3T\n",
		"S3CR3T: token\n",
		"api_key: {S3CR3T: 1}\n",
		"- S3CR3T\n",
		"[S3CR3T, x]\n",
		"S3CR3T\n",
	};
	for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++) {
		char link[300];
		const char *secret = write_temp_file("secret", secrets[i]);
		snprintf(link, sizeof link, "%s.yaml", secret);
		assert_int_equal(symlink(secret, link), 0);
		const char *const cmds[][6] = {
			{"validate", link, NULL},
			{"run", "-c", empty_config(), "-r", link, NULL},
			{"run", "-c", link, NULL},
		};
		for (size_t k = 0; k < sizeof cmds / sizeof *cmds; k++) {
			char *err;
			assert_int_equal(run_hostaudit(cmds[k], NULL, &err), 2);
			if (strstr(err, "S3CR3T"))
				fail_msg("the error quotes the file: %s", err);
			assert_non_null(strstr(err, "secret.yaml:1:"));
			free(err);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fifo_is_refused_not_read),
		cmocka_unit_test(other_owned_is_refused_however_reached),
		cmocka_unit_test(swapped_link_never_loads_the_other_file),
		cmocka_unit_test(errors_do_not_quote_a_foreign_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
