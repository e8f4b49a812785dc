/* SPDX-License-Identifier: Apache-2.0 */
/* The helpers the collector's end-to-end tests (test_*_e2e.c) all need
 * and had each copied: the per-test directory and paths in it, writing a
 * file with a mode, and stopping the collector a test started. Only what
 * is the same in every user lives here; each test keeps what differs in
 * meaning (how it runs the binaries, what it reads back). */
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
/* dir/name, in one of 16 rotating buffers (so a call may use several). */
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

#endif
