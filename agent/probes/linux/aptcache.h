/* Which installed packages apt would upgrade, computed from the files apt
 * itself reads: /var/lib/dpkg/status and the Packages lists under
 * /var/lib/apt/lists (with their Release/InRelease headers), without
 * running apt.
 *
 * The candidate of an installed package follows apt's default policy
 * (apt_preferences(5), pkgPolicy::GetCandidateVer):
 *  - every list gets the default priority of its archive: 500, or 1 when
 *    its Release says "NotAutomatic: yes", or 100 when it also says
 *    "ButAutomaticUpgrades: yes"; the installed version has at least 100;
 *  - a version's priority is the highest of the files that carry it;
 *  - among the installed version and every newer one, the highest priority
 *    wins, ties going to the newer version; older versions never win (that
 *    would need a priority of 1000 or more, which no default gives).
 * Not modelled, and said so in the evidence when present: pinning in
 * /etc/apt/preferences{,.d}, APT::Default-Release, Ubuntu phased updates,
 * list files of sources since removed from sources.list. */
#ifndef HOSTAUDIT_APTCACHE_H
#define HOSTAUDIT_APTCACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "hostaudit/facts.h"
#include "hostaudit/host.h"

#define APT_PRIO_STATUS 100
#define APT_PRIO_DEFAULT 500
#define APT_PRIO_NOTAUTO 1
#define APT_PRIO_BUTAUTO 100

typedef struct apt_pkg {
	char *name;
	char *arch;          /* "all" folded into the native architecture */
	char *inst_ver;
	int inst_prio;
	char *cand_ver;      /* best newer version seen so far, or NULL */
	int cand_prio;
	bool cand_security;  /* the candidate is in a security archive */
	size_t next_same_name; /* index+1 of the next package of this name */
} apt_pkg;

typedef struct apt_cache {
	char native_arch[32];
	apt_pkg *pkgs;
	size_t count, cap;
	size_t *slots;       /* hash of names: index+1 of the first package */
	size_t slot_count;
	/* What was read, for the evidence. */
	size_t lists_read;
	size_t lists_by_format[4];  /* indexed by zr_format */
	size_t releases_read;
	size_t lists_notauto;       /* lists with a priority other than 500 */
	size_t list_bytes;          /* decompressed bytes parsed */
	char error[512];            /* set when a step failed */
} apt_cache;

/* Reads dpkg's status (installed packages and the native architecture).
 * 0, or a negative errno with c->error set. */
int apt_cache_read_status(apt_cache *c, const host *h);
/* Reads every Packages list in dir (normally "/var/lib/apt/lists").
 * 0, -ENOENT when there is no list at all, or another negative errno with
 * c->error set (a list that cannot be read makes the counts unreliable). */
int apt_cache_read_lists(apt_cache *c, const host *h, const char *dir);
/* Names of the upgradable packages ("name", or "name:arch" for a foreign
 * architecture), sorted; only_security keeps those whose candidate comes
 * from a security archive. */
void apt_cache_upgradable(const apt_cache *c, bool only_security, fact_list *out);
/* Whether a package of that name is installed (any architecture). */
bool apt_cache_installed(const apt_cache *c, const char *name);
void apt_cache_free(apt_cache *c);

/* Whether an archive with these Release fields carries security updates:
 * a suite or codename ending in "-security" or "/updates" (the old Debian
 * layout), or the label "Debian-Security". Exposed for tests. */
bool apt_release_is_security(const char *suite, const char *codename, const char *label);

#endif
