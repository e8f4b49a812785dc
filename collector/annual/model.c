/* SPDX-License-Identifier: Apache-2.0 */
/* The annual report's model (model.h): the passes over the store. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "i18n.h"
#include "model.h"
#include "hostaudit/platform.h"
#include "hostaudit/report.h"

/* ---- hosts ---- */

static am_host *host_push(annual_model *m, size_t *cap)
{
	if (m->nhosts == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		am_host *n = realloc(m->hosts, *cap * sizeof *n);
		if (!n)
			return NULL;
		m->hosts = n;
	}
	am_host *h = &m->hosts[m->nhosts++];
	memset(h, 0, sizeof *h);
	return h;
}

typedef struct gather {
	annual_model *m;
	size_t cap;
	bool failed;
} gather;

static int on_host(void *x, const store_host *sh)
{
	gather *g = x;
	am_host *h = host_push(g->m, &g->cap);
	if (!h || !(h->name = strdup(sh->name)))
		return 1;
	h->id = sh->id;
	h->enrolled = sh->token_sha256 != NULL;
	return 0;
}

static int on_inventory(void *x, const char *name, const char *attributes)
{
	gather *g = x;
	am_host *h = host_push(g->m, &g->cap);
	if (!h || !(h->name = strdup(name)) || !(h->attributes = strdup(attributes)))
		return 1;
	h->in_inventory = true;
	return 0;
}

static int cmp_host(const void *a, const void *b)
{
	const am_host *x = a, *y = b;
	int c = strcasecmp(x->name, y->name);
	/* the enrolled row first: the inventory's row merges into it */
	return c ? c : (x->id == 0) - (y->id == 0);
}

char *am_attr(const am_host *h, const char *column)
{
	json_t *o = h->attributes ? json_loads(h->attributes, 0, NULL) : NULL;
	json_t *v = json_object_get(o, column);
	char *r = NULL;
	if (json_is_string(v))
		r = strdup(json_string_value(v));
	else if (v && !json_is_null(v))
		r = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(o);
	return r ? r : strdup("");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The inventory's columns, for the host appendix. */
static int add_columns(annual_model *m, const char *attributes)
{
	json_t *o = json_loads(attributes, 0, NULL);
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		bool have = false;
		for (size_t i = 0; i < m->ncolumns && !have; i++)
			have = strcmp(m->columns[i], k) == 0;
		if (have)
			continue;
		char **n = realloc(m->columns, (m->ncolumns + 1) * sizeof *n);
		if (!n || !(n[m->ncolumns] = strdup(k))) {
			json_decref(o);
			return -1;
		}
		m->columns = n;
		m->ncolumns++;
	}
	json_decref(o);
	return 0;
}

static int cmp_id(const void *a, const void *b, void *hosts)
{
	const am_host *h = hosts;
	int64_t x = h[*(const size_t *)a].id, y = h[*(const size_t *)b].id;
	return x < y ? -1 : x > y;
}

/* Hosts ∪ inventory by name (any case), --department applied. */
static int load_hosts(annual_model *m, store *s, char *err, size_t err_size)
{
	gather g = {.m = m};
	if (store_each_host(s, m->o->org_id, on_host, &g, err, err_size) != 0 ||
	    store_each_inventory(s, m->o->org_id, on_inventory, &g, err, err_size) != 0) {
		if (!err[0])
			snprintf(err, err_size, _("out of memory"));
		return -1;
	}
	if (m->nhosts)
		qsort(m->hosts, m->nhosts, sizeof *m->hosts, cmp_host);
	size_t w = 0;
	for (size_t r = 0; r < m->nhosts; r++) {
		am_host *h = &m->hosts[r];
		if (w && strcasecmp(m->hosts[w - 1].name, h->name) == 0) {
			am_host *into = &m->hosts[w - 1];
			into->in_inventory |= h->in_inventory;
			if (!into->attributes) {
				into->attributes = h->attributes;
				h->attributes = NULL;
			}
			free(h->name);
			free(h->attributes);
			continue;
		}
		m->hosts[w++] = *h;
	}
	m->nhosts = w;
	const char *dept = m->o->department;
	w = 0;
	for (size_t r = 0; r < m->nhosts; r++) {
		am_host *h = &m->hosts[r];
		bool keep = true;
		if (dept) {
			char *d = am_attr(h, "department");
			keep = d && strcmp(d, dept) == 0;
			free(d);
		}
		if (!keep) {
			free(h->name);
			free(h->attributes);
			continue;
		}
		if (h->attributes && add_columns(m, h->attributes) != 0) {
			snprintf(err, err_size, _("out of memory"));
			return -1;
		}
		m->hosts[w++] = *h;
	}
	m->nhosts = w;
	if (m->ncolumns)
		qsort(m->columns, m->ncolumns, sizeof *m->columns, cmp_str);
	m->by_id = malloc((m->nhosts + 1) * sizeof *m->by_id);
	if (!m->by_id) {
		snprintf(err, err_size, _("out of memory"));
		return -1;
	}
	for (size_t i = 0; i < m->nhosts; i++)
		if (m->hosts[i].id)
			m->by_id[m->nby_id++] = i;
	qsort_r(m->by_id, m->nby_id, sizeof *m->by_id, cmp_id, m->hosts);
	return 0;
}

static am_host *host_by_id(annual_model *m, int64_t id, size_t *index)
{
	static __thread size_t hint; /* rows come host by host */
	if (hint < m->nby_id && m->hosts[m->by_id[hint]].id == id) {
		if (index)
			*index = m->by_id[hint];
		return &m->hosts[m->by_id[hint]];
	}
	size_t lo = 0, hi = m->nby_id;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int64_t v = m->hosts[m->by_id[mid]].id;
		if (v == id) {
			hint = mid;
			if (index)
				*index = m->by_id[mid];
			return &m->hosts[m->by_id[mid]];
		}
		if (v < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- rule metadata: the rule packs the collector can read ---- */

static int load_packs(annual_model *m, char *err, size_t err_size)
{
	const char *dir = m->o->rules_dir ? m->o->rules_dir
					  : platform_default_path(PLATFORM_RULES_DIR);
	DIR *d = opendir(dir);
	if (!d) {
		if (m->o->rules_dir) { /* asked for: must be there */
			snprintf(err, err_size, "%s: %s", dir, strerror(errno));
			return -1;
		}
		return 0; /* rules by id only; docs/annual.md */
	}
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		char **nn = realloc(names, (n + 1) * sizeof *nn);
		if (!nn)
			break;
		names = nn;
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	int rc = 0;
	m->loaded = calloc(n + 1, sizeof *m->loaded);
	for (size_t i = 0; i < n; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		diag dg = {{0}};
		pack *p = rc == 0 && m->loaded ? pack_load(path, false, &dg) : NULL;
		if (!p && rc == 0) {
			snprintf(err, err_size, "%s", dg.msg[0] ? dg.msg : _("out of memory"));
			rc = -1;
		}
		if (p)
			m->loaded[m->nloaded++] = p;
		free(names[i]);
	}
	free(names);
	/* checklist columns: the packs read, in file order */
	for (size_t i = 0; rc == 0 && i < m->nloaded && m->npacks < AM_PACKS; i++) {
		m->pack_meta[m->npacks] = m->loaded[i];
		m->packs[m->npacks++] = strdup(m->loaded[i]->id);
	}
	return rc;
}

static int pack_index(annual_model *m, const char *name, size_t len)
{
	for (size_t i = 0; i < m->npacks; i++)
		if (strlen(m->packs[i]) == len && memcmp(m->packs[i], name, len) == 0)
			return (int)i;
	if (m->npacks == AM_PACKS)
		return -1;
	m->packs[m->npacks] = strndup(name, len);
	return (int)m->npacks++;
}

/* ---- rules ---- */

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static int rehash(annual_model *m)
{
	size_t ns = m->nslots ? m->nslots * 2 : 256;
	size_t *sl = calloc(ns, sizeof *sl);
	if (!sl)
		return -1;
	for (size_t i = 0; i < m->nrules; i++) {
		size_t h = hash_str(m->rules[i].name) & (ns - 1);
		while (sl[h])
			h = (h + 1) & (ns - 1);
		sl[h] = i + 1;
	}
	free(m->slots);
	m->slots = sl;
	m->nslots = ns;
	return 0;
}

/* The rule's index, added when new; SIZE_MAX when out of memory. */
static size_t rule_index(annual_model *m, const char *name)
{
	if (m->nrules * 2 >= m->nslots && rehash(m) != 0)
		return SIZE_MAX;
	size_t h = hash_str(name) & (m->nslots - 1);
	while (m->slots[h]) {
		if (strcmp(m->rules[m->slots[h] - 1].name, name) == 0)
			return m->slots[h] - 1;
		h = (h + 1) & (m->nslots - 1);
	}
	if (m->nrules == m->rcap) {
		size_t nc = m->rcap ? m->rcap * 2 : 128;
		am_rule *n = realloc(m->rules, nc * sizeof *n);
		if (!n)
			return SIZE_MAX;
		m->rules = n;
		m->rcap = nc;
	}
	am_rule *r = &m->rules[m->nrules];
	memset(r, 0, sizeof *r);
	if (!(r->name = strdup(name)))
		return SIZE_MAX;
	const char *colon = strchr(name, ':');
	r->pack = colon ? pack_index(m, name, (size_t)(colon - name)) : -1;
	if (colon && r->pack >= 0 && m->pack_meta[r->pack])
		r->meta = pack_find_rule(m->pack_meta[r->pack], colon + 1);
	if (r->meta) { /* "{param}" as the agent writes it (docs/rules.md) */
		static const char *const langs[2] = {"en", "ja"};
		const text *why = os_text_get(&r->meta->rationale, "linux");
		for (int l = 0; l < 2; l++) {
			r->title[l] = report_expand_params(text_get(&r->meta->title, langs[l]),
							   r->meta->pack, langs[l]);
			r->why[l] = report_expand_params(why && why->en ? text_get(why, langs[l]) : "",
							 r->meta->pack, langs[l]);
		}
	}
	m->slots[h] = m->nrules + 1;
	return m->nrules++;
}

/* ---- pass 3: host_rule_years ---- */

static void top_insert(am_rule *r, size_t hi, int days, char last)
{
	int at = r->ntop;
	while (at > 0 && r->top[at - 1].days < days)
		at--;
	if (at >= AM_TOP)
		return;
	int end = r->ntop < AM_TOP ? r->ntop : AM_TOP - 1;
	memmove(&r->top[at + 1], &r->top[at], (size_t)(end - at) * sizeof r->top[0]);
	r->top[at] = (am_top){hi, days, last};
	if (r->ntop < AM_TOP)
		r->ntop++;
}

static int last_slot(char st)
{
	return st == 'p' ? 0 : st == 'f' ? 1 : st == 'u' || st == 'e' ? 2 : 3;
}

static int keep_host_rule(annual_model *m, size_t ri, int days, char last)
{
	if (m->nhost_rules == m->host_rules_cap) {
		size_t nc = m->host_rules_cap ? m->host_rules_cap * 2 : 1024;
		am_host_rule *v = realloc(m->host_rules, nc * sizeof *v);
		if (!v)
			return -1;
		m->host_rules = v;
		m->host_rules_cap = nc;
	}
	m->host_rules[m->nhost_rules++] =
		(am_host_rule){(uint32_t)m->cur, (uint32_t)ri, days, last};
	return 0;
}

/* The current host's rules, folded into the rules' figures; the failing
 * ones kept (am_each_host_rule). -1: out of memory. */
static int flush_host(annual_model *m)
{
	if (m->cur == SIZE_MAX)
		return 0;
	int rc = 0;
	am_host *h = &m->hosts[m->cur];
	for (size_t k = 0; k < m->ntouched; k++) {
		size_t ri = m->touched[k];
		am_rule *r = &m->rules[ri];
		int days = m->tmp_days[ri];
		char last = m->tmp_last[ri];
		r->hosts_seen++;
		r->last[last_slot(last)]++;
		if (days > 0) {
			r->hosts_failing++;
			r->fail_days += days;
			top_insert(r, m->cur, days, last);
			if (keep_host_rule(m, ri, days, last) != 0)
				rc = -1;
		}
		if (last == 'f') {
			h->rules_failing++;
			if (r->meta && r->meta->sev >= SEV_HIGH)
				h->severe_failing++;
		}
		m->tmp_days[ri] = 0;
		m->tmp_last[ri] = 0;
	}
	m->ntouched = 0;
	m->cur = SIZE_MAX;
	return rc;
}

static void cell_add(am_cell *c, const store_rule_year *ry, int mi)
{
	c->pass += (uint32_t)__builtin_popcount(ry->pass_days[mi]);
	c->fail += (uint32_t)__builtin_popcount(ry->fail_days[mi]);
	c->unknown |= ry->unknown_days[mi] != 0;
	c->na |= ry->na_days[mi] != 0;
}

static int on_rule_year(void *x, const store_rule_year *ry)
{
	annual_model *m = x;
	if (ry->host_id != m->cur_id) {
		if (flush_host(m) != 0)
			return 1;
		m->cur_id = ry->host_id;
		size_t idx;
		if (host_by_id(m, ry->host_id, &idx))
			m->cur = idx;
	}
	if (m->cur == SIZE_MAX)
		return 0; /* not one of the report's hosts (--department) */
	size_t ri = rule_index(m, ry->rule);
	if (ri == SIZE_MAX)
		return 1;
	if (m->nrules > m->tmp_cap) {
		size_t nc = m->rcap;
		int *d = realloc(m->tmp_days, nc * sizeof *d);
		if (d)
			m->tmp_days = d;
		char *l = d ? realloc(m->tmp_last, nc) : NULL;
		if (l)
			m->tmp_last = l;
		size_t *t = l ? realloc(m->touched, nc * sizeof *t) : NULL;
		if (!t)
			return 1;
		m->touched = t;
		memset(m->tmp_days + m->tmp_cap, 0, (nc - m->tmp_cap) * sizeof *d);
		memset(m->tmp_last + m->tmp_cap, 0, nc - m->tmp_cap);
		m->tmp_cap = nc;
	}
	if (!m->tmp_last[ri])
		m->touched[m->ntouched++] = ri;
	m->tmp_last[ri] = ry->last_state;
	am_host *h = &m->hosts[m->cur];
	int p = m->rules[ri].pack;
	for (int mi = 0; mi < 12; mi++) {
		if (!(ry->pass_days[mi] | ry->fail_days[mi] | ry->unknown_days[mi] |
		      ry->na_days[mi]))
			continue;
		m->tmp_days[ri] += __builtin_popcount(ry->fail_days[mi]);
		if (p >= 0) {
			cell_add(&h->cell[p][mi], ry, mi);
			cell_add(&m->fleet[p][mi], ry, mi);
		}
		cell_add(&h->cell[AM_ALL][mi], ry, mi);
		cell_add(&m->fleet[AM_ALL][mi], ry, mi);
	}
	return 0;
}

static int scan_rule_years(annual_model *m, store *s, char *err, size_t err_size)
{
	m->cur = SIZE_MAX;
	m->cur_id = 0;
	int rc = store_each_rule_year(s, m->o->org_id, m->o->year, on_rule_year, m, err,
				      err_size);
	if (rc == 0 && flush_host(m) != 0)
		rc = 1;
	if (rc > 0)
		snprintf(err, err_size, _("out of memory"));
	return rc == 0 ? 0 : -1;
}

void am_each_host_rule(annual_model *m,
		       void (*cb)(void *, const am_host *, const am_rule *, int, char), void *ctx)
{
	for (size_t i = 0; i < m->nhost_rules; i++) {
		const am_host_rule *x = &m->host_rules[i];
		cb(ctx, &m->hosts[x->host], &m->rules[x->rule], x->days, x->last);
	}
}

/* ---- pass 2: the evidence list ---- */

typedef struct ev_ctx {
	annual_model *m;
	EVP_MD_CTX *md, *month_md; /* the list's; the current host-month's */
	am_host_month *cur;
	bool failed;
	char batch[1 << 16];   /* the list's lines, hashed a batch at a time */
	size_t nbatch;
	char month_batch[1 << 16]; /* the host-month's (one update per line
				    * was a tenth of the workbook's time) */
	size_t nmonth_batch;
} ev_ctx;

static void month_end(ev_ctx *c)
{
	if (!c->cur)
		return;
	unsigned int len;
	EVP_DigestUpdate(c->month_md, c->month_batch, c->nmonth_batch);
	c->nmonth_batch = 0;
	EVP_DigestFinal_ex(c->month_md, c->cur->sha256, &len);
	c->cur = NULL;
}

/* The host-month this line belongs to (rows come host by host, each
 * host's in time order: a host-month's lines are consecutive). */
static int month_add(ev_ctx *c, size_t hi, int month, int64_t at, const char *line,
		     size_t n)
{
	annual_model *m = c->m;
	if (!c->cur || c->cur->host != hi || c->cur->month != month) {
		month_end(c);
		if (m->nhost_months == m->host_months_cap) {
			size_t nc = m->host_months_cap ? m->host_months_cap * 2 : 1024;
			am_host_month *v = realloc(m->host_months, nc * sizeof *v);
			if (!v)
				return 1;
			m->host_months = v;
			m->host_months_cap = nc;
		}
		c->cur = &m->host_months[m->nhost_months++];
		*c->cur = (am_host_month){.host = hi, .month = month, .first = at};
		if (EVP_DigestInit_ex(c->month_md, EVP_sha256(), NULL) != 1)
			return 1;
	}
	c->cur->reports++;
	c->cur->last = at;
	if (c->nmonth_batch + n > sizeof c->month_batch) {
		if (EVP_DigestUpdate(c->month_md, c->month_batch, c->nmonth_batch) != 1)
			return 1;
		c->nmonth_batch = 0;
	}
	memcpy(c->month_batch + c->nmonth_batch, line, n);
	c->nmonth_batch += n;
	return 0;
}

static char *put(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

static int on_evidence(void *x, const store_evidence *e)
{
	ev_ctx *c = x;
	size_t hi;
	am_host *h = host_by_id(c->m, e->host_id, &hi);
	if (!h)
		return 0;
	char ft[21], line[600];
	am_time(e->finished_at, ft);
	int month = (ft[5] - '0') * 10 + ft[6] - '0';
	if (!c->m->deferred) { /* else counted before, by count_reports */
		if (!h->first)
			h->first = e->finished_at;
		h->last = e->finished_at;
		h->reports++;
		h->reported |= (uint16_t)(1u << (month - 1));
		c->m->evidence++;
	}
	/* "report_id,hostname,finished_at,sha256\n" (docs/annual.md) */
	if (strlen(e->report_id) + strlen(h->name) + strlen(e->body_sha256) > 500)
		return c->failed = true, 1; /* the store bounds all three */
	char *p = put(line, e->report_id);
	*p++ = ',';
	p = put(p, h->name);
	*p++ = ',';
	p = put(p, ft);
	*p++ = ',';
	p = put(p, e->body_sha256);
	*p++ = '\n';
	size_t n = (size_t)(p - line);
	if (c->nbatch + n > sizeof c->batch) {
		EVP_DigestUpdate(c->md, c->batch, c->nbatch);
		c->nbatch = 0;
	}
	memcpy(c->batch + c->nbatch, line, n);
	c->nbatch += n;
	c->m->listed++;
	if (c->m->want_months && month_add(c, hi, month, e->finished_at, line, n) != 0)
		return c->failed = true, 1;
	if (c->m->ev_row && c->m->ev_row(&c->m->spool, h, e) != 0)
		return c->failed = true, 1;
	return 0;
}

/* The evidence list read: its rows to the format's writer, its SHA-256
 * into m->ledger (and each host-month's, for the workbook). */
static int read_evidence(annual_model *m, store *s, char *err, size_t err_size)
{
	ev_ctx *c = calloc(1, sizeof *c); /* its batch: not on the stack */
	if (!c) {
		snprintf(err, err_size, _("out of memory"));
		return -1;
	}
	c->m = m;
	c->md = EVP_MD_CTX_new();
	c->month_md = EVP_MD_CTX_new();
	if (!c->md || !c->month_md || EVP_DigestInit_ex(c->md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c->md);
		EVP_MD_CTX_free(c->month_md);
		free(c);
		snprintf(err, err_size, _("out of memory"));
		return -1;
	}
	int rc = am_each_evidence_piped(s, m->o->org_id, m->from, m->to, on_evidence, c, err,
					err_size);
	month_end(c);
	EVP_DigestUpdate(c->md, c->batch, c->nbatch);
	unsigned char md[32];
	unsigned int len;
	EVP_DigestFinal_ex(c->md, md, &len);
	EVP_MD_CTX_free(c->md);
	EVP_MD_CTX_free(c->month_md);
	free(c);
	am_hex(md, m->ledger);
	if (rc != 0) {
		if (!err[0])
			snprintf(err, err_size, _("evidence list: %s"),
				 m->spool.f && ferror(m->spool.f) ? strerror(errno)
								  : _("out of memory"));
		return -1;
	}
	return 0;
}

static int on_host_reports(void *x, const store_host_reports *r)
{
	annual_model *m = x;
	am_host *h = host_by_id(m, r->host_id, NULL);
	if (!h)
		return 0; /* not one of the report's hosts (--department) */
	h->first = r->first;
	h->last = r->last;
	h->reports = r->reports;
	h->reported = r->months;
	m->evidence += r->reports;
	return 0;
}

/* The coverage without reading the list (html, json: the list is read
 * once, at its place in the file). */
static int count_reports(annual_model *m, store *s, char *err, size_t err_size)
{
	return store_each_host_reports(s, m->o->org_id, m->o->year, on_host_reports, m, err,
				       err_size) == 0 ? 0 : -1;
}

int am_ledger_mark(annual_model *m, FILE *f, size_t ahead)
{
	if (!m->deferred)
		return 0;
	off_t at = ftello(f);
	if (at < 0 || m->nledger_at == AM_LEDGER_MARKS)
		return -1;
	m->ledger_at[m->nledger_at++] = at + (off_t)ahead;
	return 0;
}

int am_evidence_read(annual_model *m, store *s, char *err, size_t err_size)
{
	m->listed = 0;
	if (read_evidence(m, s, err, err_size) != 0)
		return -1;
	/* the same reports as counted before the summary (one snapshot) */
	if (m->listed != m->evidence) {
		snprintf(err, err_size, _("evidence list: %ld reports listed, but %ld counted"),
			 m->listed, m->evidence);
		return -1;
	}
	return 0;
}

int am_evidence_write(annual_model *m, store *s, FILE *f, char *err, size_t err_size)
{
	m->spool = (am_spool){.f = f, .first = true, .direct = true};
	if (am_evidence_read(m, s, err, err_size) != 0)
		return -1;
	if (fflush(f) != 0)
		goto fail;
	for (int i = 0; i < m->nledger_at; i++)
		if (pwrite(fileno(f), m->ledger, 64, m->ledger_at[i]) != 64)
			goto fail;
	return 0;
fail:
	snprintf(err, err_size, _("evidence list: %s"), strerror(errno));
	return -1;
}

void am_hex(const unsigned char md[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

/* ---- exceptions ---- */

am_exc_state am_exception_state(const annual_model *m, const store_exception *e)
{
	char today[11], soon[11], last[11];
	am_date(m->ref, today);
	am_date(m->ref + 30 * 86400, soon);
	am_date(e->last_seen, last);
	const char *u = e->until;
	if (!u[0] || strncmp(u, today, 10) >= 0)
		return u[0] && strncmp(u, soon, 10) <= 0 ? EXC_EXPIRING : EXC_ACTIVE;
	/* over, yet a report claimed it after its end */
	return strncmp(u, last, 10) < 0 ? EXC_EXPIRED_CLAIMED : EXC_ENDED;
}

const char *am_exception_state_name(const annual_model *m, am_exc_state st)
{
	switch (st) {
	case EXC_ACTIVE: return L_(m->lang, "active");
	case EXC_EXPIRING: return L_(m->lang, "expiring within 30 days");
	case EXC_EXPIRED_CLAIMED: return L_(m->lang, "expired but still claimed");
	default: return L_(m->lang, "ended");
	}
}

typedef struct exc_ctx {
	annual_model *m;
	int (*cb)(void *, const store_exception *, am_exc_state);
	void *ctx;
} exc_ctx;

static bool has_host(const annual_model *m, const char *name)
{
	size_t lo = 0, hi = m->nhosts;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcasecmp(m->hosts[mid].name, name);
		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int on_exception(void *x, const store_exception *e)
{
	exc_ctx *c = x;
	if (!has_host(c->m, e->host_name))
		return 0;
	return c->cb(c->ctx, e, am_exception_state(c->m, e));
}

int am_each_exception(annual_model *m, store *s,
		      int (*cb)(void *, const store_exception *, am_exc_state), void *ctx,
		      char *err, size_t err_size)
{
	exc_ctx c = {m, cb, ctx};
	return store_each_exception(s, m->o->org_id, m->from, m->to, on_exception, &c, err, err_size) == 0 ? 0
											     : -1;
}

/* ---- what the formats ask ---- */

void am_date(int64_t t, char b[11])
{
	char full[21];
	if (!t) {
		b[0] = '\0';
		return;
	}
	am_time(t, full);
	memcpy(b, full, 10);
	b[10] = '\0';
}

am_cell_kind am_cell_of(const am_cell *c, bool reported, double *rate)
{
	if (!reported)
		return CELL_NO_REPORT;
	if (c->pass + c->fail) {
		if (rate)
			*rate = 100.0 * c->pass / (c->pass + c->fail);
		return CELL_RATE;
	}
	/* nothing passed or failed: unknown wins over n/a (never a pass) */
	return c->unknown ? CELL_UNKNOWN : CELL_NA;
}

void am_cell_text(const annual_model *m, const am_cell *c, bool reported, char *buf,
		  size_t size)
{
	double r = 0;
	switch (am_cell_of(c, reported, &r)) {
	case CELL_RATE: snprintf(buf, size, "%.0f%%", floor(r)); break;
	case CELL_UNKNOWN: snprintf(buf, size, "%s", L_(m->lang, "unknown")); break;
	case CELL_NA: snprintf(buf, size, "%s", L_(m->lang, "not applicable")); break;
	default: snprintf(buf, size, "%s", L_(m->lang, "no report"));
	}
}

const char *am_pack_name(const annual_model *m, int p)
{
	if (p == AM_ALL || p < 0)
		return L_(m->lang, "all checklists");
	const pack *pk = m->pack_meta[p];
	if (pk && pk->short_name.en)
		return text_get(&pk->short_name, m->lang);
	return m->packs[p];
}

const char *am_rule_title_in(const am_rule *r, const char *lang)
{
	return r->title[0] ? r->title[strcmp(lang, "ja") == 0] : r->name;
}

const char *am_rule_title(const annual_model *m, const am_rule *r)
{
	return am_rule_title_in(r, m->lang);
}

const char *am_rule_rationale(const annual_model *m, const am_rule *r)
{
	return r->why[0] ? r->why[strcmp(m->lang, "ja") == 0] : "";
}

const char *am_state_name(const annual_model *m, char st)
{
	switch (st) {
	case 'p': return L_(m->lang, "pass");
	case 'f': return L_(m->lang, "fail");
	case 'u': return L_(m->lang, "unknown");
	case 'e': return L_(m->lang, "error");
	case 'n': return L_(m->lang, "not applicable");
	case 'd': return L_(m->lang, "disabled");
	default: return L_(m->lang, "no report");
	}
}

bool am_stale(const annual_model *m, const am_host *h)
{
	if (!h->enrolled && !h->in_inventory)
		return false;
	return !h->last || m->ref - h->last > m->o->stale_days * 86400;
}

double am_overall(const annual_model *m, int p)
{
	uint64_t pass = 0, fail = 0;
	for (int i = 0; i < 12; i++) {
		pass += m->fleet[p][i].pass;
		fail += m->fleet[p][i].fail;
	}
	return pass + fail ? 100.0 * (double)pass / (double)(pass + fail) : NAN;
}

static int cmp_top_rule(const void *a, const void *b, void *x)
{
	const annual_model *m = x;
	const am_rule *r = &m->rules[*(const size_t *)a], *s = &m->rules[*(const size_t *)b];
	if (r->hosts_failing != s->hosts_failing)
		return r->hosts_failing < s->hosts_failing ? 1 : -1;
	if (r->fail_days != s->fail_days)
		return r->fail_days < s->fail_days ? 1 : -1;
	return strcmp(r->name, s->name);
}

static int cmp_rule_order(const void *a, const void *b, void *x)
{
	const annual_model *m = x;
	const am_rule *r = &m->rules[*(const size_t *)a], *s = &m->rules[*(const size_t *)b];
	unsigned pr = (unsigned)r->pack, ps = (unsigned)s->pack; /* -1 last */
	if (pr != ps)
		return pr < ps ? -1 : 1;
	int ar = r->meta ? r->meta->article : 1000, as = s->meta ? s->meta->article : 1000;
	if (ar != as)
		return ar < as ? -1 : 1;
	return strcmp(r->name, s->name);
}

static size_t *indices(size_t n)
{
	size_t *v = malloc((n + 1) * sizeof *v);
	for (size_t i = 0; v && i < n; i++)
		v[i] = i;
	return v;
}

size_t *am_top_rules(const annual_model *m, size_t *n)
{
	size_t *v = indices(m->nrules);
	if (!v)
		return NULL;
	qsort_r(v, m->nrules, sizeof *v, cmp_top_rule, (void *)m);
	size_t k = 0;
	while (k < m->nrules && k < AM_TOP && m->rules[v[k]].hosts_failing > 0)
		k++;
	*n = k;
	return v;
}

size_t *am_rules_ordered(const annual_model *m, size_t *n)
{
	size_t *v = indices(m->nrules);
	if (v)
		qsort_r(v, m->nrules, sizeof *v, cmp_rule_order, (void *)m);
	*n = m->nrules;
	return v;
}

static int cmp_top_host(const void *a, const void *b, void *x)
{
	const annual_model *m = x;
	const am_host *h = &m->hosts[*(const size_t *)a], *g = &m->hosts[*(const size_t *)b];
	if (h->severe_failing != g->severe_failing)
		return h->severe_failing < g->severe_failing ? 1 : -1;
	if (h->rules_failing != g->rules_failing)
		return h->rules_failing < g->rules_failing ? 1 : -1;
	return strcasecmp(h->name, g->name);
}

size_t *am_top_hosts(const annual_model *m, size_t *n)
{
	size_t *v = indices(m->nhosts);
	if (!v)
		return NULL;
	qsort_r(v, m->nhosts, sizeof *v, cmp_top_host, (void *)m);
	size_t k = 0;
	while (k < m->nhosts && k < AM_TOP && m->hosts[v[k]].rules_failing > 0)
		k++;
	*n = k;
	return v;
}

/* ---- build ---- */

const char *am_lang(const annual_options *o)
{
	return o->lang && !strcmp(o->lang, "ja") ? "ja" : "en";
}

/* Pass 3 on its own thread, on the twin handle (the same snapshot): it
 * writes only what pass 2 does not (the cells, the rules, the (host, rule)
 * pairs; of a host, its cells and failing counts). */
typedef struct months_job {
	annual_model *m;
	store *s;
	int rc;
	char err[600];
} months_job;

static void *months_thread(void *x)
{
	months_job *j = x;
	j->rc = scan_rule_years(j->m, j->s, j->err, sizeof j->err);
	return NULL;
}

int am_build(annual_model *m, store *s, store *twin, const annual_options *o,
	     am_evidence_row ev_row, FILE *ev_file, bool months, char *err, size_t err_size)
{
	memset(m, 0, sizeof *m);
	m->o = o;
	m->ev_row = ev_row;
	m->want_months = months;
	m->lang = am_lang(o);
	m->cur = SIZE_MAX;
	char y0[32], y1[32];
	snprintf(y0, sizeof y0, "%04d-01-01T00:00:00Z", o->year);
	snprintf(y1, sizeof y1, "%04d-01-01T00:00:00Z", o->year + 1);
	if (!rfc3339_parse(y0, &m->from) || !rfc3339_parse(y1, &m->to)) {
		snprintf(err, err_size, _("year %d is out of range"), o->year);
		return -1;
	}
	m->ref = o->now < m->to ? o->now : m->to;
	if (ev_file)
		m->spool = (am_spool){.f = ev_file, .first = true, .direct = true};
	/* a list written in the format's own file (html, json): read there,
	 * its SHA-256 filled in where the summary printed it; or read beside
	 * the workbook's other sheets (xlsx) */
	m->deferred = !ev_file;
	if (m->deferred)
		memset(m->ledger, '-', 64);
	if (load_packs(m, err, err_size) != 0 || load_hosts(m, s, err, err_size) != 0)
		return -1;
	months_job job = {.m = m, .s = twin};
	pthread_t months_tid;
	bool side_by_side = twin && pthread_create(&months_tid, NULL, months_thread, &job) == 0;
	int rc = m->deferred ? count_reports(m, s, err, err_size)
			     : read_evidence(m, s, err, err_size);
	/* the organisation's hash chain as it stood at year end: an auditor
	 * compares it with `hostaudit-collector verify` later */
	if (rc == 0 && store_chain_head(s, m->o->org_id, m->to, &m->chain_seq, m->chain_head,
					err, err_size) < 0)
		rc = -1;
	snprintf(m->chain_text, sizeof m->chain_text, "%lld %s", (long long)m->chain_seq,
		 m->chain_head);
	if (side_by_side) {
		pthread_join(months_tid, NULL);
		if (rc == 0 && job.rc != 0) {
			snprintf(err, err_size, "%s", job.err);
			rc = -1;
		}
	} else if (rc == 0) {
		rc = scan_rule_years(m, s, err, err_size);
	}
	if (rc != 0)
		return -1;
	for (size_t i = 0; i < m->nhosts; i++) {
		am_host *h = &m->hosts[i];
		bool expected = h->in_inventory || h->enrolled;
		m->expected += expected;
		m->reporting += expected && h->reports > 0;
		m->stale += am_stale(m, h);
		m->fleet_reported |= h->reported;
	}
	return 0;
}

void am_free(annual_model *m)
{
	for (size_t i = 0; i < m->nhosts; i++) {
		free(m->hosts[i].name);
		free(m->hosts[i].attributes);
	}
	free(m->hosts);
	free(m->by_id);
	for (size_t i = 0; i < m->nrules; i++) {
		free(m->rules[i].name);
		for (int l = 0; l < 2; l++) {
			free(m->rules[i].title[l]);
			free(m->rules[i].why[l]);
		}
	}
	free(m->rules);
	free(m->slots);
	for (size_t i = 0; i < m->npacks; i++)
		free(m->packs[i]);
	for (size_t i = 0; i < m->nloaded; i++)
		pack_free(m->loaded[i]);
	free(m->loaded);
	for (size_t i = 0; i < m->ncolumns; i++)
		free(m->columns[i]);
	free(m->columns);
	free(m->tmp_days);
	free(m->tmp_last);
	free(m->touched);
	free(m->host_months);
	free(m->host_rules);
	am_spool_close(&m->spool);
}
