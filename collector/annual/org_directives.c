/* SPDX-License-Identifier: Apache-2.0 */
/* The directives of the year's placement (org_directives.h). */
#define _GNU_SOURCE
#include "org_directives.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int by_number(const void *a, const void *b)
{
	return strverscmp(((const am_directive *)a)->id, ((const am_directive *)b)->id);
}

size_t am_directives(const json_t *placement, am_directive *out, size_t max)
{
	size_t n = 0;
	const char *id;
	json_t *a;
	json_object_foreach(json_object_get(placement, "answers"), id, a)
	{
		const char *axis = str(a, "axis");
		if (!axis || strcmp(axis, "directive") || n >= max)
			continue;
		const json_t *ev = json_object_get(a, "evidence");
		const char *where = str(ev, "path");
		out[n++] = (am_directive){
			.id = id,
			.label = json_object_get(a, "label"),
			.answer = str(a, "answer"),
			.state = str(a, "state"),
			.who = str(a, "who"),
			.when = str(a, "when"),
			.doc_title = str(ev, "title"),
			.doc_where = where ? where : str(ev, "url"),
			.doc_sha256 = str(ev, "sha256"),
			.doc_check = str(ev, "check"),
		};
	}
	if (n > 1)
		qsort(out, n, sizeof *out, by_number);
	return n;
}

const char *am_directive_check(const char *check, const char *lang)
{
	if (!check)
		return "";
	if (!strcmp(check, "matches"))
		return L_(lang, "SHA-256 matches");
	if (!strcmp(check, "differs"))
		return L_(lang, "CHANGED since it was answered (SHA-256 differs)");
	if (!strcmp(check, "unreadable"))
		return L_(lang, "cannot be read here");
	return L_(lang, "not checked");
}
