/* SPDX-License-Identifier: Apache-2.0 */
/* Text that fits the terminal: every line of text output (the report,
 * list, explain, --help) goes through text_wrap, so no line is wider than
 * the terminal and no word is cut in two. Widths are display columns:
 * Japanese and other East Asian wide characters take two. */
#ifndef HOSTAUDIT_TEXTWRAP_H
#define HOSTAUDIT_TEXTWRAP_H

#include <stddef.h>
#include <stdio.h>

/* The width to wrap output to f at: $COLUMNS when set, else the terminal's
 * width, else 80; never under 40. */
size_t text_columns(FILE *f);

/* Writes s and a newline to out. The cursor is at column col (what the
 * caller already wrote on the line); continuation lines start with indent
 * spaces; no line passes width. Lines break at spaces, and between
 * Japanese characters (never before closing punctuation such as 、。）」
 * nor after opening brackets); a newline in s starts a new line. Only a
 * word longer than a whole line is cut. ANSI colour codes take no room. */
void text_wrap(FILE *out, const char *s, size_t col, size_t indent, size_t width);

/* Writes s padded with spaces to width columns (s must fit). */
void text_pad(FILE *out, const char *s, size_t width);

#endif
