/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit-collector org attest|show (docs/organisation.md): the
 * organisation's self-assessment, answered once for the company, placed
 * from the answers and the fleet's compliance, kept year by year.
 *   org.c        the sub-command
 *   org_store.c  where the answers and the yearly placements live (files
 *                under organisation_dir: a port to another store replaces
 *                these four functions)
 *   org_fleet.c  the fleet's compliance from the stored reports */
#ifndef HOSTAUDIT_COLLECTOR_ORG_H
#define HOSTAUDIT_COLLECTOR_ORG_H

#include <jansson.h>

#include "collector.h"
#include "hostaudit/org.h"

int org_command(const collector_config *c, int argc, char **argv);

/* ---- storage of the organisation's answers and placements ----
 * c->organisation_dir is the organisation's own (tenant_scope()). */
/* The answers file's path (it is the agent's format, org_answers_load). */
const char *org_store_answers_path(const collector_config *c);
/* Writes the answers file whole, atomically, mode 0600. 0 or -1 with err. */
int org_store_save_answers(const collector_config *c, const char *yaml, char *err,
			   size_t err_size);
/* Keeps year's placement (replacing one placed earlier that year). */
int org_store_save_placement(const collector_config *c, int year, const json_t *placement,
			     char *err, size_t err_size);
/* year's placement, or NULL when none was kept. */
json_t *org_store_load_placement(const collector_config *c, int year);

/* ---- what org attest and the console's /ui/org share ---- */
/* Places the company from a and the fleet's compliance in s (the
 * window_days before now) and keeps the year's placement; *out is it. 0,
 * or -1 with err. */
int org_place_and_keep(const collector_config *c, store *s, const org_questionnaire *q,
		       const org_answers *a, int64_t now, long window_days, json_t **out,
		       char *err, size_t err_size);
/* Keeps the answers file (whole, 0600) and places the company as above,
 * over 365 days. 0, or -1 with err. */
int org_record(const collector_config *c, store *s, const org_questionnaire *q,
	       const org_answers *a, int64_t now, json_t **out, char *err, size_t err_size);

/* ---- the fleet ---- */
/* Mean of each host's latest score in the window_days before now; hosts
 * in the inventory without such a report widen the range (0 for low, 100
 * for high). Unknown when no host has a scored report. 0 or -1 with err. */
int org_fleet_compliance(store *s, int64_t org_id, int64_t now, long window_days,
			 org_measured *m, char *err, size_t err_size);

#endif
