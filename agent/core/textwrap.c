/* SPDX-License-Identifier: Apache-2.0 */
/* Wrapping text by display width at word boundaries (textwrap.h). */
#include "textwrap.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/platform.h"
#include "util.h"

size_t text_columns(FILE *f)
{
	const char *env = getenv("COLUMNS");
	long n = 0;
	if (env && *env) {
		char *end;
		n = strtol(env, &end, 10);
		if (*end)
			n = 0;
	}
	if (n <= 0)
		n = platform_terminal_columns(f);
	if (n <= 0)
		n = 80;
	return n < 40 ? 40 : (size_t)n;
}

void text_pad(FILE *out, const char *s, size_t width)
{
	fputs(s, out);
	for (size_t w = utf8_display_width(s); w < width; w++)
		fputc(' ', out);
}

/* Kinsoku: no line starts with these, none ends with the openers. */
static bool closing(unsigned cp)
{
	static const unsigned list[] = {0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF09, 0x300D, 0x300F,
					0x3011, 0x3015, 0xFF01, 0xFF1F, 0xFF1A, 0xFF1B, 0x30FC,
					0x3005, 0x30FB, 0x3063, 0x30C3, 0x3083, 0x3085, 0x3087,
					0x30E3, 0x30E5, 0x30E7, 0x3041, 0x3043, 0x3045, 0x3047,
					0x3049, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, ')',
					']', '}', ',', '.', ':', ';', '!', '?', 0};
	for (size_t i = 0; list[i]; i++)
		if (cp == list[i])
			return true;
	return false;
}

static bool opening(unsigned cp)
{
	return cp == 0xFF08 || cp == 0x300C || cp == 0x300E || cp == 0x3010 || cp == 0x3014 ||
	       cp == '(' || cp == '[' || cp == '{' || cp == '`' || cp == '"';
}

/* Length in bytes of an ANSI escape sequence at s, or 0. */
static size_t escape_len(const char *s)
{
	if (s[0] != '\033' || s[1] != '[')
		return 0;
	size_t n = 2;
	while (s[n] && !(s[n] >= '@' && s[n] <= '~'))
		n++;
	return s[n] ? n + 1 : n;
}

/* The next unbreakable piece of s: its bytes and columns. A piece ends
 * before a space or newline, or where a wide character allows a break. */
static size_t piece(const char *s, size_t *width)
{
	size_t n = 0, w = 0;
	unsigned prev = 0;
	while (s[n] && s[n] != ' ' && s[n] != '\n') {
		size_t e = escape_len(s + n);
		if (e) {
			n += e;
			continue;
		}
		unsigned cp;
		size_t len = utf8_decode(s + n, &cp);
		int cw = utf8_cp_width(cp);
		if (n > 0 && prev && (cw == 2 || utf8_cp_width(prev) == 2) && !closing(cp) &&
		    !opening(prev))
			break;
		n += len;
		w += (size_t)cw;
		prev = cp;
	}
	*width = w;
	return n;
}

static void newline(FILE *out, size_t indent, size_t *col)
{
	fputc('\n', out);
	for (size_t i = 0; i < indent; i++)
		fputc(' ', out);
	*col = indent;
}

void text_wrap(FILE *out, const char *s, size_t col, size_t indent, size_t width)
{
	if (indent + 10 > width)
		indent = width > 10 ? width - 10 : 0;
	bool placed = false; /* a piece is already on this line */
	size_t spaces = 0;
	while (*s) {
		if (*s == ' ') {
			spaces++;
			s++;
			continue;
		}
		if (*s == '\n') {
			newline(out, indent, &col);
			placed = false;
			spaces = 0;
			s++;
			continue;
		}
		size_t w, n = piece(s, &w);
		size_t gap = placed ? spaces : 0;
		if (col + gap + w > width && (placed || col > indent)) {
			newline(out, indent, &col);
			gap = 0;
		}
		for (size_t i = 0; i < gap; i++)
			fputc(' ', out);
		col += gap;
		if (col + w <= width) {
			fwrite(s, 1, n, out);
			col += w;
		} else {
			/* Longer than a whole line: cut where the line ends. */
			for (size_t k = 0; k < n;) {
				size_t e = escape_len(s + k);
				if (e) {
					fwrite(s + k, 1, e, out);
					k += e;
					continue;
				}
				unsigned cp;
				size_t len = utf8_decode(s + k, &cp);
				size_t cw = (size_t)utf8_cp_width(cp);
				if (col + cw > width)
					newline(out, indent, &col);
				fwrite(s + k, 1, len, out);
				col += cw;
				k += len;
			}
		}
		s += n;
		placed = true;
		spaces = 0;
	}
	fputc('\n', out);
}
