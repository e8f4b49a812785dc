/* SPDX-License-Identifier: Apache-2.0 */
/* The annual report as an Excel workbook, through libxlsxwriter in its
 * constant-memory mode (each row goes to disk when the next begins):
 * sheets summary, rules, rule_failures, hosts, exceptions, evidence (one
 * row per host and month; more sheets past Excel's 1,048,576 rows). Every sheet's header row
 * is frozen and filtered. A month's pass rate is a number; unknown, not
 * applicable and no report are words. */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "hostaudit/report.h"
#include "i18n.h"
#include "model.h"
#include "org_directives.h"

#define XLSX_ROWS 1048576u

typedef struct book {
	lxw_workbook *wb;
	lxw_format *bold, *rate;
	annual_model *m;
	lxw_worksheet *ws;
	lxw_row_t row;
	lxw_col_t cols;
	int failure_sheet;
	bool failed;           /* a sheet could not be added */
} book;

/* ws (added before, or now by sheet()) with its header row */
static lxw_worksheet *sheet_in(book *b, lxw_worksheet *ws, int ncols, const char *const *head)
{
	b->ws = ws;
	b->row = 0;
	b->cols = (lxw_col_t)ncols;
	if (!b->ws)
		return NULL;
	for (int c = 0; c < ncols; c++)
		worksheet_write_string(b->ws, 0, (lxw_col_t)c, head[c], b->bold);
	worksheet_freeze_panes(b->ws, 1, 0);
	worksheet_set_column(b->ws, 0, (lxw_col_t)(ncols - 1), 16, NULL);
	b->row = 1;
	return b->ws;
}

static lxw_worksheet *sheet(book *b, const char *name, int ncols, const char *const *head)
{
	return sheet_in(b, workbook_add_worksheet(b->wb, name), ncols, head);
}

/* The filter over the rows written, once the sheet is complete. */
static void sheet_end(book *b)
{
	if (b->ws && b->cols)
		worksheet_autofilter(b->ws, 0, 0, b->row > 1 ? b->row - 1 : 1, b->cols - 1);
}

static void str(book *b, lxw_col_t c, const char *s)
{
	worksheet_write_string(b->ws, b->row, c, s ? s : "", NULL);
}

static void num(book *b, lxw_col_t c, double v)
{
	worksheet_write_number(b->ws, b->row, c, v, NULL);
}

static void cell(book *b, lxw_col_t c, const am_cell *x, bool reported)
{
	double r = 0;
	if (am_cell_of(x, reported, &r) == CELL_RATE) {
		worksheet_write_number(b->ws, b->row, c, floor(r * 10) / 10, b->rate);
		return;
	}
	char t[64];
	am_cell_text(b->m, x, reported, t, sizeof t);
	str(b, c, t);
}

static void months_head(const annual_model *m, const char **head, char (*buf)[16], int at)
{
	for (int i = 0; i < 12; i++) {
		snprintf(buf[i], 16, "%04d-%02d", m->o->year, i + 1);
		head[at + i] = buf[i];
	}
}

static int summary(book *b, lxw_worksheet *ws)
{
	annual_model *m = b->m;
	const char *head[14] = {L_(m->lang, "checklist")};
	char mb[12][16];
	months_head(m, head, mb, 1);
	head[13] = L_(m->lang, "year");
	/* the figures first, then the monthly table with its own header */
	if (!sheet_in(b, ws, 14, head))
		return -1;
	const json_t *p = m->o->organisation;
	const char *cat = json_string_value(json_object_get(p, "category"));
	const char *last = json_string_value(json_object_get(m->o->organisation_prev, "category"));
	for (size_t k = 0; k <= m->npacks; k++, b->row++) {
		int pk = k == m->npacks ? AM_ALL : (int)k;
		str(b, 0, am_pack_name(m, pk));
		for (int i = 0; i < 12; i++)
			cell(b, (lxw_col_t)(1 + i), &m->fleet[pk][i], (m->fleet_reported >> i) & 1);
		double y = am_overall(m, pk);
		if (!isnan(y))
			worksheet_write_number(b->ws, b->row, 13, floor(y * 10) / 10, b->rate);
		else
			str(b, 13, L_(m->lang, "no report"));
	}
	sheet_end(b);
	b->row++;
	char y[16];
	snprintf(y, sizeof y, "%d", m->o->year);
	const char *kv[][2] = {
		{L_(m->lang, "year"), y},
		{L_(m->lang, "organisation"), m->o->organisation_name ? m->o->organisation_name : ""},
		{L_(m->lang, "department"), m->o->department ? m->o->department : ""},
		{L_(m->lang, "category"), cat ? cat : L_(m->lang, "not assessed")},
		{L_(m->lang, "category last year"), last ? last : L_(m->lang, "not assessed")},
		{L_(m->lang, "SHA-256 of the evidence list"), m->ledger},
		{L_(m->lang, "hash chain head at year end (sequence, SHA-256)"), m->chain_text},
	};
	for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++, b->row++) {
		worksheet_write_string(b->ws, b->row, 0, kv[i][0], b->bold);
		str(b, 1, kv[i][1]);
	}
	const struct {
		const char *k;
		long v;
	} nums[] = {
		{L_(m->lang, "expected hosts (inventory and enrolled)"), m->expected},
		{L_(m->lang, "reporting this year"), m->reporting},
		{L_(m->lang, "stale"), m->stale},
		{L_(m->lang, "reports stored"), m->evidence},
	};
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++, b->row++) {
		worksheet_write_string(b->ws, b->row, 0, nums[i].k, b->bold);
		num(b, 1, (double)nums[i].v);
	}
	return 0;
}

/* METI's ten directives of this year's placement (org_directives.h): the
 * header alone when the company was not placed. */
static int directives(book *b)
{
	const annual_model *m = b->m;
	const char *head[9] = {L_(m->lang, "directive"), L_(m->lang, "title"),
			       L_(m->lang, "answer"), L_(m->lang, "state"), L_(m->lang, "who"),
			       L_(m->lang, "when"), L_(m->lang, "evidence document"),
			       L_(m->lang, "SHA-256"), L_(m->lang, "check")};
	if (!sheet(b, "directives", 9, head))
		return -1;
	am_directive d[AM_DIRECTIVES_MAX];
	size_t n = am_directives(m->o->organisation, d, AM_DIRECTIVES_MAX);
	for (size_t i = 0; i < n; i++, b->row++) {
		char doc[700];
		snprintf(doc, sizeof doc, "%s%s%s", d[i].doc_title ? d[i].doc_title : "",
			 d[i].doc_where ? " " : "", d[i].doc_where ? d[i].doc_where : "");
		str(b, 0, d[i].id);
		str(b, 1, json_string_value(json_object_get(d[i].label, m->lang)));
		str(b, 2, d[i].answer ? L_(m->lang, d[i].answer) : L_(m->lang, "not answered"));
		str(b, 3, d[i].state);
		str(b, 4, d[i].who);
		str(b, 5, d[i].when);
		str(b, 6, doc);
		str(b, 7, d[i].doc_sha256);
		str(b, 8, am_directive_check(d[i].doc_check, m->lang));
	}
	sheet_end(b);
	return 0;
}

static int rules(book *b)
{
	annual_model *m = b->m;
	const char *head[] = {L_(m->lang, "rule"), L_(m->lang, "checklist"), L_(m->lang, "article"), L_(m->lang, "severity"), L_(m->lang, "title"),
			      L_(m->lang, "title (other language)"), L_(m->lang, "rationale"), L_(m->lang, "hosts"),
			      L_(m->lang, "hosts failing"), L_(m->lang, "days failing"), L_(m->lang, "failing at year end")};
	if (!sheet(b, "rules", 11, head))
		return -1;
	size_t n = 0, *v = am_rules_ordered(m, &n);
	for (size_t k = 0; v && k < n; k++, b->row++) {
		const am_rule *r = &m->rules[v[k]];
		str(b, 0, r->name);
		str(b, 1, am_pack_name(m, r->pack));
		if (r->meta) {
			num(b, 2, r->meta->article);
			str(b, 3, report_severity_label(severity_name(r->meta->sev), m->lang));
			str(b, 5, am_rule_title_in(r, strcmp(m->lang, "ja") ? "ja" : "en"));
		}
		str(b, 4, am_rule_title(m, r));
		str(b, 6, am_rule_rationale(m, r));
		num(b, 7, (double)r->hosts_seen);
		num(b, 8, (double)r->hosts_failing);
		num(b, 9, (double)r->fail_days);
		num(b, 10, (double)r->last[1]);
	}
	free(v);
	sheet_end(b);
	return 0;
}

static const char *const *failure_head(annual_model *m)
{
	static const char *head[5];
	head[0] = L_(m->lang, "host");
	head[1] = L_(m->lang, "rule");
	head[2] = L_(m->lang, "title");
	head[3] = L_(m->lang, "days failing");
	head[4] = L_(m->lang, "last state");
	return head;
}

static void failure_row(void *x, const am_host *h, const am_rule *r, int days, char last)
{
	book *b = x;
	if (b->failed)
		return;
	if (b->row >= XLSX_ROWS) { /* Excel's last row: go on in the next sheet */
		sheet_end(b);
		char name[32];
		snprintf(name, sizeof name, "rule_failures-%d", ++b->failure_sheet);
		if (!sheet(b, name, 5, failure_head(b->m))) {
			b->failed = true;
			return;
		}
	}
	str(b, 0, h->name);
	str(b, 1, r->name);
	str(b, 2, am_rule_title(b->m, r));
	num(b, 3, days);
	str(b, 4, am_state_name(b->m, last));
	b->row++;
}

static int failures(book *b, char *err, size_t es)
{
	annual_model *m = b->m;
	if (!sheet(b, "rule_failures", 5, failure_head(m)))
		return -1;
	am_each_host_rule(m, failure_row, b);
	if (b->failed) {
		snprintf(err, es, _("cannot add a worksheet"));
		return -1;
	}
	sheet_end(b);
	return 0;
}

static int hosts(book *b)
{
	annual_model *m = b->m;
	size_t nc = 10 + m->ncolumns + 12;
	const char **head = calloc(nc, sizeof *head);
	char mb[12][16];
	if (!head)
		return -1;
	const char *fixed[] = {L_(m->lang, "host"), L_(m->lang, "in inventory"), L_(m->lang, "enrolled"), L_(m->lang, "reports"),
			       L_(m->lang, "first report"), L_(m->lang, "last report"), L_(m->lang, "stale"), L_(m->lang, "rules failing"),
			       L_(m->lang, "critical/high failing")};
	memcpy(head, fixed, sizeof fixed);
	for (size_t c = 0; c < m->ncolumns; c++)
		head[9 + c] = m->columns[c];
	head[9 + m->ncolumns] = L_(m->lang, "checklist");
	months_head(m, head, mb, (int)(10 + m->ncolumns));
	lxw_worksheet *ws = sheet(b, "hosts", (int)nc, head);
	free(head);
	if (!ws)
		return -1;
	for (size_t i = 0; i < m->nhosts; i++) {
		const am_host *h = &m->hosts[i];
		char d0[11], d1[11];
		am_date(h->first, d0);
		am_date(h->last, d1);
		for (size_t k = 0; k <= m->npacks; k++, b->row++) {
			int pk = k == m->npacks ? AM_ALL : (int)k;
			str(b, 0, h->name);
			str(b, 1, h->in_inventory ? L_(m->lang, "yes") : L_(m->lang, "no"));
			str(b, 2, h->enrolled ? L_(m->lang, "yes") : L_(m->lang, "no"));
			num(b, 3, (double)h->reports);
			str(b, 4, d0);
			str(b, 5, d1);
			str(b, 6, am_stale(m, h) ? L_(m->lang, "yes") : L_(m->lang, "no"));
			num(b, 7, h->rules_failing);
			num(b, 8, h->severe_failing);
			for (size_t c = 0; c < m->ncolumns; c++) {
				char *v = am_attr(h, m->columns[c]);
				str(b, (lxw_col_t)(9 + c), v);
				free(v);
			}
			str(b, (lxw_col_t)(9 + m->ncolumns), am_pack_name(m, pk));
			for (int mo = 0; mo < 12; mo++)
				cell(b, (lxw_col_t)(10 + m->ncolumns + (size_t)mo), &h->cell[pk][mo],
				     (h->reported >> mo) & 1);
		}
	}
	sheet_end(b);
	return 0;
}

static int exc_row(void *x, const store_exception *e, am_exc_state st)
{
	book *b = x;
	char fs[11], ls[11];
	am_date(e->first_seen, fs);
	am_date(e->last_seen, ls);
	str(b, 0, am_exception_state_name(b->m, st));
	str(b, 1, e->host_name);
	str(b, 2, e->rule);
	str(b, 3, e->reason);
	str(b, 4, e->approved_by);
	str(b, 5, e->until);
	str(b, 6, fs);
	str(b, 7, ls);
	b->row++;
	return 0;
}

static int exceptions(book *b, store *s, char *err, size_t es)
{
	annual_model *m = b->m;
	const char *head[] = {L_(m->lang, "state"), L_(m->lang, "host"), L_(m->lang, "rule"), L_(m->lang, "reason"), L_(m->lang, "approved by"),
			      L_(m->lang, "until"), L_(m->lang, "first seen"), L_(m->lang, "last seen")};
	if (!sheet(b, "exceptions", 8, head))
		return -1;
	int rc = am_each_exception(m, s, exc_row, b, err, es);
	sheet_end(b);
	return rc;
}

static const char *const *evidence_head(annual_model *m)
{
	static const char *head[6];
	head[0] = L_(m->lang, "host");
	head[1] = L_(m->lang, "month");
	head[2] = L_(m->lang, "reports");
	head[3] = L_(m->lang, "first report");
	head[4] = L_(m->lang, "last report");
	head[5] = L_(m->lang, "SHA-256 of these reports' lines");
	return head;
}

/* The evidence sheet: one row per host and month (the per-report list,
 * millions of rows at 10,000 hosts, is in the CSV, JSON and HTML forms),
 * each with the SHA-256 of that host-month's lines of the list: an
 * auditor recomputes it from evidence.csv (docs/annual.md). Above the
 * table, the whole list's SHA-256, the chain head and how to check. */
static int evidence(book *b)
{
	annual_model *m = b->m;
	b->ws = workbook_add_worksheet(b->wb, "evidence");
	if (!b->ws)
		return -1;
	char n[24];
	snprintf(n, sizeof n, "%ld", m->evidence);
	const char *kv[][2] = {
		{L_(m->lang, "SHA-256 of the evidence list"), m->ledger},
		{L_(m->lang, "hash chain head at year end (sequence, SHA-256)"), m->chain_text},
		{L_(m->lang, "reports stored"), n},
		{L_(m->lang, "the per-report list"),
		 L_(m->lang, "Every report (report id, host, finished at, received at, SHA-256) "
			     "is listed in the CSV (evidence.csv), JSON and HTML forms of this "
			     "report.")},
		{L_(m->lang, "how to check"),
		 L_(m->lang, "A row's SHA-256 is over that host's reports of that month in "
			     "evidence.csv, one line \"report_id,hostname,finished_at,sha256\" "
			     "per report, each ending in a newline, in the list's order; the "
			     "evidence list's SHA-256 is over all the lines. Check one report: "
			     "hostaudit-collector export REPORT_ID | sha256sum.")},
	};
	b->row = 0;
	for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++, b->row++) {
		worksheet_write_string(b->ws, b->row, 0, kv[i][0], b->bold);
		str(b, 1, kv[i][1]);
	}
	b->row++;
	lxw_row_t top = b->row;
	const char *const *head = evidence_head(m);
	b->cols = 6;
	for (lxw_col_t c = 0; c < 6; c++)
		worksheet_write_string(b->ws, top, c, head[c], b->bold);
	worksheet_freeze_panes(b->ws, top + 1, 0);
	worksheet_set_column(b->ws, 0, 4, 20, NULL);
	worksheet_set_column(b->ws, 5, 5, 70, NULL);
	b->row = top + 1;
	int sheets = 1;
	for (size_t i = 0; i < m->nhost_months; i++, b->row++) {
		const am_host_month *hm = &m->host_months[i];
		if (b->row >= XLSX_ROWS) { /* Excel's last row: go on in the next sheet */
			worksheet_autofilter(b->ws, top, 0, b->row - 1, 5);
			char name[32];
			snprintf(name, sizeof name, "evidence-%d", ++sheets);
			if (!sheet(b, name, 6, head))
				return -1;
			top = 0;
		}
		char mo[16], t0[21], t1[21], hex[65];
		snprintf(mo, sizeof mo, "%04d-%02d", m->o->year, hm->month);
		am_time(hm->first, t0);
		am_time(hm->last, t1);
		am_hex(hm->sha256, hex);
		str(b, 0, m->hosts[hm->host].name);
		str(b, 1, mo);
		num(b, 2, (double)hm->reports);
		str(b, 3, t0);
		str(b, 4, t1);
		str(b, 5, hex);
	}
	worksheet_autofilter(b->ws, top, 0, b->row > top + 1 ? b->row - 1 : top + 1, 5);
	return 0;
}

/* The evidence list read on a thread of its own while the other sheets
 * are written: on PostgreSQL the list's read is the server's work, which
 * leaves a core for them. */
typedef struct list_job {
	annual_model *m;
	store *s;
	int rc;
	char err[600];
} list_job;

static void *list_thread(void *x)
{
	list_job *j = x;
	j->rc = am_evidence_read(j->m, j->s, j->err, sizeof j->err);
	return NULL;
}

int annual_write_xlsx(annual_model *m, store *s, store *twin, const char *path, char *err,
		      size_t es)
{
	am_out o;
	if (am_out_reserve(&o, path, err, es) != 0)
		return -1;
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
	book b = {.m = m, .failure_sheet = 1};
	b.wb = workbook_new_opt(o.tmp, &opt);
	if (!b.wb) {
		snprintf(err, es, _("%s: cannot start the workbook"), path);
		am_out_abort(&o);
		return -1;
	}
	/* created: the report's "now", not the clock: the same store and
	 * --now give the same bytes, as the other formats */
	lxw_doc_properties props = {.created = (time_t)m->o->now};
	workbook_set_properties(b.wb, &props);
	b.bold = workbook_add_format(b.wb);
	format_set_bold(b.bold);
	b.rate = workbook_add_format(b.wb);
	format_set_num_format(b.rate, "0.0");
	/* the summary first in the book, its rows written last: they print
	 * the list's SHA-256 (as the evidence sheet its host-months') */
	lxw_worksheet *first = workbook_add_worksheet(b.wb, "summary");
	list_job job = {.m = m, .s = twin};
	pthread_t tid;
	bool beside = first && twin && pthread_create(&tid, NULL, list_thread, &job) == 0;
	if (!beside)
		job.rc = am_evidence_read(m, s, job.err, sizeof job.err);
	int rc = first && rules(&b) == 0 && failures(&b, err, es) == 0 && hosts(&b) == 0 &&
				 exceptions(&b, s, err, es) == 0 && directives(&b) == 0
			 ? 0
			 : -1;
	if (beside)
		pthread_join(tid, NULL);
	if (rc == 0 && job.rc != 0) {
		snprintf(err, es, "%s", job.err);
		rc = -1;
	}
	if (rc == 0 && (summary(&b, first) != 0 || evidence(&b) != 0))
		rc = -1;
	lxw_error e = workbook_close(b.wb);
	if (rc == 0 && e != LXW_NO_ERROR) {
		snprintf(err, es, "%s: %s", path, lxw_strerror(e));
		rc = -1;
	}
	if (rc != 0) {
		if (!err[0])
			snprintf(err, es, _("%s: cannot write the workbook"), path);
		am_out_abort(&o);
		return -1;
	}
	return am_out_commit(&o, err, es);
}
