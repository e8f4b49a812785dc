/* SPDX-License-Identifier: Apache-2.0 */
/* The helpers the collector's end-to-end tests (test_*_e2e.c) all need
 * and had each copied: the per-test directory and paths in it, writing a
 * file with a mode, running a program with its streams captured, stopping
 * the collector a test started, and the check after a schema upgrade.
 * Only what is the same in every user lives here; each test keeps what
 * differs in meaning (which commands it runs, what it reads back). */
#ifndef HOSTAUDIT_E2E_COMMON_H
#define HOSTAUDIT_E2E_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The test's arguments (e2e_args()); hostaudit_bin is NULL when the test
 * does not take it. */
extern const char *collector_bin, *pki, *work, *hostaudit_bin, *source_dir;
/* This test's own directory (new_test_dir()). */
extern char dir[4096];
/* The running hostaudit-collector's pid, or 0 when none is running. */
extern pid_t server_pid;

/* Reads COLLECTOR PKI_DIR WORK_DIR [HOSTAUDIT] SOURCE_DIR (HOSTAUDIT when
 * with_hostaudit) into the globals above; false after a usage line that
 * names prog. */
bool e2e_args(int argc, char **argv, const char *prog, bool with_hostaudit);
/* A new directory for the next test, work/<prefix><pid>-<n>, into dir
 * (work created if need be), and a new empty database in it: its
 * `database:` value in database (testdb_new()). */
void new_test_dir(const char *prefix, char *database, size_t size);
/* Sleeps ms milliseconds. */
void sleep_ms(long ms);
/* dir/name, in one of 64 rotating buffers (so a call, or an argument
 * array, may use several). */
char *path(const char *name);
/* Writes text to p (created or truncated) with mode; asserts it worked. */
void write_file(const char *p, const char *text, mode_t mode);
/* Starts `collector_bin -c dir/collector.yaml serve --port-file dir/port`
 * (stderr appended to dir/collector.log) into server_pid; env ("NAME=value"
 * or NULL) is added to its environment. Use wait_for_port() next. */
void spawn_server(const char *env);
/* The port the collector wrote to dir/port, polled every 50 ms for at
 * most wait_ms; asserts it came. */
int wait_for_port(long wait_ms);
/* SIGTERM to the collector and waits for it, at most grace_ms before a
 * SIGKILL (grace_ms < 0: for as long as it takes); nothing if none is
 * running. */
void stop_server_within(long grace_ms);
/* stop_server_within(-1). */
void stop_server(void);

/* How e2e_run() connects a program's streams. */
typedef struct e2e_io {
	const char *input;  /* its stdin's text (under 64 KiB); NULL: /dev/null */
	int capture;        /* into out: 1 its stdout, 2 its stderr, 3 both */
	const char *other;  /* the stream not captured appended to this file;
			     * NULL: the test's own stderr */
	const char *env;    /* "NAME=value" added to its environment, or NULL */
} e2e_io;
/* Runs argv (argv[0] by absolute path, no shell) to its end: its exit
 * status, -1 when it did not exit. What io->capture names goes into out
 * (NUL-terminated, at most size - 1 bytes; the rest is read and dropped,
 * so a long output never blocks it; out NULL drops it all). */
int e2e_run(const char *const argv[], const e2e_io *io, char *out, size_t size);

/* The rows the schema-upgrade tests put into an old schema are checked
 * after the upgrade by the same commands: report 6f1c2e3a-...-000000000009
 * of host pc-03 (body {"b":1}) exports as stored, and the 2027 annual
 * report (--now 2027-01-10) has it, its host and its exception "kiosk".
 * config: the collector.yaml naming the upgraded database. */
void e2e_assert_old_report_kept(const char *config);

#endif
