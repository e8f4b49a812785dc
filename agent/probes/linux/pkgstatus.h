/* SPDX-License-Identifier: Apache-2.0 */
/* Whether a package is installed, as the package manager itself says:
 * dpkg's /var/lib/dpkg/status (a stanza whose state is "installed"), or,
 * on rpm systems without it, the rpm database (rpmdb.sqlite). A Debian
 * package removed but not purged ("deinstall ok config-files") keeps its
 * stanza, its /var/lib/dpkg/info/<pkg>.list and its systemd links, so none
 * of those is evidence of an installed package; "half-installed",
 * "unpacked" and "not-installed" are not installed either. */
#ifndef HOSTAUDIT_PKGSTATUS_H
#define HOSTAUDIT_PKGSTATUS_H

#include <stddef.h>

#include "hostaudit/host.h"

/* The installed packages, read once. */
typedef struct pkg_entry {
	char *name, *ver;
} pkg_entry;

typedef struct pkg_db {
	pkg_entry *pkgs;      /* sorted by name */
	size_t n;
	const char *source;   /* "/var/lib/dpkg/status" or the rpm database */
	int err;              /* 0, or why nothing could be read (negative errno) */
} pkg_db;

/* Reads the dpkg status, else the rpm database. db->err says whether it
 * worked (-ENOENT: neither exists). */
void pkg_db_open(pkg_db *db, const host *h);
/* 1 installed (version to ver, evidence to ev; either may be NULL), 0 not,
 * or db->err. */
int pkg_db_find(const pkg_db *db, const char *pkg, char *ev, size_t evsize, char *ver,
		size_t vsize);
void pkg_db_close(pkg_db *db);

/* One question, dpkg only: 1 installed, 0 not installed (absent, or in
 * another state), -ENOENT without a dpkg status, another negative errno
 * when it cannot be read. ev says what the status said. */
int dpkg_package_installed(const host *h, const char *pkg, char *ev, size_t evsize,
			   char *version, size_t vsize);

#endif
