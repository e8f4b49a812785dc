/* SPDX-License-Identifier: Apache-2.0 */
/* Site settings for the backup and antivirus probes: the `backup:` and
 * `antivirus:` sections of the site config (docs/config.md).
 *
 *   backup:
 *     evidence:                       # newest entry marks the last backup
 *       - {file: /var/backups/nightly.ok}
 *       - {dir: /mnt/nas/backups/pc-042, name: "NAS copy"}
 *       - {glob: "/srv/dumps/db-*.sql.gz"}
 *     restic: [/srv/restic-repo]      # local repositories (never opened
 *     borg: [/srv/borg-repo]          #  with their passwords)
 *   antivirus:
 *     products: [/etc/hostaudit/antivirus-products.d/acme.yaml]
 */
#ifndef HOSTAUDIT_EVIDENCE_CONFIG_H
#define HOSTAUDIT_EVIDENCE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "hostaudit/yamlfile.h"

typedef enum { BACKUP_EV_FILE, BACKUP_EV_DIR, BACKUP_EV_GLOB } backup_evidence_kind;

typedef struct backup_evidence {
	backup_evidence_kind kind;
	char *path;  /* a path, or a glob whose last component has wildcards */
	char *name;  /* optional label for the report */
	int line, column;
} backup_evidence;

typedef struct backup_config {
	backup_evidence *evidence;
	size_t evidence_count;
	char **restic;
	size_t restic_count;
	char **borg;
	size_t borg_count;
} backup_config;

typedef struct antivirus_config {
	char **product_files; /* extra product definitions, after the built-in ones */
	size_t product_file_count;
	bool no_builtin;      /* tests: skip the built-in definitions */
} antivirus_config;

/* Parse one section into out. 0, or -1 with d naming file:line:column.
 * any_os (a central policy, which may be for Windows PCs or Linux ones):
 * evidence paths may be absolute in either OS's form, never with "..";
 * otherwise they must be absolute on this system. */
int backup_config_parse(yamlfile *yf, yaml_node_t *n, backup_config *out, bool any_os,
			diag *d);
int antivirus_config_parse(yamlfile *yf, yaml_node_t *n, antivirus_config *out, diag *d);
void backup_config_free(backup_config *c);
void antivirus_config_free(antivirus_config *c);

#endif
