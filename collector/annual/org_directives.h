/* SPDX-License-Identifier: Apache-2.0 */
/* The organisation's directives in the annual report (docs/organisation.md
 * "Over time"): METI's ten directives as the year's placement recorded
 * them, with who answered, when, and the evidence document's SHA-256 and
 * its check when the company was placed. The HTML and CSV forms share it;
 * the JSON carries the whole placement. */
#ifndef HOSTAUDIT_ANNUAL_ORG_DIRECTIVES_H
#define HOSTAUDIT_ANNUAL_ORG_DIRECTIVES_H

#include <stddef.h>

#include <jansson.h>

typedef struct am_directive {
	const char *id;          /* directive_1 ... directive_10 */
	const json_t *label;     /* {en, ja} */
	const char *answer;      /* yes|partly|no|unknown, NULL: not answered */
	const char *state;       /* current|unknown|stale|missing */
	const char *who, *when;  /* NULL when not answered */
	const char *doc_title, *doc_where, *doc_sha256, *doc_check; /* NULL: none */
} am_directive;

#define AM_DIRECTIVES_MAX 32

/* The placement's answers of the directive axis, in their number's order
 * (directive_2 before directive_10); how many. None for NULL. */
size_t am_directives(const json_t *placement, am_directive *out, size_t max);
/* The check of a document in words, in lang. */
const char *am_directive_check(const char *check, const char *lang);

#endif
