/* SPDX-License-Identifier: Apache-2.0 */
/* Scoring the way IPA's self-check sheet does (自社診断): each question is
 * 実施 4, 一部実施 2, 未実施 0 or わからない -1, out of 100 for the 25
 * questions. An article of a pack with `scoring: ipa-sheet` is one
 * question; its rules decide the answer together. */
#include "hostaudit/eval.h"

bool tally_sheet_points(const tally *t, int *points)
{
	int open = t->unknown + t->error;
	int judged = t->pass + t->fail + open;
	if (judged == 0)
		return false;
	if (open == judged)
		*points = -1;                 /* nothing is known: わからない */
	else if (t->pass == judged)
		*points = SHEET_POINTS_MAX;   /* everything holds: 実施 */
	else if (t->pass == 0 && t->partial == 0)
		*points = 0;                  /* what is known fails: 未実施 */
	else
		*points = SHEET_POINTS_MAX / 2; /* some holds or partly: 一部実施 */
	return true;
}
