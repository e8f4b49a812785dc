/* SPDX-License-Identifier: Apache-2.0 */
/* The annual report's model (docs/annual.md): what every format prints,
 * gathered in a few passes over the store that keep the memory flat in
 * the number of reports and small per host (no per-rule data is kept per
 * host; the (host, rule) pairs that failed are kept, a few per host):
 *   1. hosts ∪ inventory (the expected fleet), --department applied;
 *   2. the evidence list (covering index): per host reports, first/last,
 *      months reported, and the SHA-256 of the list; for html, json and
 *      xlsx only the counts here (host_months, kept at ingest: a row per
 *      host and month), the list itself read once later: where the
 *      format writes it (html, json), beside the other sheets (xlsx);
 *   3. host_rule_years, the aggregate kept at ingest (a row per host, rule
 *      and year, its days month by month): per host, month and checklist
 *      the pass/fail day counts; per rule the hosts failing, their days
 *      failing and the last state. */
#ifndef HOSTAUDIT_ANNUAL_MODEL_H
#define HOSTAUDIT_ANNUAL_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "collector.h"
#include "hostaudit/rules.h"

/* Checklists (rule packs) told apart; one more column is "all". */
#define AM_PACKS 8
#define AM_ALL AM_PACKS
#define AM_TOP 10
#define AM_LEDGER_MARKS 4

/* A month of one host (or the fleet) for one checklist: days x rules
 * passing and failing; whether anything was unknown or not applicable. */
typedef struct am_cell {
	uint32_t pass, fail;
	uint8_t unknown, na;
} am_cell;

typedef enum { CELL_NO_REPORT, CELL_RATE, CELL_UNKNOWN, CELL_NA } am_cell_kind;

typedef struct am_host {
	int64_t id;            /* 0: in the inventory, never enrolled */
	char *name;
	char *attributes;      /* the inventory's other columns (JSON), or NULL */
	bool in_inventory, enrolled;
	long reports;
	int64_t first, last;
	uint16_t reported;     /* bit m: a report finished in month m */
	int rules_failing;     /* rules whose last state in the year is fail */
	int severe_failing;    /* of them, critical or high */
	am_cell cell[AM_PACKS + 1][12];
} am_host;

typedef struct am_top {
	size_t host;           /* index in hosts */
	int days;
	char last;
} am_top;

typedef struct am_rule {
	char *name;            /* pack:id */
	int pack;              /* index in packs, or -1 (more packs than AM_PACKS) */
	const rule *meta;      /* from the rule packs read, or NULL */
	char *title[2], *why[2]; /* en, ja; params in force filled in */
	long hosts_seen, hosts_failing, fail_days;
	long last[4];          /* hosts by last state: pass, fail, unknown, n/a */
	am_top top[AM_TOP];    /* the hosts failing on most days */
	int ntop;
} am_rule;

/* The evidence list is read once: in am_build for csv (rows straight to
 * evidence.csv), at its place for html and json (am_evidence_write),
 * after the summary that shows its SHA-256: there a placeholder, filled
 * in once the list is read; for xlsx (per host and month) beside the
 * workbook's other sheets (am_evidence_read). A spool is also
 * what a report to stdout is written to first (am_out). */
typedef struct am_spool {
	FILE *f;
	bool first;            /* no row written yet (JSON's commas) */
	bool direct;           /* f is the format's own file (CSV): not copied */
} am_spool;
typedef int (*am_evidence_row)(am_spool *sp, const am_host *h, const store_evidence *e);

/* One host's reports of one month (the xlsx evidence sheet): how many,
 * the first and last, and the SHA-256 of their lines of the evidence
 * list (as the whole list's, docs/annual.md). */
typedef struct am_host_month {
	size_t host;           /* index in hosts */
	int month;             /* 1..12 */
	long reports;
	int64_t first, last;
	unsigned char sha256[32];
} am_host_month;

/* A rule that failed on at least one day of the year on a host: kept
 * from pass 3 (a few per host) for the formats that list them all. */
typedef struct am_host_rule {
	uint32_t host, rule;   /* indices in hosts, rules */
	int days;
	char last;
} am_host_rule;

typedef struct annual_model {
	const annual_options *o;
	const char *lang;
	int64_t from, to, ref; /* the year; "now" for staleness, at most its end */
	am_host *hosts;        /* by name */
	size_t nhosts;
	size_t *by_id;         /* indices of enrolled hosts, by id */
	size_t nby_id;
	char *packs[AM_PACKS]; /* checklist ids, in column order */
	const pack *pack_meta[AM_PACKS];
	size_t npacks;
	pack **loaded;         /* the rule packs read (metadata) */
	size_t nloaded;
	am_rule *rules;
	size_t nrules, rcap, *slots, nslots;
	am_cell fleet[AM_PACKS + 1][12];
	uint16_t fleet_reported;
	char **columns;        /* inventory columns, sorted */
	size_t ncolumns;
	long expected, reporting, stale, evidence;
	long listed;           /* the evidence lines read */
	char ledger[65];       /* SHA-256 of the evidence lines */
	bool deferred;         /* the list read after am_build (html, json, xlsx) */
	off_t ledger_at[AM_LEDGER_MARKS]; /* where the placeholders are */
	int nledger_at;
	int64_t chain_seq;     /* the hash chain's head at year end (verify) */
	char chain_head[65];
	char chain_text[100]; /* "sequence N, <sha>" */
	am_evidence_row ev_row; /* the format's evidence rows, or NULL */
	am_spool spool;
	bool want_months;      /* keep host_months (xlsx) */
	am_host_month *host_months;
	size_t nhost_months, host_months_cap;
	/* pass 3 bookkeeping: the current host's rules */
	int *tmp_days;
	char *tmp_last;
	size_t *touched, ntouched, tmp_cap;
	size_t cur;            /* current host index, or SIZE_MAX */
	int64_t cur_id;
	am_host_rule *host_rules; /* the (host, rule) pairs that failed on a day */
	size_t nhost_rules, host_rules_cap;
} annual_model;

/* Builds the model in one read snapshot: s's, and twin's (the same,
 * store_read_begin_twin) when not NULL, which reads host_rule_years
 * meanwhile on a thread of its own. ev_row: the format's evidence row
 * writer, or NULL; its rows go to ev_file when given (CSV's own
 * evidence.csv), else to the format's file later (am_evidence_write);
 * none and no ev_file: the list read later (am_evidence_read);
 * months: keep host_months. 0 or -1 with err. */
int am_build(annual_model *m, store *s, store *twin, const annual_options *o,
	     am_evidence_row ev_row, FILE *ev_file, bool months, char *err, size_t err_size);
/* The report's language: "ja" or "en". */
const char *am_lang(const annual_options *o);
void am_free(annual_model *m);

/* The kind of a month cell, and its pass rate (0..100) for CELL_RATE. */
am_cell_kind am_cell_of(const am_cell *c, bool reported, double *rate);
/* The cell in words: "87%", or the localised unknown / not applicable /
 * no report. */
void am_cell_text(const annual_model *m, const am_cell *c, bool reported, char *buf,
		  size_t size);
/* The checklist's short name ("9か条", "9 articles") or its id. */
const char *am_pack_name(const annual_model *m, int pack);
/* A rule's title in the report's language (in lang: "en" or "ja"), or
 * its id when not known. */
const char *am_rule_title(const annual_model *m, const am_rule *r);
const char *am_rule_title_in(const am_rule *r, const char *lang);
const char *am_rule_rationale(const annual_model *m, const am_rule *r);
/* "pass", "fail", ... in the report's language. */
const char *am_state_name(const annual_model *m, char state);
/* Whether a host is stale at m->ref (expected, and no report for more
 * than stale_days). */
bool am_stale(const annual_model *m, const am_host *h);
/* The year's fleet pass rate in all checklists (NaN: none). */
double am_overall(const annual_model *m, int pack);

/* Indices into rules: the AM_TOP failing on most hosts; all rules by
 * checklist, article, id. Indices into hosts: the AM_TOP with the most
 * critical/high rules failing at year end. malloc'd, *n set. */
size_t *am_top_rules(const annual_model *m, size_t *n);
size_t *am_rules_ordered(const annual_model *m, size_t *n);
size_t *am_top_hosts(const annual_model *m, size_t *n);

/* Every (host, rule) that failed on at least one day, in host id order. */
void am_each_host_rule(annual_model *m,
		       void (*cb)(void *, const am_host *, const am_rule *, int days, char last),
		       void *ctx);
/* store_each_evidence, the store read on a thread of its own and cb
 * called on this one (evidence_pipe.c): the same rows in the same order,
 * the same answer; cb returning non-zero stops both. */
int am_each_evidence_piped(store *s, int64_t org_id, int64_t from, int64_t to,
			   int (*cb)(void *, const store_evidence *), void *ctx, char *err,
			   size_t err_size);
/* The list's SHA-256 is printed in f, `ahead` bytes after what is written
 * so far: when the list is still to be read, m->ledger is a placeholder of
 * its length there, remembered to be filled in. 0, or -1 (not seekable,
 * too many). */
int am_ledger_mark(annual_model *m, FILE *f, size_t ahead);
/* The evidence list read and its rows written to f at this place (html,
 * json), then its SHA-256 written over the placeholders. f: a regular
 * file (am_out). 0 or -1 with err. */
int am_evidence_write(annual_model *m, store *s, FILE *f, char *err, size_t err_size);
/* The evidence list read after am_build: its rows to the format's writer,
 * its SHA-256 into m->ledger (and each host-month's, m->host_months); it
 * writes nothing else of m, so another thread may meanwhile write the
 * parts of the report that do not print those. 0, or -1 with err (also
 * when it lists other reports than am_build counted). */
int am_evidence_read(annual_model *m, store *s, char *err, size_t err_size);

/* One exception as the report shows it. */
typedef enum { EXC_ACTIVE, EXC_EXPIRING, EXC_EXPIRED_CLAIMED, EXC_ENDED } am_exc_state;
am_exc_state am_exception_state(const annual_model *m, const store_exception *e);
const char *am_exception_state_name(const annual_model *m, am_exc_state st);
/* The exceptions of the report's hosts. */
int am_each_exception(annual_model *m, store *s,
		      int (*cb)(void *, const store_exception *, am_exc_state), void *ctx,
		      char *err, size_t err_size);

/* A SHA-256 in lower-case hex. */
void am_hex(const unsigned char md[32], char out[65]);
/* A time as YYYY-MM-DD (UTC), "" for 0. */
void am_date(int64_t t, char b[11]);
/* The value of an inventory column of h, "" when none (malloc'd). */
char *am_attr(const am_host *h, const char *column);

/* A file's dirty pages sent to disk every 100 ms while it grows
 * (writeback.c), so that its fsync is short. NULL: not started (no
 * harm: the fsync then writes it all). */
typedef struct am_writeback am_writeback;
am_writeback *am_writeback_start(int fd);
void am_writeback_stop(am_writeback *w);

/* ---- the one place every output file is written (out.c) ----
 * To a temporary file beside PATH, renamed over it when complete: a
 * reader never sees half a report, and a symbolic link, FIFO or directory
 * at PATH is refused, never written through. The `report` command signs
 * the finished file (FILE.sig, report_sign.c). */
typedef struct am_out {
	FILE *f;
	char path[4200], tmp[4220];
	am_spool to_stdout;    /* path NULL: f is this spool, copied out on commit */
	int fd;                /* the temporary file, -1: none */
	struct am_writeback *wb; /* its pages sent to disk as it grows */
} am_out;
/* path NULL: stdout (through a spool: f is always a regular file, so a
 * placeholder can be filled in). 0 or -1 with err. */
int am_out_open(am_out *o, const char *path, char *err, size_t err_size);
/* For writers that open the file themselves (libxlsxwriter): the
 * temporary name to write, then am_out_commit(). */
int am_out_reserve(am_out *o, const char *path, char *err, size_t err_size);
int am_out_commit(am_out *o, char *err, size_t err_size);
void am_out_abort(am_out *o);

/* CSV for Excel: a cell quoted, a leading = + - @ tab or CR neutralised
 * (Excel would run it as a formula); rows end in CRLF. */
void am_csv_cell(FILE *f, const char *s, bool last);
void am_csv_row(FILE *f, int n, ...);
/* t as RFC 3339 UTC ("2026-01-02T09:00:00Z"), fast. */
void am_time(int64_t t, char b[21]);
/* s as a JSON string (UTF-8 kept; ", \ and control characters escaped). */
void am_json_str(FILE *f, const char *s);

/* The spool (spool.c): an unlinked temporary file in dir (the report's
 * own directory: the list is as large as the report), or in TMPDIR when
 * dir is NULL. */
int am_spool_open(am_spool *sp, const char *dir, char *err, size_t err_size);
int am_spool_copy(am_spool *sp, FILE *to, char *err, size_t err_size);
void am_spool_close(am_spool *sp);

/* The formats: their evidence rows (am_build's ev_row), then the rest. */
int annual_html_evidence_row(am_spool *sp, const am_host *h, const store_evidence *e);
int annual_csv_evidence_row(am_spool *sp, const am_host *h, const store_evidence *e);
int annual_json_evidence_row(am_spool *sp, const am_host *h, const store_evidence *e);
int annual_write_html(annual_model *m, store *s, FILE *f, char *err, size_t err_size);
/* CSV: the directory made and evidence.csv begun (am_build writes its
 * rows), then the other files, evidence.csv committed last. */
int annual_csv_begin(const annual_options *o, am_out *evidence, char *err, size_t err_size);
int annual_write_csv(annual_model *m, store *s, const char *dir, am_out *evidence, char *err,
		     size_t err_size);
int annual_write_json(annual_model *m, store *s, FILE *f, char *err, size_t err_size);
/* twin: the same snapshot as s (store_read_begin_twin), or NULL; the
 * evidence list is read there meanwhile. */
int annual_write_xlsx(annual_model *m, store *s, store *twin, const char *path, char *err,
		      size_t err_size);

#endif
