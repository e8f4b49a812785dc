/* SPDX-License-Identifier: Apache-2.0 */
/* What a store backend provides (store.h): a table of operations, and the
 * struct store every backend's own struct begins with. store.c picks the
 * backend by the `database:` value and dispatches; nothing else includes
 * this file but the backends. */
#ifndef HOSTAUDIT_COLLECTOR_STORE_BACKEND_H
#define HOSTAUDIT_COLLECTOR_STORE_BACKEND_H

#include "store.h"

typedef struct store_ops {
	const char *kind;
	store *(*open)(const char *database, char *err, size_t err_size);
	void (*close)(store *s);
	int (*schema_version)(store *s);
	/* stores an already made token's hash for host */
	int (*enroll)(store *s, int64_t org_id, const char *host, const char *token_sha256,
		      int64_t when, char *err, size_t err_size);
	/* only when not enrolled: 1 stored, 0 enrolled already, -1 */
	int (*enroll_new)(store *s, int64_t org_id, const char *host, const char *token_sha256,
			  int64_t when, char *err, size_t err_size);
	int (*rate_limit_hit)(store *s, int64_t org_id, const char *key, int64_t now,
			      long window_s, long *count, int64_t *window_end);
	int (*rate_limit_refund)(store *s, int64_t org_id, const char *key);
	int (*auth)(store *s, const char *token_sha256, int64_t *host_id, int64_t *org_id,
		    char *name, size_t name_size);
	/* org_id 0: the enrolled host of that name in any organisation (1, or
	 * 2 when several); else that organisation's, enrolled or not */
	int (*host_by_name)(store *s, int64_t org_id, const char *host, int64_t *host_id,
			    int64_t *host_org, char *name, size_t name_size);
	int (*org_add)(store *s, const char *name, const char *secret_sha256, int64_t when,
		       int64_t *id, char *err, size_t err_size);
	int (*org_by_name)(store *s, const char *name, int64_t *id);
	int (*org_by_secret)(store *s, const char *secret_sha256, int64_t *id);
	int (*each_org)(store *s, int (*cb)(void *, const store_org *), void *ctx, char *err,
			size_t err_size);
	int (*org_remove)(store *s, int64_t id, char *err, size_t err_size);
	void (*ingest_batch)(store *s, const ingest *const *in, ingest_outcome *out, size_t n);
	int (*inventory_replace)(store *s, int64_t org_id, const inventory_row *rows, size_t n,
				 char *err, size_t err_size);
	int (*read_begin)(store *s, char *err, size_t err_size);
	void (*read_end)(store *s);
	int (*read_begin_twin)(store *s, store **twin, char *err, size_t err_size);
	int (*each_host)(store *s, int64_t org_id, int (*cb)(void *, const store_host *),
			 void *ctx, char *err, size_t err_size);
	int (*each_inventory)(store *s, int64_t org_id,
			      int (*cb)(void *, const char *, const char *), void *ctx, char *err,
			      size_t err_size);
	int (*each_report)(store *s, int64_t org_id, int64_t from, int64_t to,
			   int (*cb)(void *, const store_report *), void *ctx, char *err,
			   size_t err_size);
	int (*each_exception)(store *s, int64_t org_id, int64_t from, int64_t to,
			      int (*cb)(void *, const store_exception *), void *ctx, char *err,
			      size_t err_size);
	/* the stored bytes and their encoding (body_codec.h) */
	int (*export_body)(store *s, int64_t org_id, const char *report_id, unsigned char **data,
			   size_t *len, int *encoding, char *err, size_t err_size);
	int (*fleet_scores)(store *s, int64_t org_id, int64_t from, int64_t to, store_fleet *out,
			    char *err, size_t err_size);
	int (*inventory_attr)(store *s, int64_t org_id, const char *host, const char *key,
			      char *value, size_t size);
	int (*inventory_set_attr)(store *s, int64_t org_id, const char *host, const char *key,
				  const char *value, int64_t when, char *err, size_t err_size);
	int (*each_latest)(store *s, int64_t org_id, int (*cb)(void *, const char *, const char *),
			   void *ctx, char *err, size_t err_size);
	long (*prune_bodies)(store *s, int64_t before, char *err, size_t err_size);
	void (*bench_unsafe)(store *s);
	/* alerts (store.h, store_alert_*) */
	int (*alert_new_reports)(store *s, int64_t org_id, long limit,
				 int (*cb)(void *, const store_alert_report *), void *ctx,
				 int64_t *last, char *err, size_t err_size);
	int (*alert_cursor_advance)(store *s, int64_t org_id, int64_t to, char *err,
				    size_t err_size);
	int (*alert_each_silent)(store *s, int64_t org_id, int64_t before,
				 int (*cb)(void *, const store_alert_silent *), void *ctx,
				 char *err, size_t err_size);
	int (*alert_event_add)(store *s, int64_t org_id, const store_alert_event *e,
			       const char *const *receivers, size_t n, char *err,
			       size_t err_size);
	int (*alert_each_event)(store *s, int64_t org_id, int64_t from, int64_t to,
				int (*cb)(void *, const store_alert_event *), void *ctx,
				char *err, size_t err_size);
	int (*alert_claim)(store *s, int64_t org_id, const char *owner, int64_t now,
			   long lease_s, store_alert_delivery *d, char *err, size_t err_size);
	int (*alert_attempt)(store *s, int64_t org_id, int64_t delivery_id, const char *owner,
			     int64_t now, bool ok, const char *detail, int64_t next_at,
			     char *err, size_t err_size);
	int (*alert_each_delivery)(store *s, int64_t org_id, int64_t since,
				   int (*cb)(void *, const store_alert_delivery *), void *ctx,
				   char *err, size_t err_size);
	/* evidence: the hash chain; each_link fills packed/encoding (when
	 * bodies) and body_removed, store.c unpacks */
	int (*each_link)(store *s, int64_t org_id, bool bodies,
			 int (*cb)(void *, const store_link *), void *ctx, char *err,
			 size_t err_size);
	int (*chain_head)(store *s, int64_t org_id, int64_t at, int64_t *seq, char sha[65],
			  char *err, size_t err_size);
	int (*chain_tip)(store *s, int64_t org_id, int64_t *seq, char sha[65], char *err,
			 size_t err_size);
	int (*chain_unlinked)(store *s, int64_t org_id, long *count, char first[64], char *err,
			      size_t err_size);
	/* the year at a glance (annual report) */
	int (*each_rule_year)(store *s, int64_t org_id, int year,
			      int (*cb)(void *, const store_rule_year *), void *ctx, char *err,
			      size_t err_size);
	int (*each_evidence)(store *s, int64_t org_id, int64_t from, int64_t to,
			     int (*cb)(void *, const store_evidence *), void *ctx, char *err,
			     size_t err_size);
	/* the host_months aggregate's rows, by host id then month
	 * (store_each_host_reports folds them per host) */
	int (*each_host_month)(store *s, int64_t org_id, int from_month, int to_month,
			       int (*cb)(void *, const store_host_month *), void *ctx, char *err,
			       size_t err_size);
	/* the console's people and sessions (ui branch) */
	int (*user_add)(store *s, int64_t org_id, const store_user *u, char *err, size_t err_size);
	int (*user_set_hash)(store *s, int64_t org_id, const char *name, const char *hash,
			     char *err, size_t err_size);
	int (*user_get)(store *s, int64_t org_id, const char *name, store_user *out);
	int (*each_user)(store *s, int64_t org_id, int (*cb)(void *, const store_user *),
			 void *ctx, char *err, size_t err_size);
	int (*user_remove)(store *s, int64_t org_id, const char *name, char *err,
			   size_t err_size);
	int (*session_add)(store *s, int64_t org_id, const char *id_sha256, const char *user,
			   const char *csrf, int64_t now, int64_t expires_at, char *err,
			   size_t err_size);
	int (*session_get)(store *s, int64_t org_id, const char *id_sha256, int64_t now,
			   store_session *out);
	int (*session_end)(store *s, int64_t org_id, const char *id_sha256);
	int (*session_org)(store *s, const char *id_sha256, int64_t *org_id);
	/* api: the fleet model, API tokens, host lifecycle, metrics */
	int (*each_latest_report)(store *s, int64_t org_id, int (*cb)(void *, const store_report *),
				  void *ctx, char *err, size_t err_size);
	int (*each_host_report)(store *s, int64_t org_id, const char *host, int64_t bf,
				int64_t br, long limit, int (*cb)(void *, const store_report *),
				void *ctx, char *err, size_t err_size);
	/* reports without a digest: (report_id, summary), at most limit */
	int (*each_undigested)(store *s, long limit,
			       int (*cb)(void *, const char *, const char *), void *ctx,
			       char *err, size_t err_size);
	int (*set_digest)(store *s, const char *report_id, const char *digest, char *err,
			  size_t err_size);
	int (*host_revoke)(store *s, int64_t org_id, const char *host, char *err,
			   size_t err_size);
	int (*host_rename)(store *s, int64_t org_id, const char *from, const char *to,
			   char *err, size_t err_size);
	int (*host_retire)(store *s, int64_t org_id, const char *host, int64_t when, char *err,
			   size_t err_size);
	int (*each_retired)(store *s, int64_t org_id, int (*cb)(void *, const char *, int64_t),
			    void *ctx, char *err, size_t err_size);
	int (*token_add)(store *s, int64_t org_id, const char *name, const char *role_name,
			 const char *hash, int64_t when, char *err, size_t err_size);
	int (*token_auth)(store *s, const char *hash, int64_t *org_id, char *role_name,
			  size_t role_size, char *name, size_t name_size);
	int (*each_token)(store *s, int64_t org_id, int (*cb)(void *, const store_token *),
			  void *ctx, char *err, size_t err_size);
	int (*token_revoke)(store *s, int64_t org_id, const char *name, char *err,
			    size_t err_size);
	int (*report_count)(store *s, int64_t org_id, int64_t *n, char *err, size_t err_size);
} store_ops;

struct store {
	const store_ops *ops;
};

extern const store_ops store_sqlite_ops, store_pg_ops;

/* Whether a report's host.hostname names the token's host (else the
 * report is flagged): hostname_matches() (hostname.c). */
bool hostname_matches(const char *claimed, const char *enrolled);
/* Letters, digits, '-', '.', '_'; 1..253 characters. */
bool store_host_name_ok(const char *host);
/* Why a report is refused (409) whose report_id is stored with another
 * body or host, into err. */
void store_conflict_message(char *err, size_t err_size, const char *report_id);
/* json_string_value() or "". */
const char *store_jstr(const json_t *o, const char *key);
/* in->packed, or the body packed now (*own to free). 0 or -1. */
int store_packed(const ingest *in, const unsigned char **data, size_t *len, int *encoding,
		 unsigned char **own);

/* host_rule_years.days, as both backends store it: 4 states (pass, fail,
 * unknown, not applicable) x 12 months of a big-endian 32-bit mask, bit
 * d-1 for day d. A report's day is the bit at STORE_YEAR_BIT, counted
 * from the first byte's most significant bit (PostgreSQL's bit(n) order). */
#define STORE_YEAR_DAYS (4 * 12 * 4)
#define STORE_YEAR_BIT(slot, month0, day) ((slot) * 384 + (month0) * 32 + 32 - (day))
/* The state's slot in days (0..3), or -1: a state no mask counts. */
int store_year_slot(char state);
/* Where a report finished at t (UTC) counts: its year (*year), its month
 * (*month, YYYYMM) and, for state, its day's bit in days (STORE_YEAR_BIT),
 * or -1 for a state no mask counts. */
int store_year_bit(int64_t t, char state, int *year, int *month);
/* The next result of a summary (store.h results_summary: "rule=state"
 * lines) from *p on: its rule (n bytes) and the state's first letter;
 * false at the end or at a line that is not one. */
bool store_summary_next(const char **p, const char **rule, int *n, char *state);
/* y's four masks from days (len STORE_YEAR_DAYS); false: not that size. */
bool store_rule_year_days(store_rule_year *y, const unsigned char *days, size_t len);

#endif
