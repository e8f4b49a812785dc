/* SPDX-License-Identifier: Apache-2.0 */
/* Running the platform's probes, each within a time budget. */
#include "hostaudit/probe.h"

#include <stdio.h>
#include <string.h>

#include "hostaudit/attest.h"
#include "hostaudit/config.h"
#include "hostaudit/org.h"
#include "hostaudit/platform.h"
#include "i18n.h"

/* Every fact of the probe becomes an error, also those it recorded before
 * its time ran out: they may rest on input it did not finish reading. */
static void spent(fact_set *fs, const probe *p, const char *why)
{
	size_t plen = strlen(p->fact_prefix);
	for (size_t i = 0; i < catalog_count(); i++) {
		const char *name = catalog_at(i)->name;
		if (!strncmp(name, p->fact_prefix, plen))
			fact_set_error(fs, name, "%s", why);
	}
}

void probes_run_list(const probe *const list[], const host *h, const struct config *cfg,
		     fact_set *fs, long probe_ms, long total_ms)
{
	int64_t start = platform_monotonic_ms();
	int64_t end_all = start + total_ms;
	for (size_t i = 0; list[i]; i++) {
		const probe *p = list[i];
		int64_t now = platform_monotonic_ms();
		char why[160];
		if (now >= end_all) {
			fact_buf_set(why, sizeof why,
				     "deadline: the audit's %ld ms were spent before the %s probe "
				     "could run",
				     total_ms, p->name);
			spent(fs, p, why);
			continue;
		}
		int64_t end = now + probe_ms < end_all ? now + probe_ms : end_all;
		host_budget_set(end);
		int rc = p->run(h, cfg, fs);
		bool late = host_budget_spent();
		host_budget_set(0);
		if (late) {
			fact_buf_set(why, sizeof why, "deadline: the %s probe ran out of its %lld ms",
				     p->name, (long long)(end - now));
			spent(fs, p, why);
		} else if (rc != 0)
			fact_set_unset_prefix(fs, p->fact_prefix, FACT_ERROR,
					      "the %s probe failed before observing this", p->name);
	}
}

void probes_run_all(const host *h, const struct config *cfg, fact_set *fs)
{
	/* Facts are recorded in English and translated when rendered: so is
	 * the C library's text a probe quotes (strerror), whatever --lang. */
	char lang[3];
	snprintf(lang, sizeof lang, "%s", i18n_lang());
	i18n_set_lang("en");
	/* A minute past the budget: the readers stop a probe well before. */
	platform_watchdog((unsigned)(AUDIT_BUDGET_MS / 1000 + 60));
	probes_run_list(platform_probes, h, cfg, fs, PROBE_BUDGET_MS, AUDIT_BUDGET_MS);
	platform_watchdog(0);
	i18n_set_lang(lang);
	/* What a person vouched for: the same on every platform. */
	attest_record(cfg ? cfg->attest : NULL, h->now, fs);
	/* The organisation's answers fill the org items a host has not answered. */
	org_apply_items(cfg ? cfg->org : NULL, h->now, fs);
	fact_set_unset_prefix(fs, "", FACT_UNKNOWN, "not observed on this platform (%s)",
			      h->os);
}
