/* SPDX-License-Identifier: Apache-2.0 */
/* rpm version ordering, as rpm's rpmvercmp() and dnf (libsolv) order
 * them: versions split into runs of digits and of letters, other
 * characters only separate; digits compare as numbers and sort after
 * letters; '~' sorts before everything, even the end (1.0~rc1 < 1.0);
 * '^' sorts after the end but before anything else (1.0 < 1.0^git1 <
 * 1.0.1). A full EVR compares epoch (absent = 0) numerically, then
 * version, then release. */
#ifndef HOSTAUDIT_RPMVER_H
#define HOSTAUDIT_RPMVER_H

/* <0, 0, >0 as a sorts before, equal to, after b. */
int rpmvercmp(const char *a, const char *b);

typedef struct rpm_evr {
	long epoch;
	const char *ver, *rel; /* never NULL ("" when absent) */
} rpm_evr;

int rpm_evr_cmp(const rpm_evr *a, const rpm_evr *b);

#endif
