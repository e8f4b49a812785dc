/* SPDX-License-Identifier: Apache-2.0 */
/* The host context: --root joins, directory listing, bounded reads, and
 * the runner's promises (absolute path, clean environment, timeout,
 * capped output, no programs under --root). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

static void paths_go_through_the_root(void **state)
{
	(void)state;
	host h = fixture_host("password-weak", TEST_NOW);
	char buf[512];
	assert_non_null(host_path(&h, "/etc/passwd", buf, sizeof buf));
	assert_non_null(strstr(buf, "tests/fixtures/roots/password-weak/etc/passwd"));
	char small[8];
	assert_null(host_path(&h, "/etc/passwd", small, sizeof small));
	assert_true(host_exists(&h, "/etc/shadow"));
	assert_false(host_exists(&h, "/etc/nothing-here"));
	char **names;
	size_t n;
	assert_int_equal(host_list_dir(&h, "/etc", &names, &n), 0);
	assert_true(n >= 3);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(names[i - 1], names[i]) < 0);
	host_names_free(names, n);
	assert_int_equal(host_list_dir(&h, "/nope", &names, &n), -ENOENT);
}

/* Under --root a symbolic link resolves inside the root: an absolute
 * target is read from the root, ".." stops at it, never the auditing
 * machine's own files (issue 10: apt lists of file: repositories). */
static void links_resolve_inside_the_root(void **state)
{
	(void)state;
	char root[512], p[1024];
	snprintf(root, sizeof root, "%s", make_temp_dir());
	const char *const dirs[] = {"/srv", "/srv/repo", "/lists", "/etc", NULL};
	for (size_t i = 0; dirs[i]; i++) {
		snprintf(p, sizeof p, "%s%s", root, dirs[i]);
		assert_int_equal(mkdir(p, 0755), 0);
	}
	snprintf(p, sizeof p, "%s/srv/repo/Packages", root);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("Package: inside\n", f);
	fclose(f);
	snprintf(p, sizeof p, "%s/lists/repo_Packages", root);
	assert_int_equal(symlink("/srv/repo/Packages", p), 0);
	snprintf(p, sizeof p, "%s/lists/escape", root);
	assert_int_equal(symlink("../../../../../../../../etc/passwd", p), 0);
	snprintf(p, sizeof p, "%s/lists/absolute", root);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	snprintf(p, sizeof p, "%s/lists/dir", root);
	assert_int_equal(symlink("/srv/repo", p), 0);
	host h = {.root = root, .now = TEST_NOW, .os = "linux"};
	char *data;
	size_t len;
	assert_int_equal(host_read_file(&h, "/lists/repo_Packages", 4096, &data, &len), 0);
	assert_string_equal(data, "Package: inside\n");
	free(data);
	/* Through a link to a directory, too. */
	assert_int_equal(host_read_file(&h, "/lists/dir/Packages", 4096, &data, &len), 0);
	free(data);
	host_stat st;
	assert_int_equal(host_stat_path(&h, "/lists/repo_Packages", &st), 0);
	assert_true(st.is_link && st.is_reg);
	/* /etc/passwd exists on this machine, not in the root. */
	assert_int_equal(host_read_file(&h, "/lists/escape", 4096, &data, &len), -ENOENT);
	assert_int_equal(host_read_file(&h, "/lists/absolute", 4096, &data, &len), -ENOENT);
	assert_int_equal(host_stat_path(&h, "/lists/absolute", &st), 0);
	assert_true(st.is_link && !st.is_reg);
	char **names;
	size_t n;
	assert_int_equal(host_list_dir(&h, "/lists/dir", &names, &n), 0);
	assert_int_equal(n, 1);
	host_names_free(names, n);
}

static void reads_are_bounded(void **state)
{
	(void)state;
	host h = fixture_host("password-weak", TEST_NOW);
	char *data;
	size_t len;
	assert_int_equal(host_read_file(&h, "/etc/passwd", 1 << 20, &data, &len), 0);
	assert_int_equal(strlen(data), len);
	free(data);
	assert_int_equal(host_read_file(&h, "/etc/passwd", 10, &data, &len), -EFBIG);
	assert_int_equal(host_read_file(&h, "/etc", 100, &data, &len), -EISDIR);
	assert_int_equal(host_read_file(&h, "/missing", 100, &data, &len), -ENOENT);
}

/* A FIFO with a writer that never writes (or a terminal) planted where a
 * probe reads: the read used to block until the writer went away. Now
 * nothing but a regular file is read. */
static void only_regular_files_are_read(void **state)
{
	(void)state;
	char root[256], etc[300], fifo[320];
	snprintf(root, sizeof root, "%s", make_temp_dir());
	snprintf(etc, sizeof etc, "%s/etc", root);
	assert_int_equal(mkdir(etc, 0755), 0);
	snprintf(fifo, sizeof fifo, "%s/passwd", etc);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(fifo, O_WRONLY);
		sleep(60);
		_exit(fd < 0);
	}
	host h = {.root = root, .now = TEST_NOW, .privileged = true, .os = "linux"};
	char *data;
	size_t len;
	alarm(20);
	assert_int_equal(host_read_file(&h, "/etc/passwd", 100, &data, &len), -EINVAL);
	alarm(0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void runner_uses_a_clean_environment(void **state)
{
	(void)state;
	host h;
	host_init_live(&h);
	setenv("HOSTAUDIT_SECRET_TEST", "leak", 1);
	const char *argv[] = {"/usr/bin/env", NULL};
	char *out;
	size_t len;
	int status;
	assert_int_equal(host_run(&h, argv, 5000, 4096, &out, &len, &status), 0);
	assert_int_equal(status, 0);
	assert_string_equal(out, "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nLC_ALL=C\n");
	free(out);
}

static void runner_refuses_what_it_must(void **state)
{
	(void)state;
	host h;
	host_init_live(&h);
	const char *relative[] = {"env", NULL};
	char *out;
	size_t len;
	int status;
	assert_int_equal(host_run(&h, relative, 1000, 64, &out, &len, &status), -EINVAL);
	const char *missing[] = {"/usr/bin/no-such-program", NULL};
	assert_int_equal(host_run(&h, missing, 1000, 64, &out, &len, &status), -ENOENT);
	host rooted = fixture_host("empty", TEST_NOW);
	const char *env[] = {"/usr/bin/env", NULL};
	assert_int_equal(host_run(&rooted, env, 1000, 64, &out, &len, &status), -EPERM);
}

static void runner_times_out_and_caps_output(void **state)
{
	(void)state;
	host h;
	host_init_live(&h);
	const char *yes[] = {"/usr/bin/yes", NULL};
	char *out;
	size_t len;
	int status;
	time_t t0 = time(NULL);
	assert_int_equal(host_run(&h, yes, 300, 100, &out, &len, &status), 0);
	assert_true(time(NULL) - t0 <= 2);
	assert_int_equal(status, -1); /* killed */
	assert_int_equal(len, 100);
	assert_memory_equal(out, "y\ny\n", 4);
	free(out);
	const char *f[] = {"/bin/false", NULL};
	assert_int_equal(host_run(&h, f, 5000, 100, &out, &len, &status), 0);
	assert_int_equal(status, 1);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paths_go_through_the_root),
		cmocka_unit_test(links_resolve_inside_the_root),
		cmocka_unit_test(reads_are_bounded),
		cmocka_unit_test(only_regular_files_are_read),
		cmocka_unit_test(runner_uses_a_clean_environment),
		cmocka_unit_test(runner_refuses_what_it_must),
		cmocka_unit_test(runner_times_out_and_caps_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
