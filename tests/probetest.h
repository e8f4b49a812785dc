/* SPDX-License-Identifier: Apache-2.0 */
/* Assertions on recorded facts, shared by the probe tests. */
#ifndef HOSTAUDIT_PROBETEST_H
#define HOSTAUDIT_PROBETEST_H

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "testutil.h"

static inline const fact *want_fact(const fact_set *fs, const char *name, fact_state state)
{
	const fact *f = fact_get(fs, name);
	assert_non_null(f);
	if (f->state != state)
		fail_msg("%s: state %s, want %s (%s)", name, fact_state_name(f->state),
			 fact_state_name(state), f->reason ? f->reason : f->evidence ? f->evidence : "");
	return f;
}

static inline void want_int(const fact_set *fs, const char *name, int64_t v)
{
	const fact *f = want_fact(fs, name, FACT_KNOWN);
	if (f->v.i != v)
		fail_msg("%s = %lld, want %lld (%s)", name, (long long)f->v.i, (long long)v,
			 f->evidence ? f->evidence : "");
}

static inline void want_bool(const fact_set *fs, const char *name, bool v)
{
	const fact *f = want_fact(fs, name, FACT_KNOWN);
	if (f->v.b != v)
		fail_msg("%s = %d, want %d (%s)", name, f->v.b, v, f->evidence ? f->evidence : "");
}

/* The list, joined with ",". */
static inline void want_list(const fact_set *fs, const char *name, const char *joined)
{
	const fact *f = want_fact(fs, name, FACT_KNOWN);
	char buf[2048] = "";
	for (size_t i = 0; i < f->v.list.count; i++) {
		if (i)
			strncat(buf, ",", sizeof buf - strlen(buf) - 1);
		strncat(buf, f->v.list.items[i], sizeof buf - strlen(buf) - 1);
	}
	assert_string_equal(buf, joined);
}

static inline void want_evidence_has(const fact_set *fs, const char *name, const char *part)
{
	const fact *f = fact_get(fs, name);
	const char *text = f->evidence ? f->evidence : f->reason ? f->reason : "";
	if (!strstr(text, part))
		fail_msg("%s: '%s' does not mention '%s'", name, text, part);
}

/* Sets the modification time of a fixture file (git does not keep them). */
static inline void set_mtime(const host *h, const char *path, int64_t t)
{
	char full[1024];
	struct timespec ts[2] = {{.tv_sec = (time_t)t}, {.tv_sec = (time_t)t}};
	snprintf(full, sizeof full, "%s%s", h->root, path);
	if (utimensat(AT_FDCWD, full, ts, AT_SYMLINK_NOFOLLOW) != 0)
		fail_msg("cannot set the mtime of %s", full);
}

#endif
