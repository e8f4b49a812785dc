/* SPDX-License-Identifier: Apache-2.0 */
/* apt's upgradable set from dpkg status and the apt lists; see aptcache.h
 * for the policy modelled and what is not. */
#define _GNU_SOURCE
#include "aptcache.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "debver.h"
#include "zreader.h"

#define RELEASE_HEAD_MAX 16384 /* the fields we need come before the checksums */

/* c->error, and the same as a message (c->why) for the probe's reason. */
static void HOSTAUDIT_PRINTF(2, 3) cache_fail(apt_cache *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fact_text_free(&c->why);
	fact_text_vadd(&c->why, fmt, ap);
	va_end(ap);
	snprintf(c->error, sizeof c->error, "%s", fact_text_str(&c->why));
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

static char *span_dup(const char *s, size_t n)
{
	return s ? strndup(s, n) : NULL;
}

/* Adds file index f to a version (once). */
static int ver_add_file(apt_ver *v, unsigned f)
{
	for (size_t i = 0; i < v->nfiles; i++)
		if (v->files[i] == f)
			return 0;
	unsigned *nf = realloc(v->files, (v->nfiles + 1) * sizeof *nf);
	if (!nf)
		return -ENOMEM;
	v->files = nf;
	v->files[v->nfiles++] = f;
	return 0;
}

/* The first word of a Source field ("name (version)" -> "name"). */
static size_t source_name_len(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] != ' ' && s[i] != '(')
		i++;
	return i;
}

/* The version of a Source field, "name (version)"; 0 when it has none. */
static size_t source_version(const char *s, size_t n, const char **v)
{
	const char *open = memchr(s, '(', n), *close;
	if (!open || !(close = memchr(open, ')', (size_t)(s + n - open))))
		return 0;
	*v = open + 1;
	while (*v < close && **v == ' ')
		(*v)++;
	size_t l = (size_t)(close - *v);
	while (l && (*v)[l - 1] == ' ')
		l--;
	return l;
}

/* A new version of p from its Source field (src, maybe "name (version)");
 * the source is dropped when it is p's own name, its version when it is
 * the binary's. */
static int pkg_add_ver(apt_pkg *p, const char *ver, size_t vl, const char *src_field, size_t fl,
		       unsigned file)
{
	const char *src = src_field, *sv = NULL;
	size_t sl = src ? source_name_len(src, fl) : 0;
	size_t svl = src ? source_version(src, fl, &sv) : 0;
	apt_ver *nv = realloc(p->vers, (p->nvers + 1) * sizeof *nv);
	if (!nv)
		return -ENOMEM;
	p->vers = nv;
	apt_ver *v = &p->vers[p->nvers];
	memset(v, 0, sizeof *v);
	v->ver = strndup(ver, vl);
	if (src && sl && !span_eq(src, sl, p->name))
		v->source = span_dup(src, sl);
	if (svl && !(svl == vl && !memcmp(sv, ver, vl)))
		v->source_ver = span_dup(sv, svl);
	if (!v->ver || (src && sl && !span_eq(src, sl, p->name) && !v->source) ||
	    (svl && !(svl == vl && !memcmp(sv, ver, vl)) && !v->source_ver) ||
	    ver_add_file(v, file) < 0) {
		free(v->ver);
		free(v->source);
		free(v->source_ver);
		return -ENOMEM;
	}
	p->nvers++;
	return 0;
}

static int add_status_file(apt_cache *c);

int apt_cache_add_installed(apt_cache *c, const char *name, const char *arch, const char *ver,
			    const char *source)
{
	int r = add_status_file(c);
	if (r < 0)
		return r;
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
	p->cand = -1;
	p->name = strdup(name);
	p->arch = strdup(arch);
	if (!p->name || !p->arch ||
	    pkg_add_ver(p, ver, strlen(ver), source, source ? strlen(source) : 0, 0) < 0) {
		free(p->name);
		free(p->arch);
		return -ENOMEM;
	}
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

int apt_cache_index(apt_cache *c)
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
		/* name may hold a NUL (hostile lists): compare by length. */
		const char *pn = c->pkgs[j - 1].name;
		if (strnlen(pn, nl + 1) == nl && memcmp(pn, name, nl) == 0)
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

int apt_cache_add_file(apt_cache *c, const char *name, const apt_file_info *info, int prio,
		       bool security)
{
	apt_file *nf = realloc(c->files, (c->nfiles + 1) * sizeof *nf);
	if (!nf)
		return -ENOMEM;
	c->files = nf;
	apt_file *f = &c->files[c->nfiles];
	memset(f, 0, sizeof *f);
	f->name = strdup(name);
	f->info.has_release = info->has_release;
	const char *const src[] = {info->archive, info->codename, info->version, info->origin,
				   info->label,   info->component, info->arch,    info->site};
	const char **dst[] = {&f->info.archive, &f->info.codename, &f->info.version,
			      &f->info.origin,  &f->info.label,    &f->info.component,
			      &f->info.arch,    &f->info.site};
	bool ok = f->name != NULL;
	for (size_t i = 0; i < 8; i++) {
		*dst[i] = src[i] ? strdup(src[i]) : NULL;
		ok &= !src[i] || *dst[i];
	}
	f->prio = prio;
	f->security = security;
	c->nfiles++;
	return ok ? (int)(c->nfiles - 1) : -ENOMEM;
}

static void file_free(apt_file *f)
{
	free(f->name);
	free((char *)f->info.archive);
	free((char *)f->info.codename);
	free((char *)f->info.version);
	free((char *)f->info.origin);
	free((char *)f->info.label);
	free((char *)f->info.component);
	free((char *)f->info.arch);
	free((char *)f->info.site);
}

/* dpkg's status is file 0: no Release, archive "now" (kept by apt in the
 * component), priority 100. */
static int add_status_file(apt_cache *c)
{
	apt_file_info st = {.component = "now"};
	return c->nfiles ? 0 : apt_cache_add_file(c, "/var/lib/dpkg/status", &st, APT_PRIO_STATUS,
						  false);
}

int apt_cache_read_status(apt_cache *c, const host *h)
{
	stanza_reader sr;
	const char *st;
	size_t len;
	int r;

	if ((r = add_status_file(c)) < 0)
		return r;
	if ((r = stanza_open(&sr, h, "/var/lib/dpkg/status")) < 0) {
		cache_fail(c, "cannot read %s: %s", "/var/lib/dpkg/status", strerror(-r));
		return r;
	}
	while ((r = stanza_next(&sr, &st, &len)) > 0) {
		const char *name, *status, *arch, *ver, *src = NULL;
		size_t nl, sl, al, vl, srcl = 0;
		char n[256], a[64], v[256], s[256] = "";

		if (!stanza_field(st, len, "Package", &name, &nl) ||
		    !stanza_field(st, len, "Status", &status, &sl) ||
		    !status_has_version(status, sl) ||
		    !stanza_field(st, len, "Version", &ver, &vl))
			continue;
		if (!stanza_field(st, len, "Architecture", &arch, &al)) {
			arch = "all";
			al = 3;
		}
		stanza_field(st, len, "Source", &src, &srcl); /* "name (version)" kept whole */
		if (span_eq(name, nl, "dpkg") && al < sizeof c->native_arch && !span_eq(arch, al, "all"))
			memcpy(c->native_arch, arch, al);
		if (nl >= sizeof n || al >= sizeof a || vl >= sizeof v || srcl >= sizeof s)
			continue; /* longer than any real one */
		memcpy(n, name, nl);
		n[nl] = '\0';
		memcpy(a, arch, al);
		a[al] = '\0';
		memcpy(v, ver, vl);
		v[vl] = '\0';
		if (srcl)
			memcpy(s, src, srcl);
		s[srcl] = '\0';
		if ((r = apt_cache_add_installed(c, n, a, v, s[0] ? s : NULL)) < 0)
			break;
	}
	stanza_close(&sr);
	if (r < 0) {
		cache_fail(c, "cannot read %s: %s", "/var/lib/dpkg/status", strerror(-r));
		return r;
	}
	if (!c->native_arch[0])
		arch_from_file(c, h);
	if (!c->native_arch[0]) {
		cache_fail(c, "no native architecture: dpkg is not in /var/lib/dpkg/status and "
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
	return apt_cache_index(c);
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

enum { REL_SUITE, REL_CODENAME, REL_VERSION, REL_ORIGIN, REL_LABEL, REL_FIELDS };

typedef struct release {
	char *prefix; /* list file names that start with this belong to it */
	int prio;
	bool security;
	char *field[REL_FIELDS]; /* NULL when the Release does not say */
} release;

static char *field_dup(const char *st, size_t len, const char *name)
{
	const char *v;
	size_t vl;

	return stanza_field(st, len, name, &v, &vl) ? strndup(v, vl) : NULL;
}

static bool field_yes(const char *st, size_t len, const char *name)
{
	const char *v;
	size_t vl;

	return stanza_field(st, len, name, &v, &vl) && vl == 3 && strncasecmp(v, "yes", 3) == 0;
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

	rel->field[REL_SUITE] = field_dup(st, len, "Suite");
	if (!rel->field[REL_SUITE])
		rel->field[REL_SUITE] = field_dup(st, len, "Archive");
	rel->field[REL_CODENAME] = field_dup(st, len, "Codename");
	rel->field[REL_VERSION] = field_dup(st, len, "Version");
	rel->field[REL_ORIGIN] = field_dup(st, len, "Origin");
	rel->field[REL_LABEL] = field_dup(st, len, "Label");
	rel->prio = APT_PRIO_DEFAULT;
	/* ButAutomaticUpgrades counts only with NotAutomatic. */
	if (field_yes(st, len, "NotAutomatic"))
		rel->prio = field_yes(st, len, "ButAutomaticUpgrades") ? APT_PRIO_BUTAUTO
									: APT_PRIO_NOTAUTO;
	rel->security = apt_release_is_security(rel->field[REL_SUITE], rel->field[REL_CODENAME],
						rel->field[REL_LABEL]);
	return 0;
}

static void release_free(release *rel)
{
	free(rel->prefix);
	for (size_t i = 0; i < REL_FIELDS; i++)
		free(rel->field[i]);
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

int apt_cache_observe(apt_cache *c, const char *name, size_t nl, const char *arch, size_t al,
		      const char *ver, size_t vl, const char *source, size_t sl, unsigned file)
{
	apt_pkg *p = find_name(c, name, nl);

	while (p && !span_eq(arch, al, p->arch))
		p = p->next_same_name ? &c->pkgs[p->next_same_name - 1] : NULL;
	if (!p)
		return 0;
	/* Older versions matter only when a pin may force a downgrade. */
	if (debver_cmp(ver, vl, p->vers[0].ver, strlen(p->vers[0].ver)) < 0 &&
	    !(c->prefs && c->prefs->high))
		return 0;
	for (size_t i = 0; i < p->nvers; i++)
		if (debver_cmp(ver, vl, p->vers[i].ver, strlen(p->vers[i].ver)) == 0)
			return ver_add_file(&p->vers[i], file);
	return pkg_add_ver(p, ver, vl, source, sl, file);
}

static int read_list(apt_cache *c, const host *h, const char *path, unsigned file)
{
	stanza_reader sr;
	const char *st;
	size_t len;
	int r;
	bool want_source = c->prefs && c->prefs->source_pins;

	if ((r = stanza_open(&sr, h, path)) < 0)
		return r;
	c->lists_by_format[zreader_format(sr.z)]++;
	while ((r = stanza_next(&sr, &st, &len)) > 0) {
		const char *name, *arch, *ver, *src = NULL;
		size_t nl, al, vl, sl = 0;

		/* apt writes Package first: take it from the first line. */
		if (len > 9 && memcmp(st, "Package: ", 9) == 0) {
			name = st + 9;
			const char *eol = memchr(name, '\n', len - 9);
			nl = eol ? (size_t)(eol - name) : len - 9;
		} else if (!stanza_field(st, len, "Package", &name, &nl)) {
			continue;
		}
		if (!find_name(c, name, nl))
			continue;
		/* A NUL byte is in no version dpkg accepts (deb-version(7)); the
		 * copy kept for later would be cut at it. */
		if (!stanza_field(st, len, "Version", &ver, &vl) || memchr(ver, '\0', vl))
			continue;
		if (!stanza_field(st, len, "Architecture", &arch, &al) || span_eq(arch, al, "all")) {
			arch = c->native_arch;
			al = strlen(arch);
		}
		if (want_source)
			stanza_field(st, len, "Source", &src, &sl); /* "name (version)" whole */
		if ((r = apt_cache_observe(c, name, nl, arch, al, ver, vl, src, sl, file)) < 0)
			break;
	}
	c->list_bytes += sr.bytes;
	stanza_close(&sr);
	return r;
}

/* A list's component and architecture from its name after the Release
 * prefix ("main_binary-amd64_Packages.lz4"; '_' stands for '/'), and the
 * site of its URI (the name up to the first '_'; "" for file: sources). */
static void list_info(const char *name, const char *prefix, char *comp, size_t csize,
		      char *arch, size_t asize, char *site, size_t ssize)
{
	const char *rest = name + strlen(prefix);
	const char *bin = strstr(rest, "binary-");
	const char *pk = strstr(rest, "_Packages");
	size_t sl = strcspn(name, "_");

	comp[0] = arch[0] = '\0';
	if (bin && pk && bin < pk) {
		size_t cl = bin > rest ? (size_t)(bin - rest) - 1 : 0;
		snprintf(comp, csize, "%.*s", (int)cl, rest);
		for (char *u = comp; *u; u++)
			if (*u == '_')
				*u = '/';
		snprintf(arch, asize, "%.*s", (int)(pk - bin - 7), bin + 7);
	}
	snprintf(site, ssize, "%.*s", (int)sl, name);
}

static int add_list_file(apt_cache *c, const char *name, const release *rel)
{
	char comp[128], arch[64], site[256];
	apt_file_info info = {0};

	list_info(name, rel ? rel->prefix : "", comp, sizeof comp, arch, sizeof arch, site,
		  sizeof site);
	if (rel) {
		info.has_release = true;
		info.archive = rel->field[REL_SUITE];
		info.codename = rel->field[REL_CODENAME];
		info.version = rel->field[REL_VERSION];
		info.origin = rel->field[REL_ORIGIN];
		info.label = rel->field[REL_LABEL];
	}
	info.component = comp[0] ? comp : NULL;
	info.arch = arch[0] ? arch : NULL;
	info.site = site;
	return apt_cache_add_file(c, name, &info, rel ? rel->prio : APT_PRIO_DEFAULT,
				  rel && rel->security);
}

int apt_cache_read_lists(apt_cache *c, const host *h, const char *dir)
{
	char **names = NULL;
	size_t n = 0, nrel = 0;
	release *rels = NULL;
	char path[400];
	int r = host_list_dir(h, dir, &names, &n);

	if (r < 0) {
		cache_fail(c, "cannot list %s: %s", dir, strerror(-r));
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
		rels[nrel++] = rel;
		if (!rel.prefix) {
			r = -ENOMEM;
			goto out;
		}
		c->releases_read++;
	}
	if ((r = add_status_file(c)) < 0)
		goto out;
	for (size_t i = 0; i < n && r >= 0; i++) {
		if (!is_packages_list(names[i]))
			continue;
		const release *best = NULL;
		for (size_t k = 0; k < nrel; k++)
			if (strncmp(names[i], rels[k].prefix, strlen(rels[k].prefix)) == 0 &&
			    (!best || strlen(rels[k].prefix) > strlen(best->prefix)))
				best = &rels[k];
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path) {
			r = -ENAMETOOLONG;
			cache_fail(c, "cannot read %s: %s", names[i], strerror(-r));
			break;
		}
		int f = add_list_file(c, names[i], best);
		if (f < 0) {
			r = f;
			break;
		}
		r = read_list(c, h, path, (unsigned)f);
		if (r < 0) {
			cache_fail(c, "cannot read %s: %s", path, strerror(-r));
			break;
		}
		c->lists_read++;
		if (c->files[f].prio != APT_PRIO_DEFAULT)
			c->lists_notauto++;
	}
	if (r >= 0 && c->lists_read == 0) {
		cache_fail(c, "no package lists in %s (apt update never ran?)", dir);
		r = -ENOENT;
	}
out:
	for (size_t k = 0; k < nrel; k++)
		release_free(&rels[k]);
	free(rels);
	host_names_free(names, n);
	return r < 0 ? r : 0;
}

void apt_cache_set_prefs(apt_cache *c, const apt_prefs *prefs)
{
	c->prefs = prefs;
}

/* InitDefaults: the first general pin that matches a file sets its
 * priority, except that a "never" pin overrides and is final. */
static void file_priorities(const apt_cache *c, int *prio)
{
	const apt_prefs *pr = c->prefs;

	for (size_t f = 0; f < c->nfiles; f++) {
		bool fixed = false;
		prio[f] = c->files[f].prio;
		for (size_t i = 0; pr && i < pr->count; i++) {
			const apt_pin *pin = &pr->pins[i];
			if (pin->name || (fixed && pin->prio != APT_PIN_NEVER) ||
			    prio[f] == APT_PIN_NEVER || !apt_pin_file_matches(pin, &c->files[f].info))
				continue;
			prio[f] = pin->prio;
			fixed = true;
		}
	}
}

/* pkgPolicy::GetPriority(Ver, true). *pinned is set when a specific pin
 * decided it. */
static int ver_priority(const apt_cache *c, const apt_pkg *p, const apt_ver *v, const int *fprio,
			bool *pinned)
{
	const apt_prefs *pr = c->prefs;

	for (size_t i = 0; pr && i < pr->count; i++) {
		const apt_pin *pin = &pr->pins[i];
		if (!pin->name ||
		    !apt_pin_names(pin, p->name, p->arch, c->native_arch, v->source ? v->source : p->name))
			continue;
		bool by_ver = pin->type == APT_PIN_VERSION || pin->type == APT_PIN_SOURCE_VERSION;
		const char *ver = pin->type == APT_PIN_SOURCE_VERSION && v->source_ver ? v->source_ver
											: v->ver;
		bool m = by_ver && apt_pin_version_matches(pin, ver);
		for (size_t k = 0; !m && !by_ver && k < v->nfiles; k++)
			m = apt_pin_file_matches(pin, &c->files[v->files[k]].info);
		if (!m)
			continue;
		/* The first matching pin is the version's; it counts unless
		 * every file of the version is "never". */
		if (pin->prio == APT_PIN_NEVER)
			return APT_PIN_NEVER;
		for (size_t k = 0; k < v->nfiles; k++)
			if (fprio[v->files[k]] != APT_PIN_NEVER) {
				*pinned = true;
				return pin->prio;
			}
		break;
	}
	int best = INT_MIN;
	for (size_t k = 0; k < v->nfiles; k++)
		if (fprio[v->files[k]] > best)
			best = fprio[v->files[k]];
	return best == INT_MIN ? 0 : best;
}

/* GetCandidateVer over versions in descending order: the first of the
 * highest priority; 0 and below never; older than installed only from
 * 1000. */
static void choose(apt_pkg *p, const int *prio)
{
	size_t order[64], n = p->nvers < 64 ? p->nvers : 64;

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			const char *a = p->vers[order[j - 1]].ver, *b = p->vers[order[j]].ver;
			if (debver_cmp_str(a, b) >= 0)
				break;
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	int cand = -1, cp = -1;
	for (size_t i = 0; i < n; i++) {
		const apt_ver *v = &p->vers[order[i]];
		int pr = prio[order[i]];
		if (pr == 0 || pr <= cp)
			continue;
		if (pr < 1000 && debver_cmp_str(v->ver, p->vers[0].ver) < 0)
			continue;
		cand = (int)order[i];
		cp = pr;
	}
	p->cand = cand;
	p->cand_prio = cp;
	p->cand_security = false;
}

int apt_cache_resolve(apt_cache *c)
{
	const apt_prefs *pr = c->prefs;
	int *fprio = malloc((c->nfiles ? c->nfiles : 1) * sizeof *fprio);
	int prio[64];

	if (!fprio)
		return -ENOMEM;
	if (pr && pr->default_release[0]) {
		apt_file_info *infos = malloc((c->nfiles ? c->nfiles : 1) * sizeof *infos);
		if (!infos) {
			free(fprio);
			return -ENOMEM;
		}
		for (size_t f = 0; f < c->nfiles; f++)
			infos[f] = c->files[f].info;
		bool known = apt_default_release_known(pr->default_release, infos, c->nfiles);
		free(infos);
		if (!known) {
			cache_fail(c,
				   "APT::Default-Release \"%s\" names no archive in the lists: apt "
				   "refuses to run with it",
				   pr->default_release);
			free(fprio);
			return -EINVAL;
		}
	}
	file_priorities(c, fprio);
	c->pinned = 0;
	for (size_t i = 0; i < c->count; i++) {
		apt_pkg *p = &c->pkgs[i];
		bool pinned = false;
		size_t n = p->nvers < 64 ? p->nvers : 64;
		for (size_t k = 0; k < n; k++)
			prio[k] = ver_priority(c, p, &p->vers[k], fprio, &pinned);
		choose(p, prio);
		c->pinned += pinned;
		if (p->cand >= 0) {
			const apt_ver *v = &p->vers[p->cand];
			for (size_t k = 0; k < v->nfiles; k++)
				p->cand_security |= c->files[v->files[k]].security;
		}
	}
	free(fprio);
	return 0;
}

static bool upgradable(const apt_pkg *p)
{
	return p->cand > 0 && debver_cmp_str(p->vers[p->cand].ver, p->vers[0].ver) > 0;
}

void apt_cache_upgradable(const apt_cache *c, bool only_security, fact_list *out)
{
	char buf[512];

	for (size_t i = 0; i < c->count; i++) {
		const apt_pkg *p = &c->pkgs[i];
		if (!upgradable(p) || (only_security && !p->cand_security))
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

void apt_cache_upgradable_detail(const apt_cache *c, bool only_security, fact_list *out)
{
	char buf[768];

	for (size_t i = 0; i < c->count; i++) {
		const apt_pkg *p = &c->pkgs[i];
		if (!upgradable(p) || (only_security && !p->cand_security))
			continue;
		const apt_ver *v = &p->vers[p->cand];
		/* The suite of the first list that carries the candidate (file 0
		 * is dpkg's status, which has none). */
		const char *suite = NULL;
		for (size_t k = 0; k < v->nfiles && !suite; k++) {
			const apt_file_info *fi = &c->files[v->files[k]].info;
			if (v->files[k] != 0)
				suite = fi->codename ? fi->codename : fi->archive;
		}
		bool native = strcmp(p->arch, c->native_arch) == 0;
		snprintf(buf, sizeof buf, "%s%s%s %s (%s)", p->name, native ? "" : ":",
			 native ? "" : p->arch, v->ver, suite ? suite : "?");
		fact_list_push(out, buf);
	}
	fact_list_sort(out);
}

const char *apt_cache_candidate(const apt_cache *c, const char *name)
{
	const char *colon = strchr(name, ':');
	size_t nl = colon ? (size_t)(colon - name) : strlen(name);
	const char *arch = colon ? colon + 1 : c->native_arch;

	for (const apt_pkg *p = find_name(c, name, nl); p;
	     p = p->next_same_name ? &c->pkgs[p->next_same_name - 1] : NULL)
		if (strcmp(p->arch, arch) == 0)
			return p->cand >= 0 ? p->vers[p->cand].ver : NULL;
	return NULL;
}

bool apt_cache_installed(const apt_cache *c, const char *name)
{
	return find_name(c, name, strlen(name)) != NULL;
}

void apt_cache_free(apt_cache *c)
{
	fact_text_free(&c->why);
	for (size_t i = 0; i < c->count; i++) {
		apt_pkg *p = &c->pkgs[i];
		for (size_t k = 0; k < p->nvers; k++) {
			free(p->vers[k].ver);
			free(p->vers[k].source);
			free(p->vers[k].source_ver);
			free(p->vers[k].files);
		}
		free(p->vers);
		free(p->name);
		free(p->arch);
	}
	for (size_t f = 0; f < c->nfiles; f++)
		file_free(&c->files[f]);
	free(c->files);
	free(c->pkgs);
	free(c->slots);
	memset(c, 0, sizeof *c);
}
