/* SPDX-License-Identifier: Apache-2.0 */
/* The site config (docs/config.md). Sections owned by one part of the
 * agent are parsed by that part: add a row to `sections`. */
#include "hostaudit/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostaudit/attest.h"
#include "hostaudit/org.h"
#include "util.h"
#include "i18n.h"

static int parse_packs(yamlfile *yf, yaml_node_t *n, config *cfg, diag *d)
{
	if (yaml_want_seq(yf, n, "rules", d))
		return -1;
	yaml_node_t *item;
	YAML_SEQ_EACH(yf, n, item)
	{
		const char *s;
		if (yaml_want_string(yf, item, "a rule pack path", &s, d))
			return -1;
		cfg->packs = xrealloc(cfg->packs, (cfg->pack_count + 1) * sizeof *cfg->packs);
		cfg->packs[cfg->pack_count++] = xstrdup(s);
	}
	return 0;
}

static int parse_params(yamlfile *yf, yaml_node_t *n, config *cfg, diag *d)
{
	if (yaml_want_map(yf, n, "params", d))
		return -1;
	yaml_node_t *k, *v;
	YAML_MAP_EACH(yf, n, k, v)
	{
		const char *name = yaml_scalar(k);
		if (!name)
			return yaml_error(yf, k, d, _("param names must be plain strings"));
		cfg->params = xrealloc(cfg->params, (cfg->param_count + 1) * sizeof *cfg->params);
		param_override *o = &cfg->params[cfg->param_count];
		memset(o, 0, sizeof *o);
		if (value_parse(yf, v, name, &o->v, d))
			return -1;
		o->name = xstrdup(name);
		o->line = (int)k->start_mark.line + 1;
		o->column = (int)k->start_mark.column + 1;
		cfg->param_count++;
	}
	return 0;
}

static int valid_date(const char *s)
{
	long long t;
	return strlen(s) == 10 && parse_time_utc(s, &t) == 0;
}

static int parse_exceptions(yamlfile *yf, yaml_node_t *n, config *cfg, diag *d)
{
	static const char *const keys[] = {"rule", "reason", "approved_by", "until", NULL};
	if (yaml_want_seq(yf, n, "disabled", d))
		return -1;
	yaml_node_t *item;
	YAML_SEQ_EACH(yf, n, item)
	{
		if (yaml_want_map(yf, item, "a disabled rule", d) ||
		    yaml_check_keys(yf, item, keys, "a disabled rule", d))
			return -1;
		yaml_node_t *r = yaml_get(yf, item, "rule"), *why = yaml_get(yf, item, "reason");
		if (!r || !why)
			return yaml_error(yf, item, d, _("a disabled rule needs 'rule' and 'reason': "
					  "the report shows why it is not applied"));
		cfg->exceptions = xrealloc(cfg->exceptions,
					   (cfg->exception_count + 1) * sizeof *cfg->exceptions);
		exception *e = &cfg->exceptions[cfg->exception_count++];
		memset(e, 0, sizeof *e);
		e->line = (int)item->start_mark.line + 1;
		e->column = (int)item->start_mark.column + 1;
		const char *s;
		if (yaml_want_string(yf, r, "rule", &s, d))
			return -1;
		e->rule = xstrdup(s);
		if (yaml_want_string(yf, why, "reason", &s, d))
			return -1;
		if (!*s)
			return yaml_error(yf, why, d, _("the reason must not be empty"));
		e->reason = xstrdup(s);
		yaml_node_t *v;
		if ((v = yaml_get(yf, item, "approved_by"))) {
			if (yaml_want_string(yf, v, "approved_by", &s, d))
				return -1;
			e->approved_by = xstrdup(s);
		}
		if ((v = yaml_get(yf, item, "until"))) {
			if (yaml_want_string(yf, v, "until", &s, d))
				return -1;
			if (!valid_date(s) && date_looks_like_ymd(s))
				return yaml_error(yf, v, d, _("until: there is no such day in the "
						  "calendar"));
			if (!valid_date(s))
				return yaml_error(yf, v, d, _("until must be a date YYYY-MM-DD"));
			e->until = xstrdup(s);
		}
	}
	return 0;
}

static int parse_lang(yamlfile *yf, yaml_node_t *n, config *cfg, diag *d)
{
	const char *s;
	if (yaml_want_string(yf, n, "lang", &s, d))
		return -1;
	if (strcmp(s, "en") && strcmp(s, "ja"))
		return yaml_error(yf, n, d, _("lang must be 'en' or 'ja', not '%s'"), s);
	cfg->lang = xstrdup(s);
	return 0;
}

/* Checked first, by yaml_check_schema. */
static int parse_schema(yamlfile *yf, yaml_node_t *n, config *cfg, diag *d)
{
	(void)yf;
	(void)n;
	(void)cfg;
	(void)d;
	return 0;
}

static int parse_backup(yamlfile *yf, yaml_node_t *n, config *cfg, diag *d)
{
	return backup_config_parse(yf, n, &cfg->backup, cfg->from_policy, d);
}

static int parse_antivirus(yamlfile *yf, yaml_node_t *n, config *cfg, diag *d)
{
	return antivirus_config_parse(yf, n, &cfg->antivirus, d);
}

static const config_section sections[] = {
	{"schema", parse_schema},
	{"rules", parse_packs},
	{"params", parse_params},
	{"disabled", parse_exceptions},
	{"lang", parse_lang},
	{"backup", parse_backup},
	{"antivirus", parse_antivirus},
	{"upload", upload_config_parse},
	{"attestations", attest_parse_config},
	{"organisation", org_parse_config},
	{"policy", policy_settings_parse},
};

/* What a central policy may never set: where the agent uploads and whom it
 * trusts (upload), which key signs its policy (policy), which files it
 * reads as rule packs (rules: the policy brings its own rules/). */
static const char *const local_only[] = {"upload", "policy", "rules", NULL};

#define N_SECTIONS (sizeof sections / sizeof sections[0])

/* In a policy, attestation files are files of the bundle: a bare name,
 * found in dir, never a path elsewhere on the host. */
static int policy_attest_paths(yamlfile *yf, config *cfg, const char *dir, diag *d)
{
	if (!cfg->attest)
		return 0;
	yaml_node_t *n = yaml_get(yf, yamlfile_root(yf), "attestations");
	char **files[] = {&cfg->attest->file, &cfg->attest->questions_file};
	const char *keys[] = {"file", "questions"};
	for (size_t i = 0; i < 2; i++) {
		if (!*files[i])
			continue;
		yaml_node_t *at = n->type == YAML_MAPPING_NODE ? yaml_get(yf, n, keys[i]) : n;
		if (!policy_file_name_ok(*files[i]) || strchr(*files[i], '/'))
			return yaml_error(yf, at ? at : n, d,
					  _("in a policy, attestations.%s names a file of the "
					    "bundle (NAME.yaml), not '%s'"),
					  keys[i], *files[i]);
		char *full = xasprintf("%s/%s", dir, *files[i]);
		free(*files[i]);
		*files[i] = full;
	}
	return 0;
}

/* In a policy, the organisation's answers and questionnaire are files of
 * the bundle too: a policy must never make the agent (root) read a file
 * elsewhere on the host. Its answers' evidence documents live on the
 * collector's side and are not read here either (from_policy). */
static int policy_org_paths(yamlfile *yf, config *cfg, const char *dir, diag *d)
{
	if (!cfg->org)
		return 0;
	yaml_node_t *n = yaml_get(yf, yamlfile_root(yf), "organisation");
	char **files[] = {&cfg->org->answers_file, &cfg->org->questions_file};
	const char *keys[] = {"answers_file", "questions"};
	for (size_t i = 0; i < 2; i++) {
		if (!*files[i])
			continue;
		yaml_node_t *at = yaml_get(yf, n, keys[i]);
		if (!policy_file_name_ok(*files[i]) || strchr(*files[i], '/'))
			return yaml_error(yf, at ? at : n, d,
					  _("in a policy, organisation.%s names a file of the "
					    "bundle (NAME.yaml), not '%s'"),
					  keys[i], *files[i]);
		char *full = xasprintf("%s/%s", dir, *files[i]);
		free(*files[i]);
		*files[i] = full;
	}
	cfg->org->from_policy = true;
	return 0;
}

static int parse_config(yamlfile *yf, config *cfg, const char *policy_dir, diag *d)
{
	yaml_node_t *root = yamlfile_root(yf);
	const char *keys[N_SECTIONS + 1];
	for (size_t i = 0; i < N_SECTIONS; i++)
		keys[i] = sections[i].key;
	keys[N_SECTIONS] = NULL;
	if (yaml_check_schema(yf, root, CONFIG_SCHEMA, "the config", d) ||
	    yaml_check_keys(yf, root, keys, "the config", d))
		return -1;
	for (size_t i = 0; policy_dir && local_only[i]; i++) {
		yaml_node_t *k, *v;
		YAML_MAP_EACH(yf, root, k, v)
		{
			(void)v;
			const char *ks = yaml_scalar(k);
			if (ks && strcmp(ks, local_only[i]) == 0)
				return yaml_error(yf, k, d,
						  _("'%s' cannot be set by a central policy: only "
						    "the local config sets it (docs/policy.md)"),
						  local_only[i]);
		}
	}
	for (size_t i = 0; i < N_SECTIONS; i++) {
		yaml_node_t *n = yaml_get(yf, root, sections[i].key);
		if (n && sections[i].parse(yf, n, cfg, d))
			return -1;
	}
	if (!policy_dir)
		return 0;
	return policy_attest_paths(yf, cfg, policy_dir, d) ? -1
							    : policy_org_paths(yf, cfg, policy_dir, d);
}

int config_load(config *cfg, const char *path, bool strict_perms, diag *d)
{
	memset(cfg, 0, sizeof *cfg);
	upload_config_init(&cfg->upload);
	if (!path) {
		struct stat st;
		if (stat(CONFIG_DEFAULT_PATH, &st) != 0 && errno == ENOENT) {
			cfg->attest = attest_default_settings(); /* no site config: the defaults */
			return 0;
		}
		path = CONFIG_DEFAULT_PATH;
	}
	yamlfile yf;
	if (yamlfile_load(&yf, path, strict_perms, d))
		return -1;
	cfg->path = xstrdup(path);
	for (int i = 0; i < 32; i++)
		snprintf(cfg->sha256 + 2 * i, 3, "%02x", yf.sha256[i]);
	int rc = parse_config(&yf, cfg, NULL, d);
	yamlfile_free(&yf);
	if (rc)
		config_free(cfg);
	return rc;
}

int config_load_policy(config *cfg, const char *dir, bool strict_perms, diag *d)
{
	memset(cfg, 0, sizeof *cfg);
	upload_config_init(&cfg->upload);
	cfg->from_policy = true;
	char *path = xasprintf("%s/hostaudit.yaml", dir);
	yamlfile yf;
	if (yamlfile_load(&yf, path, strict_perms, d)) {
		free(path);
		return -1;
	}
	cfg->path = path;
	for (int i = 0; i < 32; i++)
		snprintf(cfg->sha256 + 2 * i, 3, "%02x", yf.sha256[i]);
	int rc = parse_config(&yf, cfg, dir, d);
	yamlfile_free(&yf);
	if (rc)
		config_free(cfg);
	else if (!cfg->attest)
		cfg->attest = attest_default_settings();
	return rc;
}

void config_free(config *cfg)
{
	for (size_t i = 0; i < cfg->pack_count; i++)
		free(cfg->packs[i]);
	free(cfg->packs);
	for (size_t i = 0; i < cfg->param_count; i++) {
		free(cfg->params[i].name);
		value_free(&cfg->params[i].v);
	}
	free(cfg->params);
	for (size_t i = 0; i < cfg->exception_count; i++) {
		exception *e = &cfg->exceptions[i];
		free(e->rule);
		free(e->reason);
		free(e->approved_by);
		free(e->until);
	}
	free(cfg->exceptions);
	free(cfg->lang);
	backup_config_free(&cfg->backup);
	antivirus_config_free(&cfg->antivirus);
	upload_config_free(&cfg->upload);
	attest_settings_free(cfg->attest);
	org_settings_free(cfg->org);
	policy_settings_free(&cfg->policy);
	free(cfg->path);
	memset(cfg, 0, sizeof *cfg);
}
