/* SPDX-License-Identifier: Apache-2.0 */
/* The site config (/etc/hostaudit/hostaudit.yaml): which packs, param
 * overrides, disabled rules, and the settings of each part of the agent.
 * See docs/config.md. */
#ifndef HOSTAUDIT_CONFIG_H
#define HOSTAUDIT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "hostaudit/evidence_config.h"
#include "hostaudit/platform.h"
#include "hostaudit/policy.h"
#include "hostaudit/rules.h"
#include "hostaudit/upload.h"
#include "hostaudit/yamlfile.h"

#define CONFIG_SCHEMA "hostaudit/config/v1"
/* The default config: platform_default_path(PLATFORM_CONFIG_FILE),
 * /etc/hostaudit/hostaudit.yaml or %ProgramData%\hostaudit\hostaudit.yaml. */
#define CONFIG_DEFAULT_PATH platform_default_path(PLATFORM_CONFIG_FILE)

typedef struct param_override {
	char *name;
	value v;
	int line, column;
} param_override;

/* A rule the site has chosen not to apply, shown in the report as an
 * exception with its reason, never hidden. */
typedef struct exception {
	char *rule;        /* "id" or "pack:id" */
	char *reason;
	char *approved_by; /* optional */
	char *until;       /* optional, YYYY-MM-DD */
	int line, column;
} exception;

typedef struct config {
	char *path;         /* NULL when no file was read (built-in defaults) */
	char sha256[65];
	char **packs;       /* rule pack files or directories */
	size_t pack_count;
	param_override *params;
	size_t param_count;
	exception *exceptions;
	size_t exception_count;
	char *lang;         /* "en", "ja", or NULL for the locale */
	backup_config backup;       /* `backup:` (agent/core/evidence_config.c) */
	antivirus_config antivirus; /* `antivirus:` (agent/core/evidence_config.c) */
	upload_config upload;       /* `upload:` (agent/upload/upload_config.c) */
	struct attest_settings *attest; /* `attestations:` (attest.h); NULL: none */
	struct org_settings *org;       /* `organisation:` (org.h); NULL: none */
	policy_settings policy;     /* `policy:` (agent/core/policy.c), local only */
	bool from_policy;           /* loaded from a central policy (config_load_policy) */
} config;

/* Loads path. When path is NULL, reads CONFIG_DEFAULT_PATH if it exists and
 * otherwise uses defaults. Returns 0, or -1 with d set. */
int config_load(config *cfg, const char *path, bool strict_perms, diag *d);
void config_free(config *cfg);

/* Loads DIR/hostaudit.yaml of a central policy (docs/policy.md): the same
 * sections, except those only the local config may set (upload, policy,
 * rules: where the agent sends, whom it trusts, what it reads), which are
 * errors here; attestation files are names of files in the bundle,
 * read from dir. 0 or -1 with d set. */
int config_load_policy(config *cfg, const char *dir, bool strict_perms, diag *d);

/* A config section parsed by its own module: a row in config.c's table. */
typedef struct config_section {
	const char *key;
	int (*parse)(yamlfile *yf, yaml_node_t *n, config *cfg, diag *d);
} config_section;

#endif
