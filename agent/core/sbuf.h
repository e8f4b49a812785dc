/* SPDX-License-Identifier: Apache-2.0 */
/* A growing string, for the files hostaudit writes itself (the answers
 * of `attest` and `org attest`), with YAML's double-quoted scalars. */
#ifndef HOSTAUDIT_SBUF_H
#define HOSTAUDIT_SBUF_H

#include <stddef.h>

typedef struct sbuf {
	char *p; /* NUL-terminated once anything was put; the caller frees it */
	size_t len, cap;
} sbuf;

void sb_put(sbuf *b, const char *s, size_t n);
void sb_str(sbuf *b, const char *s);
/* A YAML double-quoted scalar: safe for any text a person types. */
void sb_quoted(sbuf *b, const char *s);

#endif
