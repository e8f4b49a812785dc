/* SPDX-License-Identifier: Apache-2.0 */
/* One HTML writer for the agent's report, the collector's console and the
 * annual report. It escapes by construction: markup can only come from
 * string literals (html_lit() refuses anything else at compile time), and
 * every other text and attribute value goes through the escaping calls. */
#ifndef HOSTAUDIT_HTML_H
#define HOSTAUDIT_HTML_H

#include <stdio.h>

#include "hostaudit/compiler.h"

/* Markup from a string literal: `"" s ""` does not compile for a pointer,
 * so nothing read from a report or a request can reach the page raw. */
#define html_lit(out, s) fputs("" s "", (out))

/* Text and attribute values: & < > " ' escaped; control characters other
 * than tab and newline, and invalid UTF-8, become U+FFFD. NULL is "". */
void html_text(FILE *out, const char *s);
/* The same, formatted first (printf). */
void html_textf(FILE *out, const char *fmt, ...) HOSTAUDIT_PRINTF(2, 3);
/* <tag attr="value" ...>: name/value pairs ending in NULL; names must be
 * literals in practice (they are written as given, and checked to be
 * [a-z-]), values are escaped. A NULL value leaves the pair out. */
void html_open(FILE *out, const char *tag, ...);
/* </tag> */
void html_close(FILE *out, const char *tag);
/* <tag attrs...>text</tag> in one call. */
void html_elem(FILE *out, const char *tag, const char *text, ...);

#endif
