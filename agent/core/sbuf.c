/* SPDX-License-Identifier: Apache-2.0 */
#include "sbuf.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

void sb_put(sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void sb_str(sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void sb_quoted(sbuf *b, const char *s)
{
	sb_put(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];
		if (c == '"' || c == '\\') {
			esc[0] = '\\', esc[1] = (char)c;
			sb_put(b, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof esc, "\\x%02x", c);
			sb_str(b, esc);
		} else {
			sb_put(b, s, 1);
		}
	}
	sb_put(b, "\"", 1);
}
