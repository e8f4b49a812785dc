/* SPDX-License-Identifier: Apache-2.0 */
/* Command-line quoting for CreateProcessW (wincmdline.h). */
#include "wincmdline.h"

#include <string.h>

#include "util.h"

/* Appends one argument to out (which has room: see the size bound). */
static size_t quote_arg(const char *a, char *out)
{
	size_t n = 0;
	if (a[0] && !strpbrk(a, " \t\n\v\"")) {
		memcpy(out, a, strlen(a));
		return strlen(a);
	}
	out[n++] = '"';
	for (const char *p = a;; p++) {
		size_t slashes = 0;
		while (*p == '\\')
			p++, slashes++;
		if (!*p) {
			/* Before the closing quote every backslash is doubled. */
			for (size_t i = 0; i < slashes * 2; i++)
				out[n++] = '\\';
			break;
		}
		if (*p == '"') {
			for (size_t i = 0; i < slashes * 2 + 1; i++)
				out[n++] = '\\';
		} else {
			for (size_t i = 0; i < slashes; i++)
				out[n++] = '\\';
		}
		out[n++] = *p;
	}
	out[n++] = '"';
	return n;
}

char *win_cmdline_join(const char *const argv[])
{
	size_t cap = 1;
	for (size_t i = 0; argv[i]; i++)
		cap += 2 * strlen(argv[i]) + 3; /* worst case: every byte escaped, quotes, space */
	char *s = xmalloc(cap);
	size_t n = 0;
	for (size_t i = 0; argv[i]; i++) {
		if (i)
			s[n++] = ' ';
		n += quote_arg(argv[i], s + n);
	}
	s[n] = '\0';
	return s;
}
