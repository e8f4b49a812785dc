/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet's compliance for the organisation's placement: each host's
 * latest scored report within the window, averaged; what an inventory
 * host that never reported could score widens the range, so a fleet that
 * hides its worst PCs is not read as compliant. The numbers come from the
 * store (store_fleet_scores(), either backend); the judgement is here. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "org.h"

int org_fleet_compliance(store *s, int64_t org_id, int64_t now, long window_days,
			 org_measured *m, char *err, size_t err_size)
{
	memset(m, 0, sizeof *m);
	store_fleet f;
	if (store_fleet_scores(s, org_id, now - (int64_t)window_days * 86400, now, &f, err,
			       err_size) != 0)
		return -1;
	if (f.hosts == 0) {
		snprintf(m->source, sizeof m->source,
			 "no host has a scored report in the last %ld days", window_days);
		snprintf(m->source_ja, sizeof m->source_ja,
			 "過去 %ld 日間にスコアのあるレポートを送ったホストがない", window_days);
		return 0;
	}
	m->known = true;
	m->low = f.sum / (double)(f.hosts + f.absent);
	m->high = (f.sum + 100.0 * (double)f.absent) / (double)(f.hosts + f.absent);
	snprintf(m->source, sizeof m->source,
		 "the fleet: mean of %ld hosts' latest scores in the last %ld days; %ld inventory "
		 "hosts without a report, %ld without a score", f.hosts, window_days, f.absent,
		 f.unscored);
	snprintf(m->source_ja, sizeof m->source_ja,
		 "組織全体: 過去 %ld 日間の各ホスト最新スコアの平均（%ld 台）。レポートのない"
		 "台帳のホスト %ld 台、スコアのないホスト %ld 台", window_days, f.hosts, f.absent,
		 f.unscored);
	return 0;
}
