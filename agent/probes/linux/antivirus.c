/* SPDX-License-Identifier: Apache-2.0 */
/* Antivirus on Linux (checklist article 5): which product is installed,
 * whether its scanner runs, how old its signatures are and whether its
 * updater is active. Products are recognised from data (avproducts.h);
 * ClamAV's signature age comes from its database header. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostaudit/config.h"
#include "hostaudit/facts.h"
#include "hostaudit/probe.h"

#include "avproducts.h"
#include "linuxconf.h"
#include "pkgstatus.h"
#include "probeutil.h"

#ifndef HOSTAUDIT_DATADIR
#define HOSTAUDIT_DATADIR "/usr/share/hostaudit"
#endif

static void strv_free(strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static int strv_push(strv *s, const char *x)
{
	char **nv = realloc(s->v, (s->n + 1) * sizeof *nv);
	if (!nv)
		return -1;
	s->v = nv;
	if (!(nv[s->n] = strdup(x)))
		return -1;
	s->n++;
	return 0;
}

static bool strv_has(const strv *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return true;
	return false;
}

static void product_free(av_product *p)
{
	free(p->id);
	free(p->name);
	free(p->clamav_database);
	strv *lists[] = {&p->packages, &p->binaries, &p->processes, &p->units,
			 &p->updater_processes, &p->updater_units, &p->signature_files};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		strv_free(lists[i]);
	memset(p, 0, sizeof *p);
}

void av_products_free(av_products *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		product_free(&ps->p[i]);
	free(ps->p);
	ps->p = NULL;
	ps->n = 0;
}

static int load_list(yamlfile *yf, yaml_node_t *map, const char *key, strv *out, diag *d)
{
	yaml_node_t *seq = yaml_get(yf, map, key), *item;

	if (!seq)
		return 0;
	if (yaml_want_seq(yf, seq, key, d) < 0)
		return -1;
	YAML_SEQ_EACH(yf, seq, item) {
		const char *s;
		if (yaml_want_string(yf, item, key, &s, d) < 0)
			return -1;
		if (strv_push(out, s) < 0)
			return yaml_error(yf, item, d, "out of memory");
	}
	return 0;
}

static int load_string(yamlfile *yf, yaml_node_t *map, const char *key, bool required,
		       char **out, diag *d)
{
	yaml_node_t *n = yaml_get(yf, map, key);
	const char *s;

	if (!n) {
		if (required)
			return yaml_error(yf, map, d, "product without '%s'", key);
		return 0;
	}
	if (yaml_want_string(yf, n, key, &s, d) < 0)
		return -1;
	if (!(*out = strdup(s)))
		return yaml_error(yf, n, d, "out of memory");
	return 0;
}

static int load_product(yamlfile *yf, yaml_node_t *m, av_product *p, diag *d)
{
	static const char *const keys[] = {"id", "name", "vendor", "packages", "binaries",
					   "processes", "units", "updater_processes",
					   "updater_units", "clamav_database", "signature_files",
					   "notes", NULL};
	if (yaml_want_map(yf, m, "product", d) < 0 ||
	    yaml_check_keys(yf, m, keys, "product", d) < 0 ||
	    load_string(yf, m, "id", true, &p->id, d) < 0 ||
	    load_string(yf, m, "name", true, &p->name, d) < 0 ||
	    load_string(yf, m, "clamav_database", false, &p->clamav_database, d) < 0 ||
	    load_list(yf, m, "packages", &p->packages, d) < 0 ||
	    load_list(yf, m, "binaries", &p->binaries, d) < 0 ||
	    load_list(yf, m, "processes", &p->processes, d) < 0 ||
	    load_list(yf, m, "units", &p->units, d) < 0 ||
	    load_list(yf, m, "updater_processes", &p->updater_processes, d) < 0 ||
	    load_list(yf, m, "updater_units", &p->updater_units, d) < 0 ||
	    load_list(yf, m, "signature_files", &p->signature_files, d) < 0)
		return -1;
	if (!p->packages.n && !p->binaries.n)
		return yaml_error(yf, m, d, "product '%s' needs packages: or binaries: to be "
				  "recognised", p->id);
	return 0;
}

int av_products_load(av_products *ps, const char *path, bool strict_perms, diag *d)
{
	static const char *const top[] = {"schema", "products", NULL};
	yamlfile yf = {0};
	yaml_node_t *root, *seq, *item;
	const char *schema;
	int rc = -1;

	if (yamlfile_load(&yf, path, strict_perms, d) < 0)
		return -1;
	root = yamlfile_root(&yf);
	if (!root || yaml_check_schema(&yf, root, AVPRODUCTS_SCHEMA, "antivirus products file",
				       d) < 0 ||
	    yaml_check_keys(&yf, root, top, "antivirus products file", d) < 0)
		goto out;
	yaml_node_t *sn = yaml_get(&yf, root, "schema");
	if (!sn || yaml_want_string(&yf, sn, "schema", &schema, d) < 0 ||
	    strcmp(schema, AVPRODUCTS_SCHEMA) != 0) {
		yaml_error(&yf, sn ? sn : root, d, "schema must be %s", AVPRODUCTS_SCHEMA);
		goto out;
	}
	seq = yaml_get(&yf, root, "products");
	if (!seq || yaml_want_seq(&yf, seq, "products", d) < 0) {
		if (!seq)
			yaml_error(&yf, root, d, "no products:");
		goto out;
	}
	YAML_SEQ_EACH(&yf, seq, item) {
		av_product p = {0};
		if (load_product(&yf, item, &p, d) < 0) {
			product_free(&p);
			goto out;
		}
		size_t k;
		for (k = 0; k < ps->n && strcmp(ps->p[k].id, p.id) != 0; k++)
			;
		if (k < ps->n) {
			product_free(&ps->p[k]); /* a site definition replaces ours */
			ps->p[k] = p;
			continue;
		}
		av_product *np = realloc(ps->p, (ps->n + 1) * sizeof *np);
		if (!np) {
			product_free(&p);
			yaml_error(&yf, item, d, "out of memory");
			goto out;
		}
		ps->p = np;
		ps->p[ps->n++] = p;
	}
	rc = 0;
out:
	yamlfile_free(&yf);
	return rc;
}

static int month_of(const char *m)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; i < 12; i++)
		if (strncmp(m, names + 3 * i, 3) == 0)
			return i + 1;
	return 0;
}

int clamav_header_parse(const char *head, size_t len, int64_t *built, long *version)
{
	char buf[513], *fields[9] = {0};
	size_t n = len < 512 ? len : 512, nf = 0;

	memcpy(buf, head, n);
	buf[n] = '\0';
	if (strncmp(buf, "ClamAV-VDB:", 11) != 0)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	for (char *p = buf, *save = NULL; nf < 9 && (p = strtok_r(nf ? NULL : p, ":", &save));)
		fields[nf++] = p;
	if (nf < 5)
		return -1;
	*version = strtol(fields[2], NULL, 10);
	if (nf >= 9) {
		char *end;
		long long s = strtoll(fields[8], &end, 10);
		if (end != fields[8] && s > 0) {
			*built = s;
			return 0;
		}
	}
	/* "26 Nov 2026 06-12 +0000": no colons, as ':' separates fields. */
	int d, y, hh, mm, off;
	char mon[4];
	if (sscanf(fields[1], "%d %3s %d %d-%d %d", &d, mon, &y, &hh, &mm, &off) != 6 ||
	    !month_of(mon))
		return -1;
	int sign = off < 0 ? -1 : 1;
	off *= sign;
	*built = civil_to_epoch(y, month_of(mon), d, hh, mm, 0) -
		 sign * ((off / 100) * 3600 + (off % 100) * 60);
	return 0;
}

/* The newest of daily.cld / daily.cvd (freshclam keeps one of them). */
static int clamav_signatures(const host *h, const char *dbdir, int64_t *built, char *ev,
			     size_t evsize)
{
	static const char *const files[] = {"daily.cld", "daily.cvd", "main.cld", "main.cvd", NULL};
	int found = 0, present = 0;

	for (size_t i = 0; files[i]; i++) {
		char path[512], head[512];
		snprintf(path, sizeof path, "%.400s/%s", dbdir, files[i]);
		FILE *f = host_fopen(h, path);
		if (!f)
			continue;
		present++;
		size_t n = fread(head, 1, sizeof head, f);
		fclose(f);
		int64_t t;
		long ver;
		if (clamav_header_parse(head, n, &t, &ver) < 0)
			continue;
		if (!found || t > *built) {
			*built = t;
			fact_buf_set(ev, evsize, "header of %s (version %ld)", path, ver);
			found = 1;
		}
	}
	if (!found && !present) {
		/* Nothing for clamd to load: a known state, and the oldest one. */
		*built = 0;
		fact_buf_set(ev, evsize, "no signature database in %s (no daily or main .cvd/.cld)",
			 dbdir);
		return 0;
	}
	return found ? 0 : -ENOENT;
}

/* Every /proc/<pid>/comm, once. */
static int read_comms(const host *h, strv *out)
{
	char **ents = NULL;
	size_t n = 0;
	int r = host_list_dir(h, "/proc", &ents, &n);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		char path[64], *comm = NULL;
		size_t len = 0;
		if (ents[i][0] < '0' || ents[i][0] > '9' || strlen(ents[i]) > 20)
			continue;
		snprintf(path, sizeof path, "/proc/%s/comm", ents[i]);
		if (host_read_file(h, path, 256, &comm, &len) < 0)
			continue;
		comm[strcspn(comm, "\n")] = '\0';
		if (comm[0] && !strv_has(out, comm))
			strv_push(out, comm);
		free(comm);
	}
	host_names_free(ents, n);
	return 0;
}

/* comm is the first 15 bytes of the program name. */
static const char *running(const strv *comms, const strv *names)
{
	for (size_t i = 0; i < names->n; i++)
		for (size_t k = 0; k < comms->n; k++)
			if (strncmp(comms->v[k], names->v[i], 15) == 0)
				return names->v[i];
	return NULL;
}

/* A package counts when dpkg says "installed": one removed but not
 * purged keeps its .list and its status stanza ("config-files"). */
static const char *installed(const host *h, const pkg_db *db, const av_product *p, char *ev,
			     size_t evsize)
{
	char pkg_ev[300];

	for (size_t i = 0; i < p->packages.n; i++) {
		if (pkg_db_find(db, p->packages.v[i], pkg_ev, sizeof pkg_ev, NULL, 0) == 1) {
			snprintf(ev, evsize, "%s", pkg_ev);
			return p->packages.v[i];
		}
	}
	for (size_t i = 0; i < p->binaries.n; i++) {
		if (host_exists(h, p->binaries.v[i])) {
			snprintf(ev, evsize, "%s", p->binaries.v[i]);
			return p->binaries.v[i];
		}
	}
	return NULL;
}

typedef struct av_seen {
	const av_product *p;
	char found[320];
	const char *proc;
	bool active;
	int updater;          /* 1, 0, -1 unknown */
	char updater_ev[640];
	bool sig_known;
	int64_t sig_time;
	char sig_ev[600];
} av_seen;

static void observe(const host *h, const av_product *p, const strv *comms, av_seen *s)
{
	char where[512];

	s->p = p;
	s->proc = running(comms, &p->processes);
	s->active = s->proc != NULL;
	s->updater = -1;
	const char *up = running(comms, &p->updater_processes);
	if (up) {
		s->updater = 1;
		fact_buf_set(s->updater_ev, sizeof s->updater_ev, "%s: process %s running", p->name,
			     up);
	} else {
		char why[640] = "";
		for (size_t i = 0; i < p->updater_units.n && s->updater != 1; i++) {
			if (conf_unit_enabled(h, p->updater_units.v[i], where, sizeof where) == 1) {
				s->updater = 1;
				fact_buf_set(s->updater_ev, sizeof s->updater_ev, "%s: %s enabled (%s)",
					     p->name, p->updater_units.v[i], where);
			} else {
				conf_append(why, sizeof why, "%s", where);
			}
		}
		if (s->updater != 1 && (p->updater_processes.n || p->updater_units.n)) {
			s->updater = 0;
			if (why[0])
				fact_buf_set(s->updater_ev, sizeof s->updater_ev,
					     "%s: no updater process running and no updater unit "
					     "enabled: %s",
					     p->name, why);
			else
				fact_buf_set(s->updater_ev, sizeof s->updater_ev,
					     "%s: no updater process running and no updater unit "
					     "enabled",
					     p->name);
		}
	}
	if (p->clamav_database) {
		s->sig_known = clamav_signatures(h, p->clamav_database, &s->sig_time, s->sig_ev,
						 sizeof s->sig_ev) == 0;
	}
	for (size_t i = 0; i < p->signature_files.n; i++) {
		int64_t t;
		char match[512];
		size_t nm;
		if (newest_glob(h, p->signature_files.v[i], &t, match, sizeof match, &nm) == 0 &&
		    (!s->sig_known || t > s->sig_time)) {
			s->sig_known = true;
			s->sig_time = t;
			fact_buf_set(s->sig_ev, sizeof s->sig_ev, "modification time of %s", match);
		}
	}
}

static int load_products(const struct config *cfg, av_products *ps, char *err, size_t size)
{
	diag d;
	const char *builtin = HOSTAUDIT_DATADIR "/antivirus-products.yaml";

	if (!cfg || !cfg->antivirus.no_builtin) {
		if (access(builtin, R_OK) != 0) {
#ifdef HOSTAUDIT_SOURCE_DATADIR
			builtin = HOSTAUDIT_SOURCE_DATADIR "/antivirus-products.yaml";
#endif
		}
		if (av_products_load(ps, builtin, false, &d) < 0) {
			snprintf(err, size, "%s", d.msg);
			return -1;
		}
	}
	for (size_t i = 0; cfg && i < cfg->antivirus.product_file_count; i++) {
		if (av_products_load(ps, cfg->antivirus.product_files[i], true, &d) < 0) {
			snprintf(err, size, "%s", d.msg);
			return -1;
		}
	}
	return 0;
}

static void record(fact_set *fs, av_seen *seen, size_t n, size_t defined)
{
	fact_list names = {0};
	char ev[1024] = "";

	for (size_t i = 0; i < n; i++) {
		fact_list_push(&names, seen[i].p->name);
		conf_append(ev, sizeof ev, "%s: %s", seen[i].p->name, seen[i].found);
	}
	if (n == 0) {
		fact_set_list(fs, "antivirus.products", &names,
			      "none of %zu known products found (packages installed per "
			      "/var/lib/dpkg/status or the rpm database, binaries)", defined);
		fact_set_bool(fs, "antivirus.active", false, "no antivirus product installed");
		fact_set_not_applicable(fs, "antivirus.signatures_updated",
					"no antivirus product installed");
		fact_set_not_applicable(fs, "antivirus.updater_active",
					"no antivirus product installed");
		return;
	}
	fact_set_list(fs, "antivirus.products", &names, "%s", ev);

	const av_seen *act = NULL;
	for (size_t i = 0; i < n && !act; i++)
		if (seen[i].active)
			act = &seen[i];
	if (act)
		fact_set_bool(fs, "antivirus.active", true, "%s: process %s running (/proc)",
			      act->p->name, act->proc);
	else
		fact_set_bool(fs, "antivirus.active", false,
			      "no scanner process of %s running (/proc/*/comm)", seen[0].p->name);

	/* The signatures that matter are those of a running scanner. */
	const av_seen *sig = NULL;
	for (int pass = 0; pass < 2 && !sig; pass++)
		for (size_t i = 0; i < n; i++)
			if (seen[i].sig_known && (pass || seen[i].active) &&
			    (!sig || seen[i].sig_time > sig->sig_time))
				sig = &seen[i];
	if (sig)
		fact_set_time(fs, "antivirus.signatures_updated", sig->sig_time, "%s: %s",
			      sig->p->name, sig->sig_ev);
	else
		fact_set_unknown(fs, "antivirus.signatures_updated",
				 "no signature database of %s could be read", seen[0].p->name);

	const av_seen *up = NULL;
	for (size_t i = 0; i < n; i++)
		if (seen[i].updater == 1 || (!up && seen[i].updater == 0))
			up = &seen[i];
	if (up)
		fact_set_bool(fs, "antivirus.updater_active", up->updater == 1, "%s", up->updater_ev);
	else
		fact_set_unknown(fs, "antivirus.updater_active",
				 "the product definition of %s names no updater", seen[0].p->name);
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	av_products ps = {0};
	strv comms = {0};
	char err[1100];

	if (load_products(cfg, &ps, err, sizeof err) < 0) {
		fact_set_unset_prefix(fs, "antivirus.", FACT_ERROR,
				      "antivirus product definitions: %s", err);
		av_products_free(&ps);
		return 0;
	}
	int pr = read_comms(h, &comms);
	av_seen *seen = calloc(ps.n ? ps.n : 1, sizeof *seen);
	size_t n = 0;
	if (!seen) {
		av_products_free(&ps);
		strv_free(&comms);
		return -1;
	}
	pkg_db db;
	pkg_db_open(&db, h); /* no package database: binaries only */
	for (size_t i = 0; i < ps.n; i++) {
		if (!installed(h, &db, &ps.p[i], seen[n].found, sizeof seen[n].found))
			continue;
		observe(h, &ps.p[i], &comms, &seen[n]);
		n++;
	}
	pkg_db_close(&db);
	record(fs, seen, n, ps.n);
	if (pr < 0 && n > 0)
		fact_set_unknown(fs, "antivirus.active", "cannot list /proc: %s", strerror(-pr));
	free(seen);
	strv_free(&comms);
	av_products_free(&ps);
	return 0;
}

const probe probe_antivirus = {"antivirus", "antivirus.", run};
