/* SPDX-License-Identifier: Apache-2.0 */
/* Debian version ordering (deb-version(7)), exactly as dpkg and apt order
 * them: epoch, then upstream, then revision, each compared with the
 * "letters before non-letters, ~ before everything, digits numerically"
 * rule. Works on counted strings so list parsers need not copy. */
#ifndef HOSTAUDIT_DEBVER_H
#define HOSTAUDIT_DEBVER_H

#include <stddef.h>

/* <0, 0, >0 as a sorts before, equal to, after b. */
int debver_cmp(const char *a, size_t alen, const char *b, size_t blen);
int debver_cmp_str(const char *a, const char *b);

#endif
