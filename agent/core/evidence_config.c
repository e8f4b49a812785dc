/* SPDX-License-Identifier: Apache-2.0 */
/* The `backup:` and `antivirus:` sections of the site config; see
 * include/hostaudit/evidence_config.h for their shape. */
#define _POSIX_C_SOURCE 200809L
#include "hostaudit/evidence_config.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int push_string(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof *nv);
	if (!nv)
		return -1;
	*v = nv;
	if (!(nv[*n] = strdup(s)))
		return -1;
	(*n)++;
	return 0;
}

/* A list of absolute paths. */
static int parse_paths(yamlfile *yf, yaml_node_t *n, const char *what, char ***v, size_t *count,
		       diag *d)
{
	yaml_node_t *item;

	if (yaml_want_seq(yf, n, what, d) < 0)
		return -1;
	YAML_SEQ_EACH(yf, n, item) {
		const char *s;
		if (yaml_want_string(yf, item, what, &s, d) < 0)
			return -1;
		if (!path_is_absolute(s))
			return yaml_error(yf, item, d, _("%s: '%s' is not an absolute path"), what, s);
		if (push_string(v, count, s) < 0)
			return yaml_error(yf, item, d, _("out of memory"));
	}
	return 0;
}

/* Where a backup evidence path is checked: the agent that reads it tells
 * a path of the other OS apart (agent/probes/linux/backup.c). */
static int check_evidence_path(yamlfile *yf, yaml_node_t *item, const char *path, bool any_os,
			       diag *d)
{
	if (any_os ? path_form_of(path) == PATH_RELATIVE : !path_is_absolute(path))
		return yaml_error(yf, item, d, _("backup evidence '%s' is not an absolute path"), path);
	if (any_os && path_has_dotdot(path))
		return yaml_error(yf, item, d,
				  _("in a policy, backup evidence '%s' has a '..' component"), path);
	return 0;
}

static int parse_evidence(yamlfile *yf, yaml_node_t *item, backup_evidence *ev, bool any_os,
			  diag *d)
{
	static const char *const keys[] = {"file", "dir", "glob", "name", NULL};
	static const char *const kinds[] = {"file", "dir", "glob"};
	const char *path = NULL, *name = NULL;
	int set = 0;

	if (yaml_want_map(yf, item, "backup evidence", d) < 0 ||
	    yaml_check_keys(yf, item, keys, "backup evidence", d) < 0)
		return -1;
	for (int k = 0; k < 3; k++) {
		yaml_node_t *v = yaml_get(yf, item, kinds[k]);
		if (!v)
			continue;
		if (yaml_want_string(yf, v, kinds[k], &path, d) < 0)
			return -1;
		ev->kind = (backup_evidence_kind)k;
		set++;
	}
	if (set != 1)
		return yaml_error(yf, item, d,
				  _("backup evidence needs exactly one of file:, dir: or glob:"));
	if (check_evidence_path(yf, item, path, any_os, d))
		return -1;
	yaml_node_t *nn = yaml_get(yf, item, "name");
	if (nn && yaml_want_string(yf, nn, "name", &name, d) < 0)
		return -1;
	ev->path = strdup(path);
	ev->name = dup_or_null(name);
	ev->line = (int)item->start_mark.line + 1;
	ev->column = (int)item->start_mark.column + 1;
	if (!ev->path || (name && !ev->name))
		return yaml_error(yf, item, d, _("out of memory"));
	return 0;
}

int backup_config_parse(yamlfile *yf, yaml_node_t *n, backup_config *out, bool any_os,
			diag *d)
{
	static const char *const keys[] = {"evidence", "restic", "borg", NULL};
	yaml_node_t *v, *item;

	if (yaml_want_map(yf, n, "backup", d) < 0 || yaml_check_keys(yf, n, keys, "backup", d) < 0)
		return -1;
	if ((v = yaml_get(yf, n, "evidence"))) {
		if (yaml_want_seq(yf, v, "backup.evidence", d) < 0)
			return -1;
		YAML_SEQ_EACH(yf, v, item) {
			backup_evidence *ne = realloc(out->evidence,
						      (out->evidence_count + 1) * sizeof *ne);
			if (!ne)
				return yaml_error(yf, item, d, _("out of memory"));
			out->evidence = ne;
			memset(&ne[out->evidence_count], 0, sizeof *ne);
			if (parse_evidence(yf, item, &ne[out->evidence_count], any_os, d) < 0) {
				free(ne[out->evidence_count].path);
				free(ne[out->evidence_count].name);
				return -1;
			}
			out->evidence_count++;
		}
	}
	if ((v = yaml_get(yf, n, "restic")) &&
	    parse_paths(yf, v, "backup.restic", &out->restic, &out->restic_count, d) < 0)
		return -1;
	if ((v = yaml_get(yf, n, "borg")) &&
	    parse_paths(yf, v, "backup.borg", &out->borg, &out->borg_count, d) < 0)
		return -1;
	return 0;
}

int antivirus_config_parse(yamlfile *yf, yaml_node_t *n, antivirus_config *out, diag *d)
{
	static const char *const keys[] = {"products", NULL};
	yaml_node_t *v;

	if (yaml_want_map(yf, n, "antivirus", d) < 0 ||
	    yaml_check_keys(yf, n, keys, "antivirus", d) < 0)
		return -1;
	if ((v = yaml_get(yf, n, "products")) &&
	    parse_paths(yf, v, "antivirus.products", &out->product_files,
			&out->product_file_count, d) < 0)
		return -1;
	return 0;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void backup_config_free(backup_config *c)
{
	for (size_t i = 0; i < c->evidence_count; i++) {
		free(c->evidence[i].path);
		free(c->evidence[i].name);
	}
	free(c->evidence);
	free_strings(c->restic, c->restic_count);
	free_strings(c->borg, c->borg_count);
	memset(c, 0, sizeof *c);
}

void antivirus_config_free(antivirus_config *c)
{
	free_strings(c->product_files, c->product_file_count);
	memset(c, 0, sizeof *c);
}
