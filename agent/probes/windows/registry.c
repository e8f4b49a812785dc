/* SPDX-License-Identifier: Apache-2.0 */
/* The Windows probes, in the order they run (accounts before shares:
 * shares reads accounts.guest_enabled). */
#include "hostaudit/probe.h"

extern const probe probe_os;
extern const probe probe_password;
extern const probe probe_accounts;
extern const probe probe_updates;
extern const probe probe_antivirus;
extern const probe probe_backup;
extern const probe probe_firewall;
extern const probe probe_diskcrypt;
extern const probe probe_screenlock;
extern const probe probe_shares;

const probe *const platform_probes[] = {
	&probe_os,	  &probe_password, &probe_accounts,   &probe_updates, &probe_antivirus,
	&probe_backup,	  &probe_firewall, &probe_diskcrypt, &probe_screenlock, &probe_shares,
	NULL,
};
