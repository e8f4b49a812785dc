/* SPDX-License-Identifier: Apache-2.0 */
/* Whether the host name a report claims is the enrolled host's
 * (collector.h). One function, so the answer to the agent and the stored
 * row can never disagree. */
#define _GNU_SOURCE
#include <string.h>
#include <strings.h>

#include "collector.h"

/* The length of name without one trailing root dot ("pc-01." is "pc-01"). */
static size_t bare_len(const char *name)
{
	size_t n = strlen(name);
	return n && name[n - 1] == '.' ? n - 1 : n;
}

bool hostname_matches(const char *claimed, const char *enrolled)
{
	if (!claimed || !enrolled)
		return false; /* no claim: nothing confirms it */
	size_t lc = bare_len(claimed), le = bare_len(enrolled);
	if (lc == 0 || le == 0)
		return false;
	if (lc == le && strncasecmp(claimed, enrolled, lc) == 0)
		return true;
	/* A short name and a fully qualified one: the short one must be the
	 * whole first label of the other ("pc-01" and "pc-01.corp.example",
	 * never "pc-010"). Two different domains never match. */
	const char *shortn = claimed, *full = enrolled;
	size_t ls = lc, lf = le;
	if (memchr(claimed, '.', lc)) {
		shortn = enrolled, full = claimed;
		ls = le, lf = lc;
	}
	if (memchr(shortn, '.', ls))
		return false; /* both qualified, and not equal */
	return ls < lf && full[ls] == '.' && strncasecmp(shortn, full, ls) == 0;
}
