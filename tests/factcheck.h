/* SPDX-License-Identifier: Apache-2.0 */
/* Assertions over recorded facts, for the probe tests: state, value, and
 * that the evidence or reason says what was read. */
#ifndef HOSTAUDIT_FACTCHECK_H
#define HOSTAUDIT_FACTCHECK_H

#include <stdio.h>
#include <string.h>

#include "testutil.h"

#include "hostaudit/facts.h"

static inline const fact *fact_known(const fact_set *fs, const char *name)
{
	const fact *f = fact_get(fs, name);
	assert_non_null(f);
	if (f->state != FACT_KNOWN)
		fail_msg("%s is %s (%s), expected known", name, fact_state_name(f->state),
			 f->reason ? f->reason : "no reason");
	assert_non_null(f->evidence);
	return f;
}

static inline void check_bool(const fact_set *fs, const char *name, bool v, const char *ev)
{
	const fact *f = fact_known(fs, name);
	if (f->v.b != v)
		fail_msg("%s is %s, expected %s (evidence: %s)", name, f->v.b ? "true" : "false",
			 v ? "true" : "false", f->evidence);
	if (ev && !strstr(f->evidence, ev))
		fail_msg("%s evidence lacks \"%s\": %s", name, ev, f->evidence);
}

static inline void check_int(const fact_set *fs, const char *name, long long v, const char *ev)
{
	const fact *f = fact_known(fs, name);
	if (f->v.i != v)
		fail_msg("%s is %lld, expected %lld (evidence: %s)", name, (long long)f->v.i, v,
			 f->evidence);
	if (ev && !strstr(f->evidence, ev))
		fail_msg("%s evidence lacks \"%s\": %s", name, ev, f->evidence);
}

static inline void check_string(const fact_set *fs, const char *name, const char *v,
				 const char *ev)
{
	const fact *f = fact_known(fs, name);
	if (strcmp(f->v.s, v))
		fail_msg("%s is \"%s\", expected \"%s\" (evidence: %s)", name, f->v.s, v,
			 f->evidence);
	if (ev && !strstr(f->evidence, ev))
		fail_msg("%s evidence lacks \"%s\": %s", name, ev, f->evidence);
}

/* items: "a,b,c" in recorded order ("" for an empty list). */
static inline void check_list(const fact_set *fs, const char *name, const char *items,
			       const char *ev)
{
	const fact *f = fact_known(fs, name);
	char joined[2048] = "";
	for (size_t i = 0; i < f->v.list.count; i++) {
		size_t used = strlen(joined);
		snprintf(joined + used, sizeof joined - used, "%s%s", i ? "," : "",
			 f->v.list.items[i]);
	}
	if (strcmp(joined, items))
		fail_msg("%s is [%s], expected [%s] (evidence: %s)", name, joined, items,
			 f->evidence);
	if (ev && !strstr(f->evidence, ev))
		fail_msg("%s evidence lacks \"%s\": %s", name, ev, f->evidence);
}

static inline void check_state(const fact_set *fs, const char *name, fact_state st,
				const char *reason)
{
	const fact *f = fact_get(fs, name);
	assert_non_null(f);
	if (f->state != st)
		fail_msg("%s is %s, expected %s (%s)", name, fact_state_name(f->state),
			 fact_state_name(st), f->reason ? f->reason : f->evidence ? f->evidence : "");
	if (reason && (!f->reason || !strstr(f->reason, reason)))
		fail_msg("%s reason lacks \"%s\": %s", name, reason, f->reason ? f->reason : "(none)");
}

/* On the live machine a fact must be known with evidence, or say why not. */
static inline void check_known_or_reason(const fact_set *fs, const char *name)
{
	const fact *f = fact_get(fs, name);
	assert_non_null(f);
	if (f->state == FACT_KNOWN)
		assert_true(f->evidence && f->evidence[0]);
	else if (f->state == FACT_UNKNOWN || f->state == FACT_NOT_APPLICABLE)
		assert_true(f->reason && f->reason[0]);
	else
		fail_msg("%s is %s on this machine: %s", name, fact_state_name(f->state),
			 f->reason ? f->reason : "");
}

#endif
