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
	static char bufs[16][4200];
	static int i;
	char *b = bufs[i++ % 16];
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
