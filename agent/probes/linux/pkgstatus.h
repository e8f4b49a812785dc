/* Whether a package is installed, as dpkg itself says it: its stanza in
 * /var/lib/dpkg/status with the state "installed". A package removed but
 * not purged ("deinstall ok config-files") keeps its stanza and its
 * /var/lib/dpkg/info/<pkg>.list, and its systemd links in .wants/, so
 * neither of those is evidence of an installed package. */
#ifndef HOSTAUDIT_PKGSTATUS_H
#define HOSTAUDIT_PKGSTATUS_H

#include <stddef.h>

#include "hostaudit/host.h"

/* 1 installed, 0 not installed (absent, or in another state: config-files,
 * half-installed, unpacked, not-installed...), -ENOENT when there is no
 * dpkg status, another negative errno when it cannot be read. ev says
 * what the status said; version gets the Version field when installed
 * (either may be NULL). */
int dpkg_package_installed(const host *h, const char *pkg, char *ev, size_t evsize,
			   char *version, size_t vsize);

#endif
