/* Running the platform's probes. */
#include "hostaudit/probe.h"

#include "hostaudit/attest.h"
#include "hostaudit/config.h"
#include "hostaudit/org.h"

void probes_run_all(const host *h, const struct config *cfg, fact_set *fs)
{
	for (size_t i = 0; platform_probes[i]; i++) {
		const probe *p = platform_probes[i];
		if (p->run(h, cfg, fs) != 0)
			fact_set_unset_prefix(fs, p->fact_prefix, FACT_ERROR,
					      "the %s probe failed before observing this", p->name);
	}
	/* What a person vouched for: the same on every platform. */
	attest_record(cfg ? cfg->attest : NULL, h->now, fs);
	/* The organisation's answers fill the org items a host has not answered. */
	org_apply_items(cfg ? cfg->org : NULL, h->now, fs);
	fact_set_unset_prefix(fs, "", FACT_UNKNOWN, "not observed on this platform (%s)",
			      h->os);
}
