/* SPDX-License-Identifier: Apache-2.0 */
/* The collector's one log line writer (collector.h). Everything logged
 * passes through log_escape(): a request path, a header or a host name in
 * a report body is the client's text, and a raw newline in it would let
 * the client write a line of its own into the log (or an ESC sequence,
 * drive the administrator's terminal). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "collector.h"

/* The length of the valid UTF-8 sequence at s (at most n bytes), 0 if
 * none: overlong forms, surrogates and values past U+10FFFF are invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned min;
	unsigned cp;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, min = 0x80, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, min = 0x800, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, min = 0x10000, cp = s[0] & 0x07u;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

size_t log_escape(const char *in, char *out, size_t out_size)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = strlen(in), o = 0;
	if (out_size == 0)
		return 0;
	for (size_t i = 0; i < n;) {
		char esc[8];
		size_t take = 1, elen;
		const char *piece;
		if (s[i] == '\\') {
			piece = "\\\\", elen = 2; /* so "\x0a" in the text cannot pose as one */
		} else if (s[i] < 0x20 || s[i] == 0x7f) {
			snprintf(esc, sizeof esc, "\\x%02x", s[i]);
			piece = esc, elen = 4;
		} else if (s[i] < 0x80) {
			piece = (const char *)s + i, elen = 1;
		} else if ((take = utf8_seq(s + i, n - i)) > 0) {
			piece = (const char *)s + i, elen = take;
		} else {
			take = 1;
			snprintf(esc, sizeof esc, "\\x%02x", s[i]);
			piece = esc, elen = 4;
		}
		if (o + elen + 1 > out_size)
			break; /* truncated at a whole character or escape */
		memcpy(out + o, piece, elen);
		o += elen;
		i += take;
	}
	out[o] = '\0';
	return o;
}

void log_line(const char *fmt, ...)
{
	char raw[1024], safe[4096 + 1];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	log_escape(raw, safe, sizeof safe);
	fprintf(stderr, "hostaudit-collector: %s\n", safe);
}

bool log_budget_take(log_budget *b)
{
	time_t now = time(NULL);
	unsigned long dropped = 0;
	pthread_mutex_lock(&b->mu);
	if (now - b->period >= b->period_s) {
		dropped = b->dropped;
		b->period = now;
		b->lines = b->dropped = 0;
	}
	bool ok = b->lines++ < b->burst;
	if (!ok)
		b->dropped++;
	pthread_mutex_unlock(&b->mu);
	if (dropped)
		log_line("%lu more %s in the last %lds not logged", dropped, b->what, b->period_s);
	return ok;
}

/* libmicrohttpd logs a line for every TLS handshake a client breaks off. */
static log_budget mhd_budget = LOG_BUDGET("libmicrohttpd messages", 20, 60);

void log_mhd(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	if (!log_budget_take(&mhd_budget))
		return;
	char raw[1024], safe[4096 + 1];
	vsnprintf(raw, sizeof raw, fmt, ap);
	size_t n = strlen(raw);
	if (n && raw[n - 1] == '\n')
		raw[n - 1] = '\0'; /* libmicrohttpd ends its own lines */
	log_escape(raw, safe, sizeof safe);
	fprintf(stderr, "hostaudit-collector: libmicrohttpd: %s\n", safe);
}
