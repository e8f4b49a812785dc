/* SPDX-License-Identifier: Apache-2.0 */
/* One audit: config and packs loaded, probes run, rules evaluated. The
 * report (report.h) and every renderer read an audit. */
#ifndef HOSTAUDIT_AUDIT_H
#define HOSTAUDIT_AUDIT_H

#include "hostaudit/config.h"
#include "hostaudit/eval.h"
#include "hostaudit/facts.h"
#include "hostaudit/host.h"
#include "hostaudit/rules.h"

typedef struct audit {
	host h;
	config cfg;
	pack **packs;
	size_t pack_count;
	fact_set *facts;
	result *results;      /* all packs, in pack then file order */
	size_t result_count;
	int64_t started_at, finished_at;
	char report_id[37];
	policy_provenance policy; /* which policy: set by the caller of audit_load */
} audit;

/* Where --rules, --config and the like point. */
typedef struct audit_options {
	const char *config_path;  /* NULL: default */
	const char **rule_paths;  /* overrides the config's packs when count > 0 */
	size_t rule_path_count;
	bool strict_perms;        /* refuse files others may write */
	bool skip_packs;          /* config only (hostaudit facts) */
	/* A central policy written out (policy_materialize): its hostaudit.yaml
	 * replaces the local config but for what only the local config sets
	 * (upload, policy); its rules/ replace the local packs when it has
	 * any. NULL: the local config alone. */
	const char *policy_dir;
	bool no_local_config;     /* with policy_dir: checking a policy alone */
} audit_options;

/* Loads config and packs, applies param overrides and checks exceptions.
 * Returns 0, or -1 with d set (nothing else done). */
int audit_load(audit *a, const audit_options *o, diag *d);
/* Runs the probes and evaluates every rule. */
void audit_run(audit *a);
void audit_free(audit *a);

/* Finds a rule by "id" or "pack:id"; NULL when absent or ambiguous. */
const rule *audit_find_rule(const audit *a, const char *name, const result **res);

/* 0 when every applicable rule passes, 1 when some fail (or error). */
int audit_exit_status(const audit *a);

#endif
