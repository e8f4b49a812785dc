/* SPDX-License-Identifier: Apache-2.0 */
/* GET /metrics, in Prometheus' text exposition format (version 0.0.4).
 * What every collector on the database shares comes from the database
 * (reports stored, hosts by state); what one process saw (its answers,
 * its refusals, its ingest latency) is counted here and carries the label
 * scope="process": summed over the collectors by whoever scrapes them. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "fleet.h"

static atomic_ulong refused[200];       /* HTTP 400..599 */
static atomic_ulong outcomes[4];        /* store_result */
static const char *const outcome_names[4] = {"stored", "duplicate", "conflict", "error"};
/* the ingest latency's histogram, in milliseconds (upper bounds) */
static const long bounds_ms[] = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};
#define N_BOUNDS (sizeof bounds_ms / sizeof bounds_ms[0])
static atomic_ulong buckets[N_BOUNDS + 1]; /* the last: above every bound */
static atomic_ulong latency_sum_ms, latency_count;

void metrics_refused(unsigned code)
{
	if (code >= 400 && code < 600)
		atomic_fetch_add(&refused[code - 400], 1);
}

void metrics_ingested(int outcome, int64_t ms)
{
	if (outcome >= 0 && outcome < 4)
		atomic_fetch_add(&outcomes[outcome], 1);
	if (ms < 0)
		ms = 0;
	size_t b = 0;
	while (b < N_BOUNDS && ms > bounds_ms[b])
		b++;
	atomic_fetch_add(&buckets[b], 1);
	atomic_fetch_add(&latency_sum_ms, (unsigned long)ms);
	atomic_fetch_add(&latency_count, 1);
}

typedef struct out {
	char *buf;
	size_t len;
	FILE *f;
} out;

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

int api_metrics(api_call *c)
{
	fleet *f = api_fleet_model(c, -1);
	if (!f)
		return 0;
	int64_t stored = 0;
	char err[300];
	if (store_report_count(c->s, c->who->org_id, &stored, err, sizeof err) != 0) {
		fleet_free(f);
		log_line("metrics: %s", err);
		return api_error(c, 503, "the store is busy or unreadable, try again");
	}
	out o = {0};
	o.f = open_memstream(&o.buf, &o.len);
	if (!o.f) {
		fleet_free(f);
		return api_error(c, 503, "out of memory");
	}
	family(o.f, "hostaudit_reports_stored_total", "counter",
	       "Reports stored in the database, by every collector on it.");
	fprintf(o.f, "hostaudit_reports_stored_total %lld\n", (long long)stored);
	family(o.f, "hostaudit_hosts", "gauge",
	       "Hosts of the fleet by state, from the database (stale: expected, no report"
	       " within stale_days).");
	fprintf(o.f, "hostaudit_hosts{state=\"expected\"} %ld\n", f->expected);
	fprintf(o.f, "hostaudit_hosts{state=\"reporting\"} %ld\n", f->reporting);
	fprintf(o.f, "hostaudit_hosts{state=\"stale\"} %ld\n", f->stale);
	fprintf(o.f, "hostaudit_hosts{state=\"retired\"} %ld\n", f->retired);
	family(o.f, "hostaudit_hosts_stale", "gauge",
	       "Expected hosts without a report within stale_days, from the database.");
	fprintf(o.f, "hostaudit_hosts_stale %ld\n", f->stale);
	fleet_free(f);
	family(o.f, "hostaudit_process_reports_received_total", "counter",
	       "Reports this collector process answered, by outcome.");
	for (int i = 0; i < 4; i++)
		fprintf(o.f,
			"hostaudit_process_reports_received_total{outcome=\"%s\",scope=\"process\"}"
			" %lu\n",
			outcome_names[i], atomic_load(&outcomes[i]));
	family(o.f, "hostaudit_process_requests_refused_total", "counter",
	       "Requests this collector process refused, by HTTP status.");
	for (unsigned i = 0; i < 200; i++) {
		unsigned long n = atomic_load(&refused[i]);
		if (n)
			fprintf(o.f,
				"hostaudit_process_requests_refused_total{code=\"%u\",scope=\"process\"}"
				" %lu\n",
				400 + i, n);
	}
	family(o.f, "hostaudit_process_ingest_latency_seconds", "histogram",
	       "From a report's headers to its answer (after its COMMIT), in this process.");
	unsigned long cum = 0;
	for (size_t b = 0; b <= N_BOUNDS; b++) {
		cum += atomic_load(&buckets[b]);
		if (b < N_BOUNDS)
			fprintf(o.f,
				"hostaudit_process_ingest_latency_seconds_bucket{le=\"%g\","
				"scope=\"process\"} %lu\n",
				(double)bounds_ms[b] / 1000.0, cum);
		else
			fprintf(o.f,
				"hostaudit_process_ingest_latency_seconds_bucket{le=\"+Inf\","
				"scope=\"process\"} %lu\n",
				cum);
	}
	fprintf(o.f, "hostaudit_process_ingest_latency_seconds_sum{scope=\"process\"} %.3f\n",
		(double)atomic_load(&latency_sum_ms) / 1000.0);
	fprintf(o.f, "hostaudit_process_ingest_latency_seconds_count{scope=\"process\"} %lu\n",
		atomic_load(&latency_count));
	fclose(o.f);
	c->code = 200;
	c->text = o.buf;
	c->content_type = "text/plain; version=0.0.4; charset=utf-8";
	return 0;
}
