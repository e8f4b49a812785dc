/* SPDX-License-Identifier: Apache-2.0 */
/* The store interface (store.h): picks the backend by the `database:`
 * value and dispatches to its operations (store_backend.h); what every
 * backend shares (tokens, host names, result summaries) is here, once. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <openssl/evp.h>

#include "body_codec.h"
#include "store_backend.h"
#include "i18n.h"

/* By prefix, like Postfix's "type:name"; a plain path is SQLite. */
static const struct {
	const char *prefix;
	const store_ops *ops;
} backends[] = {
	{"postgresql://", &store_pg_ops},
	{"postgres://", &store_pg_ops},
};

store *store_open(const char *database, char *err, size_t err_size)
{
	if (body_codec_init(err, err_size) != 0)
		return NULL;
	const store_ops *ops = &store_sqlite_ops;
	for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++)
		if (strncmp(database, backends[i].prefix, strlen(backends[i].prefix)) == 0)
			ops = backends[i].ops;
	store *s = ops->open(database, err, err_size);
	if (s)
		s->ops = ops;
	return s;
}

void store_close(store *s)
{
	if (s)
		s->ops->close(s);
}

const char *store_kind(const store *s)
{
	return s->ops->kind;
}

int store_schema_version(store *s)
{
	return s->ops->schema_version(s);
}

/* A new random token for host and its hash; 0 or -1 with err. */
static int new_token(const char *host, char token[65], char hash[65], char *err,
		     size_t err_size)
{
	if (!store_host_name_ok(host)) {
		snprintf(err, err_size, _("'%s' is not a host name (letters, digits, '-', '.', '_')"),
			 host);
		return -1;
	}
	unsigned char raw[32];
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
		snprintf(err, err_size, _("no randomness available"));
		return -1;
	}
	hex_lower(raw, sizeof raw, token);
	explicit_bzero(raw, sizeof raw);
	/* only the token's hash is stored */
	sha256_hex(token, 64, hash);
	return 0;
}

int store_enroll(store *s, int64_t org_id, const char *host, char token[65], char *err,
		 size_t err_size)
{
	char hash[65];
	if (new_token(host, token, hash, err, err_size) != 0)
		return -1;
	return s->ops->enroll(s, org_id, host, hash, (int64_t)time(NULL), err, err_size);
}

int store_enroll_new(store *s, int64_t org_id, const char *host, char token[65], char *err,
		     size_t err_size)
{
	char hash[65];
	if (new_token(host, token, hash, err, err_size) != 0)
		return -1;
	int rc = s->ops->enroll_new(s, org_id, host, hash, (int64_t)time(NULL), err, err_size);
	if (rc != 1)
		explicit_bzero(token, 65);
	return rc;
}

int store_rate_limit_hit(store *s, int64_t org_id, const char *key, int64_t now,
			 long window_s, long *count, int64_t *window_end)
{
	return s->ops->rate_limit_hit(s, org_id, key, now, window_s, count, window_end);
}

int store_rate_limit_refund(store *s, int64_t org_id, const char *key)
{
	return s->ops->rate_limit_refund(s, org_id, key);
}


int store_auth(store *s, const char *token, int64_t *host_id, int64_t *org_id, char *name,
	       size_t name_size)
{
	char hash[65];
	sha256_hex(token, strlen(token), hash);
	return s->ops->auth(s, hash, host_id, org_id, name, name_size);
}

int store_host_by_name(store *s, const char *host, int64_t *host_id, int64_t *org_id,
		       char *name, size_t name_size)
{
	return s->ops->host_by_name(s, 0, host, host_id, org_id, name, name_size);
}

int store_host_in_org(store *s, int64_t org_id, const char *host, int64_t *host_id, char *name,
		      size_t name_size)
{
	int64_t org;
	if (org_id <= 0)
		return 0;
	return s->ops->host_by_name(s, org_id, host, host_id, &org, name, name_size);
}

/* ---- organisations ---- */

bool store_org_name_ok(const char *name)
{
	return strlen(name) < 64 && store_host_name_ok(name);
}

int store_org_add(store *s, const char *name, const char *secret_sha256, int64_t *id,
		  char *err, size_t err_size)
{
	if (!store_org_name_ok(name)) {
		snprintf(err, err_size,
			 _("'%s' is not an organisation name (1 to 63 letters, digits, '-', '.', '_')"),
			 name);
		return -1;
	}
	return s->ops->org_add(s, name, secret_sha256, (int64_t)time(NULL), id, err, err_size);
}

int store_org_by_name(store *s, const char *name, int64_t *id)
{
	return s->ops->org_by_name(s, name, id);
}

int store_org_by_secret(store *s, const char *secret_sha256, int64_t *id)
{
	return s->ops->org_by_secret(s, secret_sha256, id);
}

int store_each_org(store *s, int (*cb)(void *, const store_org *), void *ctx, char *err,
		   size_t err_size)
{
	return s->ops->each_org(s, cb, ctx, err, err_size);
}

int store_org_remove(store *s, int64_t id, char *err, size_t err_size)
{
	if (id == ORG_DEFAULT) {
		snprintf(err, err_size, _("the default organisation is never removed"));
		return -1;
	}
	return s->ops->org_remove(s, id, err, err_size);
}

void store_ingest_batch(store *s, const ingest *const *in, ingest_outcome *out, size_t n)
{
	s->ops->ingest_batch(s, in, out, n);
}

store_result store_ingest(store *s, const ingest *in, char *err, size_t err_size)
{
	ingest_outcome out;
	store_ingest_batch(s, &in, &out, 1);
	snprintf(err, err_size, "%s", out.err);
	return out.result;
}

int store_inventory_replace(store *s, int64_t org_id, const inventory_row *rows, size_t n,
			    char *err, size_t err_size)
{
	return s->ops->inventory_replace(s, org_id, rows, n, err, err_size);
}

int store_read_begin(store *s, char *err, size_t err_size)
{
	return s->ops->read_begin(s, err, err_size);
}

int store_read_begin_twin(store *s, store **twin, char *err, size_t err_size)
{
	return s->ops->read_begin_twin(s, twin, err, err_size);
}

void store_read_end(store *s)
{
	s->ops->read_end(s);
}

int store_each_host(store *s, int64_t org_id, int (*cb)(void *, const store_host *), void *ctx,
		    char *err, size_t err_size)
{
	return s->ops->each_host(s, org_id, cb, ctx, err, err_size);
}

int store_each_inventory(store *s, int64_t org_id, int (*cb)(void *, const char *, const char *),
			 void *ctx, char *err, size_t err_size)
{
	return s->ops->each_inventory(s, org_id, cb, ctx, err, err_size);
}

int store_each_report(store *s, int64_t org_id, int64_t from, int64_t to,
		      int (*cb)(void *, const store_report *), void *ctx, char *err,
		      size_t err_size)
{
	return s->ops->each_report(s, org_id, from, to, cb, ctx, err, err_size);
}

int store_each_exception(store *s, int64_t org_id, int64_t from, int64_t to,
			 int (*cb)(void *, const store_exception *), void *ctx, char *err,
			 size_t err_size)
{
	return s->ops->each_exception(s, org_id, from, to, cb, ctx, err, err_size);
}

/* org_id 0: whichever organisation's (the provider level's maintenance,
 * store_backfill_digests(); never a caller's choice). */
static int export_in(store *s, int64_t org_id, const char *report_id, char **body,
		     size_t *len, char *err, size_t err_size)
{
	unsigned char *data;
	size_t n;
	int encoding;
	int found = s->ops->export_body(s, org_id, report_id, &data, &n, &encoding, err, err_size);
	if (found != 1)
		return found;
	int rc = body_unpack(data, n, encoding, body, len, err, err_size);
	free(data);
	return rc == 0 ? 1 : -1;
}

int store_export(store *s, int64_t org_id, const char *report_id, char **body, size_t *len,
		 char *err, size_t err_size)
{
	if (org_id <= 0)
		return 0; /* no organisation: nothing of any is found */
	return export_in(s, org_id, report_id, body, len, err, err_size);
}

int store_fleet_scores(store *s, int64_t org_id, int64_t from, int64_t to, store_fleet *out,
		       char *err, size_t err_size)
{
	return s->ops->fleet_scores(s, org_id, from, to, out, err, err_size);
}

int store_inventory_attr(store *s, int64_t org_id, const char *host, const char *key,
			 char *value, size_t size)
{
	return s->ops->inventory_attr(s, org_id, host, key, value, size);
}

int store_inventory_set_attr(store *s, int64_t org_id, const char *host, const char *key,
			     const char *value, char *err, size_t err_size)
{
	return s->ops->inventory_set_attr(s, org_id, host, key, value, (int64_t)time(NULL), err,
					  err_size);
}

int store_each_latest(store *s, int64_t org_id, int (*cb)(void *, const char *, const char *),
		      void *ctx, char *err, size_t err_size)
{
	return s->ops->each_latest(s, org_id, cb, ctx, err, err_size);
}

long store_prune_bodies(store *s, int64_t before, char *err, size_t err_size)
{
	return s->ops->prune_bodies(s, before, err, err_size);
}

int store_packed(const ingest *in, const unsigned char **data, size_t *len, int *encoding,
		 unsigned char **own)
{
	*own = NULL;
	if (in->packed) {
		*data = in->packed;
		*len = in->packed_len;
		*encoding = in->encoding;
		return 0;
	}
	if (body_pack(in->body, in->body_len, own, len, encoding) != 0)
		return -1;
	*data = *own;
	return 0;
}

void store_bench_unsafe(store *s)
{
	s->ops->bench_unsafe(s);
}

int store_each_rule_year(store *s, int64_t org_id, int year,
			 int (*cb)(void *, const store_rule_year *), void *ctx, char *err,
			 size_t err_size)
{
	return s->ops->each_rule_year(s, org_id, year, cb, ctx, err, err_size);
}

int store_year_slot(char st)
{
	return st == 'p' ? 0 : st == 'f' ? 1 : st == 'u' || st == 'e' ? 2
	       : st == 'n' || st == 'd' ? 3 : -1;
}

int store_year_bit(int64_t t, char state, int *year, int *month)
{
	int day, m = store_month_of(t, &day);
	int month0 = (m % 100 + 100) % 100 - 1; /* 0..11, years before 0 too */
	*year = (m - month0 - 1) / 100;
	*month = m;
	int slot = store_year_slot(state);
	return slot < 0 ? -1 : STORE_YEAR_BIT(slot, month0, day);
}

bool store_summary_next(const char **p, const char **rule, int *n, char *state)
{
	const char *at = *p;
	if (!at || !*at)
		return false;
	const char *eq = strchr(at, '='), *nl = strchr(at, '\n');
	if (!eq || (nl && nl < eq) || !eq[1])
		return false;
	*rule = at;
	*n = (int)(eq - at);
	*state = eq[1];
	*p = nl ? nl + 1 : NULL;
	return true;
}

bool store_rule_year_days(store_rule_year *y, const unsigned char *days, size_t len)
{
	if (len != STORE_YEAR_DAYS)
		return false;
	uint32_t *to[4] = {y->pass_days, y->fail_days, y->unknown_days, y->na_days};
	for (int st = 0; st < 4; st++)
		for (int k = 0; k < 12; k++) {
			const unsigned char *p = days + 4 * (12 * st + k);
			to[st][k] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
				    (uint32_t)p[2] << 8 | p[3];
		}
	return true;
}

int store_each_evidence(store *s, int64_t org_id, int64_t from, int64_t to,
			int (*cb)(void *, const store_evidence *), void *ctx, char *err,
			size_t err_size)
{
	return s->ops->each_evidence(s, org_id, from, to, cb, ctx, err, err_size);
}

typedef struct host_fold {
	store_host_reports cur;
	int (*cb)(void *, const store_host_reports *);
	void *ctx;
} host_fold;

static int fold_host_month(void *x, const store_host_month *hm)
{
	host_fold *f = x;
	int stop = 0;
	if (f->cur.reports && hm->host_id != f->cur.host_id) {
		stop = f->cb(f->ctx, &f->cur);
		f->cur.reports = 0;
	}
	if (!f->cur.reports)
		f->cur = (store_host_reports){.host_id = hm->host_id, .first = hm->first};
	f->cur.reports += hm->reports;
	f->cur.first = hm->first < f->cur.first ? hm->first : f->cur.first;
	f->cur.last = hm->last > f->cur.last ? hm->last : f->cur.last;
	f->cur.months |= (uint16_t)(1u << (hm->month % 100 - 1));
	return stop;
}

int store_each_host_reports(store *s, int64_t org_id, int year,
			    int (*cb)(void *, const store_host_reports *), void *ctx, char *err,
			    size_t err_size)
{
	if (year < 1970 || year > 9998) {
		snprintf(err, err_size, _("year %d is out of range"), year);
		return -1;
	}
	host_fold f = {.cb = cb, .ctx = ctx};
	int rc = s->ops->each_host_month(s, org_id, year * 100 + 1, year * 100 + 12,
					 fold_host_month, &f, err, err_size);
	if (rc == 0 && f.cur.reports)
		rc = cb(ctx, &f.cur);
	return rc;
}

int store_month_of(int64_t t, int *day)
{
	struct tm tm;
	time_t tt = (time_t)t;
	gmtime_r(&tt, &tm);
	if (day)
		*day = tm.tm_mday;
	return (tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
}

/* ---- shared helpers ---- */

void store_conflict_message(char *err, size_t err_size, const char *report_id)
{
	/* for the agent, as the upload endpoint's other answers: English */
	snprintf(err, err_size,
		 "report_id %s is already stored with another body or from another host",
		 report_id);
}

void hex_lower(const unsigned char *in, size_t n, char *out)
{
	static const char digit[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digit[in[i] >> 4];
		out[2 * i + 1] = digit[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	hex_lower(md, sizeof md, out);
}

bool store_host_name_ok(const char *h)
{
	size_t n = strlen(h);
	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '-' && h[i] != '.' && h[i] != '_')
			return false;
	return true;
}

const char *store_jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

char *results_summary(const json_t *report)
{
	size_t cap = 256, len = 0, i;
	char *out = malloc(cap);
	json_t *r;
	if (!out)
		return NULL;
	out[0] = '\0';
	json_array_foreach(json_object_get(report, "results"), i, r) {
		const char *pack = json_string_value(json_object_get(r, "pack"));
		const char *id = json_string_value(json_object_get(r, "id"));
		const char *st = json_string_value(json_object_get(r, "status"));
		if (!pack || !id || !st)
			continue;
		char c = !strcmp(st, "not_applicable") ? 'n' : !strcmp(st, "disabled") ? 'd' : st[0];
		size_t need = strlen(pack) + strlen(id) + 5;
		if (len + need + 1 > cap) {
			while (len + need + 1 > cap)
				cap *= 2;
			char *n = realloc(out, cap);
			if (!n) {
				free(out);
				return NULL;
			}
			out = n;
		}
		len += (size_t)snprintf(out + len, cap - len, "%s:%s=%c\n", pack, id, c);
	}
	return out;
}

/* ---- the console's people and sessions (ui branch) ---- */

int store_user_add(store *s, int64_t org_id, const store_user *u, char *err, size_t err_size)
{
	return s->ops->user_add(s, org_id, u, err, err_size);
}

int store_user_set_hash(store *s, int64_t org_id, const char *name, const char *hash,
			char *err, size_t err_size)
{
	return s->ops->user_set_hash(s, org_id, name, hash, err, err_size);
}

int store_user_get(store *s, int64_t org_id, const char *name, store_user *out)
{
	return s->ops->user_get(s, org_id, name, out);
}

int store_each_user(store *s, int64_t org_id, int (*cb)(void *ctx, const store_user *u),
		    void *ctx, char *err, size_t err_size)
{
	return s->ops->each_user(s, org_id, cb, ctx, err, err_size);
}

int store_user_remove(store *s, int64_t org_id, const char *name, char *err, size_t err_size)
{
	return s->ops->user_remove(s, org_id, name, err, err_size);
}

int store_session_add(store *s, int64_t org_id, const char *id_sha256, const char *user,
		      const char *csrf, int64_t now, int64_t expires_at, char *err,
		      size_t err_size)
{
	return s->ops->session_add(s, org_id, id_sha256, user, csrf, now, expires_at, err,
				   err_size);
}

int store_session_get(store *s, int64_t org_id, const char *id_sha256, int64_t now,
		      store_session *out)
{
	return s->ops->session_get(s, org_id, id_sha256, now, out);
}

int store_session_org(store *s, const char *id_sha256, int64_t *org_id)
{
	return s->ops->session_org(s, id_sha256, org_id);
}

int store_session_end(store *s, int64_t org_id, const char *id_sha256)
{
	return s->ops->session_end(s, org_id, id_sha256);
}

/* ---- api: the fleet model, API tokens, host lifecycle, metrics ---- */

int store_each_latest_report(store *s, int64_t org_id, int (*cb)(void *, const store_report *),
			     void *ctx, char *err, size_t err_size)
{
	return s->ops->each_latest_report(s, org_id, cb, ctx, err, err_size);
}

int store_each_host_report(store *s, int64_t org_id, const char *host, int64_t bf,
			   int64_t br, long limit, int (*cb)(void *, const store_report *),
			   void *ctx, char *err, size_t err_size)
{
	return s->ops->each_host_report(s, org_id, host, bf, br, limit, cb, ctx, err, err_size);
}

typedef struct pending {
	char (*id)[40];
	char **summary;
	size_t n;
} pending;

static int pending_add(void *x, const char *report_id, const char *summary)
{
	pending *p = x;
	snprintf(p->id[p->n], 40, "%s", report_id);
	p->summary[p->n] = strdup(summary ? summary : "");
	return p->summary[p->n++] ? 0 : -1;
}

/* In rounds of a few hundred, each report's digest from its exact bytes
 * (store_export: whatever the stored encoding). */
long store_backfill_digests(store *s, char *err, size_t err_size)
{
	enum { ROUND = 256 };
	long done = 0;
	char(*ids)[40] = malloc(ROUND * sizeof *ids);
	char **sums = calloc(ROUND, sizeof *sums);
	int rc = ids && sums ? 0 : -1;
	if (rc)
		snprintf(err, err_size, _("out of memory"));
	while (rc == 0) {
		pending p = {ids, sums, 0};
		int e = s->ops->each_undigested(s, ROUND, pending_add, &p, err, err_size);
		if (e != 0) {
			if (e > 0)
				snprintf(err, err_size, _("out of memory"));
			rc = -1;
		}
		for (size_t i = 0; i < p.n; i++) {
			char *body = NULL, *digest = NULL;
			size_t len;
			int found = rc ? -1 : export_in(s, 0, ids[i], &body, &len, err, err_size);
			if (found == 1) {
				json_t *rep = json_loadb(body, len, 0, NULL);
				digest = rep ? report_digest(rep) : NULL;
				json_decref(rep);
			}
			if (found >= 0 && !digest)
				digest = report_digest_from_summary(sums[i]); /* body gone or bad */
			if (rc == 0 && !digest) {
				snprintf(err, err_size, _("out of memory"));
				rc = -1;
			}
			if (rc == 0 && s->ops->set_digest(s, ids[i], digest, err, err_size) != 0)
				rc = -1;
			if (rc == 0)
				done++;
			free(body);
			free(digest);
			free(sums[i]);
		}
		if (p.n < ROUND)
			break;
	}
	free(ids);
	free(sums);
	return rc == 0 ? done : -1;
}

int store_host_revoke(store *s, int64_t org_id, const char *host, char *err, size_t err_size)
{
	return s->ops->host_revoke(s, org_id, host, err, err_size);
}

int store_host_rename(store *s, int64_t org_id, const char *from, const char *to, char *err,
		      size_t err_size)
{
	if (!store_host_name_ok(to)) {
		snprintf(err, err_size, _("'%s' is not a host name (letters, digits, '-', '.', '_')"),
			 to);
		return -1;
	}
	return s->ops->host_rename(s, org_id, from, to, err, err_size);
}

int store_host_retire(store *s, int64_t org_id, const char *host, int64_t when, char *err,
		      size_t err_size)
{
	return s->ops->host_retire(s, org_id, host, when, err, err_size);
}

int store_each_retired(store *s, int64_t org_id, int (*cb)(void *, const char *, int64_t),
		       void *ctx, char *err, size_t err_size)
{
	return s->ops->each_retired(s, org_id, cb, ctx, err, err_size);
}

int store_token_create(store *s, int64_t org_id, const char *name, const char *role_name,
		       char token[STORE_API_TOKEN_SIZE], char *err, size_t err_size)
{
	if (strcmp(role_name, "auditor") != 0 && strcmp(role_name, "metrics") != 0) {
		snprintf(err, err_size, _("role '%s': auditor or metrics"), role_name);
		return -1;
	}
	size_t n = strlen(name);
	bool ok = n > 0 && n <= 64;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("-._", name[i]))
			ok = false;
	if (!ok) {
		snprintf(err, err_size, _("token name '%s': 1 to 64 letters, digits, '-', '.', '_'"),
			 name);
		return -1;
	}
	unsigned char raw[32];
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
		snprintf(err, err_size, _("no randomness available"));
		return -1;
	}
	/* "hat_": an API token is told from a host token by eye (and by grep) */
	memcpy(token, "hat_", 4);
	hex_lower(raw, sizeof raw, token + 4);
	explicit_bzero(raw, sizeof raw);
	char hash[65];
	sha256_hex(token, strlen(token), hash);
	int rc = s->ops->token_add(s, org_id, name, role_name, hash, (int64_t)time(NULL), err,
				   err_size);
	if (rc != 0)
		explicit_bzero(token, STORE_API_TOKEN_SIZE);
	return rc;
}

int store_token_auth(store *s, const char *token, int64_t *org_id, char *role_name,
		     size_t role_size, char *name, size_t name_size)
{
	char hash[65];
	sha256_hex(token, strlen(token), hash);
	return s->ops->token_auth(s, hash, org_id, role_name, role_size, name, name_size);
}

int store_each_token(store *s, int64_t org_id, int (*cb)(void *, const store_token *),
		     void *ctx, char *err, size_t err_size)
{
	return s->ops->each_token(s, org_id, cb, ctx, err, err_size);
}

int store_token_revoke(store *s, int64_t org_id, const char *name, char *err,
		       size_t err_size)
{
	return s->ops->token_revoke(s, org_id, name, err, err_size);
}

int store_report_count(store *s, int64_t org_id, int64_t *n, char *err, size_t err_size)
{
	return s->ops->report_count(s, org_id, n, err, err_size);
}
