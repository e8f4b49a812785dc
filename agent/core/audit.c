/* SPDX-License-Identifier: Apache-2.0 */
/* One audit from start to finish: load, observe, judge. */
#include "hostaudit/audit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostaudit/attest.h"
#include "hostaudit/org.h"
#include "hostaudit/platform.h"
#include "hostaudit/probe.h"
#include "util.h"
#include "i18n.h"


static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && !strcmp(s + ls - lx, suffix);
}

static int load_one(audit *a, const char *path, bool strict, diag *d)
{
	pack *p = pack_load(path, strict, d);
	if (!p)
		return -1;
	for (size_t i = 0; i < a->pack_count; i++)
		if (!strcmp(a->packs[i]->id, p->id)) {
			diag_set(d, _("%s: pack '%s' is already loaded from %s"), path, p->id,
				 a->packs[i]->path);
			pack_free(p);
			return -1;
		}
	a->packs = xrealloc(a->packs, (a->pack_count + 1) * sizeof *a->packs);
	a->packs[a->pack_count++] = p;
	return 0;
}

/* A path is a pack file, or a directory whose *.yaml files are packs
 * (loaded in name order, so the report's order is stable). */
static int load_path(audit *a, const char *path, bool strict, diag *d)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		diag_set(d, _("%s: no such rule pack file or directory"), path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return load_one(a, path, strict, d);
	DIR *dir = opendir(path);
	if (!dir) {
		diag_set(d, _("%s: cannot read the directory"), path);
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.' || !ends_with(e->d_name, ".yaml"))
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xasprintf("%s/%s", path, e->d_name);
	}
	closedir(dir);
	if (n) /* qsort(NULL, 0, ...) is undefined */
		qsort(names, n, sizeof *names, cmp_str);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (!rc)
			rc = load_one(a, names[i], strict, d);
		free(names[i]);
	}
	free(names);
	if (!rc && n == 0) {
		diag_set(d, _("%s: no rule packs (*.yaml) in this directory"), path);
		rc = -1;
	}
	return rc;
}

static int apply_overrides(audit *a, diag *d)
{
	const char *cfg = a->cfg.path ? a->cfg.path : "config";
	for (size_t i = 0; i < a->cfg.param_count; i++) {
		const param_override *o = &a->cfg.params[i];
		bool found = false;
		for (size_t k = 0; k < a->pack_count; k++) {
			param *pm = pack_find_param(a->packs[k], o->name);
			if (!pm)
				continue;
			found = true;
			if (pm->def.type != o->v.type) {
				diag_set(d, _("%s:%d:%d: param '%s' is %s in pack %s"), cfg, o->line,
					 o->column, o->name, value_type_name(pm->def.type),
					 a->packs[k]->id);
				return -1;
			}
			value_free(&pm->current);
			value_copy(&pm->current, &o->v);
			pm->overridden = true;
		}
		if (!found) {
			const char *names[256];
			size_t n = 0;
			for (size_t k = 0; k < a->pack_count; k++)
				for (size_t j = 0; j < a->packs[k]->param_count && n < 255; j++)
					names[n++] = a->packs[k]->params[j].name;
			names[n] = NULL;
			const char *hint = did_you_mean(o->name, names);
			diag_set(d, _("%s:%d:%d: param '%s' is not defined by any loaded rule pack%s%s%s"),
				 cfg, o->line, o->column, o->name, hint ? _(" (did you mean '") : "",
				 hint ? hint : "", hint ? _("'?)") : "");
			return -1;
		}
	}
	return 0;
}

static int check_exceptions(audit *a, diag *d)
{
	for (size_t i = 0; i < a->cfg.exception_count; i++) {
		const exception *e = &a->cfg.exceptions[i];
		if (!audit_find_rule(a, e->rule, NULL)) {
			diag_set(d, _("%s:%d:%d: disabled rule '%s' is not in any loaded pack (or is "
				 "in several: write pack:id)"), a->cfg.path, e->line, e->column,
				 e->rule);
			return -1;
		}
	}
	return 0;
}

/* The policy's config in force, with what only the local config may set
 * taken from it (and its language when the policy sets none). */
static int load_policy_config(config *cfg, const audit_options *o, diag *d)
{
	config local;
	memset(&local, 0, sizeof local);
	if (!o->no_local_config && config_load(&local, o->config_path, o->strict_perms, d))
		return -1;
	if (config_load_policy(cfg, o->policy_dir, o->strict_perms, d)) {
		if (!o->no_local_config)
			config_free(&local);
		return -1;
	}
	if (o->no_local_config)
		return 0;
	upload_config tu = cfg->upload;
	cfg->upload = local.upload;
	local.upload = tu;
	policy_settings tp = cfg->policy;
	cfg->policy = local.policy;
	local.policy = tp;
	if (!cfg->lang) {
		cfg->lang = local.lang;
		local.lang = NULL;
	}
	/* the local packs, used when the policy brings none */
	char **tk = cfg->packs;
	size_t tn = cfg->pack_count;
	cfg->packs = local.packs;
	cfg->pack_count = local.pack_count;
	local.packs = tk;
	local.pack_count = tn;
	config_free(&local);
	return 0;
}

static bool policy_has_rules(const char *dir)
{
	char *p = xasprintf("%s/rules", dir);
	DIR *dh = opendir(p);
	bool any = false;
	struct dirent *e;
	while (dh && !any && (e = readdir(dh)) != NULL)
		any = e->d_name[0] != '.' && ends_with(e->d_name, ".yaml");
	if (dh)
		closedir(dh);
	free(p);
	return any;
}

int audit_load(audit *a, const audit_options *o, diag *d)
{
	host h = a->h;
	memset(a, 0, sizeof *a);
	a->h = h;
	if (o->policy_dir ? load_policy_config(&a->cfg, o, d)
			  : config_load(&a->cfg, o->config_path, o->strict_perms, d))
		return -1;
	/* Answers are checked against the audit's clock (--now): a date after
	 * it is an error, so this follows the config, not inside it. */
	if (a->cfg.attest && attest_load(a->cfg.attest, a->h.now, d)) {
		config_free(&a->cfg);
		return -1;
	}
	if (a->cfg.org && org_settings_load(a->cfg.org, a->cfg.attest ? a->cfg.attest->questions_file
								      : NULL, a->h.now, d)) {
		config_free(&a->cfg);
		return -1;
	}
	int rc = 0;
	char *policy_rules = o->policy_dir && policy_has_rules(o->policy_dir)
				     ? xasprintf("%s/rules", o->policy_dir)
				     : NULL;
	if (o->skip_packs) {
		free(policy_rules);
		return 0;
	} else if (policy_rules) {
		rc = load_path(a, policy_rules, o->strict_perms, d);
		free(policy_rules);
	} else if (o->rule_path_count > 0) {
		for (size_t i = 0; i < o->rule_path_count && !rc; i++)
			rc = load_path(a, o->rule_paths[i], o->strict_perms, d);
	} else if (a->cfg.pack_count > 0) {
		for (size_t i = 0; i < a->cfg.pack_count && !rc; i++)
			rc = load_path(a, a->cfg.packs[i], o->strict_perms, d);
	} else {
		rc = load_path(a, platform_default_path(PLATFORM_RULES_DIR), o->strict_perms, d);
	}
	if (!rc)
		rc = apply_overrides(a, d);
	if (!rc)
		rc = check_exceptions(a, d);
	if (rc)
		audit_free(a);
	return rc;
}

static void new_report_id(char out[37])
{
	unsigned char b[16];
	if (platform_random_bytes(b, sizeof b) != 0) {
		fputs(_("hostaudit: the random number generator failed\n"), stderr);
		abort();
	}
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* RFC 4122 variant */
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
		 b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
		 b[14], b[15]);
}

void audit_run(audit *a)
{
	a->started_at = platform_now();
	new_report_id(a->report_id);
	a->facts = fact_set_new();
	probes_run_all(&a->h, &a->cfg, a->facts);
	size_t total = 0;
	for (size_t i = 0; i < a->pack_count; i++)
		total += a->packs[i]->rule_count;
	a->results = xcalloc(total, sizeof *a->results);
	for (size_t i = 0; i < a->pack_count; i++)
		for (size_t k = 0; k < a->packs[i]->rule_count; k++)
			rule_eval(&a->packs[i]->rules[k], a->facts, a->h.os, a->h.now, &a->cfg,
				  &a->results[a->result_count++]);
	a->finished_at = platform_now();
}

void audit_free(audit *a)
{
	for (size_t i = 0; i < a->pack_count; i++)
		pack_free(a->packs[i]);
	free(a->packs);
	fact_set_free(a->facts);
	free(a->results);
	config_free(&a->cfg);
	host h = a->h;
	memset(a, 0, sizeof *a);
	a->h = h;
}

const rule *audit_find_rule(const audit *a, const char *name, const result **res)
{
	const char *colon = strchr(name, ':');
	const rule *found = NULL;
	size_t hits = 0, idx = 0, at = 0;
	for (size_t i = 0; i < a->pack_count; i++) {
		const pack *p = a->packs[i];
		for (size_t k = 0; k < p->rule_count; k++, idx++) {
			const rule *r = &p->rules[k];
			bool match = colon ? (strlen(p->id) == (size_t)(colon - name) &&
					      !strncmp(p->id, name, (size_t)(colon - name)) &&
					      !strcmp(r->id, colon + 1))
					   : !strcmp(r->id, name);
			if (match) {
				found = r;
				at = idx;
				hits++;
			}
		}
	}
	if (hits != 1)
		return NULL;
	if (res)
		*res = a->results && at < a->result_count ? &a->results[at] : NULL;
	return found;
}

int audit_exit_status(const audit *a)
{
	bool open = false;
	for (size_t i = 0; i < a->result_count; i++) {
		if (a->results[i].status == RES_FAIL)
			return 1;
		open |= a->results[i].status == RES_UNKNOWN || a->results[i].status == RES_ERROR;
	}
	return open ? 3 : 0;
}
