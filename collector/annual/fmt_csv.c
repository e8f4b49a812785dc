/* SPDX-License-Identifier: Apache-2.0 */
/* The annual report as CSV files for Excel (a BOM, CRLF, formulas
 * neutralised) in one directory: summary, compliance, rules, host_rules,
 * hosts, exceptions, evidence. Headers in the report's language. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostaudit/report.h"
#include "i18n.h"
#include "model.h"
#include "org_directives.h"


static FILE *open_csv(am_out *o, const char *dir, const char *name, char *err, size_t es)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	if (am_out_open(o, p, err, es) != 0)
		return NULL;
	fputs("\xEF\xBB\xBF", o->f);
	return o->f;
}

static void month_cells(FILE *f, const annual_model *m, const am_cell *c, uint16_t reported,
			bool last)
{
	char b[64];
	for (int i = 0; i < 12; i++) {
		am_cell_text(m, &c[i], (reported >> i) & 1, b, sizeof b);
		am_csv_cell(f, b, last && i == 11);
	}
}

static void month_header(FILE *f, const annual_model *m)
{
	for (int i = 1; i <= 12; i++) {
		char b[16];
		snprintf(b, sizeof b, "%04d-%02d", m->o->year, i);
		am_csv_cell(f, b, i == 12);
	}
}

/* METI's ten directives of this year's placement, after the months
 * (org_directives.h): none when the company was not placed. */
static void directives(FILE *f, const annual_model *m)
{
	am_directive d[AM_DIRECTIVES_MAX];
	size_t n = am_directives(m->o->organisation, d, AM_DIRECTIVES_MAX);
	if (!n)
		return;
	fputs("\r\n", f);
	am_csv_row(f, 9, L_(m->lang, "directive"), L_(m->lang, "title"), L_(m->lang, "answer"),
		   L_(m->lang, "state"), L_(m->lang, "who"), L_(m->lang, "when"),
		   L_(m->lang, "evidence document"), L_(m->lang, "SHA-256"),
		   L_(m->lang, "check"));
	for (size_t i = 0; i < n; i++) {
		const char *t = json_string_value(json_object_get(d[i].label, m->lang));
		char doc[700];
		snprintf(doc, sizeof doc, "%s%s%s", d[i].doc_title ? d[i].doc_title : "",
			 d[i].doc_where ? " " : "", d[i].doc_where ? d[i].doc_where : "");
		am_csv_row(f, 9, d[i].id, t ? t : "",
			   d[i].answer ? L_(m->lang, d[i].answer) : L_(m->lang, "not answered"),
			   d[i].state ? d[i].state : "", d[i].who ? d[i].who : "",
			   d[i].when ? d[i].when : "", doc, d[i].doc_sha256 ? d[i].doc_sha256 : "",
			   am_directive_check(d[i].doc_check, m->lang));
	}
}

static int summary(annual_model *m, const char *dir, char *err, size_t es)
{
	am_out o;
	FILE *f = open_csv(&o, dir, "summary.csv", err, es);
	if (!f)
		return -1;
	char b[4][80];
	am_csv_row(f, 2, L_(m->lang, "item"), L_(m->lang, "value"));
	snprintf(b[0], sizeof b[0], "%d", m->o->year);
	am_csv_row(f, 2, L_(m->lang, "year"), b[0]);
	am_csv_row(f, 2, L_(m->lang, "organisation"), m->o->organisation_name ? m->o->organisation_name : "");
	am_csv_row(f, 2, L_(m->lang, "department"), m->o->department ? m->o->department : "");
	snprintf(b[0], sizeof b[0], "%ld", m->expected);
	snprintf(b[1], sizeof b[1], "%ld", m->reporting);
	snprintf(b[2], sizeof b[2], "%ld", m->stale);
	snprintf(b[3], sizeof b[3], "%ld", m->evidence);
	am_csv_row(f, 2, L_(m->lang, "expected hosts (inventory and enrolled)"), b[0]);
	am_csv_row(f, 2, L_(m->lang, "reporting this year"), b[1]);
	am_csv_row(f, 2, L_(m->lang, "stale"), b[2]);
	am_csv_row(f, 2, L_(m->lang, "reports stored"), b[3]);
	am_csv_row(f, 2, L_(m->lang, "SHA-256 of the evidence list"), m->ledger);
	am_csv_row(f, 2, L_(m->lang, "hash chain head at year end (sequence, SHA-256)"),
		   m->chain_text);
	const json_t *p = m->o->organisation;
	const char *cat = json_string_value(json_object_get(p, "category"));
	am_csv_row(f, 2, L_(m->lang, "category"), cat ? cat : L_(m->lang, "not assessed"));
	cat = json_string_value(json_object_get(m->o->organisation_prev, "category"));
	am_csv_row(f, 2, L_(m->lang, "category last year"),
		   cat ? cat : L_(m->lang, "not assessed"));
	fputs("\r\n", f);
	am_csv_cell(f, L_(m->lang, "checklist"), false);
	month_header(f, m);
	for (size_t k = 0; k <= m->npacks; k++) {
		int pk = k == m->npacks ? AM_ALL : (int)k;
		am_csv_cell(f, am_pack_name(m, pk), false);
		month_cells(f, m, m->fleet[pk], m->fleet_reported, true);
	}
	directives(f, m);
	return am_out_commit(&o, err, es);
}

static int rules(annual_model *m, const char *dir, char *err, size_t es)
{
	am_out o;
	FILE *f = open_csv(&o, dir, "rules.csv", err, es);
	if (!f)
		return -1;
	am_csv_row(f, 13, L_(m->lang, "rule"), L_(m->lang, "checklist"), L_(m->lang, "article"), L_(m->lang, "severity"), L_(m->lang, "title"),
		   L_(m->lang, "title (other language)"), L_(m->lang, "rationale"), L_(m->lang, "hosts"), L_(m->lang, "hosts failing"),
		   L_(m->lang, "days failing"), L_(m->lang, "failing at year end"), L_(m->lang, "passing at year end"),
		   L_(m->lang, "unknown at year end"));
	size_t n = 0, *v = am_rules_ordered(m, &n);
	for (size_t k = 0; v && k < n; k++) {
		const am_rule *r = &m->rules[v[k]];
		char a[16] = "", c[5][24];
		if (r->meta)
			snprintf(a, sizeof a, "%d", r->meta->article);
		snprintf(c[0], sizeof c[0], "%ld", r->hosts_seen);
		snprintf(c[1], sizeof c[1], "%ld", r->hosts_failing);
		snprintf(c[2], sizeof c[2], "%ld", r->fail_days);
		snprintf(c[3], sizeof c[3], "%ld", r->last[1]);
		snprintf(c[4], sizeof c[4], "%ld", r->last[0]);
		char u[24];
		snprintf(u, sizeof u, "%ld", r->last[2]);
		am_csv_row(f, 13, r->name, am_pack_name(m, r->pack), a,
			   r->meta ? report_severity_label(severity_name(r->meta->sev), m->lang) : "", am_rule_title(m, r),
			   r->meta ? am_rule_title_in(r, strcmp(m->lang, "ja") ? "ja" : "en") : "",
			   am_rule_rationale(m, r), c[0], c[1], c[2], c[3], c[4], u);
	}
	free(v);
	return am_out_commit(&o, err, es);
}

static void host_rule_row(void *x, const am_host *h, const am_rule *r, int days, char last)
{
	void **c = x;
	FILE *f = c[0];
	const annual_model *m = c[1];
	char d[16];
	snprintf(d, sizeof d, "%d", days);
	am_csv_row(f, 4, h->name, r->name, d, am_state_name(m, last));
}

static int host_rules(annual_model *m, const char *dir, char *err, size_t es)
{
	am_out o;
	FILE *f = open_csv(&o, dir, "host_rules.csv", err, es);
	if (!f)
		return -1;
	am_csv_row(f, 4, L_(m->lang, "host"), L_(m->lang, "rule"), L_(m->lang, "days failing"), L_(m->lang, "last state"));
	void *c[2] = {f, m};
	am_each_host_rule(m, host_rule_row, c);
	return am_out_commit(&o, err, es);
}

static int hosts(annual_model *m, const char *dir, char *err, size_t es)
{
	am_out o;
	FILE *f = open_csv(&o, dir, "hosts.csv", err, es);
	if (!f)
		return -1;
	/* one row per host and checklist: the monthly cells */
	const char *head[] = {L_(m->lang, "host"), L_(m->lang, "in inventory"), L_(m->lang, "enrolled"), L_(m->lang, "reports"),
			      L_(m->lang, "first report"), L_(m->lang, "last report"), L_(m->lang, "stale"), L_(m->lang, "rules failing"),
			      L_(m->lang, "critical/high failing")};
	for (int c = 0; c < 9; c++)
		am_csv_cell(f, head[c], false);
	for (size_t c = 0; c < m->ncolumns; c++)
		am_csv_cell(f, m->columns[c], false);
	am_csv_cell(f, L_(m->lang, "checklist"), false);
	month_header(f, m);
	for (size_t i = 0; i < m->nhosts; i++) {
		const am_host *h = &m->hosts[i];
		char n[4][24], d0[11], d1[11];
		snprintf(n[0], sizeof n[0], "%ld", h->reports);
		snprintf(n[1], sizeof n[1], "%d", h->rules_failing);
		snprintf(n[2], sizeof n[2], "%d", h->severe_failing);
		am_date(h->first, d0);
		am_date(h->last, d1);
		for (size_t k = 0; k <= m->npacks; k++) {
			int pk = k == m->npacks ? AM_ALL : (int)k;
			const char *cells[] = {h->name, h->in_inventory ? L_(m->lang, "yes") : L_(m->lang, "no"),
					       h->enrolled ? L_(m->lang, "yes") : L_(m->lang, "no"), n[0], d0, d1,
					       am_stale(m, h) ? L_(m->lang, "yes") : L_(m->lang, "no"), n[1], n[2]};
			for (int c = 0; c < 9; c++)
				am_csv_cell(f, cells[c], false);
			for (size_t c = 0; c < m->ncolumns; c++) {
				char *v = am_attr(h, m->columns[c]);
				am_csv_cell(f, v ? v : "", false);
				free(v);
			}
			am_csv_cell(f, am_pack_name(m, pk), false);
			month_cells(f, m, h->cell[pk], h->reported, true);
		}
	}
	return am_out_commit(&o, err, es);
}

static int exc_row(void *x, const store_exception *e, am_exc_state st)
{
	void **c = x;
	FILE *f = c[0];
	const annual_model *m = c[1];
	char fs[11], ls[11];
	am_date(e->first_seen, fs);
	am_date(e->last_seen, ls);
	am_csv_row(f, 8, am_exception_state_name(m, st), e->host_name, e->rule, e->reason,
		   e->approved_by, e->until, fs, ls);
	return 0;
}

static int exceptions(annual_model *m, store *s, const char *dir, char *err, size_t es)
{
	am_out o;
	FILE *f = open_csv(&o, dir, "exceptions.csv", err, es);
	if (!f)
		return -1;
	am_csv_row(f, 8, L_(m->lang, "state"), L_(m->lang, "host"), L_(m->lang, "rule"), L_(m->lang, "reason"), L_(m->lang, "approved by"),
		   L_(m->lang, "until"), L_(m->lang, "first seen"), L_(m->lang, "last seen"));
	void *c[2] = {f, m};
	if (am_each_exception(m, s, exc_row, c, err, es) != 0) {
		am_out_abort(&o);
		return -1;
	}
	return am_out_commit(&o, err, es);
}

/* A cell as am_csv_cell writes it, into p (room for 2 * strlen + 4). */
static char *csv_put(char *p, const char *s, bool last)
{
	*p++ = '"';
	if (s[0] && strchr("=+-@\t\r", s[0]))
		*p++ = '\'';
	for (; *s; s++) {
		if (*s == '"')
			*p++ = '"';
		*p++ = *s;
	}
	*p++ = '"';
	if (last) {
		*p++ = '\r';
		*p++ = '\n';
	} else {
		*p++ = ',';
	}
	return p;
}

/* One row of evidence.csv, written by am_build: built in one buffer and
 * written at once (millions of rows). */
int annual_csv_evidence_row(am_spool *sp, const am_host *h, const store_evidence *e)
{
	char ft[21], rt[21], line[1024];
	am_time(e->finished_at, ft);
	am_time(e->received_at, rt);
	const char *v[] = {e->report_id, h->name, ft, rt, e->body_sha256};
	size_t need = 0;
	for (int i = 0; i < 5; i++)
		need += 2 * strlen(v[i]) + 4;
	if (need > sizeof line) { /* a long name: cell by cell */
		am_csv_row(sp->f, 5, v[0], v[1], v[2], v[3], v[4]);
	} else {
		char *p = line;
		for (int i = 0; i < 5; i++)
			p = csv_put(p, v[i], i == 4);
		fwrite(line, 1, (size_t)(p - line), sp->f);
	}
	return ferror(sp->f) ? 1 : 0;
}

int annual_csv_begin(const annual_options *o, am_out *evidence, char *err, size_t es)
{
	if (!o->out) {
		snprintf(err, es, _("a CSV report is a directory: give --out DIR"));
		return -1;
	}
	if (mkdir(o->out, 0700) != 0 && errno != EEXIST) {
		snprintf(err, es, "%s: %s", o->out, strerror(errno));
		return -1;
	}
	const char *lang = am_lang(o);
	FILE *f = open_csv(evidence, o->out, "evidence.csv", err, es);
	if (!f)
		return -1;
	am_csv_row(f, 5, L_(lang, "report id"), L_(lang, "host"), L_(lang, "finished at"),
		   L_(lang, "received at"), L_(lang, "SHA-256"));
	return 0;
}

int annual_write_csv(annual_model *m, store *s, const char *dir, am_out *evidence, char *err,
		     size_t es)
{
	if (summary(m, dir, err, es) != 0 || rules(m, dir, err, es) != 0 ||
	    host_rules(m, dir, err, es) != 0 || hosts(m, dir, err, es) != 0 ||
	    exceptions(m, s, dir, err, es) != 0) {
		am_out_abort(evidence);
		return -1;
	}
	return am_out_commit(evidence, err, es);
}
