/* SPDX-License-Identifier: Apache-2.0 */
/* A package's state in dpkg's database; see pkgstatus.h. */
#define _GNU_SOURCE /* memrchr */
#include "pkgstatus.h"

#include "hostaudit/facts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnfcache.h"
#include "util.h"
#include "zreader.h"

#define DPKG_STATUS "/var/lib/dpkg/status"

/* "Status: want flag state": only the state "installed" has the files of
 * the package on disk and configured ("triggers-awaited" and
 * "triggers-pending" too: configured, a trigger still to run). */
static bool state_installed(const char *st, size_t n)
{
	const char *sp = memrchr(st, ' ', n);
	const char *state = sp ? sp + 1 : st;
	size_t sl = (size_t)(st + n - state);
	static const char *const ok[] = {"installed", "triggers-awaited", "triggers-pending", NULL};

	for (size_t i = 0; ok[i]; i++)
		if (sl == strlen(ok[i]) && !memcmp(state, ok[i], sl))
			return true;
	return false;
}

int dpkg_package_installed(const host *h, const char *pkg, char *ev, size_t evsize,
			   char *version, size_t vsize)
{
	stanza_reader sr;
	const char *st, *v;
	size_t len, vl;
	int r, found = 0;
	char status[96] = "";

	if (ev && evsize)
		ev[0] = '\0';
	if (version && vsize)
		version[0] = '\0';
	if ((r = stanza_open(&sr, h, DPKG_STATUS)) < 0)
		return r;
	while ((r = stanza_next(&sr, &st, &len)) > 0) {
		if (!stanza_field(st, len, "Package", &v, &vl) || vl != strlen(pkg) ||
		    memcmp(v, pkg, vl))
			continue;
		if (!stanza_field(st, len, "Status", &v, &vl))
			continue;
		snprintf(status, sizeof status, "%.*s", (int)(vl < 90 ? vl : 90), v);
		if (!state_installed(v, vl))
			continue; /* another architecture may be installed */
		found = 1;
		if (version && vsize && stanza_field(st, len, "Version", &v, &vl))
			snprintf(version, vsize, "%.*s", (int)(vl < vsize ? vl : vsize - 1), v);
		break;
	}
	stanza_close(&sr);
	if (r < 0)
		return r;
	if (ev && evsize) {
		if (found)
			fact_buf_set(ev, evsize, "package %s \"%s\" in /var/lib/dpkg/status", pkg,
				     status);
		else if (status[0])
			fact_buf_set(ev, evsize,
				     "package %s is \"%s\" in /var/lib/dpkg/status, not installed", pkg,
				     status);
		else
			fact_buf_set(ev, evsize, "package %s is not in /var/lib/dpkg/status", pkg);
	}
	return found;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const pkg_entry *)a)->name, ((const pkg_entry *)b)->name);
}

static void db_push(pkg_db *db, const char *name, size_t nl, const char *ver, size_t vl)
{
	db->pkgs = xrealloc(db->pkgs, (db->n + 1) * sizeof *db->pkgs);
	db->pkgs[db->n].name = xstrndup(name, nl);
	db->pkgs[db->n].ver = xstrndup(ver, vl);
	db->n++;
}

static void read_dpkg(pkg_db *db, const host *h)
{
	stanza_reader sr;
	const char *st, *name, *status, *ver;
	size_t len, nl, sl, vl;
	int r;

	db->source = DPKG_STATUS;
	if ((r = stanza_open(&sr, h, DPKG_STATUS)) < 0) {
		db->err = r;
		return;
	}
	while ((r = stanza_next(&sr, &st, &len)) > 0) {
		if (!stanza_field(st, len, "Package", &name, &nl) ||
		    !stanza_field(st, len, "Status", &status, &sl) || !state_installed(status, sl))
			continue;
		if (!stanza_field(st, len, "Version", &ver, &vl)) {
			ver = "";
			vl = 0;
		}
		db_push(db, name, nl, ver, vl);
	}
	stanza_close(&sr);
	db->err = r < 0 ? r : 0;
}

static void read_rpm(pkg_db *db, const host *h)
{
	dnf_cache c = {0};
	if (dnf_read_rpmdb(&c, h) < 0) {
		db->err = -ENOENT;
		dnf_cache_free(&c);
		return;
	}
	for (size_t i = 0; i < c.count; i++) {
		char ver[256];
		snprintf(ver, sizeof ver, "%.120s-%.120s", c.pkgs[i].ver ? c.pkgs[i].ver : "",
			 c.pkgs[i].rel ? c.pkgs[i].rel : "");
		db_push(db, c.pkgs[i].name, strlen(c.pkgs[i].name), ver, strlen(ver));
	}
	db->source = c.rpmdb; /* a string literal of dnfcache.c */
	db->err = 0;
	dnf_cache_free(&c);
}

void pkg_db_open(pkg_db *db, const host *h)
{
	memset(db, 0, sizeof *db);
	if (host_exists(h, DPKG_STATUS))
		read_dpkg(db, h);
	else
		read_rpm(db, h);
	if (db->n)
		qsort(db->pkgs, db->n, sizeof *db->pkgs, entry_cmp);
}

int pkg_db_find(const pkg_db *db, const char *pkg, char *ev, size_t evsize, char *ver,
		size_t vsize)
{
	if (db->err)
		return db->err;
	pkg_entry key = {.name = (char *)pkg};
	const pkg_entry *e = db->n ? bsearch(&key, db->pkgs, db->n, sizeof *db->pkgs, entry_cmp)
				   : NULL;
	if (e && ev && evsize)
		fact_buf_set(ev, evsize, "package %s %s installed (%s)", pkg, e->ver, db->source);
	else if (ev && evsize)
		fact_buf_set(ev, evsize, "package %s not installed (%s)", pkg, db->source);
	if (e && ver && vsize)
		snprintf(ver, vsize, "%s", e->ver);
	return e != NULL;
}

void pkg_db_close(pkg_db *db)
{
	for (size_t i = 0; i < db->n; i++) {
		free(db->pkgs[i].name);
		free(db->pkgs[i].ver);
	}
	free(db->pkgs);
	memset(db, 0, sizeof *db);
}
