/* SPDX-License-Identifier: Apache-2.0 */
/* dnf's pending updates from the rpm database and dnf's metadata cache;
 * see dnfcache.h. */
#define _GNU_SOURCE
#include "dnfcache.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "linuxconf.h"
#include "rpmver.h"
#include "zreader.h"

#define RPMTAG_NAME 1000
#define RPMTAG_VERSION 1001
#define RPMTAG_RELEASE 1002
#define RPMTAG_EPOCH 1003
#define RPMTAG_ARCH 1022
#define RPM_INT32_TYPE 4
#define RPM_STRING_TYPE 6
#define ELEMENT_MAX (16u << 20) /* one <package> or <update> element */
#define DNF_EXPIRE_DEFAULT (48 * 3600) /* dnf.conf(5) metadata_expire */

/* c->error, and the same as a message (c->why) for the probe's reason. */
static void HOSTAUDIT_PRINTF(2, 3) dnf_fail(dnf_cache *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fact_text_free(&c->why);
	fact_text_vadd(&c->why, fmt, ap);
	va_end(ap);
	snprintf(c->error, sizeof c->error, "%s", fact_text_str(&c->why));
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int rpm_header_parse(const unsigned char *blob, size_t n, rpm_pkg *out)
{
	if (n < 8)
		return -EBADMSG;
	uint32_t il = be32(blob), dl = be32(blob + 4);
	if (il > 100000 || dl > (256u << 20) || 8 + (size_t)il * 16 + dl > n)
		return -EBADMSG;
	const unsigned char *data = blob + 8 + (size_t)il * 16;
	char **slots[] = {&out->name, &out->ver, &out->rel, &out->arch};
	static const uint32_t tags[] = {RPMTAG_NAME, RPMTAG_VERSION, RPMTAG_RELEASE, RPMTAG_ARCH};

	out->epoch = 0;
	for (uint32_t i = 0; i < il; i++) {
		const unsigned char *e = blob + 8 + (size_t)i * 16;
		uint32_t tag = be32(e), type = be32(e + 4), off = be32(e + 8), cnt = be32(e + 12);
		if (off >= dl)
			continue;
		if (tag == RPMTAG_EPOCH && type == RPM_INT32_TYPE && cnt >= 1 && off + 4 <= dl) {
			out->epoch = (long)be32(data + off);
			continue;
		}
		for (size_t k = 0; k < 4; k++) {
			if (tag != tags[k] || type != RPM_STRING_TYPE || *slots[k])
				continue;
			const unsigned char *end = memchr(data + off, '\0', dl - off);
			if (!end)
				return -EBADMSG;
			*slots[k] = strndup((const char *)data + off, (size_t)(end - (data + off)));
			if (!*slots[k])
				return -ENOMEM;
		}
	}
	return out->name && out->ver && out->rel && out->arch ? 0 : -EBADMSG;
}

static void pkg_free(rpm_pkg *p)
{
	free(p->name);
	free(p->arch);
	free(p->ver);
	free(p->rel);
	free(p->cand_ver);
	free(p->cand_rel);
}

void dnf_cache_free(dnf_cache *c)
{
	fact_text_free(&c->why);
	for (size_t i = 0; i < c->count; i++)
		pkg_free(&c->pkgs[i]);
	free(c->pkgs);
	memset(c, 0, sizeof *c);
}

static rpm_evr evr_of(const rpm_pkg *p)
{
	return (rpm_evr){p->epoch, p->ver, p->rel};
}

/* Name, arch, then newest first: installonly copies follow their newest. */
static int pkg_order(const void *a, const void *b)
{
	const rpm_pkg *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (!c)
		c = strcmp(x->arch, y->arch);
	if (!c) {
		rpm_evr ex = evr_of(x), ey = evr_of(y);
		c = -rpm_evr_cmp(&ex, &ey);
	}
	return c;
}

static int push_pkg(dnf_cache *c, rpm_pkg *p)
{
	if (c->count == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 512;
		rpm_pkg *np = realloc(c->pkgs, cap * sizeof *np);
		if (!np)
			return -ENOMEM;
		c->pkgs = np;
		c->cap = cap;
	}
	c->pkgs[c->count++] = *p;
	return 0;
}

static int read_sqlite_rpmdb(dnf_cache *c, const char *full, const char *shown)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char uri[1200];
	int r = 0;

	snprintf(uri, sizeof uri, "file:%s?mode=ro", full);
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT blob FROM Packages", -1, &st, NULL) != SQLITE_OK) {
		dnf_fail(c, "cannot read %s: %s", shown,
			 db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -EIO;
	}
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		rpm_pkg p = {0};
		const unsigned char *blob = sqlite3_column_blob(st, 0);
		int n = sqlite3_column_bytes(st, 0);
		if (!blob || rpm_header_parse(blob, (size_t)n, &p) < 0 ||
		    strcmp(p.name, "gpg-pubkey") == 0) {
			pkg_free(&p); /* keys imported into rpm are not packages */
			continue;
		}
		if ((r = push_pkg(c, &p)) < 0) {
			pkg_free(&p);
			break;
		}
	}
	if (r == 0 && s != SQLITE_DONE) {
		dnf_fail(c, "cannot read %s: %s", shown, sqlite3_errmsg(db));
		r = -EIO;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}

int dnf_read_rpmdb(dnf_cache *c, const host *h)
{
	static const char *const sqlite_dbs[] = {"/usr/lib/sysimage/rpm/rpmdb.sqlite",
						 "/var/lib/rpm/rpmdb.sqlite", NULL};
	static const char *const old_dbs[] = {"/var/lib/rpm/Packages", "/var/lib/rpm/Packages.db",
					      NULL};
	char full[1024];

	for (size_t i = 0; sqlite_dbs[i]; i++) {
		host_stat st;
		if (host_stat_path(h, sqlite_dbs[i], &st) < 0 && !host_exists(h, sqlite_dbs[i]))
			continue;
		if (!host_path(h, sqlite_dbs[i], full, sizeof full))
			return -ENAMETOOLONG;
		int r = read_sqlite_rpmdb(c, full, sqlite_dbs[i]);
		if (r < 0)
			return r;
		c->rpmdb = sqlite_dbs[i];
		if (c->count > 1)
			qsort(c->pkgs, c->count, sizeof *c->pkgs, pkg_order);
		for (size_t k = 1; k < c->count; k++)
			c->pkgs[k].shadowed = strcmp(c->pkgs[k].name, c->pkgs[k - 1].name) == 0 &&
					      strcmp(c->pkgs[k].arch, c->pkgs[k - 1].arch) == 0;
		return 0;
	}
	for (size_t i = 0; old_dbs[i]; i++)
		if (host_exists(h, old_dbs[i])) {
			dnf_fail(c, "the rpm database is %s (Berkeley DB or ndb), which hostaudit does not "
				 "read; only rpmdb.sqlite (RHEL 9, Fedora 33 and later) is read",
				 old_dbs[i]);
			return -ENOTSUP;
		}
	dnf_fail(c, "no rpm database (rpmdb.sqlite) found");
	return -ENOENT;
}

/* The newest installed (name, arch) copy, or NULL. */
static rpm_pkg *find_pkg(dnf_cache *c, const char *name, const char *arch)
{
	size_t lo = 0, hi = c->count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(c->pkgs[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < c->count && strcmp(c->pkgs[i].name, name) == 0; i++) {
		const char *ia = c->pkgs[i].arch;
		if (c->pkgs[i].shadowed)
			continue;
		/* Same architecture, or noarch on either side (dnf lets a
		 * package move between noarch and an architecture). */
		if (strcmp(ia, arch) == 0 ||
		    ((strcmp(ia, "noarch") == 0 || strcmp(arch, "noarch") == 0) &&
		     strcmp(arch, "src") != 0 && strcmp(arch, "nosrc") != 0))
			return &c->pkgs[i];
	}
	return NULL;
}

/* ---- a small reader of the XML dnf's metadata is written in ---- */

/* Replaces the five predefined entities and numeric ones below 128. */
static void xml_unescape(char *s)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
	char *w = s;
	for (const char *r = s; *r;) {
		bool done = false;
		for (size_t i = 0; *r == '&' && i < 5 && !done; i++) {
			size_t n = strlen(ents[i].ent);
			if (strncmp(r, ents[i].ent, n) == 0) {
				*w++ = ents[i].c;
				r += n;
				done = true;
			}
		}
		if (!done && r[0] == '&' && r[1] == '#') {
			char *end;
			long v = r[2] == 'x' ? strtol(r + 3, &end, 16) : strtol(r + 2, &end, 10);
			if (*end == ';' && v > 0 && v < 128) {
				*w++ = (char)v;
				r = end + 1;
				done = true;
			}
		}
		if (!done)
			*w++ = *r++;
	}
	*w = '\0';
}

/* The value of attribute name in the tag [tag, end). */
static bool xml_attr(const char *tag, const char *end, const char *name, char *out, size_t size)
{
	size_t nl = strlen(name);
	for (const char *p = tag; p + nl + 2 < end; p++) {
		if (!isspace((unsigned char)p[0]) || strncmp(p + 1, name, nl) != 0)
			continue;
		const char *q = p + 1 + nl;
		while (q < end && isspace((unsigned char)*q))
			q++;
		if (q >= end || *q != '=')
			continue;
		q++;
		while (q < end && isspace((unsigned char)*q))
			q++;
		if (q >= end || (*q != '"' && *q != '\''))
			continue;
		const char *v = q + 1, *ve = memchr(v, *q, (size_t)(end - v));
		if (!ve || (size_t)(ve - v) >= size)
			return false;
		memcpy(out, v, (size_t)(ve - v));
		out[ve - v] = '\0';
		xml_unescape(out);
		return true;
	}
	return false;
}

/* The text of the first <tag>text</tag> in [s, end). */
static bool xml_text(const char *s, const char *end, const char *tag, char *out, size_t size)
{
	char open[64], close[64];
	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	const char *a = memmem(s, (size_t)(end - s), open, strlen(open));
	if (!a)
		return false;
	a += strlen(open);
	const char *b = memmem(a, (size_t)(end - a), close, strlen(close));
	if (!b || (size_t)(b - a) >= size)
		return false;
	memcpy(out, a, (size_t)(b - a));
	out[b - a] = '\0';
	xml_unescape(out);
	return true;
}

/* Calls fn for every element <name ...>...</name> of a (compressed) XML
 * file, streaming. 0, or a negative errno. */
typedef int (*element_fn)(dnf_cache *c, const char *s, const char *end, void *ctx);
static int each_element(dnf_cache *c, const host *h, const char *path, const char *name,
			element_fn fn, void *ctx)
{
	zreader *z;
	char open[64], close[64];
	int r = zreader_open(h, path, &z);

	if (r < 0)
		return r;
	snprintf(open, sizeof open, "<%s", name);
	snprintf(close, sizeof close, "</%s>", name);
	size_t cap = 1 << 18, len = 0;
	char *buf = malloc(cap + 1);
	if (!buf) {
		zreader_close(z);
		return -ENOMEM;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= ELEMENT_MAX) {
				r = -EFBIG;
				break;
			}
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				r = -ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t n = zreader_read(z, buf + len, cap - len);
		if (n < 0) {
			r = (int)n;
			break;
		}
		len += (size_t)n;
		buf[len] = '\0';
		size_t used = 0;
		for (;;) {
			char *e = memmem(buf + used, len - used, close, strlen(close));
			if (!e)
				break;
			char *s = buf + used;
			/* "<update" must not be "<updates>", nor "<package" "<packager>". */
			while ((s = memmem(s, (size_t)(e - s), open, strlen(open))) &&
			       !isspace((unsigned char)s[strlen(open)]) && s[strlen(open)] != '>')
				s++;
			if (s && (r = fn(c, s, e, ctx)) < 0)
				break;
			used = (size_t)(e - buf) + strlen(close);
		}
		if (r < 0)
			break;
		memmove(buf, buf + used, len - used);
		len -= used;
		if (n == 0)
			break;
	}
	free(buf);
	zreader_close(z);
	return r;
}

/* <package type="rpm"><name>..</name><arch>..</arch><version epoch= ver= rel=/> */
static int on_package(dnf_cache *c, const char *s, const char *end, void *ctx)
{
	(void)ctx;
	char name[256], arch[64], ver[256], rel[256], epoch[32] = "0";
	if (!xml_text(s, end, "name", name, sizeof name) ||
	    !xml_text(s, end, "arch", arch, sizeof arch))
		return 0;
	rpm_pkg *p = find_pkg(c, name, arch);
	if (!p)
		return 0;
	const char *v = memmem(s, (size_t)(end - s), "<version", 8);
	const char *ve = v ? memchr(v, '>', (size_t)(end - v)) : NULL;
	if (!ve || !xml_attr(v, ve, "ver", ver, sizeof ver) ||
	    !xml_attr(v, ve, "rel", rel, sizeof rel))
		return 0;
	xml_attr(v, ve, "epoch", epoch, sizeof epoch);
	rpm_evr avail = {strtol(epoch, NULL, 10), ver, rel};
	rpm_evr inst = evr_of(p);
	if (rpm_evr_cmp(&avail, &inst) <= 0)
		return 0;
	if (p->cand_ver) {
		rpm_evr cur = {p->cand_epoch, p->cand_ver, p->cand_rel};
		if (rpm_evr_cmp(&avail, &cur) <= 0)
			return 0;
	}
	char *nv = strdup(ver), *nr = strdup(rel);
	if (!nv || !nr) {
		free(nv);
		free(nr);
		return -ENOMEM;
	}
	free(p->cand_ver);
	free(p->cand_rel);
	p->cand_ver = nv;
	p->cand_rel = nr;
	p->cand_epoch = avail.epoch;
	return 0;
}

/* <update type="security">...<package name= epoch= version= release= arch=> */
static int on_update(dnf_cache *c, const char *s, const char *end, void *ctx)
{
	(void)ctx;
	const char *te = memchr(s, '>', (size_t)(end - s));
	char type[32];
	if (!te || !xml_attr(s, te, "type", type, sizeof type) || strcmp(type, "security") != 0)
		return 0;
	c->advisories++;
	for (const char *p = te; (p = memmem(p, (size_t)(end - p), "<package ", 9));) {
		const char *pe = memchr(p, '>', (size_t)(end - p));
		if (!pe)
			break;
		char name[256], arch[64], ver[256], rel[256], epoch[32] = "0";
		if (xml_attr(p, pe, "name", name, sizeof name) &&
		    xml_attr(p, pe, "arch", arch, sizeof arch) &&
		    xml_attr(p, pe, "version", ver, sizeof ver) &&
		    xml_attr(p, pe, "release", rel, sizeof rel)) {
			xml_attr(p, pe, "epoch", epoch, sizeof epoch);
			rpm_pkg *ip = find_pkg(c, name, arch);
			rpm_evr adv = {strtol(epoch, NULL, 10), ver, rel};
			if (ip) {
				rpm_evr inst = evr_of(ip);
				if (rpm_evr_cmp(&adv, &inst) > 0)
					ip->security = true;
			}
		}
		p = pe;
	}
	return 0;
}

/* ---- repositories ---- */

typedef struct repo {
	char id[128];
	bool enabled;
	long expire; /* seconds; -1 never */
} repo;

typedef struct repo_list {
	repo r[128];
	size_t n;
	long main_expire;
} repo_list;

/* "48h", "7d", "90m", "3600", "-1", "never". */
static long parse_expire(const char *v)
{
	if (strcasecmp(v, "never") == 0)
		return -1;
	char *end;
	long n = strtol(v, &end, 10);
	if (n < 0)
		return -1;
	long unit = 1;
	switch (tolower((unsigned char)*end)) {
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	}
	/* a value past LONG_MAX seconds is "never" in all but name */
	return n > LONG_MAX / unit ? LONG_MAX : n * unit;
}

static void on_repo_ini(const char *section, const char *key, const char *value, int lineno,
			void *ctx)
{
	repo_list *l = ctx;
	(void)lineno;
	if (!section || !section[0])
		return;
	if (strcmp(section, "main") == 0) {
		if (strcmp(key, "metadata_expire") == 0)
			l->main_expire = parse_expire(value);
		return;
	}
	size_t i;
	for (i = 0; i < l->n && strcmp(l->r[i].id, section) != 0; i++)
		;
	if (i == l->n) {
		if (l->n == sizeof l->r / sizeof l->r[0])
			return;
		snprintf(l->r[i].id, sizeof l->r[i].id, "%s", section);
		l->r[i].enabled = true;
		l->r[i].expire = 0;
		l->n++;
	}
	bool b;
	if (strcmp(key, "enabled") == 0 && conf_parse_bool(value, &b))
		l->r[i].enabled = b;
	else if (strcmp(key, "metadata_expire") == 0)
		l->r[i].expire = parse_expire(value);
}

static void read_ini(const host *h, const char *path, repo_list *l)
{
	char *data = NULL;
	if (conf_read(h, path, &data) == 0)
		conf_each_ini(data, on_repo_ini, l);
	free(data);
}

static void read_repo_files(const host *h, repo_list *l)
{
	char **names = NULL;
	size_t n = 0;
	char path[512];

	l->main_expire = DNF_EXPIRE_DEFAULT;
	read_ini(h, "/etc/dnf/dnf.conf", l);
	l->n = 0; /* [main] is not a repository */
	if (host_list_dir(h, "/etc/yum.repos.d", &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		if (len < 6 || strcmp(names[i] + len - 5, ".repo") != 0)
			continue;
		snprintf(path, sizeof path, "/etc/yum.repos.d/%.400s", names[i]);
		read_ini(h, path, l);
	}
	host_names_free(names, n);
}

/* "<id>-<16 hex>" */
static bool cache_dir_of(const char *dir, const char *id)
{
	size_t il = strlen(id), dl = strlen(dir);
	if (dl != il + 17 || strncmp(dir, id, il) != 0 || dir[il] != '-')
		return false;
	for (size_t i = il + 1; i < dl; i++)
		if (!isxdigit((unsigned char)dir[i]))
			return false;
	return true;
}

/* The file of a <data type="type"> in repomd.xml, under dir/repodata. */
static bool repomd_file(const char *repomd, const char *dir, const char *type, char *out,
			size_t size)
{
	char want[64];
	snprintf(want, sizeof want, "type=\"%s\"", type);
	const char *d = strstr(repomd, want);
	if (!d)
		return false;
	const char *end = strstr(d, "</data>");
	const char *loc = strstr(d, "<location");
	if (!end || !loc || loc > end)
		return false;
	const char *le = strchr(loc, '>');
	char href[512];
	if (!le || !xml_attr(loc, le, "href", href, sizeof href))
		return false;
	const char *base = strrchr(href, '/');
	snprintf(out, size, "%s/repodata/%s", dir, base ? base + 1 : href);
	return true;
}

static bool unsupported_compression(const char *path)
{
	static const char *const sfx[] = {".zck", ".zst", ".bz2", NULL};
	size_t n = strlen(path);
	for (size_t i = 0; sfx[i]; i++)
		if (n > strlen(sfx[i]) && strcmp(path + n - strlen(sfx[i]), sfx[i]) == 0)
			return true;
	return false;
}

/* The cache directory of a repository with the newest repomd.xml. */
static int find_cache(const host *h, const char *id, char *dir, size_t size, int64_t *mtime)
{
	static const char *const roots[] = {"/var/cache/dnf", "/var/cache/libdnf5", NULL};
	bool found = false;

	for (size_t k = 0; roots[k]; k++) {
		char **names = NULL;
		size_t n = 0;
		if (host_list_dir(h, roots[k], &names, &n) < 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			char path[700];
			host_stat st;
			if (!cache_dir_of(names[i], id))
				continue;
			snprintf(path, sizeof path, "%s/%.300s/repodata/repomd.xml", roots[k], names[i]);
			if (host_stat_path(h, path, &st) < 0 || (found && st.mtime <= *mtime))
				continue;
			found = true;
			*mtime = st.mtime;
			snprintf(dir, size, "%s/%.300s", roots[k], names[i]);
		}
		host_names_free(names, n);
	}
	return found ? 0 : -ENOENT;
}

static int read_repo(dnf_cache *c, const host *h, const repo *rp, long main_expire)
{
	char dir[512], path[800], primary[900], updateinfo[900];
	char *repomd = NULL;
	size_t len;
	int64_t mtime = 0;

	if (find_cache(h, rp->id, dir, sizeof dir, &mtime) < 0) {
		dnf_fail(c, "no cached metadata for the enabled repository %s in /var/cache/dnf (run "
			 "`dnf makecache`)",
			 rp->id);
		return -ENOENT;
	}
	long expire = rp->expire ? rp->expire : main_expire;
	if (expire >= 0 && h->now - mtime > expire) {
		dnf_fail(c,
			 "the cached metadata of %s (%s/repodata/repomd.xml) is %lld hours old, "
			 "older than its metadata_expire (%ld s): dnf would refresh it before "
			 "answering",
			 rp->id, dir, (long long)(h->now - mtime) / 3600, expire);
		return -ESTALE;
	}
	if (!c->oldest_repomd || mtime < c->oldest_repomd)
		c->oldest_repomd = mtime;
	snprintf(path, sizeof path, "%s/repodata/repomd.xml", dir);
	int r = host_read_file(h, path, 1 << 20, &repomd, &len);
	if (r < 0) {
		dnf_fail(c, "cannot read %s: %s", path, strerror(-r));
		return r;
	}
	bool has_primary = repomd_file(repomd, dir, "primary", primary, sizeof primary);
	bool has_updateinfo = repomd_file(repomd, dir, "updateinfo", updateinfo, sizeof updateinfo);
	free(repomd);
	if (!has_primary) {
		dnf_fail(c, "%s names no primary metadata", path);
		return -EBADMSG;
	}
	if (unsupported_compression(primary)) {
		dnf_fail(c, "%s: zchunk, zstd and bzip2 metadata are not read (gzip and xz are)",
			 primary);
		return -ENOTSUP;
	}
	if ((r = each_element(c, h, primary, "package", on_package, NULL)) < 0) {
		dnf_fail(c, "cannot read %s: %s", primary, strerror(-r));
		return r;
	}
	c->primaries_xml++;
	if (has_updateinfo && !unsupported_compression(updateinfo) && host_exists(h, updateinfo)) {
		if ((r = each_element(c, h, updateinfo, "update", on_update, NULL)) < 0) {
			dnf_fail(c, "cannot read %s: %s", updateinfo,
				 strerror(-r));
			return r;
		}
		c->updateinfos++;
	}
	conf_append(c->repo_names, sizeof c->repo_names, "%s", rp->id);
	return 0;
}

int dnf_read_repos(dnf_cache *c, const host *h)
{
	repo_list *l = calloc(1, sizeof *l);
	int r = 0;

	if (!l)
		return -ENOMEM;
	read_repo_files(h, l);
	for (size_t i = 0; i < l->n && r == 0; i++) {
		if (!l->r[i].enabled)
			continue;
		r = read_repo(c, h, &l->r[i], l->main_expire);
		c->repos += r == 0;
	}
	if (r == 0 && c->repos == 0) {
		dnf_fail(c, "no enabled repository in /etc/yum.repos.d");
		r = -ENOENT;
	}
	free(l);
	return r;
}

void dnf_cache_pending(const dnf_cache *c, bool only_security, fact_list *out)
{
	char buf[400];

	for (size_t i = 0; i < c->count; i++) {
		const rpm_pkg *p = &c->pkgs[i];
		if (p->shadowed || !p->cand_ver || (only_security && !p->security))
			continue;
		snprintf(buf, sizeof buf, "%s.%s", p->name, p->arch);
		fact_list_push(out, buf);
	}
	fact_list_sort(out);
}
