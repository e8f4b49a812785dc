/* SPDX-License-Identifier: Apache-2.0 */
/* Reading one option from apt's configuration (apt.conf(5)): the files of
 * /etc/apt/apt.conf.d in order, then /etc/apt/apt.conf, last one wins.
 * Understands both "A::B::C "v";" and the nested "A { B { C "v"; }; };"
 * forms, comments, and ignores #include / #clear. */
#ifndef HOSTAUDIT_APTCONF_H
#define HOSTAUDIT_APTCONF_H

#include <stddef.h>

#include "hostaudit/host.h"

/* Looks up key (case-insensitive, "APT::Periodic::Unattended-Upgrade")
 * in the text of one file; returns 1 and copies the last value into out
 * when set, 0 when not. */
int aptconf_lookup_text(const char *text, const char *key, char *out, size_t size);

/* Same over the host's apt configuration. *where names the file that set
 * it (static buffer inside). Returns 1 when set, 0 when not. */
int aptconf_lookup(const host *h, const char *key, char *out, size_t size, char *where,
		   size_t where_size);

#endif
