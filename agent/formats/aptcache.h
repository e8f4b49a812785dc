/* SPDX-License-Identifier: Apache-2.0 */
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
 * With preferences (aptpref.h), apt 2.x's pkgPolicy::GetCandidateVer:
 * a version's priority is that of the first specific pin matching it (if
 * one of its files is not "never"), else the highest of its files'; the
 * candidate is the version of highest priority (ties: the newer), never
 * one older than the installed version unless its priority is >= 1000;
 * priorities of 0 or less never make a candidate.
 * Not modelled: Ubuntu phased updates, list files of sources since
 * removed from sources.list, Dir::Etc::Preferences* moved elsewhere. */
#ifndef HOSTAUDIT_APTCACHE_H
#define HOSTAUDIT_APTCACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "hostaudit/facts.h"
#include "hostaudit/host.h"

#include "aptpref.h"

#define APT_PRIO_STATUS 100
#define APT_PRIO_DEFAULT 500
#define APT_PRIO_NOTAUTO 1
#define APT_PRIO_BUTAUTO 100

/* One version of an installed package, with the package files that carry
 * it (indices into apt_cache.files; file 0 is dpkg's status). */
typedef struct apt_ver {
	char *ver;
	char *source;        /* its source package, NULL when the same name */
	char *source_ver;    /* its source's version, NULL when the same */
	unsigned *files;
	size_t nfiles;
} apt_ver;

typedef struct apt_pkg {
	char *name;
	char *arch;          /* "all" folded into the native architecture */
	apt_ver *vers;       /* vers[0] is the installed version */
	size_t nvers;
	int cand;            /* index into vers once resolved; -1: none */
	int cand_prio;
	bool cand_security;  /* the candidate is in a security archive */
	size_t next_same_name; /* index+1 of the next package of this name */
} apt_pkg;

/* A package file: a Packages list (with its Release's fields) or dpkg's
 * status. Its priority is the default of its archive, then the general
 * pins (apt's InitDefaults). */
typedef struct apt_file {
	char *name;
	apt_file_info info;  /* strings owned by the file */
	int prio;
	bool security;
} apt_file;

typedef struct apt_cache {
	char native_arch[32];
	apt_pkg *pkgs;
	size_t count, cap;
	size_t *slots;       /* hash of names: index+1 of the first package */
	size_t slot_count;
	apt_file *files;
	size_t nfiles;
	const apt_prefs *prefs; /* NULL: apt's defaults */
	/* What was read, for the evidence. */
	size_t lists_read;
	size_t lists_by_format[4];  /* indexed by zr_format */
	size_t releases_read;
	size_t lists_notauto;       /* lists with a priority other than 500 */
	size_t list_bytes;          /* decompressed bytes parsed */
	size_t pinned;              /* installed packages whose candidate a pin decided */
	char error[512];            /* set when a step failed */
	fact_text why;              /* the same as a message, for a fact's reason */
} apt_cache;

/* Reads dpkg's status (installed packages and the native architecture).
 * 0, or a negative errno with c->error set. */
int apt_cache_read_status(apt_cache *c, const host *h);
/* Pins to apply when reading the lists (kept; NULL for none). */
void apt_cache_set_prefs(apt_cache *c, const apt_prefs *prefs);
/* Reads every Packages list in dir (normally "/var/lib/apt/lists").
 * 0, -ENOENT when there is no list at all, or another negative errno with
 * c->error set (a list that cannot be read makes the counts unreliable). */
int apt_cache_read_lists(apt_cache *c, const host *h, const char *dir);
/* Names of the upgradable packages ("name", or "name:arch" for a foreign
 * architecture), sorted; only_security keeps those whose candidate comes
 * from a security archive. */
void apt_cache_upgradable(const apt_cache *c, bool only_security, fact_list *out);
/* Like apt_cache_upgradable, each item "name version (suite)": the
 * candidate and the Release codename (else archive) of its list. */
void apt_cache_upgradable_detail(const apt_cache *c, bool only_security, fact_list *out);
/* Whether a package of that name is installed (any architecture). */
bool apt_cache_installed(const apt_cache *c, const char *name);
void apt_cache_free(apt_cache *c);

/* The steps the readers above take, exposed so that tests can build a
 * cache by hand: installed packages, then apt_cache_index(), package
 * files, versions seen in them, and apt_cache_resolve() for candidates. */
int apt_cache_add_installed(apt_cache *c, const char *name, const char *arch, const char *ver,
			    const char *source);
int apt_cache_index(apt_cache *c);
/* Adds a package file (copying info's strings); its index, or -ENOMEM. */
int apt_cache_add_file(apt_cache *c, const char *name, const apt_file_info *info, int prio,
		       bool security);
int apt_cache_observe(apt_cache *c, const char *name, size_t nl, const char *arch, size_t al,
		      const char *ver, size_t vl, const char *source, size_t sl, unsigned file);
/* Applies the general pins to the files and chooses every candidate.
 * 0, or -EINVAL with c->error set when apt would refuse to run
 * (APT::Default-Release names no archive). */
int apt_cache_resolve(apt_cache *c);
/* The candidate of name ("name" or "name:arch"), NULL when none. */
const char *apt_cache_candidate(const apt_cache *c, const char *name);

/* Whether an archive with these Release fields carries security updates:
 * a suite or codename ending in "-security" or "/updates" (the old Debian
 * layout), or the label "Debian-Security". Exposed for tests. */
bool apt_release_is_security(const char *suite, const char *codename, const char *label);

#endif
