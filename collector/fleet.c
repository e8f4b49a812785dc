/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet model (fleet.h), from the store's rows and the digests made
 * at ingest. The judgement (who is expected, stale, failing) is made
 * here, once, for every view. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "collector.h"
#include "fleet.h"
#include "i18n.h"

int fleet_severity_rank(const char *sev)
{
	static const char *const order[] = {"low", "medium", "high", "critical"};
	for (int i = 0; i < 4; i++)
		if (sev && strcmp(sev, order[i]) == 0)
			return i + 1;
	return 0;
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* ---- growing arrays ---- */

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	size_t c = *cap ? *cap * 2 : 16;
	void *p = realloc(v, c * size);
	if (!p)
		return NULL;
	memset((char *)p + *cap * size, 0, (c - *cap) * size);
	*cap = c;
	return p;
}

typedef struct build {
	fleet *f;
	size_t hosts_cap, rules_cap, exc_cap, arts_cap;
	int64_t expiry_end;   /* exceptions ending before this are listed */
	int64_t trend_from;   /* 00:00 UTC of the trend's first day */
	/* the trend: the last report seen for (host, day) */
	int64_t t_host, t_day;
	double t_score;
	long *t_scored;       /* per day: hosts with a scored report */
	bool oom;
} build;

static fleet_host *host_add(build *b, const char *name)
{
	fleet *f = b->f;
	for (size_t i = 0; i < f->n_hosts; i++)
		if (strcasecmp(f->hosts[i].name, name) == 0)
			return &f->hosts[i];
	fleet_host *v = grow(f->hosts, &b->hosts_cap, f->n_hosts, sizeof *v);
	if (!v) {
		b->oom = true;
		return NULL;
	}
	f->hosts = v;
	fleet_host *h = &f->hosts[f->n_hosts++];
	snprintf(h->name, sizeof h->name, "%s", name);
	h->score = NAN;
	return h;
}

static fleet_host *host_by_id(fleet *f, int64_t id)
{
	for (size_t i = 0; i < f->n_hosts; i++)
		if (f->hosts[i].host_id == id)
			return &f->hosts[i];
	return NULL;
}

static int on_host(void *x, const store_host *sh)
{
	build *b = x;
	fleet_host *h = host_add(b, sh->name);
	if (!h)
		return 1;
	h->host_id = sh->id;
	h->enrolled = sh->token_sha256 != NULL;
	return 0;
}

static int on_inventory(void *x, const char *name, const char *attributes)
{
	build *b = x;
	fleet_host *h = host_add(b, name);
	if (!h)
		return 1;
	h->in_inventory = true;
	json_decref(h->inventory);
	h->inventory = json_loads(attributes ? attributes : "{}", 0, NULL);
	if (!json_is_object(h->inventory)) {
		json_decref(h->inventory);
		h->inventory = json_object();
	}
	return 0;
}

static int on_retired(void *x, const char *name, int64_t when)
{
	build *b = x;
	fleet_host *h = host_add(b, name);
	if (!h)
		return 1;
	h->retired = true;
	h->retired_at = when;
	return 0;
}

static void tally_read(fleet_tally *t, const json_t *o)
{
	t->pass = (long)json_integer_value(json_object_get(o, "pass"));
	t->fail = (long)json_integer_value(json_object_get(o, "fail"));
	t->unknown = (long)json_integer_value(json_object_get(o, "unknown"));
	t->error = (long)json_integer_value(json_object_get(o, "error"));
	t->not_applicable = (long)json_integer_value(json_object_get(o, "not_applicable"));
	t->disabled = (long)json_integer_value(json_object_get(o, "disabled"));
}

static void tally_add(fleet_tally *to, const fleet_tally *t)
{
	to->pass += t->pass;
	to->fail += t->fail;
	to->unknown += t->unknown;
	to->error += t->error;
	to->not_applicable += t->not_applicable;
	to->disabled += t->disabled;
}

static int by_key(const void *a, const void *b);

/* qsort, which wants a base even for no elements */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* The parts of a digest the host keeps: its tallies, articles, failing
 * rules. The digest itself is dropped. */
static int host_digest(fleet_host *h, const char *text, json_t **keep)
{
	json_t *d = text ? json_loads(text, 0, NULL) : NULL;
	if (!d)
		return 0; /* none yet (backfill failed): the host counts as unknown */
	tally_read(&h->t, json_object_get(d, "t"));
	json_t *arts = json_object_get(d, "articles"), *failing = json_object_get(d, "failing");
	h->articles = calloc(json_object_size(arts) + 1, sizeof *h->articles);
	h->failing = calloc(json_array_size(failing) + 1, sizeof *h->failing);
	if (!h->articles || !h->failing) {
		json_decref(d);
		return -1;
	}
	const char *k;
	json_t *v;
	json_object_foreach(arts, k, v) {
		fleet_article *a = &h->articles[h->n_articles++];
		snprintf(a->key, sizeof a->key, "%s", k);
		const char *colon = strrchr(k, ':');
		snprintf(a->pack, sizeof a->pack, "%.*s", colon ? (int)(colon - k) : (int)strlen(k),
			 k);
		a->article = colon ? atoi(colon + 1) : 0;
		tally_read(&a->t, v);
		long decided = a->t.pass + a->t.fail + a->t.unknown + a->t.error;
		a->compliance = decided ? 100.0 * (double)a->t.pass / (double)decided : NAN;
	}
	sort(h->articles, h->n_articles, sizeof *h->articles, by_key);
	size_t i;
	json_array_foreach(failing, i, v) {
		fleet_failure *fl = &h->failing[h->n_failing++];
		snprintf(fl->rule, sizeof fl->rule, "%s", jstr(v, "rule"));
		snprintf(fl->pack, sizeof fl->pack, "%s", jstr(v, "pack"));
		snprintf(fl->severity, sizeof fl->severity, "%s", jstr(v, "severity"));
	}
	*keep = d; /* for the rules' titles and the claimed exceptions */
	return 0;
}

typedef struct latest_ctx {
	build *b;
	json_t **digests;   /* per host index, kept until the rules are made */
} latest_ctx;

static int on_latest(void *x, const store_report *r)
{
	latest_ctx *lc = x;
	fleet *f = lc->b->f;
	fleet_host *h = host_by_id(f, r->host_id);
	if (!h)
		return 0; /* enrolled after the hosts were read */
	snprintf(h->report_id, sizeof h->report_id, "%s", r->report_id);
	h->last_finished = r->finished_at;
	h->last_received = r->received_at;
	h->score = r->score;
	h->mismatch = r->mismatch;
	if (host_digest(h, r->digest, &lc->digests[h - f->hosts]) != 0) {
		lc->b->oom = true;
		return 1;
	}
	return 0;
}

/* "2026-12-31" (or a full RFC 3339 time) → the end of that day, UTC. */
static int64_t until_end(const char *until)
{
	int64_t t;
	if (rfc3339_parse(until, &t))
		return t;
	char buf[40];
	if (strlen(until) != 10)
		return 0;
	snprintf(buf, sizeof buf, "%sT23:59:59Z", until);
	return rfc3339_parse(buf, &t) ? t + 1 : 0;
}

static int on_exception(void *x, const store_exception *e)
{
	build *b = x;
	fleet *f = b->f;
	int64_t end = until_end(e->until);
	if (end && end >= b->expiry_end)
		return 0; /* neither expired nor expiring soon */
	fleet_host *h = NULL;
	for (size_t i = 0; i < f->n_hosts; i++)
		if (strcasecmp(f->hosts[i].name, e->host_name) == 0)
			h = &f->hosts[i];
	/* the same exception may come in several rows (other reason): once */
	for (size_t i = 0; i < f->n_exceptions; i++) {
		fleet_exception *o = &f->exceptions[i];
		if (!strcasecmp(o->host, e->host_name) && !strcmp(o->rule, e->rule) &&
		    !strcmp(o->until, e->until)) {
			if (e->last_seen > o->last_seen)
				o->last_seen = e->last_seen;
			return 0;
		}
	}
	bool claimed = h && h->report_id[0] && e->last_seen >= h->last_finished;
	bool expired = !end || end <= f->now;
	/* an exception that expired and is no longer claimed is history: listed
	 * only while it was seen within the last expiry window */
	if (expired && !claimed && e->last_seen < f->now - (b->expiry_end - f->now))
		return 0;
	fleet_exception *v = grow(f->exceptions, &b->exc_cap, f->n_exceptions, sizeof *v);
	if (!v) {
		b->oom = true;
		return 1;
	}
	f->exceptions = v;
	fleet_exception *x2 = &f->exceptions[f->n_exceptions++];
	snprintf(x2->host, sizeof x2->host, "%s", e->host_name);
	snprintf(x2->rule, sizeof x2->rule, "%s", e->rule);
	snprintf(x2->reason, sizeof x2->reason, "%s", e->reason);
	snprintf(x2->approved_by, sizeof x2->approved_by, "%s", e->approved_by);
	snprintf(x2->until, sizeof x2->until, "%s", e->until);
	x2->until_t = end;
	x2->last_seen = e->last_seen;
	/* an unreadable until is listed as expired: never read as valid */
	x2->expired = expired;
	x2->days_left = end ? (long)((end - f->now) / 86400) - (end <= f->now) : -1;
	/* last_seen is the finished_at of the last report claiming it */
	x2->claimed = claimed;
	return 0;
}

/* ---- the trend ---- */

static void trend_commit(build *b)
{
	if (!b->t_host)
		return;
	fleet *f = b->f;
	size_t d = (size_t)((b->t_day - b->trend_from) / 86400);
	if (d < f->n_trend) {
		fleet_day *day = &f->trend[d];
		/* mean_score holds the sum until load_trend() divides it */
		day->hosts_reporting++;
		if (!isnan(b->t_score)) {
			day->mean_score += b->t_score;
			b->t_scored[d]++;
		}
	}
	b->t_host = 0;
}

static int on_trend_report(void *x, const store_report *r)
{
	build *b = x;
	int64_t day = r->finished_at - (r->finished_at % 86400 + 86400) % 86400;
	if (b->t_host != r->host_id || b->t_day != day) {
		trend_commit(b);
		b->t_score = NAN;
	}
	b->t_host = r->host_id;
	b->t_day = day;
	/* the last scored report of the day counts: a later unscored one
	 * does not hide it */
	if (!isnan(r->score))
		b->t_score = r->score;
	return 0;
}

/* ---- the fleet's figures ---- */

static fleet_article *article_add(build *b, const fleet_article *ha)
{
	fleet *f = b->f;
	for (size_t i = 0; i < f->n_articles; i++)
		if (strcmp(f->articles[i].key, ha->key) == 0)
			return &f->articles[i];
	fleet_article *v = grow(f->articles, &b->arts_cap, f->n_articles, sizeof *v);
	if (!v) {
		b->oom = true;
		return NULL;
	}
	f->articles = v;
	fleet_article *a = &f->articles[f->n_articles++];
	snprintf(a->key, sizeof a->key, "%s", ha->key);
	snprintf(a->pack, sizeof a->pack, "%s", ha->pack);
	a->article = ha->article;
	return a;
}

static fleet_rule *rule_add(build *b, const fleet_failure *fl, const json_t *digest)
{
	fleet *f = b->f;
	fleet_rule *r = NULL;
	for (size_t i = 0; i < f->n_rules && !r; i++)
		if (strcmp(f->rules[i].rule, fl->rule) == 0 && strcmp(f->rules[i].pack, fl->pack) == 0)
			r = &f->rules[i];
	if (!r) {
		fleet_rule *v = grow(f->rules, &b->rules_cap, f->n_rules, sizeof *v);
		if (!v) {
			b->oom = true;
			return NULL;
		}
		f->rules = v;
		r = &f->rules[f->n_rules++];
		snprintf(r->rule, sizeof r->rule, "%s", fl->rule);
		snprintf(r->pack, sizeof r->pack, "%s", fl->pack);
	}
	if (!r->severity[0])
		snprintf(r->severity, sizeof r->severity, "%s", fl->severity);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(digest, "failing"), i, v) {
		if (strcmp(jstr(v, "rule"), fl->rule) != 0 || r->title_en[0])
			continue;
		json_t *t = json_object_get(v, "title");
		snprintf(r->title_en, sizeof r->title_en, "%s", jstr(t, "en"));
		snprintf(r->title_ja, sizeof r->title_ja, "%s", jstr(t, "ja"));
	}
	char **hs = realloc(r->hosts, (size_t)(r->hosts_failing + 1) * sizeof *hs);
	if (!hs) {
		b->oom = true;
		return NULL;
	}
	r->hosts = hs;
	return r;
}

static int by_name(const void *a, const void *b)
{
	return strcasecmp(((const fleet_host *)a)->name, ((const fleet_host *)b)->name);
}

static int by_key(const void *a, const void *b)
{
	const fleet_article *x = a, *y = b;
	int c = strcmp(x->pack, y->pack);
	return c ? c : (x->article > y->article) - (x->article < y->article);
}

static int by_failing(const void *a, const void *b)
{
	const fleet_rule *x = a, *y = b;
	if (x->hosts_failing != y->hosts_failing)
		return x->hosts_failing > y->hosts_failing ? -1 : 1;
	int s = fleet_severity_rank(y->severity) - fleet_severity_rank(x->severity);
	return s ? s : strcmp(x->rule, y->rule);
}

static int by_string(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

static int by_until(const void *a, const void *b)
{
	const fleet_exception *x = a, *y = b;
	if (x->until_t != y->until_t)
		return x->until_t < y->until_t ? -1 : 1;
	int c = strcasecmp(x->host, y->host);
	return c ? c : strcmp(x->rule, y->rule);
}

/* qsort_r: several threads load models at once (the API's workers) */
int fleet_by_worst(const void *a, const void *b, void *model)
{
	const fleet *f = model;
	const fleet_host *x = &f->hosts[*(const size_t *)a];
	const fleet_host *y = &f->hosts[*(const size_t *)b];
	bool xn = isnan(x->score), yn = isnan(y->score);
	if (xn != yn)
		return xn ? 1 : -1;
	if (!xn && x->score != y->score)
		return x->score < y->score ? -1 : 1;
	if (x->n_failing != y->n_failing)
		return x->n_failing > y->n_failing ? -1 : 1;
	return strcasecmp(x->name, y->name);
}

/* Counts, articles, rules and the worst hosts, over the current hosts:
 * expected and reporting within stale_days. */
static int figures(build *b, json_t **digests, size_t n_worst)
{
	fleet *f = b->f;
	double sum = 0;
	long scored = 0;
	for (size_t i = 0; i < f->n_hosts; i++) {
		fleet_host *h = &f->hosts[i];
		/* a revoked host stays expected (its token was stolen, say, and
		 * it must enroll again); only retiring takes it out */
		h->expected = (h->in_inventory || h->host_id) && !h->retired;
		if (h->retired)
			f->retired++;
		if (!h->expected)
			continue;
		f->expected++;
		bool fresh = h->report_id[0] &&
			     h->last_finished > f->now - (int64_t)f->stale_days * 86400;
		h->stale = !fresh;
		if (!fresh) {
			f->stale++;
			if (!h->report_id[0])
				f->never_reported++;
			continue;
		}
		f->reporting++;
		if (!isnan(h->score)) {
			sum += h->score;
			scored++;
		}
		tally_add(&f->t, &h->t);
		for (size_t k = 0; k < h->n_articles; k++) {
			fleet_article *a = article_add(b, &h->articles[k]);
			if (!a)
				return -1;
			tally_add(&a->t, &h->articles[k].t);
			const fleet_tally *t = &h->articles[k].t;
			if (t->fail)
				a->hosts_failing++;
			else if (!t->unknown && !t->error && t->pass)
				a->hosts_compliant++;
		}
		for (size_t k = 0; k < h->n_failing; k++) {
			fleet_rule *r = rule_add(b, &h->failing[k], digests[i]);
			if (!r)
				return -1;
			r->hosts[r->hosts_failing] = strdup(h->name);
			if (!r->hosts[r->hosts_failing]) {
				b->oom = true;
				return -1;
			}
			r->hosts_failing++;
		}
	}
	f->mean_score = scored ? sum / (double)scored : NAN;
	for (size_t i = 0; i < f->n_articles; i++) {
		fleet_article *a = &f->articles[i];
		long decided = a->t.pass + a->t.fail + a->t.unknown + a->t.error;
		a->compliance = decided ? 100.0 * (double)a->t.pass / (double)decided : NAN;
	}
	sort(f->articles, f->n_articles, sizeof *f->articles, by_key);
	for (size_t i = 0; i < f->n_rules; i++)
		sort(f->rules[i].hosts, (size_t)f->rules[i].hosts_failing, sizeof(char *),
		      by_string);
	sort(f->rules, f->n_rules, sizeof *f->rules, by_failing);
	f->worst = calloc(f->reporting + 1, sizeof *f->worst);
	if (!f->worst) {
		b->oom = true;
		return -1;
	}
	for (size_t i = 0; i < f->n_hosts; i++)
		if (f->hosts[i].expected && !f->hosts[i].stale)
			f->worst[f->n_worst++] = i;
	if (f->n_worst > 1)
		qsort_r(f->worst, f->n_worst, sizeof *f->worst, fleet_by_worst, f);
	if (f->n_worst > n_worst)
		f->n_worst = n_worst;
	return 0;
}

static int load_trend(build *b, store *s, long days, char *err, size_t err_size)
{
	fleet *f = b->f;
	if (days <= 0)
		return 0;
	int64_t today = f->now - f->now % 86400;
	b->trend_from = today - (int64_t)(days - 1) * 86400;
	f->trend = calloc((size_t)days, sizeof *f->trend);
	long *scored = calloc((size_t)days, sizeof *scored);
	if (!f->trend || !scored) {
		free(scored);
		snprintf(err, err_size, _("out of memory"));
		return -1;
	}
	f->n_trend = (size_t)days;
	for (size_t d = 0; d < f->n_trend; d++)
		f->trend[d].day = b->trend_from + (int64_t)d * 86400;
	b->t_scored = scored;
	b->t_host = 0;
	b->t_score = NAN;
	int rc = store_each_report(s, b->f->org_id, b->trend_from, today + 86400, on_trend_report, b, err,
				   err_size);
	trend_commit(b);
	for (size_t d = 0; d < f->n_trend; d++)
		f->trend[d].mean_score =
			scored[d] ? f->trend[d].mean_score / (double)scored[d] : NAN;
	free(scored);
	b->t_scored = NULL;
	return rc;
}

fleet *fleet_load(store *s, int64_t org_id, const fleet_options *o, char *err,
		  size_t err_size)
{
	fleet_options def = {0};
	if (!o)
		o = &def;
	fleet *f = calloc(1, sizeof *f);
	if (!f) {
		snprintf(err, err_size, _("out of memory"));
		return NULL;
	}
	f->org_id = org_id;
	f->now = o->now ? o->now : (int64_t)time(NULL);
	f->stale_days = o->stale_days > 0 ? o->stale_days : FLEET_STALE_DAYS;
	f->mean_score = NAN;
	build b = {.f = f};
	long expiry = o->expiry_days > 0 ? o->expiry_days : FLEET_EXPIRY_DAYS;
	b.expiry_end = f->now + (int64_t)expiry * 86400;
	/* reports stored before digests existed get theirs now, once */
	if (store_backfill_digests(s, err, err_size) < 0) {
		fleet_free(f);
		return NULL;
	}
	if (store_read_begin(s, err, err_size) != 0) {
		fleet_free(f);
		return NULL;
	}
	json_t **digests = NULL;
	int rc = store_each_host(s, org_id, on_host, &b, err, err_size);
	if (rc == 0)
		rc = store_each_inventory(s, org_id, on_inventory, &b, err, err_size);
	if (rc == 0)
		rc = store_each_retired(s, org_id, on_retired, &b, err, err_size);
	if (rc == 0 && !b.oom) {
		digests = calloc(f->n_hosts + 1, sizeof *digests);
		latest_ctx lc = {&b, digests};
		rc = digests ? store_each_latest_report(s, org_id, on_latest, &lc, err, err_size) : -1;
	}
	if (rc == 0 && !b.oom)
		rc = store_each_exception(s, org_id, 0, INT64_MAX, on_exception, &b, err, err_size);
	if (rc == 0 && !b.oom)
		rc = load_trend(&b, s, o->trend_days ? o->trend_days : FLEET_TREND_DAYS, err,
				err_size);
	store_read_end(s);
	if (rc == 0 && !b.oom)
		rc = figures(&b, digests, o->worst ? o->worst : FLEET_WORST);
	for (size_t i = 0; digests && i < f->n_hosts; i++)
		json_decref(digests[i]);
	free(digests);
	if (rc != 0 || b.oom || !digests) {
		if (b.oom || !digests || rc > 0)
			snprintf(err, err_size, _("out of memory"));
		fleet_free(f);
		return NULL;
	}
	/* the hosts by name from here on: the worst list (indexes) follows */
	char(*names)[256] = malloc((f->n_worst + 1) * sizeof *names);
	if (!names) {
		snprintf(err, err_size, _("out of memory"));
		fleet_free(f);
		return NULL;
	}
	for (size_t i = 0; i < f->n_worst; i++)
		snprintf(names[i], sizeof names[i], "%s", f->hosts[f->worst[i]].name);
	sort(f->hosts, f->n_hosts, sizeof *f->hosts, by_name);
	for (size_t i = 0; i < f->n_worst; i++)
		f->worst[i] = (size_t)(fleet_host_find(f, names[i]) - f->hosts);
	free(names);
	sort(f->exceptions, f->n_exceptions, sizeof *f->exceptions, by_until);
	return f;
}

void fleet_free(fleet *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_hosts; i++) {
		json_decref(f->hosts[i].inventory);
		free(f->hosts[i].failing);
		free(f->hosts[i].articles);
	}
	free(f->hosts);
	for (size_t i = 0; i < f->n_rules; i++) {
		for (long k = 0; k < f->rules[i].hosts_failing; k++)
			free(f->rules[i].hosts[k]);
		free(f->rules[i].hosts);
	}
	free(f->rules);
	free(f->articles);
	free(f->worst);
	free(f->exceptions);
	free(f->trend);
	free(f);
}

const fleet_host *fleet_host_find(const fleet *f, const char *name)
{
	for (size_t i = 0; i < f->n_hosts; i++)
		if (strcasecmp(f->hosts[i].name, name) == 0)
			return &f->hosts[i];
	return NULL;
}

const fleet_rule *fleet_rule_find(const fleet *f, const char *rule)
{
	for (size_t i = 0; i < f->n_rules; i++) {
		const fleet_rule *r = &f->rules[i];
		size_t np = strlen(r->pack);
		if (strcmp(r->rule, rule) == 0 ||
		    (strncmp(rule, r->pack, np) == 0 && rule[np] == ':' &&
		     strcmp(rule + np + 1, r->rule) == 0))
			return r;
	}
	return NULL;
}

/* ---- since when a rule fails ---- */

typedef struct since_walk {
	const char *pack, *rule;
	int64_t since, last_fin, last_row;
	long seen;
	bool broken;
} since_walk;

static bool digest_fails(const char *digest, const char *pack, const char *rule)
{
	json_t *d = digest ? json_loads(digest, 0, NULL) : NULL;
	bool fails = false;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(d, "failing"), i, v)
		if (!strcmp(jstr(v, "rule"), rule) && !strcmp(jstr(v, "pack"), pack))
			fails = true;
	json_decref(d);
	return fails;
}

static int on_since(void *x, const store_report *r)
{
	since_walk *w = x;
	w->seen++;
	w->last_fin = r->finished_at;
	w->last_row = r->row_id;
	if (!digest_fails(r->digest, w->pack, w->rule)) {
		w->broken = true;
		return 1;
	}
	w->since = r->finished_at;
	return 0;
}

int fleet_failing_since(store *s, int64_t org_id, const char *host, const char *pack,
			const char *rule, int64_t *since, char *err, size_t err_size)
{
	enum { PAGE = 64 };
	since_walk w = {.pack = pack, .rule = rule, .last_fin = INT64_MAX, .last_row = INT64_MAX};
	for (;;) {
		long before = w.seen;
		int rc = store_each_host_report(s, org_id, host, w.last_fin, w.last_row, PAGE,
						on_since, &w, err, err_size);
		if (rc < 0)
			return -1;
		if (w.broken || w.seen - before < PAGE)
			break;
	}
	*since = w.since;
	return w.since ? 1 : 0;
}

/* ---- JSON ---- */

static json_t *num_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *time_or_null(int64_t t)
{
	if (!t)
		return json_null();
	char b[21];
	rfc3339_format(t, b);
	return json_string(b);
}

static json_t *tally_json(const fleet_tally *t)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "pass", (json_int_t)t->pass, "fail",
			 (json_int_t)t->fail, "unknown", (json_int_t)t->unknown, "error",
			 (json_int_t)t->error, "not_applicable", (json_int_t)t->not_applicable,
			 "disabled", (json_int_t)t->disabled);
}

static json_t *article_json(const fleet_article *a, bool fleet_level)
{
	json_t *o = json_pack("{s:s,s:s,s:i,s:o,s:o}", "key", a->key, "pack", a->pack, "article",
			      a->article, "results", tally_json(&a->t), "compliance",
			      num_or_null(a->compliance));
	if (fleet_level) {
		json_object_set_new(o, "hosts_failing", json_integer(a->hosts_failing));
		json_object_set_new(o, "hosts_compliant", json_integer(a->hosts_compliant));
	}
	return o;
}

json_t *fleet_rule_json(const fleet_rule *r)
{
	json_t *hosts = json_array();
	for (long i = 0; i < r->hosts_failing; i++)
		json_array_append_new(hosts, json_string(r->hosts[i]));
	return json_pack("{s:s,s:s,s:s,s:{s:s,s:s},s:I,s:o}", "rule", r->rule, "pack", r->pack,
			 "severity", r->severity, "title", "en", r->title_en, "ja", r->title_ja,
			 "hosts_failing", (json_int_t)r->hosts_failing, "hosts", hosts);
}

json_t *fleet_host_json(const fleet *f, const fleet_host *h)
{
	(void)f;
	json_t *failing = json_array(), *arts = json_array();
	for (size_t i = 0; i < h->n_failing; i++)
		json_array_append_new(failing,
				      json_pack("{s:s,s:s,s:s}", "rule", h->failing[i].rule, "pack",
						h->failing[i].pack, "severity", h->failing[i].severity));
	for (size_t i = 0; i < h->n_articles; i++)
		json_array_append_new(arts, article_json(&h->articles[i], false));
	return json_pack("{s:s,s:o,s:b,s:b,s:b,s:o,s:b,s:s?,s:o,s:o,s:o,s:b,s:b,s:o,s:o,s:o}",
			 "hostname", h->name, "inventory",
			 h->inventory ? json_incref(h->inventory) : json_object(), "in_inventory",
			 h->in_inventory, "enrolled", h->enrolled, "retired", h->retired,
			 "retired_at", time_or_null(h->retired_at), "expected", h->expected,
			 "report_id", h->report_id[0] ? h->report_id : NULL, "last_report",
			 time_or_null(h->last_finished), "received_at",
			 time_or_null(h->last_received), "score", num_or_null(h->score),
			 "stale", h->stale, "hostname_mismatch", h->mismatch, "results",
			 tally_json(&h->t), "failing", failing, "articles", arts);
}

json_t *fleet_json(const fleet *f)
{
	json_t *arts = json_array(), *rules = json_array(), *worst = json_array();
	json_t *exc = json_array(), *trend = json_array();
	for (size_t i = 0; i < f->n_articles; i++)
		json_array_append_new(arts, article_json(&f->articles[i], true));
	for (size_t i = 0; i < f->n_rules; i++) {
		const fleet_rule *r = &f->rules[i];
		json_array_append_new(rules, json_pack("{s:s,s:s,s:s,s:{s:s,s:s},s:I}", "rule",
						       r->rule, "pack", r->pack, "severity",
						       r->severity, "title", "en", r->title_en, "ja",
						       r->title_ja, "hosts_failing",
						       (json_int_t)r->hosts_failing));
	}
	for (size_t i = 0; i < f->n_worst; i++) {
		const fleet_host *h = &f->hosts[f->worst[i]];
		json_array_append_new(worst, json_pack("{s:s,s:o,s:I}", "hostname", h->name,
						       "score", num_or_null(h->score), "failing",
						       (json_int_t)h->n_failing));
	}
	for (size_t i = 0; i < f->n_exceptions; i++) {
		const fleet_exception *e = &f->exceptions[i];
		json_array_append_new(exc, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:I,s:b}", "hostname",
						     e->host, "rule", e->rule, "reason", e->reason,
						     "approved_by", e->approved_by, "until", e->until,
						     "expired", e->expired, "days_left",
						     (json_int_t)e->days_left, "claimed", e->claimed));
	}
	for (size_t i = 0; i < f->n_trend; i++) {
		char d[21];
		rfc3339_format(f->trend[i].day, d);
		d[10] = '\0';
		json_array_append_new(trend, json_pack("{s:s,s:I,s:o}", "day", d, "hosts_reporting",
						       (json_int_t)f->trend[i].hosts_reporting,
						       "mean_score",
						       num_or_null(f->trend[i].mean_score)));
	}
	char now[21];
	rfc3339_format(f->now, now);
	return json_pack("{s:s,s:I,s:{s:I,s:I,s:I,s:I,s:I},s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "now",
			 now, "stale_days", (json_int_t)f->stale_days, "hosts", "expected",
			 (json_int_t)f->expected, "reporting", (json_int_t)f->reporting, "stale",
			 (json_int_t)f->stale, "never_reported", (json_int_t)f->never_reported,
			 "retired", (json_int_t)f->retired, "mean_score", num_or_null(f->mean_score),
			 "results", tally_json(&f->t), "articles", arts, "rules", rules,
			 "worst_hosts", worst, "exceptions", exc, "trend", trend);
}
