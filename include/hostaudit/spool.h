/* SPDX-License-Identifier: Apache-2.0 */
/* The agent's outbox: reports wait here until the collector confirms it
 * stored them. See docs/collector.md.
 *
 * One file per report, "<seq>-<report_id>.json", private (mode 0600; on
 * Windows a DACL for SYSTEM, Administrators and the owner), written whole
 * (temp file, flush, rename, flush of the directory: platform.h), so a
 * crash leaves either the old state or the new one. <seq> is a zero-padded, strictly
 * increasing number (microseconds, bumped past the newest entry), so name
 * order is arrival order and the oldest is sent first.
 *
 * Reports the collector refuses for good go to the quarantine directory
 * inside the spool ("<spool_dir>/quarantine"), each with a ".reason" file:
 * nothing is ever dropped silently. */
#ifndef HOSTAUDIT_SPOOL_H
#define HOSTAUDIT_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SPOOL_NAME_MAX 96

typedef struct spool {
	char dir[4096];
	char quarantine[4096];
	size_t max_reports;  /* 0: no limit */
	uint64_t max_bytes;  /* 0: no limit */
	FILE *log;           /* one-line notices (drops); NULL: stderr */
	intptr_t lock;       /* held while open: one agent per spool */
} spool;

typedef struct spool_entry {
	char name[SPOOL_NAME_MAX];  /* file name within the spool */
	char report_id[37];
	uint64_t size;
} spool_entry;

/* Creates the spool and quarantine directories (private) when missing and
 * takes the spool lock (waits for another hostaudit using the spool).
 * Returns 0, or -1 with a one-line message in err. */
int spool_open(spool *s, const char *dir, size_t max_reports, uint64_t max_bytes, FILE *log,
	       char *err, size_t err_size);
void spool_close(spool *s);

/* Adds one report (the exact bytes to upload). report_id must be a UUID.
 * Then enforces the bounds, dropping the oldest entries with a logged line
 * (never the one just added). Returns 0, or -1 with err set. */
int spool_put(spool *s, const char *report_id, const void *data, size_t len, char *err,
	      size_t err_size);

/* The entries, oldest first. Caller frees *entries. 0 or -1 with err. */
int spool_list(const spool *s, spool_entry **entries, size_t *count, char *err,
	       size_t err_size);

/* Reads one entry whole. Caller frees *data. 0 or -1 with err. */
int spool_read(const spool *s, const spool_entry *e, char **data, size_t *len, char *err,
	       size_t err_size);

/* Removes an entry the collector confirmed (and fsyncs the directory). */
int spool_remove(const spool *s, const spool_entry *e, char *err, size_t err_size);

/* Moves an entry to the quarantine directory and writes "<name>.reason"
 * beside it. 0 or -1 with err. */
int spool_quarantine(const spool *s, const spool_entry *e, const char *reason, char *err,
		     size_t err_size);


#endif
