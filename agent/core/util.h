/* SPDX-License-Identifier: Apache-2.0 */
/* Small helpers that never return NULL: out of memory ends the program
 * with a message, as there is nothing sensible an audit can do then. */
#ifndef HOSTAUDIT_UTIL_H
#define HOSTAUDIT_UTIL_H

#include "hostaudit/compiler.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) HOSTAUDIT_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) HOSTAUDIT_PRINTF(1, 0);

/* Whether s is well-formed UTF-8 (no overlongs, no surrogates). On failure
 * *bad is the byte offset of the first bad sequence. */
bool utf8_valid(const char *s, size_t len, size_t *bad);
/* Columns a UTF-8 string takes in a terminal (East Asian wide = 2). */
size_t utf8_display_width(const char *s);
/* Columns one code point takes (wcwidth semantics: 0, 1 or 2). */
int utf8_cp_width(unsigned cp);
/* Decodes the code point at s (s non-empty) into *cp; returns its bytes. */
size_t utf8_decode(const char *s, unsigned *cp);

/* RFC 3339 UTC, "2026-11-26T06:00:00Z". buf needs 21 bytes. */
void format_time_utc(long long epoch, char *buf, size_t size);
/* Parses RFC 3339 "YYYY-MM-DDTHH:MM:SSZ" (or with +hh:mm) or "YYYY-MM-DD",
 * digits exactly, a day that exists (leap years: 2028-02-29, not
 * 2027-02-29). Returns 0 or -1. */
int parse_time_utc(const char *s, long long *epoch);
/* Whether s has the shape YYYY-MM-DD, whether or not that day exists. */
bool date_looks_like_ymd(const char *s);
/* 28..31, or 0 when mo is not a month. */
int days_in_month(int y, int mo);
/* Days since the epoch for a civil date (proleptic Gregorian). */
long long days_from_civil(long long y, unsigned m, unsigned d);

/* Which OS's absolute path this is, by its shape alone, wherever it is
 * checked (the collector validates policies for Windows PCs too):
 * "/..." POSIX; "C:\\...", "C:/..." or UNC "\\\\server\\share..." Windows. */
typedef enum path_form { PATH_RELATIVE, PATH_POSIX, PATH_WINDOWS } path_form;
path_form path_form_of(const char *path);
/* Whether path is absolute on this system: the POSIX form on POSIX; on
 * Windows either form ("/..." is the root of the current drive). */
bool path_is_absolute(const char *path);
/* Whether a component of path ('/' or '\\' separated) is "..". */
bool path_has_dotdot(const char *path);

#endif
