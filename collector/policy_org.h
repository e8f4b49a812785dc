/* SPDX-License-Identifier: Apache-2.0 */
/* The organisation's answers in the signed policy (docs/policy.md
 * "The organisation's answers"): `policy publish|sign DIR
 * --with-org-answers` puts the answers kept by `org attest` (the
 * organisation's own, under organisation_dir) into the bundle as
 * organisation.yaml and names it in the bundle's site config, so every
 * host gets them signed with the rest. */
#ifndef HOSTAUDIT_COLLECTOR_POLICY_ORG_H
#define HOSTAUDIT_COLLECTOR_POLICY_ORG_H

#include <stddef.h>

#include "collector.h"
#include "hostaudit/policy.h"

/* The bundle's name for the organisation's answers. */
#define POLICY_ORG_ANSWERS "organisation.yaml"

/* Adds the organisation's current answers file to b (read from dir for
 * the messages) and `organisation: {answers_file: organisation.yaml}` to
 * its hostaudit.yaml (a group's bundle without one overlays the base's).
 * 0, or -1 with err (no answers yet, a bundle that has its own). */
int policy_add_org_answers(const collector_config *c, const char *dir, policy_bundle *b,
			   char *err, size_t err_size);

#endif
