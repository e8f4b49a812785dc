/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit validate FILE...: check rule packs and config files without
 * auditing. A config is checked together with the packs it names. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/attest.h"
#include "hostaudit/org.h"
#include "hostaudit/platform.h"
#include "hostaudit/yamlfile.h"
#include "i18n.h"
#include "util.h"

/* Which kind of file this is, from its schema line. */
static const char *schema_of(const char *path, diag *d)
{
	static char schema[64];
	yamlfile yf;
	if (yamlfile_load(&yf, path, platform_privileged(), d))
		return NULL;
	const char *s = yaml_scalar(yaml_get(&yf, yamlfile_root(&yf), "schema"));
	snprintf(schema, sizeof schema, "%s", s ? s : "");
	yamlfile_free(&yf);
	return schema;
}

static int validate_one(const char *path)
{
	diag d = {{0}};
	const char *schema = schema_of(path, &d);
	if (!schema) {
		fprintf(stderr, "%s\n", d.msg);
		return EXIT_USAGE;
	}
	if (!strcmp(schema, CONFIG_SCHEMA)) {
		audit a = {0};
		host_init_live(&a.h);
		audit_options ao = {.config_path = path, .strict_perms = platform_privileged()};
		if (audit_load(&a, &ao, &d)) {
			fprintf(stderr, "%s\n", d.msg);
			return EXIT_USAGE;
		}
		printf(a.pack_count == 1 ? _("%s: ok (config, %zu rule pack)\n")
					 : _("%s: ok (config, %zu rule packs)\n"),
		       path, a.pack_count);
		audit_free(&a);
		return 0;
	}
	if (!strcmp(schema, ATTEST_SCHEMA)) {
		/* Checked against the shipped questions and today's date. */
		attest_settings *s = xcalloc(1, sizeof *s);
		s->file = xstrdup(path);
		s->max_age_days = ATTEST_DEFAULT_MAX_AGE_DAYS;
		int rc = attest_load(s, platform_now(), &d);
		if (rc == 0)
			printf(_("%s: ok (attestations, %zu answers)\n"), path, s->entry_count);
		else
			fprintf(stderr, "%s\n", d.msg);
		attest_settings_free(s);
		return rc ? EXIT_USAGE : 0;
	}
	/* By prefix, so another version is told it is not supported. */
	if (!strncmp(schema, "hostaudit/org-questions/", 24)) {
		org_questionnaire *q = org_questions_load(path, NULL, &d);
		if (!q) {
			fprintf(stderr, "%s\n", d.msg);
			return EXIT_USAGE;
		}
		printf(_("%s: ok (organisation questionnaire, %zu questions, %zu categories)\n"), path,
		       q->question_count, q->category_count);
		org_questions_free(q);
		return 0;
	}
	if (!strncmp(schema, "hostaudit/org-answers/", 22)) {
		/* Checked against the shipped questionnaire and today's date. */
		org_questionnaire *q = org_questions_load(NULL, NULL, &d);
		org_answers ans;
		int rc = q ? org_answers_load(&ans, q, path, platform_now(), &d) : -1;
		if (rc == 0)
			printf(_("%s: ok (organisation answers, %zu answers)\n"), path, ans.entry_count);
		else
			fprintf(stderr, "%s\n", d.msg);
		if (q)
			org_answers_free(&ans);
		org_questions_free(q);
		return rc ? EXIT_USAGE : 0;
	}
	pack *p = pack_load(path, platform_privileged(), &d);
	if (!p) {
		fprintf(stderr, "%s\n", d.msg);
		return EXIT_USAGE;
	}
	printf(_("%s: ok (pack %s, %zu rules)\n"), path, p->id, p->rule_count);
	pack_free(p);
	return 0;
}

int cmd_validate(const cli_options *o)
{
	int rc = 0;
	for (int i = 0; i < o->arg_count; i++)
		if (validate_one(o->args[i]) != 0)
			rc = EXIT_USAGE;
	return rc;
}
