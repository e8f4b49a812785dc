/* SPDX-License-Identifier: Apache-2.0 */
/* Collector benchmarks (bench/collector.sh runs them).
 *   collector_bench ingest URL CA TOKENS_FILE AGENTS REPORTS_PER_AGENT
 *       AGENTS threads, each an agent with its own token and keep-alive
 *       HTTPS connection, POST distinct reports; prints reports/s, and
 *       the CPU a report of the agents themselves (TLS, curl) and of the
 *       whole machine while they sent.
 *   collector_bench cpu REPORT.json N
 *       the collector's per-report CPU work on one real report, N times
 *       each: parse, schema check, summary, SHA-256, zstd pack; prints
 *       microseconds per report for each step.
 *   collector_bench fill DB HOSTS DAYS YEAR
 *       writes HOSTS x DAYS daily reports straight into the store (bench
 *       data only: synchronous=OFF while filling). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "body_codec.h"
#include "collector.h"
#include "hostaudit/report_schema.h"

#define NRULES 20

static char *make_report(int host, int seq, const char *finished, char id[37])
{
	snprintf(id, 37, "%08x-%04x-4%03x-8000-%012x", (unsigned)host, (unsigned)(seq >> 12) & 0xffff,
		 (unsigned)seq & 0xfff, (unsigned)rand());
	json_t *results = json_array();
	for (int r = 0; r < NRULES; r++) {
		char rid[32];
		snprintf(rid, sizeof rid, "rule.%02d", r);
		const char *st = (rand() % 10) ? "pass" : "fail";
		json_array_append_new(results,
			json_pack("{s:s,s:s,s:i,s:s,s:i,s:s,s:{s:s,s:s},s:{s:s,s:s},s:[s],s:b}", "pack",
				  r < 9 ? "nisc-9" : "ipa-5", "id", rid, "article", r % 9 + 1,
				  "severity", "high", "weight", 2, "status", st, "title", "en",
				  "A rule title of typical length", "ja", "典型的な長さの規則の題名",
				  "remediation", "en", "What to do about it, in a sentence or two.",
				  "ja", "対処方法を一、二文で。", "facts", "some.fact", "attested", 0));
	}
	char host_name[32];
	snprintf(host_name, sizeof host_name, "pc-%05d", host);
	json_t *rep = json_pack(
		"{s:s,s:s,s:{s:s,s:s},s:{s:s,s:s,s:{s:s,s:s,s:s},s:s},s:s,s:s,s:s,s:[],s:{},"
		"s:[{s:s,s:s,s:s,s:s}],s:{},s:o,s:{s:{s:f,s:i,s:i,s:i,s:i,s:i,s:i},s:[]}}",
		"schema", "hostaudit/report/v1", "report_id", id, "agent", "name", "hostaudit",
		"version", "0.1", "host", "hostname", host_name, "os", "linux", "os_release", "id",
		"debian", "version_id", "12", "pretty_name", "Debian GNU/Linux 12", "machine_id",
		"0123456789abcdef", "now", finished, "started_at", finished, "finished_at", finished, "packs",
		"params", "exceptions", "rule", "nisc-9:rule.03", "reason", "kiosk PC",
		"approved_by", "Sato", "until", "2026-12-31", "facts", "results", results, "scores",
		"overall", "score", 90.0, "pass", 18, "fail", 2, "unknown", 0, "not_applicable", 0,
		"error", 0, "disabled", 0, "packs");
	char *s = json_dumps(rep, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(rep);
	return s;
}

/* ---- ingest ---- */

typedef struct agent {
	int count, ok;
	const char *url, *ca;
	char token[80];
	char **bodies;        /* made before the clock starts */
	char (*ids)[37];
} agent;

static size_t discard(char *p, size_t s, size_t n, void *u) { (void)p; (void)u; return s * n; }

static void *agent_run(void *arg)
{
	agent *a = arg;
	CURL *c = curl_easy_init();
	char auth[128], idem[64];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", a->token);
	curl_easy_setopt(c, CURLOPT_URL, a->url);
	curl_easy_setopt(c, CURLOPT_CAINFO, a->ca);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	for (int i = 0; i < a->count; i++) {
		snprintf(idem, sizeof idem, "Idempotency-Key: %s", a->ids[i]);
		struct curl_slist *h = curl_slist_append(NULL, auth);
		h = curl_slist_append(h, idem);
		h = curl_slist_append(h, "Content-Type: application/json");
		h = curl_slist_append(h, "Expect:");
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, a->bodies[i]);
		long code = 0;
		if (curl_easy_perform(c) == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		a->ok += code == 201;
		curl_slist_free_all(h);
	}
	curl_easy_cleanup(c);
	return NULL;
}

static double secs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* This process's CPU (all threads), in seconds. */
static double cpu_secs(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* The whole machine's CPU (user, nice, system, irq, softirq), in clock
 * ticks, from /proc/stat; 0 where there is none. */
static long long machine_ticks(void)
{
	FILE *f = fopen("/proc/stat", "r");
	long long v[7] = {0};
	if (!f)
		return 0;
	int k = fscanf(f, "cpu %lld %lld %lld %lld %lld %lld %lld", &v[0], &v[1], &v[2], &v[3],
		       &v[4], &v[5], &v[6]);
	fclose(f);
	return k == 7 ? v[0] + v[1] + v[2] + v[5] + v[6] : 0;
}

static int run_ingest(char **argv)
{
	int n = atoi(argv[5]), per = atoi(argv[6]);
	FILE *tf = fopen(argv[4], "r");
	if (!tf)
		return 1;
	agent *ag = calloc((size_t)n, sizeof *ag);
	for (int i = 0; i < n; i++) {
		ag[i] = (agent){.count = per, .url = argv[2], .ca = argv[3]};
		if (!fgets(ag[i].token, sizeof ag[i].token, tf))
			return 1;
		ag[i].token[strcspn(ag[i].token, "\n")] = '\0';
	}
	fclose(tf);
	/* The agents' reports are made first: on this machine the agents share
	 * the collector's cores, and making a report (jansson, sorted keys)
	 * cost them about 0.5 ms of CPU each, time a real agent spends on its
	 * own PC. What is timed is sending and storing. */
	char now[21];
	rfc3339_format((int64_t)time(NULL) - 60, now);
	for (int i = 0; i < n; i++) {
		ag[i].bodies = calloc((size_t)per, sizeof *ag[i].bodies);
		ag[i].ids = calloc((size_t)per, sizeof *ag[i].ids);
		if (!ag[i].bodies || !ag[i].ids)
			return 1;
		for (int k = 0; k < per; k++)
			if (!(ag[i].bodies[k] = make_report(i, k, now, ag[i].ids[k])))
				return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	pthread_t *t = calloc((size_t)n, sizeof *t);
	double t0 = secs(), c0 = cpu_secs();
	long long m0 = machine_ticks();
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, agent_run, &ag[i]);
	int ok = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		ok += ag[i].ok;
	}
	double dt = secs() - t0, cpu = cpu_secs() - c0;
	long long m = machine_ticks() - m0;
	printf("ingest: %d agents x %d reports: %d stored (201) in %.2f s = %.0f reports/s\n", n,
	       per, ok, dt, ok / dt);
	if (ok) {
		printf("cpu a report, agents: %.3f ms\n", cpu * 1e3 / ok);
		printf("cpu a report, the whole machine: %.3f ms\n",
		       (double)m * 1e3 / (double)sysconf(_SC_CLK_TCK) / ok);
	}
	free(t);
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < per; k++)
			free(ag[i].bodies[k]);
		free(ag[i].bodies);
		free(ag[i].ids);
	}
	free(ag);
	curl_global_cleanup();
	return ok == n * per ? 0 : 1;
}

/* ---- fill ---- */

/* In arrival order, as a real fleet writes it: day by day, every host's
 * report of that day, in group commits of one day's reports (or fewer). */
#define FILL_BATCH 500

static int fill(char **argv)
{
	int hosts = atoi(argv[3]), days = atoi(argv[4]), year = atoi(argv[5]);
	char err[600];
	store *s = store_open(argv[2], err, sizeof err);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	store_bench_unsafe(s);
	char y0[32];
	int64_t start;
	snprintf(y0, sizeof y0, "%04d-01-01T06:00:00Z", year);
	rfc3339_parse(y0, &start);
	double t0 = secs();
	int64_t *hid = calloc((size_t)hosts, sizeof *hid);
	char (*names)[32] = calloc((size_t)hosts, sizeof *names);
	for (int h = 0; h < hosts; h++) {
		char token[65], stored[256];
		snprintf(names[h], sizeof names[h], "pc-%05d", h);
		int64_t org;
		if (store_enroll(s, ORG_DEFAULT, names[h], token, err, sizeof err) != 0 ||
		    store_host_by_name(s, names[h], &hid[h], &org, stored, sizeof stored) != 1) {
			fprintf(stderr, "fill: enroll %s: %s\n", names[h], err);
			return 1;
		}
	}
	ingest *in = calloc(FILL_BATCH, sizeof *in);
	const ingest **ptr = calloc(FILL_BATCH, sizeof *ptr);
	ingest_outcome *out = calloc(FILL_BATCH, sizeof *out);
	char (*ids)[37] = calloc(FILL_BATCH, sizeof *ids);
	for (int d = 0; d < days; d++) {
		for (int h0 = 0; h0 < hosts; h0 += FILL_BATCH) {
			int n = hosts - h0 < FILL_BATCH ? hosts - h0 : FILL_BATCH;
			for (int k = 0; k < n; k++) {
				int h = h0 + k;
				char fin[21];
				int64_t t = start + (int64_t)d * 86400 + h % 36000;
				rfc3339_format(t, fin);
				char *body = make_report(h, d, fin, ids[k]);
				in[k] = (ingest){.report_id = ids[k], .host_id = hid[h],
						 .host_name = names[h], .claimed_host = names[h],
						 .finished_at = t, .received_at = t + 5, .score = 90.0,
						 .body = body, .body_len = strlen(body),
						 .report = json_loads(body, 0, NULL)};
				ptr[k] = &in[k];
			}
			store_ingest_batch(s, ptr, out, (size_t)n);
			for (int k = 0; k < n; k++) {
				if (out[k].result != STORE_NEW) {
					fprintf(stderr, "fill: %s\n", out[k].err);
					return 1;
				}
				json_decref((json_t *)in[k].report);
				free((char *)in[k].body);
			}
		}
		if (d % 30 == 29)
			fprintf(stderr, "fill: day %d of %d, %.0f s\n", d + 1, days, secs() - t0);
	}
	printf("fill: %d hosts x %d reports written in %.1f s (arrival order)\n", hosts, days,
	       secs() - t0);
	free(in);
	free(ptr);
	free(out);
	free(ids);
	free(hid);
	free(names);
	store_close(s);
	return 0;
}

/* ---- cpu ---- */

static int cpu(char **argv)
{
	FILE *f = fopen(argv[2], "rb");
	if (!f)
		return 1;
	static char body[8 << 20];
	size_t len = fread(body, 1, sizeof body - 1, f);
	fclose(f);
	int n = atoi(argv[3]);
	double t[5] = {0};
	size_t packed_len = 0;
	for (int i = 0; i < n; i++) {
		double t0 = secs();
		json_t *rep = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
		double t1 = secs();
		char err[512], sha[65];
		if (!rep || report_validate(rep, err, sizeof err) != 0) {
			fprintf(stderr, "cpu: %s: not a valid report\n", argv[2]);
			return 1;
		}
		double t2 = secs();
		free(results_summary(rep));
		double t3 = secs();
		sha256_hex(body, len, sha);
		double t4 = secs();
		unsigned char *packed;
		int enc;
		body_pack(body, len, &packed, &packed_len, &enc);
		double t5 = secs();
		free(packed);
		json_decref(rep);
		t[0] += t1 - t0, t[1] += t2 - t1, t[2] += t3 - t2, t[3] += t4 - t3, t[4] += t5 - t4;
	}
	printf("cpu: %zu-byte report, %d runs, microseconds each: parse %.0f, schema check %.0f,"
	       " summary %.0f, SHA-256 %.0f, zstd pack %.0f (to %zu bytes)\n", len, n,
	       t[0] / n * 1e6, t[1] / n * 1e6, t[2] / n * 1e6, t[3] / n * 1e6, t[4] / n * 1e6,
	       packed_len);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "cpu") == 0)
		return cpu(argv);
	if (argc == 7 && strcmp(argv[1], "ingest") == 0)
		return run_ingest(argv);
	if (argc == 6 && strcmp(argv[1], "fill") == 0)
		return fill(argv);
	fprintf(stderr, "usage: collector_bench ingest URL CA TOKENS AGENTS PER_AGENT\n"
			"       collector_bench fill DB HOSTS DAYS YEAR\n"
			"       collector_bench cpu REPORT.json N\n");
	return 2;
}
