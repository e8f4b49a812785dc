/* SPDX-License-Identifier: Apache-2.0 */
/* A probe observes one measure on one platform and records facts. Probes
 * judge nothing: thresholds live in the rule packs. */
#ifndef HOSTAUDIT_PROBE_H
#define HOSTAUDIT_PROBE_H

#include "hostaudit/facts.h"
#include "hostaudit/host.h"

struct config;

typedef struct probe {
	const char *name;        /* "password", "updates.apt" */
	const char *fact_prefix; /* facts it records, e.g. "password." */
	/* Records facts. Returns 0, or -1 on an unexpected failure: every fact
	 * under fact_prefix it left unset then becomes an error. */
	int (*run)(const host *h, const struct config *cfg, fact_set *fs);
} probe;

/* The probes of the platform this binary was built for, NULL-terminated
 * (agent/probes/<platform>/registry.c). */
extern const probe *const platform_probes[];

/* The time one probe may take, and the whole audit's probes together. A
 * probe past its budget (the readers stop it: host_budget_set) has every
 * fact an error "deadline"; probes the audit has no time left for do not
 * run and read the same. Generous: a healthy host takes well under 1 s. */
#define PROBE_BUDGET_MS 60000L
#define AUDIT_BUDGET_MS 180000L

/* Runs every probe within those budgets; then every catalogue fact still
 * unset reads as unknown ("not observed on this platform"). */
void probes_run_all(const host *h, const struct config *cfg, fact_set *fs);
/* The probes of list (NULL-terminated) with the given budgets. */
void probes_run_list(const probe *const list[], const host *h, const struct config *cfg,
		     fact_set *fs, long probe_ms, long total_ms);

#endif
