/* SPDX-License-Identifier: Apache-2.0 */
/* The shared helpers of the collector's end-to-end tests (e2e_common.h). */
#define _GNU_SOURCE
#include "e2e_common.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
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

#include "testdb.h"

const char *collector_bin, *pki, *work, *hostaudit_bin, *source_dir;
char dir[4096];
pid_t server_pid;

bool e2e_args(int argc, char **argv, const char *prog, bool with_hostaudit)
{
	if (argc != (with_hostaudit ? 6 : 5)) {
		fprintf(stderr, "usage: %s COLLECTOR PKI_DIR WORK_DIR%s SOURCE_DIR\n", prog,
			with_hostaudit ? " HOSTAUDIT" : "");
		return false;
	}
	collector_bin = argv[1];
	pki = argv[2];
	work = argv[3];
	hostaudit_bin = with_hostaudit ? argv[4] : NULL;
	source_dir = argv[argc - 1];
	return true;
}

void new_test_dir(const char *prefix, char *database, size_t size)
{
	static int test_no;
	snprintf(dir, sizeof dir, "%s/%s%d-%d", work, prefix, getpid(), ++test_no);
	mkdir(work, 0700);
	assert_int_equal(mkdir(dir, 0700), 0);
	testdb_new(dir, "collector", database, size);
}

void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

char *path(const char *name)
{
	static char bufs[64][4200];
	static int i;
	char *b = bufs[i++ % 64];
	snprintf(b, 4200, "%s/%s", dir, name);
	return b;
}

void write_file(const char *p, const char *text, mode_t mode)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	fchmod(fd, mode);
	close(fd);
}

void spawn_server(const char *env)
{
	unlink(path("port"));
	server_pid = fork();
	assert_true(server_pid >= 0);
	if (server_pid == 0) {
		int log = open(path("collector.log"), O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(log, 2);
		if (env)
			putenv((char *)env);
		execl(collector_bin, collector_bin, "-c", path("collector.yaml"), "serve",
		      "--port-file", path("port"), (char *)NULL);
		_exit(127);
	}
}

int wait_for_port(long wait_ms)
{
	int port = 0;
	for (long i = 0; i < wait_ms / 50 && !port; i++) {
		FILE *f = fopen(path("port"), "r");
		if (f) {
			if (fscanf(f, "%d", &port) != 1)
				port = 0;
			fclose(f);
		}
		if (!port)
			sleep_ms(50);
	}
	assert_true(port > 0);
	return port;
}

void stop_server_within(long grace_ms)
{
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		bool reaped = false;
		for (long waited = 0; grace_ms >= 0 && !reaped; waited += 50) {
			reaped = waitpid(server_pid, NULL, WNOHANG) == server_pid;
			if (!reaped && waited >= grace_ms) {
				kill(server_pid, SIGKILL);
				break;
			}
			if (!reaped)
				sleep_ms(50);
		}
		if (!reaped)
			waitpid(server_pid, NULL, 0);
	}
	server_pid = 0;
}

void stop_server(void)
{
	stop_server_within(-1);
}

int e2e_run(const char *const argv[], const e2e_io *io, char *out, size_t size)
{
	int pfd[2], in[2] = {-1, -1};
	assert_int_equal(pipe(pfd), 0);
	if (io->input) {
		assert_true(strlen(io->input) < 65536); /* the pipe holds it all */
		assert_int_equal(pipe(in), 0);
		assert_int_equal(write(in[1], io->input, strlen(io->input)),
				 (ssize_t)strlen(io->input));
		close(in[1]);
	}
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int stdin_fd = io->input ? in[0] : open("/dev/null", O_RDONLY);
		dup2(stdin_fd, 0);
		if (io->other && io->capture != 3) {
			int fd = open(io->other, O_WRONLY | O_CREAT | O_APPEND, 0600);
			dup2(fd, io->capture == 1 ? 2 : 1);
		}
		if (io->capture & 1)
			dup2(pfd[1], 1);
		if (io->capture & 2)
			dup2(pfd[1], 2);
		close(pfd[0]);
		if (io->env)
			putenv((char *)io->env);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (io->input)
		close(in[0]);
	close(pfd[1]);
	char sink[4096];
	size_t n = 0;
	for (;;) {
		bool room = out && n + 1 < size;
		ssize_t r = read(pfd[0], room ? out + n : sink, room ? size - 1 - n : sizeof sink);
		if (r <= 0)
			break;
		if (room)
			n += (size_t)r;
	}
	if (out)
		out[n] = '\0';
	close(pfd[0]);
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void e2e_assert_old_report_kept(const char *config)
{
	static char out[1 << 16];
	const e2e_io io = {.capture = 1};
	const char *exp[] = {collector_bin, "-c", config, "export",
			     "6f1c2e3a-0000-4000-8000-000000000009", NULL};
	assert_int_equal(e2e_run(exp, &io, out, sizeof out), 0);
	assert_string_equal(out, "{\"b\":1}\n");
	const char *rep[] = {collector_bin, "-c", config, "report", "--year", "2027", "--format",
			     "json", "--now", "2027-01-10T00:00:00Z", NULL};
	assert_int_equal(e2e_run(rep, &io, out, sizeof out), 0);
	assert_non_null(strstr(out, "6f1c2e3a-0000-4000-8000-000000000009"));
	assert_non_null(strstr(out, "\"kiosk\""));
	assert_non_null(strstr(out, "\"pc-03\""));
}
