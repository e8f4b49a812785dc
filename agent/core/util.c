/* SPDX-License-Identifier: Apache-2.0 */
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *oom(void)
{
	fputs("hostaudit: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : oom();
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	return p ? p : oom();
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	return q ? q : oom();
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return xstrdup("");
	char *p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

bool utf8_valid(const char *str, size_t len, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1, cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2, cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3, cp = c & 0x07;
		} else {
			goto fail;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				goto fail;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			goto fail;
		i += n + 1;
	}
	return true;
fail:
	if (bad)
		*bad = i;
	return false;
}

/* wcwidth() semantics without the C library's locale: East Asian Wide
 * and Fullwidth take two columns, combining marks and zero-width
 * characters none, the rest one. */
int utf8_cp_width(unsigned cp)
{
	if (cp == 0 || (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
	    (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	    (cp >= 0x3099 && cp <= 0x309A))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
	    (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
	    (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

size_t utf8_decode(const char *str, unsigned *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;
	if (*s < 0x80)
		*cp = *s, n = 1;
	else if ((*s & 0xE0) == 0xC0)
		*cp = *s & 0x1F, n = 2;
	else if ((*s & 0xF0) == 0xE0)
		*cp = *s & 0x0F, n = 3;
	else
		*cp = *s & 0x07, n = 4;
	size_t k = 1;
	for (; k < n && s[k]; k++)
		*cp = (*cp << 6) | (s[k] & 0x3F);
	return k;
}

size_t utf8_display_width(const char *s)
{
	size_t w = 0;
	while (*s) {
		unsigned cp;
		s += utf8_decode(s, &cp);
		w += (size_t)utf8_cp_width(cp);
	}
	return w;
}

long long days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long yy = (long long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

void format_time_utc(long long t, char *buf, size_t size)
{
	long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	long long secs = t - days * 86400;
	int y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, size, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", y, m, d, secs / 3600,
		 (secs / 60) % 60, secs % 60);
}

/* n decimal digits exactly (sscanf's %d would take signs and blanks). */
static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int mo)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (mo < 1 || mo > 12)
		return 0;
	return days[mo - 1] + (mo == 2 && leap_year(y));
}

bool date_looks_like_ymd(const char *s)
{
	int y, mo, d;
	return strlen(s) == 10 && digits(s, 4, &y) && s[4] == '-' && digits(s + 5, 2, &mo) &&
	       s[7] == '-' && digits(s + 8, 2, &d);
}

int parse_time_utc(const char *s, long long *epoch)
{
	int y, mo, d, h = 0, mi = 0, sec = 0;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d))
		return -1;
	const char *p = s + 10;
	long long offset = 0;
	if (*p == 'T' || *p == ' ') {
		if (!digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi) || p[6] != ':' ||
		    !digits(p + 7, 2, &sec))
			return -1;
		p += 9;
		if (*p == '.') {
			if (p[1] < '0' || p[1] > '9')
				return -1;
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
		}
		if (*p == 'Z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 ||
			    om > 59)
				return -1;
			offset = (oh * 3600LL + om * 60LL) * (*p == '+' ? 1 : -1);
			p += 6;
		} else {
			return -1;
		}
	}
	/* A calendar date: 2027-02-30 or 04-31 is no day at all. */
	if (*p || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60)
		return -1;
	*epoch = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600LL + mi * 60LL +
		 sec - offset;
	return 0;
}

static bool path_sep(char c)
{
	return c == '\\' || c == '/';
}

/* UNC: "\\\\server\\share", both named, then the end or a separator. */
static bool unc_form(const char *p)
{
	size_t server, share;

	if (p[0] != '\\' || p[1] != '\\')
		return false;
	p += 2;
	server = strcspn(p, "\\/");
	if (!server || p[server] != '\\')
		return false;
	p += server + 1;
	share = strcspn(p, "\\/");
	return share && (!p[share] || path_sep(p[share]));
}

path_form path_form_of(const char *path)
{
	if (path[0] == '/')
		return PATH_POSIX;
	if (unc_form(path))
		return PATH_WINDOWS;
	if (isalpha((unsigned char)path[0]) && path[1] == ':' && path_sep(path[2]))
		return PATH_WINDOWS;
	return PATH_RELATIVE;
}

bool path_is_absolute(const char *path)
{
	path_form f = path_form_of(path);
#ifdef _WIN32
	return f != PATH_RELATIVE;
#else
	return f == PATH_POSIX;
#endif
}

bool path_has_dotdot(const char *path)
{
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "\\/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p += n;
		if (*p)
			p++;
	}
	return false;
}
