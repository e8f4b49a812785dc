/* SPDX-License-Identifier: Apache-2.0 */
/* Antivirus product definitions: data, not code. The built-in file
 * (data/antivirus-products.yaml, installed under HOSTAUDIT_DATADIR) and any
 * site files named in the config's `antivirus: products:` are read in
 * order; a later definition with the same id replaces an earlier one.
 *
 *   schema: hostaudit/antivirus-products/v1
 *   products:
 *     - id: clamav
 *       name: ClamAV
 *       packages: [clamav]            # dpkg: /var/lib/dpkg/info/<pkg>.list
 *       binaries: [/usr/bin/clamscan]
 *       processes: [clamd, clamonacc] # /proc/<pid>/comm: the scanner runs
 *       units: [clamav-daemon.service]
 *       updater_processes: [freshclam]
 *       updater_units: [clamav-freshclam.service]
 *       clamav_database: /var/lib/clamav     # daily.cld / daily.cvd header
 *       signature_files: ["/opt/x/defs/main.db"] # newest mtime (glob ok)
 */
#ifndef HOSTAUDIT_AVPRODUCTS_H
#define HOSTAUDIT_AVPRODUCTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostaudit/host.h"
#include "hostaudit/yamlfile.h"

#define AVPRODUCTS_SCHEMA "hostaudit/antivirus-products/v1"

typedef struct strv {
	char **v;
	size_t n;
} strv;

typedef struct av_product {
	char *id, *name;
	strv packages, binaries, processes, units, updater_processes, updater_units,
		signature_files;
	char *clamav_database;
} av_product;

typedef struct av_products {
	av_product *p;
	size_t n;
} av_products;

/* Adds the definitions of path. 0, or -1 with d set. */
int av_products_load(av_products *ps, const char *path, bool strict_perms, diag *d);
void av_products_free(av_products *ps);

/* The header of a ClamAV database (.cvd/.cld: 512 bytes,
 * "ClamAV-VDB:<time>:<version>:<sigs>:<flevel>:<md5>:<dsig>:<builder>:<stime>").
 * 0 with the build time (stime, else the time field) and the version,
 * or -1 when it is not a ClamAV header. */
int clamav_header_parse(const char *head, size_t len, int64_t *built, long *version);

#endif
