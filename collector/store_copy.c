/* SPDX-License-Identifier: Apache-2.0 */
/* `hostaudit-collector migrate --to DATABASE`: the configured store copied
 * into another (typically SQLite into PostgreSQL), through the store
 * interface only, so any backend to any backend.
 *
 * Organisation by organisation (its name and enrollment secret's hash;
 * the default one is there in every store). Hosts keep their names,
 * token hashes (the agents' tokens keep working)
 * and enrollment times; every report is stored again from its exact
 * bytes, with its original arrival time and summary, and its exceptions
 * follow from its body as at ingest; the inventory is copied. Then every
 * report is read back from the destination and its SHA-256 compared with
 * the one the source recorded at ingest. Running it again after a failure
 * is safe: what is there already is recognised as such (report_id).
 *
 * evidence: the reports are stored in the order of the source's hash
 * chain, so the destination, appending them as ingest does, makes the
 * same links; its head is then compared with the source's, and a
 * destination that had other reports before (another chain) is refused. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "principal.h"
#include "store_backend.h"
#include "i18n.h"

typedef struct copied {
	int64_t seq;             /* its link in the source's chain */
	char report_id[40];
	char *host_name, *claimed, *summary;
	char sha[65];
	int64_t finished_at, received_at;
	double score;
} copied;

typedef struct copy_list {
	copied *v;
	size_t n, cap;
	bool oom;
} copy_list;

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static int on_report(void *arg, const store_report *r)
{
	copy_list *l = arg;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		copied *v = realloc(l->v, cap * sizeof *v);
		if (!v) {
			l->oom = true;
			return 1;
		}
		l->v = v;
		l->cap = cap;
	}
	copied *c = &l->v[l->n++];
	snprintf(c->report_id, sizeof c->report_id, "%s", r->report_id);
	snprintf(c->sha, sizeof c->sha, "%s", r->body_sha256);
	c->host_name = dup_or_empty(r->host_name);
	c->claimed = dup_or_empty(r->claimed_host);
	c->summary = dup_or_empty(r->summary);
	c->finished_at = r->finished_at;
	c->received_at = r->received_at;
	c->score = r->score;
	if (!c->host_name || !c->claimed || !c->summary)
		l->oom = true;
	return l->oom;
}

static void list_free(copy_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].host_name);
		free(l->v[i].claimed);
		free(l->v[i].summary);
	}
	free(l->v);
}

typedef struct host_copy {
	store *dst;
	int64_t org;  /* in dst */
	long n;
	char *err;
	size_t err_size;
} host_copy;

static int on_host(void *arg, const store_host *h)
{
	host_copy *hc = arg;
	hc->n++;
	return hc->dst->ops->enroll(hc->dst, hc->org, h->name, h->token_sha256, h->enrolled_at,
				    hc->err, hc->err_size) == 0
		       ? 0
		       : -1;
}

typedef struct inv_copy {
	inventory_row *v;
	size_t n, cap;
} inv_copy;

static int on_inventory(void *arg, const char *hostname, const char *attributes)
{
	inv_copy *ic = arg;
	if (ic->n == ic->cap) {
		size_t cap = ic->cap ? ic->cap * 2 : 256;
		inventory_row *v = realloc(ic->v, cap * sizeof *v);
		if (!v)
			return 1;
		ic->v = v;
		ic->cap = cap;
	}
	ic->v[ic->n].hostname = strdup(hostname);
	ic->v[ic->n].attributes = strdup(attributes);
	ic->n++;
	return !ic->v[ic->n - 1].hostname || !ic->v[ic->n - 1].attributes;
}

static void inv_free(inv_copy *ic)
{
	for (size_t i = 0; i < ic->n; i++) {
		free((char *)ic->v[i].hostname);
		free((char *)ic->v[i].attributes);
	}
	free(ic->v);
}

/* One source report read and checked, ready for dst. */
typedef struct pending {
	char *body;
	json_t *rep;
	char sha[65], host[256];
	ingest in;
} pending;

static void pending_free(pending *p)
{
	free(p->body);
	json_decref(p->rep);
	memset(p, 0, sizeof *p);
}

/* Reads c's body from src, checks it against its recorded SHA-256, finds
 * its host in dst. 0 or -1 with err. */
static int prepare(store *src, int64_t src_org, store *dst, int64_t dst_org, const copied *c,
		   pending *p, char *err, size_t err_size)
{
	size_t len;
	int found = store_export(src, src_org, c->report_id, &p->body, &len, err, err_size);
	if (found != 1) {
		p->body = NULL;
		if (found == 0)
			snprintf(err, err_size, _("report %s: no body in the source"), c->report_id);
		else if (found == 2)
			snprintf(err, err_size, _("report %s: no body in the source (removed by "
						"retention): migrate copies only reports with "
						"their bodies"), c->report_id);
		return -1;
	}
	sha256_hex(p->body, len, p->sha);
	if (strcmp(p->sha, c->sha) != 0) {
		snprintf(err, err_size, _("report %s: the source's body does not match its SHA-256 "
					"(%s, recorded %s)"), c->report_id, p->sha, c->sha);
		return -1;
	}
	json_error_t je;
	int64_t host_id, host_org;
	if (!(p->rep = json_loadb(p->body, len, 0, &je))) {
		snprintf(err, err_size, _("report %s: body is not JSON: %s"), c->report_id, je.text);
		return -1;
	}
	if (dst->ops->host_by_name(dst, dst_org, c->host_name, &host_id, &host_org, p->host,
				   sizeof p->host) != 1) {
		snprintf(err, err_size, _("report %s: host %s missing in the destination"),
			 c->report_id, c->host_name);
		return -1;
	}
	p->in = (ingest){.report_id = c->report_id, .host_id = host_id, .host_name = p->host,
			 .claimed_host = c->claimed, .finished_at = c->finished_at,
			 .received_at = c->received_at, .score = c->score, .body = p->body,
			 .body_len = len, .report = p->rep, .body_sha256 = p->sha,
			 .summary = c->summary};
	return 0;
}

/* Reports per transaction in dst: one commit (one fsync) for each group. */
#define COPY_BATCH 100

/* Stores the reports from..to-1 of l in dst: new, or already there from
 * a previous run (same host, same bytes). 0 or -1 with err. */
static int copy_batch(store *src, int64_t src_org, store *dst, int64_t dst_org,
		      const copy_list *l, size_t from, size_t to, char *err, size_t err_size)
{
	pending p[COPY_BATCH];
	const ingest *ins[COPY_BATCH] = {0};
	ingest_outcome out[COPY_BATCH];
	size_t n = 0;
	int rc = 0;
	memset(p, 0, sizeof p);
	for (size_t i = from; rc == 0 && i < to; i++, n++) {
		rc = prepare(src, src_org, dst, dst_org, &l->v[i], &p[n], err, err_size);
		ins[n] = &p[n].in;
	}
	if (rc == 0)
		store_ingest_batch(dst, ins, out, n);
	for (size_t k = 0; rc == 0 && k < n; k++)
		if (out[k].result != STORE_NEW && out[k].result != STORE_DUPLICATE) {
			snprintf(err, err_size, _("report %s: %s"), ins[k]->report_id, out[k].err);
			rc = -1;
		}
	for (size_t k = 0; k < n; k++)
		pending_free(&p[k]);
	return rc;
}

/* Reads every copied report back from dst and checks its SHA-256. */
static int verify(store *dst, int64_t dst_org, const copy_list *l, char *err, size_t err_size)
{
	for (size_t i = 0; i < l->n; i++) {
		char *body, sha[65];
		size_t len;
		int found = store_export(dst, dst_org, l->v[i].report_id, &body, &len, err, err_size);
		if (found != 1) {
			if (found == 0 || found == 2)
				snprintf(err, err_size, _("verify: report %s missing in the destination"),
					 l->v[i].report_id);
			return -1;
		}
		sha256_hex(body, len, sha);
		free(body);
		if (strcmp(sha, l->v[i].sha) != 0) {
			snprintf(err, err_size, _("verify: report %s: SHA-256 %s in the destination, "
						"%s in the source"), l->v[i].report_id, sha, l->v[i].sha);
			return -1;
		}
	}
	return 0;
}

/* ---- evidence: the source's chain order ---- */

typedef struct link_seq {
	char report_id[40];
	int64_t seq;
} link_seq;

typedef struct seq_list {
	link_seq *v;
	size_t n, cap;
} seq_list;

static int on_link(void *arg, const store_link *l)
{
	seq_list *sl = arg;
	if (!l->report_id)
		return 0; /* a link without its report: nothing to copy */
	if (sl->n == sl->cap) {
		size_t cap = sl->cap ? sl->cap * 2 : 1024;
		link_seq *v = realloc(sl->v, cap * sizeof *v);
		if (!v)
			return 1;
		sl->v = v;
		sl->cap = cap;
	}
	snprintf(sl->v[sl->n].report_id, sizeof sl->v[sl->n].report_id, "%s", l->report_id);
	sl->v[sl->n++].seq = l->seq;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const link_seq *)a)->report_id, ((const link_seq *)b)->report_id);
}

static int by_seq(const void *a, const void *b)
{
	int64_t x = ((const copied *)a)->seq, y = ((const copied *)b)->seq;
	return x < y ? -1 : x > y;
}

/* l sorted by the source's chain (reports in no link last, as they
 * came). 0 or -1 with err. */
static int chain_order(store *src, int64_t src_org, copy_list *l, char *err, size_t err_size)
{
	seq_list sl = {0};
	if (store_each_link(src, src_org, false, on_link, &sl, err, err_size) != 0) {
		free(sl.v);
		snprintf(err, err_size, _("the source's chain: unreadable or out of memory"));
		return -1;
	}
	if (sl.n)
		qsort(sl.v, sl.n, sizeof *sl.v, by_id);
	for (size_t i = 0; i < l->n; i++) {
		link_seq key = {.seq = 0};
		snprintf(key.report_id, sizeof key.report_id, "%s", l->v[i].report_id);
		const link_seq *hit = sl.n ? bsearch(&key, sl.v, sl.n, sizeof *sl.v, by_id) : NULL;
		l->v[i].seq = hit ? hit->seq : INT64_MAX;
	}
	free(sl.v);
	if (l->n)
		qsort(l->v, l->n, sizeof *l->v, by_seq);
	return 0;
}

/* The destination's chain ends where the source's does. 0 or -1. */
static int same_head(store *src, int64_t src_org, store *dst, int64_t dst_org, char *err,
		     size_t err_size)
{
	int64_t sseq, dseq;
	char ssha[65], dsha[65];
	if (store_chain_tip(src, src_org, &sseq, ssha, err, err_size) < 0 ||
	    store_chain_tip(dst, dst_org, &dseq, dsha, err, err_size) < 0)
		return -1;
	if (sseq != dseq || strcmp(ssha, dsha) != 0) {
		snprintf(err, err_size, _("verify: the hash chain differs: the source's head is "
					"sequence %lld %s, the destination's %lld %s (was the "
					"destination empty?)"), (long long)sseq, ssha, (long long)dseq,
			 dsha);
		return -1;
	}
	return 0;
}

/* api: the read API's tokens (their hashes) and the retired hosts of one
 * organisation (tenants: src_org's into dst_org). A token already in dst
 * under that name is kept: running migrate again changes nothing. */
typedef struct api_copy {
	store *dst;
	int64_t org;  /* in dst */
	char *err;
	size_t err_size;
} api_copy;

static int on_token_copy(void *x, const store_token *t)
{
	api_copy *a = x;
	int rc = a->dst->ops->token_add(a->dst, a->org, t->name, t->role, t->token_sha256,
					t->created_at, a->err, a->err_size);
	return rc != 0 && !strstr(a->err, "exists already") ? -1 : 0;
}

static int on_retired_copy(void *x, const char *host, int64_t when)
{
	api_copy *a = x;
	return store_host_retire(a->dst, a->org, host, when, a->err, a->err_size) < 0 ? -1 : 0;
}

static int copy_api_state(store *src, int64_t src_org, store *dst, int64_t dst_org, char *err,
			  size_t err_size)
{
	api_copy a = {dst, dst_org, err, err_size};
	if (store_each_token(src, src_org, on_token_copy, &a, err, err_size) != 0 ||
	    store_each_retired(src, src_org, on_retired_copy, &a, err, err_size) != 0)
		return -1;
	return 0;
}

/* ui: the console's users (their argon2id hashes) of one organisation
 * (tenants: src_org's into dst_org); a name already in dst is kept.
 * Sessions are not copied: people log in again. */
typedef struct user_copy {
	store *dst;
	int64_t org;  /* in dst */
	char *err;
	size_t err_size;
} user_copy;

static int on_user_copy(void *x, const store_user *u)
{
	user_copy *c = x;
	return store_user_add(c->dst, c->org, u, c->err, c->err_size) < 0 ? -1 : 0;
}

static int copy_users(store *src, int64_t src_org, store *dst, int64_t dst_org, char *err,
		      size_t err_size)
{
	user_copy c = {dst, dst_org, err, err_size};
	return store_each_user(src, src_org, on_user_copy, &c, err, err_size) != 0 ? -1 : 0;
}

/* One organisation of src (src_org) into dst's dst_org. */
static int copy_org(store *src, int64_t src_org, store *dst, int64_t dst_org, long *hosts,
		    long *reports, char *err, size_t err_size)
{
	host_copy hc = {dst, dst_org, 0, err, err_size};
	copy_list l = {0};
	inv_copy ic = {0};
	int rc = store_each_host(src, src_org, on_host, &hc, err, err_size) != 0 ? -1 : 0;
	if (rc == 0 && store_each_inventory(src, src_org, on_inventory, &ic, err, err_size) != 0) {
		snprintf(err, err_size, _("inventory: out of memory or unreadable"));
		rc = -1;
	}
	if (rc == 0)
		rc = store_inventory_replace(dst, dst_org, ic.v, ic.n, err, err_size);
	/* all time: from the first second to the last representable one */
	if (rc == 0 && store_each_report(src, src_org, INT64_MIN, INT64_MAX, on_report, &l, err,
					 err_size) != 0) {
		if (l.oom)
			snprintf(err, err_size, _("out of memory listing the reports"));
		rc = -1;
	}
	if (rc == 0)
		rc = chain_order(src, src_org, &l, err, err_size);
	for (size_t i = 0; rc == 0 && i < l.n; i += COPY_BATCH)
		rc = copy_batch(src, src_org, dst, dst_org, &l, i,
				i + COPY_BATCH < l.n ? i + COPY_BATCH : l.n, err, err_size);
	if (rc == 0)
		rc = verify(dst, dst_org, &l, err, err_size);
	if (rc == 0)
		rc = same_head(src, src_org, dst, dst_org, err, err_size);
	if (rc == 0)
		rc = copy_api_state(src, src_org, dst, dst_org, err, err_size);
	if (rc == 0)
		rc = copy_users(src, src_org, dst, dst_org, err, err_size);
	*hosts += hc.n;
	*reports += (long)l.n;
	list_free(&l);
	inv_free(&ic);
	return rc;
}

typedef struct org_list {
	int64_t *id;
	char **name, **secret;
	size_t n;
	bool oom;
} org_list;

static int on_org(void *arg, const store_org *o)
{
	org_list *ol = arg;
	int64_t *id = realloc(ol->id, (ol->n + 1) * sizeof *id);
	char **name = id ? realloc(ol->name, (ol->n + 1) * sizeof *name) : NULL;
	char **secret = name ? realloc(ol->secret, (ol->n + 1) * sizeof *secret) : NULL;
	if (id)
		ol->id = id;
	if (name)
		ol->name = name;
	if (!secret) {
		ol->oom = true;
		return 1;
	}
	ol->secret = secret;
	id[ol->n] = o->id;
	name[ol->n] = strdup(o->name);
	secret[ol->n] = o->secret_sha256 ? strdup(o->secret_sha256) : NULL;
	ol->n++;
	return 0;
}

int store_copy(store *src, store *dst, long *hosts, long *reports, char *err, size_t err_size)
{
	org_list ol = {0};
	*hosts = *reports = 0;
	int rc = store_each_org(src, on_org, &ol, err, err_size) != 0 ? -1 : 0;
	if (ol.oom)
		snprintf(err, err_size, _("out of memory listing the organisations"));
	for (size_t i = 0; rc == 0 && i < ol.n; i++) {
		int64_t to = ORG_DEFAULT;
		if (ol.id[i] != ORG_DEFAULT) {
			/* by name: found again when migrate runs a second time */
			int got = store_org_by_name(dst, ol.name[i], &to);
			if (got == 0)
				got = store_org_add(dst, ol.name[i], ol.secret[i], &to, err, err_size);
			if (got != 1) {
				if (got == 0 || !err[0])
					snprintf(err, err_size, _("organisation %s: cannot add it to the "
								"destination"), ol.name[i]);
				rc = -1;
				break;
			}
		}
		rc = copy_org(src, ol.id[i], dst, to, hosts, reports, err, err_size);
	}
	for (size_t i = 0; i < ol.n; i++) {
		free(ol.name[i]);
		free(ol.secret[i]);
	}
	free(ol.id);
	free(ol.name);
	free(ol.secret);
	return rc;
}
