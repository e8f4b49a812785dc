/* SPDX-License-Identifier: Apache-2.0 */
/* The host context: the only way probes reach the system.
 *
 * Every path goes through host_path(), which applies --root; "now" comes
 * from here (--now in tests); external programs run through host_run().
 * Tests build a host over a fixture tree and a fixed clock. */
#ifndef HOSTAUDIT_HOST_H
#define HOSTAUDIT_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct host {
	const char *root;   /* "" for the live system, else a directory */
	int64_t now;        /* epoch seconds, UTC */
	bool privileged;    /* root / SYSTEM: may read /etc/shadow etc. */
	const char *os;     /* "linux", "windows" */
} host;

/* Initialises h for the live system (root "", now = clock, privileged =
 * effective uid 0 / elevated token). */
void host_init_live(host *h);

/* root + path into buf. Returns buf, or NULL if it does not fit. */
const char *host_path(const host *h, const char *path, char *buf, size_t size);

/* Opens root+path for reading. NULL with errno set on failure. */
FILE *host_fopen(const host *h, const char *path);

/* Reads all of root+path (at most max bytes: larger is -EFBIG) into a
 * NUL-terminated malloc'd buffer. Returns 0 or a negative errno. */
int host_read_file(const host *h, const char *path, size_t max, char **data, size_t *len);

/* File facts without following the last link: 0 or negative errno. */
typedef struct host_stat {
	bool is_dir, is_reg, is_link;
	uint64_t size;
	int64_t mtime;
	unsigned mode;  /* permission bits */
	unsigned uid, gid;
} host_stat;
int host_stat_path(const host *h, const char *path, host_stat *st);
bool host_exists(const host *h, const char *path);

/* The names in a directory (not "." or ".."), sorted bytewise. Returns
 * 0 or a negative errno; on success the caller frees with
 * host_names_free(). */
int host_list_dir(const host *h, const char *path, char ***names, size_t *count);
void host_names_free(char **names, size_t count);
/* Sorts names bytewise, as host_list_dir returns them. */
void host_names_sort(char **names, size_t count);

/* The time budget of the probe that runs now (monotonic milliseconds,
 * 0 for none), set by probes_run_all. The readers check it in their
 * loops: once it is spent, host_read_file, zreader_read and host_list_dir
 * fail with -ETIMEDOUT and host_run gives a program no more than what is
 * left, so no input, however large or slow, holds the audit. */
void host_budget_set(int64_t deadline_ms);
int64_t host_budget_deadline(void);
bool host_budget_spent(void);

/* Runs an external program: absolute path, no shell, empty environment
 * except PATH=/usr/sbin:/usr/bin:/sbin:/bin and LC_ALL=C, stdin from the
 * null device, stdout captured up to max_out bytes (the rest discarded),
 * stderr discarded, killed after timeout_ms. Refused (-EPERM) when a --root
 * is in force: a program would observe this machine, not the tree.
 * Returns 0 when it ran (exit code in *status, -1 if killed), or a negative
 * errno. */
int host_run(const host *h, const char *const argv[], int timeout_ms, size_t max_out,
	     char **out, size_t *out_len, int *status);

#endif
