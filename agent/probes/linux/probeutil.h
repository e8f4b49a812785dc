/* SPDX-License-Identifier: Apache-2.0 */
/* Small helpers shared by the Linux probes of updates, antivirus and
 * backup. All reach the system through the host context. */
#ifndef HOSTAUDIT_PROBEUTIL_H
#define HOSTAUDIT_PROBEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostaudit/host.h"

/* "YYYY-MM-DD HH:MM:SS" (any run of blanks or a 'T' between date and time)
 * as local time of the audited host's zone (the process TZ). 0 or -1. */
int parse_local_datetime(const char *s, int64_t *epoch);
/* "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|+hhmm)", 0 or -1. */
int parse_iso8601(const char *s, int64_t *epoch);
/* Calendar date and time as UTC seconds (no time zone applied). */
int64_t civil_to_epoch(int y, int mon, int d, int h, int min, int s);

/* Whether any process's /proc/<pid>/comm is one of names (NULL-ended).
 * The matching name goes to found. Returns 1, 0, or a negative errno when
 * /proc cannot be read. */
int proc_find_comm(const host *h, const char *const names[], char *found, size_t size);

/* The newest modification time among the entries of dir (not recursive;
 * dotfiles skipped). 0 and *mtime / *name set, -ENOENT when dir is empty
 * or missing, or another negative errno. */
int newest_entry(const host *h, const char *dir, int64_t *mtime, char *name, size_t size);

/* The newest file matching pattern, whose wildcards (fnmatch) may only
 * be in its last component: "/srv/dumps/db-*.sql.gz". 0 with *mtime, the
 * path in match and the number of matches; -ENOENT when nothing matches. */
int newest_glob(const host *h, const char *pattern, int64_t *mtime, char *match, size_t size,
		size_t *matches);

/* Whether a systemd unit is enabled and not masked (conf_unit_enabled
 * == 1). Records where, or why not. */
bool systemd_unit_enabled(const host *h, const char *unit, char *where, size_t size);

#endif
