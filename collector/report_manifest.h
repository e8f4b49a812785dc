/* SPDX-License-Identifier: Apache-2.0 */
/* The CSV form of the annual report is a directory of files: DIR/MANIFEST
 * lists each file's SHA-256 ("<sha256>  <name>\n", sha256sum's format, so
 * `cd DIR && sha256sum -c MANIFEST` checks it too), and the signature of
 * the MANIFEST (MANIFEST.sig, report_sign.h) covers every file through
 * it. `hostaudit-collector verify --report DIR/MANIFEST --sig
 * DIR/MANIFEST.sig` checks the signature, then each file. */
#ifndef HOSTAUDIT_COLLECTOR_REPORT_MANIFEST_H
#define HOSTAUDIT_COLLECTOR_REPORT_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

/* Writes dir/MANIFEST over the regular *.csv files in dir (name order;
 * a temporary file, synced, renamed). 0, or -1 with err. */
int report_manifest_write(const char *dir, char *err, size_t err_size);
/* The above, then the MANIFEST signed with the report-signing key at
 * key_path (dir/MANIFEST.sig). 0, or -1 with err. */
int report_manifest_sign(const char *key_path, const char *dir, char *err, size_t err_size);
/* Whether path names a MANIFEST (its last component). */
bool report_manifest_is(const char *path);
/* Checks every file the MANIFEST at path lists against its SHA-256, and
 * that no *.csv beside it is left out: 1 all match, 0 not (err names the
 * first file that does not), -1 cannot check (err says why). */
int report_manifest_check(const char *path, char *err, size_t err_size);

#endif
