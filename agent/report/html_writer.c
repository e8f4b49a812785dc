/* SPDX-License-Identifier: Apache-2.0 */
/* The escaping HTML writer (include/hostaudit/html.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/html.h"

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
	if (n == 0 || s[0] > 0xF4)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
		return 0;     /* overlong, or a UTF-16 surrogate */
	if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
		return 0;
	return n;
}

/* 1 for the bytes written as they are: printable ASCII but & < > " '.
 * One load per byte instead of six compares (the annual report writes
 * millions of cells through here). */
static const bool plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x10 */
	1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, /* 0x30 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x50 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x60 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, /* 0x70 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x80 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x90 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xA0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xB0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xC0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xD0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xE0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xF0 */
};

void html_text(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		/* a run of plain printable ASCII in one write (speed only: the
		 * annual report writes millions of cells) */
		size_t run = 0;
		while (plain[p[run]])
			run++;
		if (run) {
			fwrite(p, 1, run, out);
			p += run;
			continue;
		}
		switch (*p) {
		case '&': fputs("&amp;", out); p++; continue;
		case '<': fputs("&lt;", out); p++; continue;
		case '>': fputs("&gt;", out); p++; continue;
		case '"': fputs("&quot;", out); p++; continue;
		case '\'': fputs("&#39;", out); p++; continue;
		default: break;
		}
		if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7F) {
			fputs("\xEF\xBF\xBD", out);
			p++;
			continue;
		}
		size_t n = utf8_len(p);
		if (n == 0) {
			fputs("\xEF\xBF\xBD", out);
			p++;
			continue;
		}
		fwrite(p, 1, n, out);
		p += n;
	}
}

void html_textf(FILE *out, const char *fmt, ...)
{
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, again);
	va_end(again);
	html_text(out, s);
	free(s);
}

static bool plain_name(const char *n)
{
	if (!n || !*n)
		return false;
	for (; *n; n++)
		if (!((*n >= 'a' && *n <= 'z') || (*n >= '0' && *n <= '9') || *n == '-'))
			return false;
	return true;
}

static void open_tag(FILE *out, const char *tag, va_list ap)
{
	if (!plain_name(tag))
		abort();      /* a programming error: tags are literals */
	fprintf(out, "<%s", tag);
	const char *name;
	while ((name = va_arg(ap, const char *)) != NULL) {
		const char *value = va_arg(ap, const char *);
		if (!plain_name(name))
			abort();
		if (!value)
			continue;
		fprintf(out, " %s=\"", name);
		html_text(out, value);
		fputc('"', out);
	}
	fputc('>', out);
}

void html_open(FILE *out, const char *tag, ...)
{
	va_list ap;
	va_start(ap, tag);
	open_tag(out, tag, ap);
	va_end(ap);
}

void html_close(FILE *out, const char *tag)
{
	if (!plain_name(tag))
		abort();
	fprintf(out, "</%s>", tag);
}

void html_elem(FILE *out, const char *tag, const char *text, ...)
{
	va_list ap;
	va_start(ap, text);
	open_tag(out, tag, ap);
	va_end(ap);
	html_text(out, text);
	html_close(out, tag);
}
