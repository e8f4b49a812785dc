/* SPDX-License-Identifier: Apache-2.0 */
/* dnf's repository metadata over a root (dnf_read_repos): the input is
 * split at "\n===\n" into a .repo file, repomd.xml, primary.xml and
 * updateinfo.xml (compressed or not: zreader tells by magic bytes), read
 * for a fixed set of installed packages, then the pending updates. The
 * cache directory belongs to the repository id "fuzz", which the seeds
 * name; repomd.xml finds the other two as repodata/primary.xml and
 * repodata/updateinfo.xml. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dnfcache.h"
#include "fuzz.h"

#define CACHE "root/var/cache/dnf/fuzz-0123456789abcdef/repodata/"

/* Sorted by name, arch, newest first, as dnf_read_rpmdb leaves them;
 * two copies of kernel-core for the installonly path. */
static const struct {
	const char *name, *arch, *ver, *rel;
	long epoch;
	bool shadowed;
} installed[] = {
	{"bash", "x86_64", "5.2.15", "5.el9", 0, false},
	{"kernel-core", "x86_64", "5.14.0", "503.el9", 0, false},
	{"kernel-core", "x86_64", "5.14.0", "427.el9", 0, true},
	{"openssl", "x86_64", "3.0.7", "27.el9", 1, false},
	{"tzdata", "noarch", "2025a", "1.el9", 0, false},
};
#define N_INSTALLED (sizeof installed / sizeof installed[0])

static char *dup_or_die(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const files[] = {"root/etc/yum.repos.d/fuzz.repo", CACHE "repomd.xml",
					    CACHE "primary.xml", CACHE "updateinfo.xml"};
	const uint8_t *part = data, *end = data + size;
	for (size_t k = 0; k < 4; k++) {
		const uint8_t *cut = NULL;
		for (const uint8_t *p = part; k < 3 && p + 5 <= end && !cut; p++)
			if (!memcmp(p, "\n===\n", 5))
				cut = p;
		const uint8_t *stop = cut ? cut : end;
		fuzz_write(files[k], part, (size_t)(stop - part));
		part = cut ? cut + 5 : end;
	}
	char root[128];
	snprintf(root, sizeof root, "%s/root", fuzz_dir());
	/* now: the files were just written, so metadata_expire holds. */
	host h = {.root = root, .now = (int64_t)time(NULL), .privileged = true, .os = "linux"};
	dnf_cache c = {0};
	c.pkgs = calloc(N_INSTALLED, sizeof *c.pkgs);
	if (!c.pkgs)
		abort();
	c.count = c.cap = N_INSTALLED;
	for (size_t i = 0; i < N_INSTALLED; i++) {
		rpm_pkg *p = &c.pkgs[i];
		p->name = dup_or_die(installed[i].name);
		p->arch = dup_or_die(installed[i].arch);
		p->ver = dup_or_die(installed[i].ver);
		p->rel = dup_or_die(installed[i].rel);
		p->epoch = installed[i].epoch;
		p->shadowed = installed[i].shadowed;
	}
	if (dnf_read_repos(&c, &h) == 0) {
		fact_list l = {0};
		dnf_cache_pending(&c, false, &l);
		fact_list_free(&l);
		dnf_cache_pending(&c, true, &l);
		fact_list_free(&l);
	}
	dnf_cache_free(&c);
	return 0;
}
