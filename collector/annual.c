/* SPDX-License-Identifier: Apache-2.0 */
/* The auditor's annual report (collector.h): coverage against the
 * inventory, stale hosts, per host and rule the state at year end and the
 * monthly pass rate, the score trend, approved exceptions, and every raw
 * report's SHA-256.
 *
 * One pass over the year's reports in (host, time) order, reading only the
 * compact result summary stored at ingest, never re-parsing the bodies. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "collector.h"

typedef struct rule_stat {
	int pass[12], fail[12];
} rule_stat;

typedef struct host_acc {
	char *name;
	bool in_inventory, enrolled;
	long reports, mismatches;
	int64_t first, last;
	double last_score;         /* NaN: none */
	double score_sum[12];
	int score_n[12];
	char *last_summary;
	char last_id[40], last_sha[65];
	rule_stat *rules;          /* indexed like the rule table */
	size_t nrules;
	char *year_end;            /* status char per rule at the last report */
} host_acc;

typedef struct annual {
	host_acc *hosts;
	size_t nhosts, cap;
	char **rules;              /* "pack:id", interned */
	size_t nrules, rcap;
	size_t *slots;             /* hash: index+1, 0 empty */
	size_t nslots;
	EVP_MD_CTX *ledger;        /* SHA-256 over the evidence lines */
	long evidence;
} annual;

/* ---- small tables ---- */

static size_t hash_str(const char *s, size_t n)
{
	size_t h = 1469598103934665603u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static size_t rule_index(annual *a, const char *name, size_t len)
{
	if (a->nrules * 2 >= a->nslots) {
		size_t ns = a->nslots ? a->nslots * 2 : 256;
		size_t *sl = calloc(ns, sizeof *sl);
		for (size_t i = 0; i < a->nrules; i++) {
			size_t h = hash_str(a->rules[i], strlen(a->rules[i])) & (ns - 1);
			while (sl[h])
				h = (h + 1) & (ns - 1);
			sl[h] = i + 1;
		}
		free(a->slots);
		a->slots = sl;
		a->nslots = ns;
	}
	size_t h = hash_str(name, len) & (a->nslots - 1);
	while (a->slots[h]) {
		const char *r = a->rules[a->slots[h] - 1];
		if (strlen(r) == len && memcmp(r, name, len) == 0)
			return a->slots[h] - 1;
		h = (h + 1) & (a->nslots - 1);
	}
	if (a->nrules == a->rcap) {
		a->rcap = a->rcap ? a->rcap * 2 : 64;
		a->rules = realloc(a->rules, a->rcap * sizeof *a->rules);
	}
	a->rules[a->nrules] = strndup(name, len);
	a->slots[h] = a->nrules + 1;
	return a->nrules++;
}

static host_acc *host_add(annual *a, const char *name)
{
	for (size_t i = 0; i < a->nhosts; i++)
		if (strcasecmp(a->hosts[i].name, name) == 0)
			return &a->hosts[i];
	if (a->nhosts == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->hosts = realloc(a->hosts, a->cap * sizeof *a->hosts);
	}
	host_acc *h = &a->hosts[a->nhosts++];
	memset(h, 0, sizeof *h);
	h->name = strdup(name);
	h->last_score = NAN;
	return h;
}

static int month_of(int64_t t)
{
	char b[21];
	rfc3339_format(t, b);
	return (b[5] - '0') * 10 + (b[6] - '0') - 1;
}

/* Counts a report's results in month (count), or records them as the
 * host's state at the year's end (its last report: !count). */
static void add_summary(annual *a, host_acc *h, const char *sum, int month, bool count)
{
	for (const char *p = sum; *p;) {
		const char *eq = strchr(p, '=');
		if (!eq || !eq[1])
			break;
		size_t r = rule_index(a, p, (size_t)(eq - p));
		if (r >= h->nrules) {
			size_t n = a->rcap;
			h->rules = realloc(h->rules, n * sizeof *h->rules);
			memset(h->rules + h->nrules, 0, (n - h->nrules) * sizeof *h->rules);
			h->year_end = realloc(h->year_end, n);
			memset(h->year_end + h->nrules, 0, n - h->nrules);
			h->nrules = n;
		}
		if (!count)
			h->year_end[r] = eq[1];
		else if (eq[1] == 'p')
			h->rules[r].pass[month]++;
		else if (eq[1] == 'f')
			h->rules[r].fail[month]++;
		p = strchr(eq, '\n');
		if (!p)
			break;
		p++;
	}
}

static const char *status_name(char c)
{
	switch (c) {
	case 'p': return "pass";
	case 'f': return "fail";
	case 'u': return "unknown";
	case 'n': return "not_applicable";
	case 'e': return "error";
	case 'd': return "disabled";
	default: return "";
	}
}

/* ---- output: CSV for Excel (BOM, CRLF, formulas neutralised), HTML ---- */

static void csv_cell(FILE *f, const char *s, bool last)
{
	fputc('"', f);
	if (strchr("=+-@\t\r", s[0]) && s[0])
		fputc('\'', f); /* a cell Excel would run as a formula */
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputs(last ? "\"\r\n" : "\",", f);
}

static void csv_row(FILE *f, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		csv_cell(f, va_arg(ap, const char *), i == n - 1);
	va_end(ap);
}

/* The evidence goes to a new or truncated file of the owner's, never
 * through a symbolic link someone left at that name (--out may be in a
 * shared directory), never into a FIFO that would block the report. */
static FILE *open_output(const char *p)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY,
		      0600);
	struct stat sb;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	FILE *f = ftruncate(fd, 0) == 0 ? fdopen(fd, "w") : NULL;
	if (!f)
		close(fd);
	return f;
}

static FILE *csv_open(const char *dir, const char *name, char *err, size_t err_size)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = open_output(p);
	if (!f)
		snprintf(err, err_size, "%s: %s", p, strerror(errno));
	else
		fputs("\xEF\xBB\xBF", f);
	return f;
}

static void html_text(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
}

static void fmt_time(int64_t t, char b[21])
{
	if (t)
		rfc3339_format(t, b);
	else
		b[0] = '\0';
}

static void fmt_num(double v, char *b, size_t n)
{
	if (isnan(v))
		b[0] = '\0';
	else
		snprintf(b, n, "%.1f", v);
}

static void rate(const rule_stat *r, int m, char *b, size_t n)
{
	int t = r->pass[m] + r->fail[m];
	if (t)
		snprintf(b, n, "%.0f", 100.0 * r->pass[m] / t);
	else
		b[0] = '\0';
}

/* ---- gathering ---- */

/* One report of h: counts, score, evidence. */
static void add_report(annual *a, host_acc *h, const store_report *r, FILE *evidence_csv,
		       json_t *evidence_json)
{
	int64_t t = r->finished_at;
	int m = month_of(t);
	if (!h->first)
		h->first = t;
	h->last = t;
	h->reports++;
	h->mismatches += r->mismatch;
	if (!isnan(r->score)) {
		h->score_sum[m] += r->score;
		h->score_n[m]++;
	}
	add_summary(a, h, r->summary, m, true);
	char ft[21], rt[21], line[256];
	fmt_time(t, ft);
	fmt_time(r->received_at, rt);
	int n = snprintf(line, sizeof line, "%s,%s,%s,%s\n", r->report_id, h->name, ft,
			 r->body_sha256);
	EVP_DigestUpdate(a->ledger, line, (size_t)n);
	a->evidence++;
	if (evidence_csv)
		csv_row(evidence_csv, 5, r->report_id, h->name, ft, rt, r->body_sha256);
	if (evidence_json)
		json_array_append_new(evidence_json, json_pack("[s,s,s,s,s]", r->report_id, h->name,
							       ft, rt, r->body_sha256));
}

typedef struct gather_ctx {
	annual *a;
	FILE *evidence_csv;
	json_t *evidence_json;
	int64_t host_id;     /* of h */
	host_acc *h;
	char *last_sum;      /* the summary of h's latest report so far */
	size_t last_cap;
} gather_ctx;

/* h's last report is its state at the year's end. */
static void close_host(gather_ctx *g)
{
	if (g->h)
		add_summary(g->a, g->h, g->last_sum, 0, false);
	g->h = NULL;
}

static int on_report(void *arg, const store_report *r)
{
	gather_ctx *g = arg;
	if (!g->h || r->host_id != g->host_id) {
		close_host(g);
		g->h = host_add(g->a, r->host_name);
		g->host_id = r->host_id;
	}
	host_acc *h = g->h;
	add_report(g->a, h, r, g->evidence_csv, g->evidence_json);
	/* kept until the next row shows whether this was the last */
	size_t len = strlen(r->summary) + 1;
	if (len > g->last_cap) {
		char *nb = realloc(g->last_sum, len);
		if (!nb)
			return -1;
		g->last_sum = nb;
		g->last_cap = len;
	}
	memcpy(g->last_sum, r->summary, len);
	h->last_score = r->score;
	snprintf(h->last_id, sizeof h->last_id, "%s", r->report_id);
	snprintf(h->last_sha, sizeof h->last_sha, "%s", r->body_sha256);
	return 0;
}

static int on_host(void *arg, const store_host *sh)
{
	host_add(arg, sh->name)->enrolled = sh->token_sha256 != NULL;
	return 0;
}

static int on_inventory(void *arg, const char *hostname, const char *attributes)
{
	(void)attributes;
	host_add(arg, hostname)->in_inventory = true;
	return 0;
}

/* The year's reports host by host, each host's in time order. */
static int gather(store *s, int64_t org, annual *a, int64_t from, int64_t to,
		  FILE *evidence_csv, json_t *evidence_json, char *err, size_t err_size)
{
	if (store_each_host(s, org, on_host, a, err, err_size) != 0 ||
	    store_each_inventory(s, org, on_inventory, a, err, err_size) != 0)
		return -1;
	gather_ctx g = {.a = a, .evidence_csv = evidence_csv, .evidence_json = evidence_json};
	int rc = store_each_report(s, org, from, to, on_report, &g, err, err_size);
	if (rc == 0)
		close_host(&g);
	else if (rc > 0)
		snprintf(err, err_size, "out of memory");
	free(g.last_sum);
	return rc == 0 ? 0 : -1;
}

static int cmp_host(const void *x, const void *y)
{
	return strcasecmp(((const host_acc *)x)->name, ((const host_acc *)y)->name);
}

/* ---- writers ---- */

typedef struct ctx {
	annual *a;
	const annual_options *o;
	int64_t ref;       /* "now" for staleness, at most the year's end */
	long covered, expected, stale;
	char ledger[65];
	int64_t chain_seq; /* evidence: the hash chain's head at year end */
	char chain_head[65];
} ctx;

static bool is_stale(const ctx *c, const host_acc *h)
{
	return h->enrolled || h->in_inventory
		       ? (!h->last || c->ref - h->last > c->o->stale_days * 86400)
		       : false;
}

static void host_cells(const ctx *c, const host_acc *h, char cells[8][40])
{
	fmt_time(h->first, cells[0]);
	fmt_time(h->last, cells[1]);
	snprintf(cells[2], 40, "%ld", h->reports);
	if (h->last)
		snprintf(cells[3], 40, "%lld", (long long)((c->ref - h->last) / 86400));
	else
		cells[3][0] = '\0';
	fmt_num(h->last_score, cells[4], 40);
	snprintf(cells[5], 40, "%ld", h->mismatches);
}

static int write_csv(ctx *c, const char *dir, char *err, size_t es)
{
	annual *a = c->a;
	FILE *f = csv_open(dir, "coverage.csv", err, es);
	if (!f)
		return -1;
	csv_row(f, 10, "hostname", "in_inventory", "enrolled", "reports", "first_report",
		"last_report", "days_since_last", "stale", "last_score", "hostname_mismatches");
	for (size_t i = 0; i < a->nhosts; i++) {
		host_acc *h = &a->hosts[i];
		char cl[8][40];
		host_cells(c, h, cl);
		csv_row(f, 10, h->name, h->in_inventory ? "yes" : "no", h->enrolled ? "yes" : "no",
			cl[2], cl[0], cl[1], cl[3], is_stale(c, h) ? "yes" : "no", cl[4], cl[5]);
	}
	fclose(f);
	if (!(f = csv_open(dir, "rules.csv", err, es)))
		return -1;
	fprintf(f, "\"hostname\",\"rule\",\"state_at_year_end\"");
	for (int m = 1; m <= 12; m++)
		fprintf(f, ",\"pass_rate_%04d_%02d\"", c->o->year, m);
	fputs("\r\n", f);
	for (size_t i = 0; i < a->nhosts; i++) {
		host_acc *h = &a->hosts[i];
		for (size_t r = 0; r < h->nrules && r < a->nrules; r++) {
			rule_stat *rs = &h->rules[r];
			int any = 0;
			for (int m = 0; m < 12; m++)
				any += rs->pass[m] + rs->fail[m];
			if (!any && !h->year_end[r])
				continue;
			csv_cell(f, h->name, false);
			csv_cell(f, a->rules[r], false);
			csv_cell(f, status_name(h->year_end[r]), false);
			for (int m = 0; m < 12; m++) {
				char b[16];
				rate(rs, m, b, sizeof b);
				csv_cell(f, b, m == 11);
			}
		}
	}
	fclose(f);
	if (!(f = csv_open(dir, "trend.csv", err, es)))
		return -1;
	fprintf(f, "\"hostname\"");
	for (int m = 1; m <= 12; m++)
		fprintf(f, ",\"score_%04d_%02d\"", c->o->year, m);
	fputs("\r\n", f);
	for (size_t i = 0; i < a->nhosts; i++) {
		host_acc *h = &a->hosts[i];
		if (!h->reports)
			continue;
		csv_cell(f, h->name, false);
		for (int m = 0; m < 12; m++) {
			char b[16];
			fmt_num(h->score_n[m] ? h->score_sum[m] / h->score_n[m] : NAN, b, sizeof b);
			csv_cell(f, b, m == 11);
		}
	}
	fclose(f);
	return 0;
}

typedef struct exc_out {
	FILE *csv, *html;
	json_t *js;
} exc_out;

static int on_exception(void *out, const store_exception *e)
{
	exc_out *o = out;
	char fs[21], ls[21];
	fmt_time(e->first_seen, fs);
	fmt_time(e->last_seen, ls);
	const char *cells[7] = {e->host_name, e->rule, e->reason, e->approved_by, e->until, fs, ls};
	if (o->csv)
		csv_row(o->csv, 7, cells[0], cells[1], cells[2], cells[3], cells[4], fs, ls);
	if (o->js)
		json_array_append_new(o->js, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "hostname",
						       cells[0], "rule", cells[1], "reason", cells[2],
						       "approved_by", cells[3], "until", cells[4],
						       "first_seen", fs, "last_seen", ls));
	if (o->html) {
		fputs("<tr>", o->html);
		for (int i = 0; i < 7; i++) {
			fputs("<td>", o->html);
			html_text(o->html, cells[i]);
			fputs("</td>", o->html);
		}
		fputs("</tr>\n", o->html);
	}
	return 0;
}

static int write_exceptions(store *s, int64_t org, int64_t from, int64_t to, FILE *csv,
			    json_t *js, FILE *html)
{
	if (csv)
		csv_row(csv, 7, "hostname", "rule", "reason", "approved_by", "until", "first_seen",
			"last_seen");
	exc_out o = {csv, html, js};
	char err[300];
	return store_each_exception(s, org, from, to, on_exception, &o, err, sizeof err);
}

static json_t *json_months(const double *v, const int *n)
{
	json_t *a = json_array();
	for (int m = 0; m < 12; m++)
		json_array_append_new(a, n[m] ? json_real(v[m] / n[m]) : json_null());
	return a;
}

static json_t *build_json(ctx *c)
{
	annual *a = c->a;
	json_t *hosts = json_array();
	for (size_t i = 0; i < a->nhosts; i++) {
		host_acc *h = &a->hosts[i];
		char cl[8][40];
		host_cells(c, h, cl);
		json_t *rules = json_array();
		for (size_t r = 0; r < h->nrules && r < a->nrules; r++) {
			rule_stat *rs = &h->rules[r];
			json_t *mon = json_array();
			int any = 0;
			for (int m = 0; m < 12; m++) {
				int t = rs->pass[m] + rs->fail[m];
				any += t;
				json_array_append_new(mon, t ? json_real(100.0 * rs->pass[m] / t)
							     : json_null());
			}
			if (!any && !h->year_end[r]) {
				json_decref(mon);
				continue;
			}
			json_array_append_new(rules, json_pack("{s:s,s:s,s:o}", "rule", a->rules[r],
							       "state_at_year_end",
							       status_name(h->year_end[r]),
							       "monthly_pass_rate", mon));
		}
		json_array_append_new(
			hosts,
			json_pack("{s:s,s:b,s:b,s:I,s:s?,s:s?,s:b,s:o,s:I,s:o,s:o,s:s?,s:s?}", "hostname",
				  h->name, "in_inventory", h->in_inventory, "enrolled", h->enrolled,
				  "reports", (json_int_t)h->reports, "first_report",
				  h->first ? cl[0] : NULL, "last_report", h->last ? cl[1] : NULL,
				  "stale", is_stale(c, h), "last_score",
				  isnan(h->last_score) ? json_null() : json_real(h->last_score),
				  "hostname_mismatches", (json_int_t)h->mismatches, "monthly_score",
				  json_months(h->score_sum, h->score_n), "rules", rules,
				  "last_report_id", h->last_id[0] ? h->last_id : NULL,
				  "last_report_sha256", h->last_sha[0] ? h->last_sha : NULL));
	}
	return json_pack("{s:s,s:i,s:{s:I,s:I,s:I,s:I},s:o,s:{s:I,s:s,s:{s:I,s:s}}}", "schema",
			 "hostaudit/annual/v1", "year", c->o->year, "coverage", "expected",
			 (json_int_t)c->expected, "reporting", (json_int_t)c->covered, "stale",
			 (json_int_t)c->stale, "stale_days", (json_int_t)c->o->stale_days, "hosts",
			 hosts, "evidence_summary", "reports", (json_int_t)a->evidence,
			 "ledger_sha256", c->ledger, "chain_head_at_year_end", "seq",
			 (json_int_t)c->chain_seq, "sha256", c->chain_head);
}

static void html_row(FILE *f, int n, const char *const *cells, const char *cls)
{
	fprintf(f, "<tr%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	for (int i = 0; i < n; i++) {
		fputs("<td>", f);
		html_text(f, cells[i]);
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
}

static int write_html(ctx *c, store *s, int64_t from, int64_t to, FILE *f)
{
	annual *a = c->a;
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		   "<title>hostaudit annual report %d</title><style>"
		   "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
		   "margin-bottom:2em}td,th{border:1px solid #999;padding:2px 6px;font-size:90%%}"
		   "th{background:#eee}.stale{background:#fdd}.fail{color:#b00}"
		   "</style></head><body>\n<h1>hostaudit annual report %d</h1>\n",
		c->o->year, c->o->year);
	fprintf(f, "<p>Coverage: %ld of %ld expected hosts reported in %d. Stale (no report for "
		   "more than %ld days): %ld.</p>\n",
		c->covered, c->expected, c->o->year, c->o->stale_days, c->stale);
	fputs("<h2>Hosts</h2><table><tr><th>hostname</th><th>in inventory</th><th>enrolled</th>"
	      "<th>reports</th><th>first</th><th>last</th><th>days since last</th><th>stale</th>"
	      "<th>last score</th><th>hostname mismatches</th><th>last report SHA-256</th></tr>\n",
	      f);
	for (size_t i = 0; i < a->nhosts; i++) {
		host_acc *h = &a->hosts[i];
		char cl[8][40];
		host_cells(c, h, cl);
		bool st = is_stale(c, h);
		const char *cells[] = {h->name, h->in_inventory ? "yes" : "no",
				       h->enrolled ? "yes" : "no", cl[2], cl[0], cl[1], cl[3],
				       st ? "yes" : "no", cl[4], cl[5], h->last_sha};
		html_row(f, 11, cells, st ? "stale" : NULL);
	}
	fputs("</table>\n<h2>Rules: state at year end and monthly pass rate (%)</h2>"
	      "<table><tr><th>hostname</th><th>rule</th><th>year end</th>", f);
	for (int m = 1; m <= 12; m++)
		fprintf(f, "<th>%02d</th>", m);
	fputs("</tr>\n", f);
	for (size_t i = 0; i < a->nhosts; i++) {
		host_acc *h = &a->hosts[i];
		for (size_t r = 0; r < h->nrules && r < a->nrules; r++) {
			if (!h->year_end[r])
				continue;
			char mon[12][16];
			const char *cells[15] = {h->name, a->rules[r], status_name(h->year_end[r])};
			for (int m = 0; m < 12; m++) {
				rate(&h->rules[r], m, mon[m], sizeof mon[m]);
				cells[3 + m] = mon[m];
			}
			html_row(f, 15, cells, h->year_end[r] == 'f' ? "fail" : NULL);
		}
	}
	fputs("</table>\n<h2>Score trend (monthly mean)</h2><table><tr><th>hostname</th>", f);
	for (int m = 1; m <= 12; m++)
		fprintf(f, "<th>%02d</th>", m);
	fputs("</tr>\n", f);
	for (size_t i = 0; i < a->nhosts; i++) {
		host_acc *h = &a->hosts[i];
		if (!h->reports)
			continue;
		char mon[12][16];
		const char *cells[13] = {h->name};
		for (int m = 0; m < 12; m++) {
			fmt_num(h->score_n[m] ? h->score_sum[m] / h->score_n[m] : NAN, mon[m], 16);
			cells[1 + m] = mon[m];
		}
		html_row(f, 13, cells, NULL);
	}
	fputs("</table>\n<h2>Approved exceptions</h2><table><tr><th>hostname</th><th>rule</th>"
	      "<th>reason</th><th>approved by</th><th>until</th><th>first seen</th>"
	      "<th>last seen</th></tr>\n", f);
	if (write_exceptions(s, c->o->org_id, from, to, NULL, NULL, f) != 0)
		return -1;
	fprintf(f, "</table>\n<h2>Evidence</h2><p>%ld raw reports are stored. The SHA-256 of "
		   "their list (one line \"report_id,hostname,finished_at,sha256\\n\" each, in "
		   "host and time order) is <code>%s</code>; the full list is in the CSV and JSON "
		   "reports, and <code>hostaudit-collector export REPORT_ID</code> prints any raw "
		   "report, whose SHA-256 can be checked against it.</p>\n",
		a->evidence, c->ledger);
	fprintf(f, "<p>Hash chain head at year end: sequence %lld, <code>%s</code> "
		   "(<code>hostaudit-collector verify</code> recomputes the chain).</p>\n"
		   "</body></html>\n",
		(long long)c->chain_seq, c->chain_head);
	return 0;
}

static void annual_free(annual *a)
{
	for (size_t i = 0; i < a->nhosts; i++) {
		free(a->hosts[i].name);
		free(a->hosts[i].rules);
		free(a->hosts[i].year_end);
	}
	for (size_t i = 0; i < a->nrules; i++)
		free(a->rules[i]);
	free(a->hosts);
	free(a->rules);
	free(a->slots);
	EVP_MD_CTX_free(a->ledger);
}

int annual_report(store *s, const annual_options *o, char *err, size_t err_size)
{
	char y0[32], y1[32];
	int64_t from, to;
	snprintf(y0, sizeof y0, "%04d-01-01T00:00:00Z", o->year);
	snprintf(y1, sizeof y1, "%04d-01-01T00:00:00Z", o->year + 1);
	if (!rfc3339_parse(y0, &from) || !rfc3339_parse(y1, &to)) {
		snprintf(err, err_size, "year %d is out of range", o->year);
		return -1;
	}
	annual a = {.ledger = EVP_MD_CTX_new()};
	EVP_DigestInit_ex(a.ledger, EVP_sha256(), NULL);
	bool csv = strcmp(o->format, "csv") == 0, js = strcmp(o->format, "json") == 0;
	FILE *ev = NULL, *out = NULL;
	json_t *evj = js ? json_array() : NULL;
	int rc = -1;
	bool snapshot = false;
	if (csv && mkdir(o->out, 0700) != 0 && errno != EEXIST) {
		snprintf(err, err_size, "%s: %s", o->out, strerror(errno));
		goto done;
	}
	if (csv) {
		if (!(ev = csv_open(o->out, "evidence.csv", err, err_size)))
			goto done;
		csv_row(ev, 5, "report_id", "hostname", "finished_at", "received_at", "sha256");
	}
	if (store_read_begin(s, err, err_size) != 0) /* one snapshot */
		goto done;
	snapshot = true;
	rc = gather(s, o->org_id, &a, from, to, ev, evj, err, err_size);
	if (rc != 0)
		goto done;
	if (a.nhosts) /* an empty fleet: hosts is NULL, and qsort(NULL, 0) is undefined */
		qsort(a.hosts, a.nhosts, sizeof *a.hosts, cmp_host);
	ctx c = {.a = &a, .o = o, .ref = o->now < to ? o->now : to};
	unsigned char md[32];
	unsigned int mdlen;
	EVP_DigestFinal_ex(a.ledger, md, &mdlen);
	for (int i = 0; i < 32; i++)
		snprintf(c.ledger + 2 * i, 3, "%02x", md[i]);
	/* evidence: the chain's head at year end (the default organisation's
	 * until the report is per organisation) */
	if (store_chain_head(s, 1, to, &c.chain_seq, c.chain_head, err, err_size) < 0) {
		rc = -1;
		goto done;
	}
	for (size_t i = 0; i < a.nhosts; i++) {
		host_acc *h = &a.hosts[i];
		bool expected = h->in_inventory || h->enrolled;
		c.expected += expected;
		c.covered += expected && h->reports > 0;
		c.stale += is_stale(&c, h);
	}
	if (csv) {
		FILE *x = csv_open(o->out, "exceptions.csv", err, err_size);
		rc = x ? write_exceptions(s, o->org_id, from, to, x, NULL, NULL) : -1;
		if (x)
			fclose(x);
		if (rc == 0)
			rc = write_csv(&c, o->out, err, err_size);
		goto done;
	}
	out = o->out ? open_output(o->out) : stdout;
	if (!out) {
		snprintf(err, err_size, "%s: %s", o->out,
			 errno == EINVAL ? "not a regular file" : strerror(errno));
		rc = -1;
		goto done;
	}
	if (js) {
		json_t *doc = build_json(&c);
		json_t *ex = json_array();
		write_exceptions(s, o->org_id, from, to, NULL, ex, NULL);
		json_object_set_new(doc, "exceptions", ex);
		json_object_set(doc, "evidence", evj);
		/* The organisation's category that year (docs/organisation.md). */
		json_object_set(doc, "organisation", o->organisation ? (json_t *)o->organisation
								     : json_null());
		rc = json_dumpf(doc, out, JSON_INDENT(1) | JSON_ENSURE_ASCII) == 0 ? 0 : -1;
		fputc('\n', out);
		json_decref(doc);
	} else {
		rc = write_html(&c, s, from, to, out);
	}
	if (rc != 0)
		snprintf(err, err_size, "cannot write the report");
done:
	if (snapshot)
		store_read_end(s);
	if (out && out != stdout && fclose(out) != 0 && rc == 0) {
		snprintf(err, err_size, "%s: %s", o->out, strerror(errno));
		rc = -1;
	}
	if (ev)
		fclose(ev);
	json_decref(evj);
	annual_free(&a);
	return rc;
}
