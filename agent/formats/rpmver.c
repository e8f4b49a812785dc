/* SPDX-License-Identifier: Apache-2.0 */
/* rpm version comparison; see rpmver.h. */
#include "rpmver.h"

#include <string.h>

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int rpmvercmp(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return 0;
	while (*a || *b) {
		while (*a && !is_alpha(*a) && !is_digit(*a) && *a != '~' && *a != '^')
			a++;
		while (*b && !is_alpha(*b) && !is_digit(*b) && *b != '~' && *b != '^')
			b++;
		if (*a == '~' || *b == '~') {
			if (*a != '~')
				return 1;
			if (*b != '~')
				return -1;
			a++, b++;
			continue;
		}
		if (*a == '^' || *b == '^') {
			if (!*a)
				return -1;
			if (!*b)
				return 1;
			if (*a != '^')
				return 1;
			if (*b != '^')
				return -1;
			a++, b++;
			continue;
		}
		if (!*a || !*b)
			break;
		const char *ea = a, *eb = b;
		int num = is_digit(*a);
		if (num) {
			while (is_digit(*ea))
				ea++;
			while (is_digit(*eb))
				eb++;
		} else {
			while (is_alpha(*ea))
				ea++;
			while (is_alpha(*eb))
				eb++;
		}
		if (eb == b) /* a digit run against letters: numbers are newer */
			return num ? 1 : -1;
		if (num) {
			while (*a == '0' && a < ea)
				a++;
			while (*b == '0' && b < eb)
				b++;
			if (ea - a != eb - b)
				return ea - a > eb - b ? 1 : -1;
		}
		size_t la = (size_t)(ea - a), lb = (size_t)(eb - b);
		int c = memcmp(a, b, la < lb ? la : lb);
		if (c == 0 && la != lb)
			c = la < lb ? -1 : 1;
		if (c)
			return c < 0 ? -1 : 1;
		a = ea;
		b = eb;
	}
	if (!*a && !*b)
		return 0;
	return *a ? 1 : -1;
}

int rpm_evr_cmp(const rpm_evr *a, const rpm_evr *b)
{
	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	int c = rpmvercmp(a->ver, b->ver);
	return c ? c : rpmvercmp(a->rel, b->rel);
}
