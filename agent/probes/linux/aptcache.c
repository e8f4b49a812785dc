/* apt's upgradable set from dpkg status and the apt lists; see aptcache.h
 * for the policy modelled and what is not. */
#define _GNU_SOURCE
#include "aptcache.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debver.h"
#include "zreader.h"

#define RELEASE_HEAD_MAX 16384 /* the fields we need come before the checksums */

/* "cannot <verb> <what>: <why>" */
static void set_error(apt_cache *c, const char *verb, const char *what, int err)
{
	snprintf(c->error, sizeof c->error, "cannot %s %s: %s", verb, what, strerror(-err));
}

static uint64_t hash_name(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static bool span_eq(const char *s, size_t n, const char *z)
{
	return strlen(z) == n && memcmp(s, z, n) == 0;
}

static int add_pkg(apt_cache *c, const char *name, size_t nl, const char *arch, size_t al,
		   const char *ver, size_t vl)
{
	if (c->count == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		apt_pkg *np = realloc(c->pkgs, cap * sizeof *np);
		if (!np)
			return -ENOMEM;
		c->pkgs = np;
		c->cap = cap;
	}
	apt_pkg *p = &c->pkgs[c->count];
	memset(p, 0, sizeof *p);
	p->name = strndup(name, nl);
	p->arch = strndup(arch, al);
	p->inst_ver = strndup(ver, vl);
	if (!p->name || !p->arch || !p->inst_ver) {
		free(p->name);
		free(p->arch);
		free(p->inst_ver);
		return -ENOMEM;
	}
	p->inst_prio = APT_PRIO_STATUS;
	c->count++;
	return 0;
}

/* dpkg's "Status: want flag state": a package has a current version in
 * every state but not-installed and config-files. */
static bool status_has_version(const char *st, size_t n)
{
	const char *sp = memrchr(st, ' ', n);
	const char *state = sp ? sp + 1 : st;
	size_t sl = (size_t)(st + n - state);

	return !span_eq(state, sl, "not-installed") && !span_eq(state, sl, "config-files");
}

static int build_index(apt_cache *c)
{
	size_t slots = 64;

	while (slots < c->count * 2)
		slots *= 2;
	c->slots = calloc(slots, sizeof *c->slots);
	if (!c->slots)
		return -ENOMEM;
	c->slot_count = slots;
	for (size_t i = 0; i < c->count; i++) {
		apt_pkg *p = &c->pkgs[i];
		size_t nl = strlen(p->name);
		size_t s = hash_name(p->name, nl) & (slots - 1);

		for (;;) {
			size_t j = c->slots[s];
			if (j == 0) {
				c->slots[s] = i + 1;
				break;
			}
			if (strcmp(c->pkgs[j - 1].name, p->name) == 0) {
				p->next_same_name = c->pkgs[j - 1].next_same_name;
				c->pkgs[j - 1].next_same_name = i + 1;
				break;
			}
			s = (s + 1) & (slots - 1);
		}
	}
	return 0;
}

static apt_pkg *find_name(const apt_cache *c, const char *name, size_t nl)
{
	if (!c->slot_count)
		return NULL;
	size_t s = hash_name(name, nl) & (c->slot_count - 1);
	for (;;) {
		size_t j = c->slots[s];
		if (j == 0)
			return NULL;
		const char *pn = c->pkgs[j - 1].name;
		if (strncmp(pn, name, nl) == 0 && pn[nl] == '\0')
			return &c->pkgs[j - 1];
		s = (s + 1) & (c->slot_count - 1);
	}
}

/* The first line of /var/lib/dpkg/arch, for a status without dpkg. */
static void arch_from_file(apt_cache *c, const host *h)
{
	char *data = NULL;
	size_t len = 0;

	if (host_read_file(h, "/var/lib/dpkg/arch", 4096, &data, &len) == 0) {
		size_t n = strcspn(data, " \t\r\n");
		if (n > 0 && n < sizeof c->native_arch)
			memcpy(c->native_arch, data, n);
	}
	free(data);
}

int apt_cache_read_status(apt_cache *c, const host *h)
{
	stanza_reader sr;
	const char *st;
	size_t len;
	int r;

	if ((r = stanza_open(&sr, h, "/var/lib/dpkg/status")) < 0) {
		set_error(c, "read", "/var/lib/dpkg/status", r);
		return r;
	}
	while ((r = stanza_next(&sr, &st, &len)) > 0) {
		const char *name, *status, *arch, *ver;
		size_t nl, sl, al, vl;

		if (!stanza_field(st, len, "Package", &name, &nl) ||
		    !stanza_field(st, len, "Status", &status, &sl) ||
		    !status_has_version(status, sl) ||
		    !stanza_field(st, len, "Version", &ver, &vl))
			continue;
		if (!stanza_field(st, len, "Architecture", &arch, &al)) {
			arch = "all";
			al = 3;
		}
		if (span_eq(name, nl, "dpkg") && al < sizeof c->native_arch && !span_eq(arch, al, "all"))
			memcpy(c->native_arch, arch, al);
		if ((r = add_pkg(c, name, nl, arch, al, ver, vl)) < 0)
			break;
	}
	stanza_close(&sr);
	if (r < 0) {
		set_error(c, "read", "/var/lib/dpkg/status", r);
		return r;
	}
	if (!c->native_arch[0])
		arch_from_file(c, h);
	if (!c->native_arch[0]) {
		snprintf(c->error, sizeof c->error,
			 "no native architecture: dpkg is not in /var/lib/dpkg/status and "
			 "/var/lib/dpkg/arch is missing");
		return -ENOENT;
	}
	for (size_t i = 0; i < c->count; i++) {
		if (strcmp(c->pkgs[i].arch, "all") == 0) {
			free(c->pkgs[i].arch);
			c->pkgs[i].arch = strdup(c->native_arch);
			if (!c->pkgs[i].arch)
				return -ENOMEM;
		}
	}
	return build_index(c);
}

bool apt_release_is_security(const char *suite, const char *codename, const char *label)
{
	const char *names[] = {suite, codename};

	for (size_t i = 0; i < 2; i++) {
		size_t n = names[i] ? strlen(names[i]) : 0;
		if ((n >= 9 && strcmp(names[i] + n - 9, "-security") == 0) ||
		    (n >= 8 && strcmp(names[i] + n - 8, "/updates") == 0))
			return true;
	}
	return label && strcmp(label, "Debian-Security") == 0;
}

typedef struct release {
	char *prefix; /* list file names that start with this belong to it */
	int prio;
	bool security;
	char suite[64];
} release;

static void copy_field(const char *st, size_t len, const char *name, char *out, size_t size)
{
	const char *v;
	size_t vl;

	out[0] = '\0';
	if (stanza_field(st, len, name, &v, &vl)) {
		if (vl >= size)
			vl = size - 1;
		memcpy(out, v, vl);
		out[vl] = '\0';
	}
}

/* The header paragraph of a Release or InRelease (clearsigned) file. */
static int read_release(const host *h, const char *path, release *rel)
{
	FILE *f = host_fopen(h, path);
	char buf[RELEASE_HEAD_MAX + 1];

	if (!f)
		return -errno;
	size_t n = fread(buf, 1, RELEASE_HEAD_MAX, f);
	fclose(f);
	buf[n] = '\0';
	const char *st = buf;
	if (strncmp(st, "-----BEGIN PGP SIGNED MESSAGE-----", 34) == 0) {
		const char *body = strstr(st, "\n\n");
		st = body ? body + 2 : st + n;
	}
	const char *end = strstr(st, "\n\n");
	size_t len = end ? (size_t)(end - st) + 1 : strlen(st);

	char codename[64], label[64], notauto[16], butauto[16];
	copy_field(st, len, "Suite", rel->suite, sizeof rel->suite);
	copy_field(st, len, "Codename", codename, sizeof codename);
	copy_field(st, len, "Label", label, sizeof label);
	copy_field(st, len, "NotAutomatic", notauto, sizeof notauto);
	copy_field(st, len, "ButAutomaticUpgrades", butauto, sizeof butauto);
	rel->prio = APT_PRIO_DEFAULT;
	if (strcasecmp(notauto, "yes") == 0)
		rel->prio = strcasecmp(butauto, "yes") == 0 ? APT_PRIO_BUTAUTO : APT_PRIO_NOTAUTO;
	rel->security = apt_release_is_security(rel->suite, codename, label);
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* "..._Packages" or "..._Packages.<compression>". */
static bool is_packages_list(const char *name)
{
	const char *p = strstr(name, "_Packages");
	if (!p)
		return false;
	p += 9;
	return *p == '\0' || (*p == '.' && strchr(p + 1, '.') == NULL && strchr(p, '_') == NULL);
}

/* Records that pkg has version ver in a list of priority prio. The
 * running best is enough because a version's priority is the maximum over
 * its files and every file of it is compared in turn. */
static int observe(apt_pkg *p, const char *ver, size_t vl, int prio, bool security)
{
	int c = debver_cmp(ver, vl, p->inst_ver, strlen(p->inst_ver));

	if (c < 0)
		return 0;
	if (c == 0) {
		if (prio > p->inst_prio)
			p->inst_prio = prio;
		return 0;
	}
	if (p->cand_ver) {
		int d = debver_cmp(ver, vl, p->cand_ver, strlen(p->cand_ver));
		if (d == 0) {
			if (prio > p->cand_prio)
				p->cand_prio = prio;
			p->cand_security |= security;
			return 0;
		}
		if (prio < p->cand_prio || (prio == p->cand_prio && d < 0))
			return 0;
	}
	char *v = strndup(ver, vl);
	if (!v)
		return -ENOMEM;
	free(p->cand_ver);
	p->cand_ver = v;
	p->cand_prio = prio;
	p->cand_security = security;
	return 0;
}

static int read_list(apt_cache *c, const host *h, const char *path, int prio, bool security)
{
	stanza_reader sr;
	const char *st;
	size_t len;
	int r;

	if ((r = stanza_open(&sr, h, path)) < 0)
		return r;
	c->lists_by_format[zreader_format(sr.z)]++;
	while ((r = stanza_next(&sr, &st, &len)) > 0) {
		const char *name, *arch, *ver;
		size_t nl, al, vl;

		/* apt writes Package first: take it from the first line. */
		if (len > 9 && memcmp(st, "Package: ", 9) == 0) {
			name = st + 9;
			const char *eol = memchr(name, '\n', len - 9);
			nl = eol ? (size_t)(eol - name) : len - 9;
		} else if (!stanza_field(st, len, "Package", &name, &nl)) {
			continue;
		}
		apt_pkg *p = find_name(c, name, nl);
		if (!p)
			continue;
		if (!stanza_field(st, len, "Version", &ver, &vl))
			continue;
		if (!stanza_field(st, len, "Architecture", &arch, &al) || span_eq(arch, al, "all")) {
			arch = c->native_arch;
			al = strlen(arch);
		}
		for (;;) {
			if (span_eq(arch, al, p->arch)) {
				if ((r = observe(p, ver, vl, prio, security)) < 0)
					goto out;
				break;
			}
			if (!p->next_same_name)
				break;
			p = &c->pkgs[p->next_same_name - 1];
		}
	}
out:
	c->list_bytes += sr.bytes;
	stanza_close(&sr);
	return r;
}

int apt_cache_read_lists(apt_cache *c, const host *h, const char *dir)
{
	char **names = NULL;
	size_t n = 0, nrel = 0;
	release *rels = NULL;
	char path[400];
	int r = host_list_dir(h, dir, &names, &n);

	if (r < 0) {
		set_error(c, "list", dir, r);
		return r;
	}
	rels = calloc(n ? n : 1, sizeof *rels);
	if (!rels) {
		host_names_free(names, n);
		return -ENOMEM;
	}
	/* Release headers first; an InRelease wins over a Release of the same
	 * prefix because it sorts first and the later one is skipped. */
	for (size_t i = 0; i < n; i++) {
		const char *suffix = ends_with(names[i], "_InRelease") ? "InRelease" :
				     ends_with(names[i], "_Release")   ? "Release" : NULL;
		if (!suffix)
			continue;
		size_t pl = strlen(names[i]) - strlen(suffix);
		bool dup = false;
		for (size_t k = 0; k < nrel; k++)
			dup |= strlen(rels[k].prefix) == pl && strncmp(rels[k].prefix, names[i], pl) == 0;
		if (dup)
			continue;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path)
			continue;
		release rel = {0};
		if (read_release(h, path, &rel) < 0)
			continue; /* its lists then read with the default priority */
		rel.prefix = strndup(names[i], pl);
		if (!rel.prefix) {
			r = -ENOMEM;
			goto out;
		}
		rels[nrel++] = rel;
		c->releases_read++;
	}
	for (size_t i = 0; i < n && r >= 0; i++) {
		if (!is_packages_list(names[i]))
			continue;
		const release *best = NULL;
		for (size_t k = 0; k < nrel; k++)
			if (strncmp(names[i], rels[k].prefix, strlen(rels[k].prefix)) == 0 &&
			    (!best || strlen(rels[k].prefix) > strlen(best->prefix)))
				best = &rels[k];
		int prio = best ? best->prio : APT_PRIO_DEFAULT;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path) {
			r = -ENAMETOOLONG;
			set_error(c, "read", names[i], r);
			break;
		}
		r = read_list(c, h, path, prio, best && best->security);
		if (r < 0) {
			set_error(c, "read", path, r);
			break;
		}
		c->lists_read++;
		if (prio != APT_PRIO_DEFAULT)
			c->lists_notauto++;
	}
	if (r >= 0 && c->lists_read == 0) {
		snprintf(c->error, sizeof c->error, "no package lists in %s (apt update never ran?)",
			 dir);
		r = -ENOENT;
	}
out:
	for (size_t k = 0; k < nrel; k++)
		free(rels[k].prefix);
	free(rels);
	host_names_free(names, n);
	return r < 0 ? r : 0;
}

void apt_cache_upgradable(const apt_cache *c, bool only_security, fact_list *out)
{
	char buf[512];

	for (size_t i = 0; i < c->count; i++) {
		const apt_pkg *p = &c->pkgs[i];
		if (!p->cand_ver || p->cand_prio <= 0 || p->cand_prio < p->inst_prio)
			continue;
		if (only_security && !p->cand_security)
			continue;
		if (strcmp(p->arch, c->native_arch) == 0)
			fact_list_push(out, p->name);
		else {
			snprintf(buf, sizeof buf, "%s:%s", p->name, p->arch);
			fact_list_push(out, buf);
		}
	}
	fact_list_sort(out);
}

bool apt_cache_installed(const apt_cache *c, const char *name)
{
	return find_name(c, name, strlen(name)) != NULL;
}

void apt_cache_free(apt_cache *c)
{
	for (size_t i = 0; i < c->count; i++) {
		free(c->pkgs[i].name);
		free(c->pkgs[i].arch);
		free(c->pkgs[i].inst_ver);
		free(c->pkgs[i].cand_ver);
	}
	free(c->pkgs);
	free(c->slots);
	memset(c, 0, sizeof *c);
}
