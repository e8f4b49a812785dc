/* SPDX-License-Identifier: Apache-2.0 */
/* Pending updates on RHEL/Fedora from what dnf keeps on disk, without
 * running dnf: the rpm database (rpmdb.sqlite) and, for every enabled
 * repository of /etc/yum.repos.d, the metadata dnf cached under
 * /var/cache/dnf/<repo>-<hash>/repodata (repomd.xml -> primary.xml.gz or
 * .xz, updateinfo.xml.gz). dnf5's /var/cache/libdnf5 is read the same way.
 *
 * A package is pending when a repository carries the same name with a
 * newer epoch:version-release (rpmver.h) for the same architecture, or
 * noarch for either side; installonly packages (kernel...) installed in
 * several versions are compared from their newest. It is a security
 * update when an advisory of type "security" in updateinfo names the
 * package (same name and architecture, or noarch) at a version newer than
 * the installed one. Not modelled: modularity (RHEL 8 streams),
 * excludes and versionlock, obsoletes, zchunk (.zck) and zstd metadata. */
#ifndef HOSTAUDIT_DNFCACHE_H
#define HOSTAUDIT_DNFCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostaudit/facts.h"
#include "hostaudit/host.h"

typedef struct rpm_pkg {
	char *name, *arch, *ver, *rel;
	long epoch;
	/* Filled from the repositories. */
	char *cand_ver, *cand_rel;
	long cand_epoch;
	bool security;
	bool shadowed;   /* an older installonly copy: not compared */
} rpm_pkg;

typedef struct dnf_cache {
	rpm_pkg *pkgs;
	size_t count, cap;
	const char *rpmdb;     /* which database was read */
	size_t repos, primaries_xml, updateinfos, advisories;
	char repo_names[256];  /* for the evidence */
	int64_t oldest_repomd; /* modification time of the oldest repomd.xml */
	char error[512];
	fact_text why; /* the same as a message, for a fact's reason */
} dnf_cache;

/* The name, epoch, version, release and arch of one rpm header blob as
 * rpm stores it in rpmdb.sqlite (big-endian index count, data size,
 * entries, data). 0, or -EBADMSG when malformed. Exposed for tests. */
int rpm_header_parse(const unsigned char *blob, size_t n, rpm_pkg *out);

/* Reads the rpm database. 0, or a negative errno with c->error set
 * (-ENOTSUP for the Berkeley DB or ndb formats of older systems). */
int dnf_read_rpmdb(dnf_cache *c, const host *h);
/* Reads the cached metadata of every enabled repository. 0, or a
 * negative errno with c->error set: no enabled repository, a repository
 * without cached metadata, metadata older than its metadata_expire
 * (dnf would refresh it first), a format not read. */
int dnf_read_repos(dnf_cache *c, const host *h);
/* "name.arch" of every pending update, sorted; only_security as said. */
void dnf_cache_pending(const dnf_cache *c, bool only_security, fact_list *out);
void dnf_cache_free(dnf_cache *c);

#endif
