/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostaudit/probe.h"

/* The agent's default site config (agent/platform/posix/files.c). */
#define SITE_CONFIG "/etc/hostaudit/hostaudit.yaml"

host fixture_host(const char *scenario, int64_t now)
{
	static char roots[8][512];
	static int next;
	char *root = roots[next++ % 8];
	snprintf(root, 512, "%s/tests/fixtures/roots/%s", HOSTAUDIT_SOURCE_DIR, scenario);
	host h = {.root = root, .now = now, .privileged = true, .os = "linux"};
	return h;
}

fact_set *run_probe(const probe *p, const host *h)
{
	fact_set *fs = fact_set_new();
	assert_int_equal(p->run(h, NULL, fs), 0);
	return fs;
}

static char *slurp_fd(int fd)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	ssize_t got;
	while ((got = read(fd, buf + n, cap - n - 1)) > 0) {
		n += (size_t)got;
		if (cap - n < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	buf[n] = '\0';
	return buf;
}

/* Whether argv names a config file: only then does a run not read the
 * machine's own /etc/hostaudit/hostaudit.yaml. */
static bool names_config(const char *const argv[])
{
	for (size_t i = 0; argv[i]; i++)
		if (!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config") ||
		    !strncmp(argv[i], "--config=", 9))
			return true;
	return false;
}

int run_hostaudit_input(const char *const argv[], const char *input, char **out, char **err)
{
	struct stat st;
	if (!names_config(argv) && stat(SITE_CONFIG, &st) == 0)
		fail_msg("%s exists on this machine and the test names no -c: the agent "
			 "would read it (and upload the fixtures' reports). Run the "
			 "suite where hostaudit is not configured.",
			 SITE_CONFIG);
	const char *in = input ? write_temp_file("stdin.txt", input) : "/dev/null";
	char outpath[] = "/tmp/hostaudit-test-out.XXXXXX";
	char errpath[] = "/tmp/hostaudit-test-err.XXXXXX";
	int ofd = mkstemp(outpath), efd = mkstemp(errpath);
	assert_true(ofd >= 0 && efd >= 0);
	const char *args[64] = {HOSTAUDIT_BINARY};
	size_t n = 1;
	for (; argv[n - 1] && n < 63; n++)
		args[n] = argv[n - 1];
	args[n] = NULL;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int ifd = open(in, O_RDONLY);
		if (ifd < 0)
			_exit(127);
		dup2(ifd, 0);
		dup2(ofd, 1);
		dup2(efd, 2);
		execv(HOSTAUDIT_BINARY, (char *const *)args);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	lseek(ofd, 0, SEEK_SET);
	lseek(efd, 0, SEEK_SET);
	char *o = slurp_fd(ofd), *e = slurp_fd(efd);
	close(ofd);
	close(efd);
	unlink(outpath);
	unlink(errpath);
	if (out)
		*out = o;
	else
		free(o);
	if (err)
		*err = e;
	else
		free(e);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int run_hostaudit(const char *const argv[], char **out, char **err)
{
	return run_hostaudit_input(argv, NULL, out, err);
}

const char *make_temp_dir(void)
{
	static char dir[64];
	snprintf(dir, sizeof dir, "/tmp/hostaudit-test.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return dir;
}

const char *write_temp_file(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", make_temp_dir(), name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, 0644);
	return path;
}
