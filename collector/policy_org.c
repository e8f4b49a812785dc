/* SPDX-License-Identifier: Apache-2.0 */
/* The organisation's answers into a policy bundle (policy_org.h). The
 * agent then applies them exactly as a local answers file: to the host
 * packs' organisational items where the host has no current answer of its
 * own, a stale answer never (docs/organisation.md). */
#define _GNU_SOURCE
#include "policy_org.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "org.h"
#include "hostaudit/platform.h"
#include "i18n.h"
#include "util.h"

static policy_file *find(policy_bundle *b, const char *name)
{
	for (size_t i = 0; i < b->file_count; i++)
		if (!strcmp(b->files[i].name, name))
			return &b->files[i];
	return NULL;
}

/* The line (from 1) where a top-level `organisation:` key starts, or 0. */
static int organisation_line(const char *yaml)
{
	int line = 1;
	for (const char *p = yaml; *p; line++) {
		if (!strncmp(p, "organisation:", 13) || !strncmp(p, "\"organisation\":", 15) ||
		    !strncmp(p, "'organisation':", 15))
			return line;
		const char *nl = strchr(p, '\n');
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

static void add(policy_bundle *b, const char *name, char *data, size_t len)
{
	b->files = xrealloc(b->files, (b->file_count + 1) * sizeof *b->files);
	b->files[b->file_count++] = (policy_file){xstrdup(name), data, len};
}

int policy_add_org_answers(const collector_config *c, const char *dir, policy_bundle *b,
			   char *err, size_t err_size)
{
	const char *from = org_store_answers_path(c);
	if (find(b, POLICY_ORG_ANSWERS)) {
		snprintf(err, err_size, _("%s/%s: the bundle has its own; --with-org-answers "
					  "puts the organisation's answers there"),
			 dir, POLICY_ORG_ANSWERS);
		return -1;
	}
	policy_file *cfg = find(b, "hostaudit.yaml");
	int line = cfg ? organisation_line(cfg->data) : 0;
	if (line) {
		snprintf(err, err_size, _("%s/hostaudit.yaml:%d:1: has its own 'organisation:'; "
					  "--with-org-answers writes it (remove it, or publish "
					  "without --with-org-answers)"),
			 dir, line);
		return -1;
	}
	char *data = NULL, why[600];
	size_t len = 0;
	if (platform_read_regular_file(from, (size_t)POLICY_MAX_BYTES, &data, &len, why,
				       sizeof why)) {
		snprintf(err, err_size, _("%s; answer the questionnaire first: "
					  "hostaudit-collector org attest"), why);
		return -1;
	}
	if (cfg) {
		static const char section[] = "# --with-org-answers: the organisation's answers "
					      "(hostaudit-collector org attest)\n"
					      "organisation:\n  answers_file: " POLICY_ORG_ANSWERS
					      "\n";
		bool nl = cfg->len == 0 || cfg->data[cfg->len - 1] == '\n';
		char *merged = xasprintf("%.*s%s%s", (int)cfg->len, cfg->data, nl ? "" : "\n",
				       section);
		free(cfg->data);
		cfg->data = merged;
		cfg->len = strlen(merged);
	}
	add(b, POLICY_ORG_ANSWERS, data, len); /* last: it moves b->files */
	return 0;
}
