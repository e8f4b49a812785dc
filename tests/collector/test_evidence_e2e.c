/* SPDX-License-Identifier: Apache-2.0 */
/* End-to-end: the evidence that cannot be quietly changed (issue 13,
 * docs/collector.md "Evidence"), on SQLite or, under run_pg.sh, on
 * PostgreSQL.
 *   test_evidence_e2e COLLECTOR_BINARY WORK_DIR
 * Reports go in with store_ingest_batch() (the writer thread's path, group
 * commit); the store is then changed behind the collector's back as an
 * insider with database access could, and `hostaudit-collector verify`
 * must catch and name each change. The chain's links are recomputed here
 * with this file's own SHA-256, from the definition. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "collector.h"
#include "e2e_common.h"
#include "testdb.h"

static char config[4200];
static char database[1024];

/* Runs the collector (config `cfg`); its exit status, stdout+stderr in
 * *out (malloc'd). */
static int run_cfg(const char *cfg, const char *const args[], char **out)
{
	const char *argv[32] = {collector_bin, "-c", cfg};
	size_t n = 3;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	char *buf = calloc(1, 1 << 16);
	assert_non_null(buf);
	const e2e_io io = {.capture = 3};
	int rc = e2e_run(argv, &io, buf, 1 << 16);
	*out = buf;
	return rc;
}

static int run(const char *const args[], char **out)
{
	return run_cfg(config, args, out);
}

/* `verify` on the configured store: its status; its output in *out. */
static int verify(char **out)
{
	const char *args[] = {"verify", NULL};
	return run(args, out);
}

#define DAY 86400LL
#define T0 1767225600LL /* 2026-01-01 */

static store *open_db(void)
{
	char err[600];
	store *s = store_open(database, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	return s;
}

static void report_id(int n, char id[37])
{
	snprintf(id, 37, "6f1c2e3a-0000-4000-8000-%012d", n);
}

/* Reports first..first+count-1 of host, `batch` per group commit. */
static void ingest_reports(store *s, const char *host, int first, int count, int batch)
{
	char token[65], err[300], name[256];
	int64_t host_id;
	int64_t org;
	if (store_host_by_name(s, host, &host_id, &org, name, sizeof name) != 1)
		assert_int_equal(store_enroll(s, ORG_DEFAULT, host, token, err, sizeof err), 0);
	assert_int_equal(store_host_by_name(s, host, &host_id, &org, name, sizeof name), 1);
	for (int k = 0; k < count; k += batch) {
		int n = count - k < batch ? count - k : batch;
		ingest in[64];
		const ingest *pin[64];
		ingest_outcome out[64];
		char ids[64][37], bodies[64][160];
		json_t *reps[64];
		for (int i = 0; i < n; i++) {
			int no = first + k + i;
			report_id(no, ids[i]);
			snprintf(bodies[i], sizeof bodies[i],
				 "{\"report_id\":\"%s\",\"host\":{\"hostname\":\"%s\"},\"n\":%d}\n",
				 ids[i], host, no);
			reps[i] = json_pack("{s:s,s:[]}", "report_id", ids[i], "exceptions");
			in[i] = (ingest){.report_id = ids[i], .host_id = host_id, .host_name = name,
					 .claimed_host = host, .finished_at = T0 + no * 60,
					 .received_at = T0 + no * 60 + 5, .score = 90, .body = bodies[i],
					 .body_len = strlen(bodies[i]), .report = reps[i], .summary = ""};
			pin[i] = &in[i];
		}
		store_ingest_batch(s, pin, out, (size_t)n);
		for (int i = 0; i < n; i++) {
			if (out[i].result != STORE_NEW)
				fail_msg("report %s: %d %s", ids[i], out[i].result, out[i].err);
			json_decref(reps[i]);
		}
	}
}

static void setup_dir(const char *name)
{
	snprintf(dir, sizeof dir, "%s/%s", work, name);
	mkdir(work, 0700);
	char cmd[8400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	testdb_new(dir, "db", database, sizeof database);
	snprintf(config, sizeof config, "%s/collector.yaml", dir);
	char text[9000];
	snprintf(text, sizeof text, "database: %s\nreport_signing_key: %s\n", database,
		 path("report-signing.key"));
	write_file(config, text, 0600);
}

/* ---- the chain, recomputed here from its definition ---- */

static void sha256_text(const char *a, const char *b, char out[65])
{
	unsigned char md[32];
	unsigned int n;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	EVP_DigestUpdate(c, a, strlen(a));
	EVP_DigestUpdate(c, b, strlen(b));
	EVP_DigestFinal_ex(c, md, &n);
	EVP_MD_CTX_free(c);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

typedef struct recompute {
	char prev[65];
	int64_t seq;
	long mismatches;
	long bodies;
} recompute;

static int on_link(void *arg, const store_link *l)
{
	recompute *r = arg;
	char want[65], body_sha[65];
	sha256_text(r->prev, l->body_sha256, want);
	r->mismatches += l->seq != r->seq + 1 || strcmp(want, l->chain_sha256) != 0;
	if (l->body) {
		r->bodies++;
		EVP_Digest(l->body, l->body_len, (unsigned char *)body_sha, NULL, EVP_sha256(), NULL);
		char hex[65];
		for (int i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", (unsigned char)body_sha[i]);
		r->mismatches += strcmp(hex, l->body_sha256) != 0;
	}
	r->seq = l->seq;
	snprintf(r->prev, sizeof r->prev, "%s", l->chain_sha256);
	return 0;
}

/* The chain of an organisation, checked without chain_verify(): links,
 * 0 when every link and body is as defined. */
static long recompute_org_chain(int64_t org, int64_t *links)
{
	store *s = open_db();
	recompute r = {.prev = "0000000000000000000000000000000000000000000000000000000000000000"};
	char err[300];
	assert_int_equal(store_each_link(s, org, true, on_link, &r, err, sizeof err), 0);
	store_close(s);
	*links = r.seq;
	return r.mismatches;
}

static long recompute_chain(int64_t *links)
{
	return recompute_org_chain(ORG_DEFAULT, links);
}

/* The report row (its store id) of chain sequence seq. */
static long row_of_seq(int seq)
{
	char q[160];
	snprintf(q, sizeof q, "SELECT report FROM report_chain WHERE seq = %d", seq);
	return testdb_int(database, q, NULL);
}

static void exec_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void exec_fmt(const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	assert_int_equal(testdb_exec(database, sql), 0);
}

/* The first broken link verify names begins with want. */
static void first_broken(const char *out, const char *want)
{
	const char *first = strstr(out, "BROKEN: ");
	if (!first || strncmp(first + 8, want, strlen(want)) != 0)
		fail_msg("want the first broken link to be \"%s\", verify said:\n%s", want, out);
}

/* ---- tests ---- */

/* Untampered: verify passes, the links are the definition's, the head
 * row is the last link; and a restart (the store opened again) goes on
 * with the same chain. */
static void untampered_store_verifies_and_survives_restart(void **state)
{
	(void)state;
	setup_dir("untampered");
	store *s = open_db();
	ingest_reports(s, "pc-01", 1, 7, 3);
	ingest_reports(s, "pc-02", 100, 5, 5);
	store_close(s);
	int64_t links;
	assert_int_equal(recompute_chain(&links), 0);
	assert_int_equal(links, 12);
	char *out;
	assert_int_equal(verify(&out), 0);
	assert_non_null(strstr(out, "chain: 12 links, 12 stored bodies"));
	assert_non_null(strstr(out, "the chain holds"));
	free(out);
	/* restart: new reports extend the same chain */
	s = open_db();
	ingest_reports(s, "pc-01", 8, 4, 2);
	/* the same report again: a duplicate, no new link */
	char id[37], err[300], name[256];
	int64_t hid, org;
	report_id(8, id);
	assert_int_equal(store_host_by_name(s, "pc-01", &hid, &org, name, sizeof name), 1);
	const char body[] = "{\"report_id\":\"6f1c2e3a-0000-4000-8000-000000000008\","
			    "\"host\":{\"hostname\":\"pc-01\"},\"n\":8}\n";
	json_t *rep = json_pack("{s:s,s:[]}", "report_id", id, "exceptions");
	ingest in = {.report_id = id, .host_id = hid, .host_name = name, .claimed_host = "pc-01",
		     .finished_at = T0 + 8 * 60, .received_at = T0 + 8 * 60 + 5, .score = 90,
		     .body = body, .body_len = strlen(body), .report = rep, .summary = ""};
	assert_int_equal(store_ingest(s, &in, err, sizeof err), STORE_DUPLICATE);
	json_decref(rep);
	int64_t seq;
	char head[65];
	assert_int_equal(store_chain_tip(s, 1, &seq, head, err, sizeof err), 1);
	assert_int_equal(seq, 16);
	/* the head at a time: before the first report none, then each link */
	assert_int_equal(store_chain_head(s, 1, T0, &seq, head, err, sizeof err), 0);
	assert_int_equal(seq, 0);
	assert_int_equal(store_chain_head(s, 1, T0 + 3 * 60 + 6, &seq, head, err, sizeof err), 1);
	assert_int_equal(seq, 3);
	store_close(s);
	assert_int_equal(recompute_chain(&links), 0);
	assert_int_equal(links, 16);
	assert_int_equal(verify(&out), 0);
	assert_non_null(strstr(out, "chain: 16 links"));
	free(out);
}

/* Each change behind the collector's back is caught, and the first broken
 * link is named: report id, sequence, what differs. */
static void tampered_store_caught(void **state)
{
	(void)state;
	char *out, id[37];
	/* a body changed */
	setup_dir("tamper-body");
	store *s = open_db();
	ingest_reports(s, "pc-01", 1, 6, 3);
	store_close(s);
	long row = row_of_seq(3);
	if (testdb_pg())
		exec_fmt("UPDATE report_bodies SET body = '\\x7b7d0a'::bytea, encoding = 0"
			 " WHERE report = %ld", row);
	else
		exec_fmt("UPDATE report_bodies SET body = X'7b7d0a', encoding = 0 WHERE report = %ld",
			 row);
	assert_int_equal(verify(&out), 1);
	report_id(3, id);
	char want[300];
	snprintf(want, sizeof want, "report %s (sequence 3):\n  the stored body's SHA-256 is not"
				    " its row's\n  body  ", id);
	first_broken(out, want);
	assert_non_null(strstr(out, "the chain is broken: 1 finding(s)"));
	free(out);

	/* a row's SHA-256 changed (the body too, so they agree: only the
	 * chain can tell) */
	setup_dir("tamper-sha");
	s = open_db();
	ingest_reports(s, "pc-01", 1, 6, 2);
	store_close(s);
	row = row_of_seq(2);
	exec_fmt("DELETE FROM report_bodies WHERE report = %ld", row);
	exec_fmt("UPDATE reports SET body_sha256 = "
		 "'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c' WHERE id = %ld",
		 row);
	assert_int_equal(verify(&out), 1);
	report_id(2, id);
	snprintf(want, sizeof want, "report %s (sequence 2):\n  its chain hash does not follow",
		 id);
	first_broken(out, want);
	free(out);

	/* a link's chain hash changed */
	setup_dir("tamper-chain");
	s = open_db();
	ingest_reports(s, "pc-01", 1, 6, 6);
	store_close(s);
	exec_fmt("UPDATE report_chain SET chain_sha256 = "
		 "'7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730' WHERE seq = 4");
	assert_int_equal(verify(&out), 1);
	report_id(4, id);
	snprintf(want, sizeof want, "report %s (sequence 4):\n  its chain hash does not follow"
				    " from the previous link and\n  the report's SHA-256\n  stored"
				    "      7d865e95", id);
	first_broken(out, want);
	free(out);

	/* a report deleted from the middle, its link and body with it */
	setup_dir("tamper-delete");
	s = open_db();
	ingest_reports(s, "pc-01", 1, 6, 4);
	store_close(s);
	row = row_of_seq(3);
	exec_fmt("DELETE FROM report_chain WHERE report = %ld", row);
	exec_fmt("DELETE FROM report_bodies WHERE report = %ld", row);
	exec_fmt("DELETE FROM report_digests WHERE report = %ld", row);
	exec_fmt("DELETE FROM reports WHERE id = %ld", row);
	assert_int_equal(verify(&out), 1);
	report_id(4, id);
	snprintf(want, sizeof want, "sequence 3..3 missing:\n  the link before report %s\n"
				    "  (sequence 4) is sequence 2", id);
	first_broken(out, want);
	free(out);

	/* the last links cut off, the head row left: the head names it */
	setup_dir("tamper-tail");
	s = open_db();
	ingest_reports(s, "pc-01", 1, 5, 5);
	store_close(s);
	row = row_of_seq(5);
	exec_fmt("DELETE FROM report_chain WHERE report = %ld", row);
	exec_fmt("DELETE FROM report_bodies WHERE report = %ld", row);
	exec_fmt("DELETE FROM report_digests WHERE report = %ld", row);
	exec_fmt("DELETE FROM reports WHERE id = %ld", row);
	assert_int_equal(verify(&out), 1);
	first_broken(out, "the chain's head row does not name its last link:\n"
			  "  head row:  sequence 5\n");
	free(out);

	/* a report slipped in without a link */
	setup_dir("tamper-insert");
	s = open_db();
	ingest_reports(s, "pc-01", 1, 3, 3);
	store_close(s);
	exec_fmt("INSERT INTO reports(report_id, host_id, claimed_hostname, hostname_mismatch,"
		 " finished_at, received_at, score, body_sha256, summary) SELECT"
		 " '6f1c2e3a-0000-4000-8000-000000000999', host_id, claimed_hostname, 0,"
		 " finished_at, received_at, score, body_sha256, summary FROM reports WHERE id = %ld",
		 row_of_seq(1));
	assert_int_equal(verify(&out), 1);
	first_broken(out, "1 stored report(s) are in no link of the chain\n  (the first: "
			  "6f1c2e3a-0000-4000-8000-000000000999)");
	free(out);
}

/* Several writers on one database (two processes, as two collectors, each
 * committing batches at once): one linear chain, no fork, no gap. */
static void concurrent_writers_one_chain(void **state)
{
	(void)state;
	setup_dir("concurrent");
	store *s = open_db(); /* migrated once, before the race */
	char token[65], err[600];
	assert_int_equal(store_enroll(s, ORG_DEFAULT, "pc-a", token, err, sizeof err), 0);
	assert_int_equal(store_enroll(s, ORG_DEFAULT, "pc-b", token, err, sizeof err), 0);
	store_close(s);
	/* both start writing together: each waits, its store open, for the
	 * pipe to close */
	int go[2];
	assert_int_equal(pipe(go), 0);
	pid_t pid[2];
	for (int w = 0; w < 2; w++) {
		pid[w] = fork();
		assert_true(pid[w] >= 0);
		if (pid[w] == 0) {
			close(go[1]);
			store *ws = store_open(database, err, sizeof err);
			char c;
			if (!ws || read(go[0], &c, 1) != 0)
				_exit(3);
			ingest_reports(ws, w ? "pc-b" : "pc-a", 10000 * (w + 1), 400, 4);
			store_close(ws);
			_exit(0);
		}
	}
	close(go[0]);
	close(go[1]);
	for (int w = 0; w < 2; w++) {
		int st;
		waitpid(pid[w], &st, 0);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	int64_t links;
	assert_int_equal(recompute_chain(&links), 0);
	assert_int_equal(links, 800);
	assert_int_equal(testdb_int(database, "SELECT count(DISTINCT seq) FROM report_chain", NULL),
			 800);
	assert_int_equal(testdb_int(database, "SELECT max(seq) FROM report_chain", NULL), 800);
	char *out;
	assert_int_equal(verify(&out), 0);
	free(out);
	/* the two writers did interleave: pc-a's links are not one block */
	long first_b = testdb_int(database,
				  "SELECT min(c.seq) FROM report_chain c JOIN reports r ON"
				  " r.id = c.report JOIN hosts h ON h.id = r.host_id"
				  " WHERE h.name = 'pc-b'", NULL);
	long last_a = testdb_int(database,
				 "SELECT max(c.seq) FROM report_chain c JOIN reports r ON"
				 " r.id = c.report JOIN hosts h ON h.id = r.host_id"
				 " WHERE h.name = 'pc-a'", NULL);
	print_message("two writers, 800 reports in batches of 4: pc-b's first link %ld, "
		      "pc-a's last %ld\n", first_b, last_a);
	/* On PostgreSQL they wait on the head's row lock in turn, so their
	 * links mix; SQLite's busy handler lets one writer win every race on a
	 * loaded machine, so there one block after the other is also a correct
	 * outcome (the chain above is what is checked). */
	if (testdb_pg())
		assert_true(first_b < last_a);
}

/* One group commit holding reports of two organisations, interleaved:
 * each goes onto its own organisation's chain, in arrival order (not the
 * report_id order the inserts take), and
 * each head is that chain's last link; a second batch goes on from
 * there. */
static void one_batch_two_organisations(void **state)
{
	(void)state;
	setup_dir("two-orgs");
	store *s = open_db();
	char token[65], err[600], name[256];
	int64_t org2, host[2], org;
	assert_int_equal(store_org_add(s, "second", NULL, &org2, err, sizeof err), 1);
	assert_int_equal(store_enroll(s, ORG_DEFAULT, "pc-one", token, err, sizeof err), 0);
	assert_int_equal(store_enroll(s, org2, "pc-two", token, err, sizeof err), 0);
	assert_int_equal(store_host_by_name(s, "pc-one", &host[0], &org, name, sizeof name), 1);
	assert_int_equal(store_host_by_name(s, "pc-two", &host[1], &org, name, sizeof name), 1);
	assert_int_equal(org, org2);
	for (int batch = 0; batch < 2; batch++) {
		ingest in[7];
		const ingest *pin[7];
		ingest_outcome out[7];
		char ids[7][37], bodies[7][400];
		json_t *reps[7];
		for (int i = 0; i < 7; i++) {
			/* arrival not in report_id order; hosts one, two, one, one, two, ... */
			int no = 500 + batch * 7 + 6 - i, h = (i % 3 == 1);
			const char *hn = h ? "pc-two" : "pc-one";
			report_id(no, ids[i]);
			snprintf(bodies[i], sizeof bodies[i],
				 "{\"report_id\":\"%s\",\"host\":{\"hostname\":\"%s\"},\"n\":%d}\n",
				 ids[i], hn, no);
			reps[i] = json_pack("{s:s,s:[]}", "report_id", ids[i], "exceptions");
			in[i] = (ingest){.report_id = ids[i], .host_id = host[h], .host_name = hn,
					 .claimed_host = hn, .finished_at = T0 + no * 60,
					 .received_at = T0 + no * 60 + 5, .score = 90, .body = bodies[i],
					 .body_len = strlen(bodies[i]), .report = reps[i], .summary = ""};
			pin[i] = &in[i];
		}
		store_ingest_batch(s, pin, out, 7);
		for (int i = 0; i < 7; i++) {
			if (out[i].result != STORE_NEW)
				fail_msg("report %s: %d %s", ids[i], out[i].result, out[i].err);
			json_decref(reps[i]);
		}
	}
	store_close(s);
	int64_t links;
	assert_int_equal(recompute_org_chain(ORG_DEFAULT, &links), 0);
	assert_int_equal(links, 10); /* 5 a batch */
	assert_int_equal(recompute_org_chain(org2, &links), 0);
	assert_int_equal(links, 4);
	/* in arrival order: pc-two's reports 505, 502, then 512, 509 */
	char q[300], got[8][64], want[37];
	snprintf(q, sizeof q,
		 "SELECT r.report_id FROM report_chain c JOIN reports r ON r.id = c.report"
		 " WHERE c.org_id = %" PRId64 " ORDER BY c.seq", org2);
	assert_int_equal(testdb_strings(database, q, got, 8), 4);
	static const int no[] = {505, 502, 512, 509};
	for (int k = 0; k < 4; k++) {
		report_id(no[k], want);
		assert_string_equal(got[k], want);
	}
	/* each head is its chain's last link */
	for (int k = 0; k < 2; k++) {
		snprintf(q, sizeof q,
			 "SELECT count(*) FROM chain_heads h JOIN report_chain c ON"
			 " c.org_id = h.org_id AND c.seq = h.seq AND c.chain_sha256 = h.chain_sha256"
			 " AND c.chained_at = h.chained_at WHERE h.org_id = %" PRId64,
			 k ? org2 : (int64_t)ORG_DEFAULT);
		assert_int_equal(testdb_int(database, q, NULL), 1);
	}
	char *out;
	assert_int_equal(verify(&out), 0);
	free(out);
}

/* Retention removes bodies, never links: the chain still verifies, and
 * says how many bodies it could not hash again. */
static void retention_keeps_chain(void **state)
{
	(void)state;
	setup_dir("retention");
	store *s = open_db();
	ingest_reports(s, "pc-01", 1, 6, 3);
	store_close(s);
	char *out;
	const char *prune[] = {"prune", "--now", "2030-01-01T00:00:00Z", NULL};
	assert_int_equal(run(prune, &out), 0);
	free(out);
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM report_bodies", NULL), 0);
	assert_int_equal(verify(&out), 0);
	assert_non_null(strstr(out, "chain: 6 links, 0 stored bodies hashed again, 6 removed"));
	free(out);
	/* a row's SHA-256 changed after its body is gone: still caught */
	exec_fmt("UPDATE reports SET body_sha256 = "
		 "'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c' WHERE id = %ld",
		 row_of_seq(5));
	assert_int_equal(verify(&out), 1);
	assert_non_null(strstr(out, "(sequence 5):\n  its chain hash does not follow"));
	free(out);
}

/* migrate --to carries the chain: the same links in the destination, its
 * head compared; the destination verifies on its own. */
static void migrate_carries_chain(void **state)
{
	(void)state;
	setup_dir("migrate");
	/* the source: a SQLite file always (migrate's usual way) */
	char src_db[4300], src_cfg[4300], text[9000];
	snprintf(src_db, sizeof src_db, "%s", path("source.db"));
	snprintf(src_cfg, sizeof src_cfg, "%s", path("source.yaml"));
	snprintf(text, sizeof text, "database: %s\n", src_db);
	write_file(src_cfg, text, 0600);
	char err[600];
	store *s = store_open(src_db, err, sizeof err);
	assert_non_null(s);
	ingest_reports(s, "pc-01", 1, 9, 4);
	ingest_reports(s, "pc-02", 50, 4, 4);
	ingest_reports(s, "pc-01", 10, 3, 1); /* pc-01 again after pc-02 */
	int64_t sseq, dseq;
	char ssha[65], dsha[65];
	assert_int_equal(store_chain_tip(s, 1, &sseq, ssha, err, sizeof err), 1);
	store_close(s);
	char *out;
	const char *mig[] = {"migrate", "--to", database, NULL};
	assert_int_equal(run_cfg(src_cfg, mig, &out), 0);
	free(out);
	s = open_db();
	assert_int_equal(store_chain_tip(s, 1, &dseq, dsha, err, sizeof err), 1);
	store_close(s);
	assert_int_equal(dseq, 16);
	assert_int_equal(sseq, dseq);
	assert_string_equal(ssha, dsha);
	assert_int_equal(verify(&out), 0);
	free(out);
	/* again: nothing new, the same head */
	assert_int_equal(run_cfg(src_cfg, mig, &out), 0);
	free(out);
	/* a destination with another chain is refused */
	s = store_open(src_db, err, sizeof err);
	ingest_reports(s, "pc-03", 70, 1, 1);
	store_close(s);
	s = open_db();
	ingest_reports(s, "pc-04", 80, 1, 1);
	store_close(s);
	assert_int_equal(run_cfg(src_cfg, mig, &out), 1);
	assert_non_null(strstr(out, "the hash chain differs"));
	free(out);
}

/* The report file's signature: keygen (0600, never overwritten), report
 * --out FILE writes FILE.sig, verify --report checks it, openssl(1) too
 * (the auditor needs nothing of ours), one byte changed is caught. */
static void report_file_signature(void **state)
{
	(void)state;
	setup_dir("signature");
	store *s = open_db();
	ingest_reports(s, "pc-01", 1, 4, 4);
	store_close(s);
	char *out;
	const char *keygen[] = {"keygen", NULL};
	assert_int_equal(run(keygen, &out), 0);
	free(out);
	struct stat st;
	assert_int_equal(stat(path("report-signing.key"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(path("report-signing.key.pub"), &st), 0);
	assert_int_equal(run(keygen, &out), 1); /* never overwritten */
	assert_non_null(strstr(out, "exists already"));
	free(out);

	const char *rep[] = {"report", "--year", "2026", "--format", "json", "--out",
			     path("annual.json"), "--now", "2027-01-10T00:00:00Z", NULL};
	assert_int_equal(run(rep, &out), 0);
	free(out);
	assert_int_equal(stat(path("annual.json.sig"), &st), 0);
	assert_int_equal(st.st_size, 64);
	/* the chain's head at year end is in the report */
	json_error_t je;
	json_t *doc = json_load_file(path("annual.json"), 0, &je);
	assert_non_null(doc);
	json_t *head = json_object_get(json_object_get(doc, "evidence_summary"),
				       "chain_head_at_year_end");
	assert_int_equal(json_integer_value(json_object_get(head, "seq")), 4);
	assert_int_equal(strlen(json_string_value(json_object_get(head, "sha256"))), 64);
	json_decref(doc);

	const char *ver[] = {"verify", "--report", path("annual.json"), "--sig",
			     path("annual.json.sig"), NULL};
	assert_int_equal(run(ver, &out), 0);
	assert_non_null(strstr(out, "verify: the signature is good"));
	free(out);
	char cmd[20000];
	snprintf(cmd, sizeof cmd,
		 "/usr/bin/openssl pkeyutl -verify -pubin -inkey '%s' -rawin -in '%s'"
		 " -sigfile '%s' >/dev/null",
		 path("report-signing.key.pub"), path("annual.json"), path("annual.json.sig"));
	assert_int_equal(system(cmd), 0);

	/* one byte changed */
	FILE *f = fopen(path("annual.json"), "r+");
	assert_non_null(f);
	fseek(f, 10, SEEK_SET);
	int ch = fgetc(f);
	fseek(f, 10, SEEK_SET);
	fputc(ch ^ 1, f);
	fclose(f);
	assert_int_equal(run(ver, &out), 1);
	assert_non_null(strstr(out, "BAD SIGNATURE"));
	free(out);
	assert_true(system(cmd) != 0);

	/* another key's public key: refused too */
	snprintf(cmd, sizeof cmd,
		 "/usr/bin/openssl genpkey -algorithm ed25519 -out '%s' 2>/dev/null &&"
		 " /usr/bin/openssl pkey -in '%s' -pubout -out '%s'",
		 path("other.key"), path("other.key"), path("other.pub"));
	assert_int_equal(system(cmd), 0);
	assert_int_equal(run(rep, &out), 0); /* written and signed again */
	free(out);
	const char *other[] = {"verify", "--report", path("annual.json"), "--sig",
			       path("annual.json.sig"), "--pubkey", path("other.pub"), NULL};
	assert_int_equal(run(other, &out), 1);
	assert_non_null(strstr(out, "BAD SIGNATURE"));
	free(out);
	assert_int_equal(run(ver, &out), 0);
	free(out);
}

/* A small file whole (malloc'd, NUL-terminated). */
static char *slurp(const char *p)
{
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strdup(buf);
}

/* The CSV form, a directory: report --out DIR writes DIR/MANIFEST (each
 * file's SHA-256, sha256sum's format) and its signature MANIFEST.sig;
 * verify --report DIR/MANIFEST checks the signature, then each file: one
 * CSV file changed, a CSV file added, or the MANIFEST itself changed, is
 * caught. */
static void csv_report_signature(void **state)
{
	(void)state;
	setup_dir("csv-signature");
	store *s = open_db();
	ingest_reports(s, "pc-01", 1, 4, 4);
	store_close(s);
	char *out;
	const char *keygen[] = {"keygen", NULL};
	assert_int_equal(run(keygen, &out), 0);
	free(out);
	const char *rep[] = {"report", "--year", "2026", "--format", "csv", "--out",
			     path("annual-csv"), "--now", "2027-01-10T00:00:00Z", NULL};
	assert_int_equal(run(rep, &out), 0);
	free(out);
	struct stat st;
	assert_int_equal(stat(path("annual-csv/MANIFEST.sig"), &st), 0);
	assert_int_equal(st.st_size, 64);
	char *man = slurp(path("annual-csv/MANIFEST"));
	static const char *const files[] = {"evidence.csv", "exceptions.csv", "host_rules.csv",
					    "hosts.csv", "rules.csv", "summary.csv"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		assert_non_null(strstr(man, files[i]));
	free(man);
	char cmd[20000];
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && /usr/bin/sha256sum --quiet --strict -c MANIFEST >/dev/null 2>&1",
		 path("annual-csv"));
	assert_int_equal(system(cmd), 0); /* an auditor's own tools */

	const char *ver[] = {"verify", "--report", path("annual-csv/MANIFEST"), "--sig",
			     path("annual-csv/MANIFEST.sig"), NULL};
	assert_int_equal(run(ver, &out), 0);
	assert_non_null(strstr(out, "every file the MANIFEST lists matches it"));
	free(out);

	/* one byte of one CSV file changed: the signature still holds, the
	 * file is named */
	FILE *f = fopen(path("annual-csv/evidence.csv"), "r+");
	assert_non_null(f);
	fseek(f, 40, SEEK_SET);
	int ch = fgetc(f);
	fseek(f, 40, SEEK_SET);
	fputc(ch ^ 1, f);
	fclose(f);
	assert_int_equal(run(ver, &out), 1);
	assert_non_null(strstr(out, "A FILE WAS CHANGED"));
	assert_non_null(strstr(out, "evidence.csv was changed after the MANIFEST was written"));
	free(out);
	assert_true(system(cmd) != 0);

	/* written again: good; then a CSV file the MANIFEST does not list */
	assert_int_equal(run(rep, &out), 0);
	free(out);
	assert_int_equal(run(ver, &out), 0);
	free(out);
	write_file(path("annual-csv/extra.csv"), "\"a\"\r\n", 0600);
	assert_int_equal(run(ver, &out), 1);
	assert_non_null(strstr(out, "extra.csv is not in the MANIFEST"));
	free(out);
	unlink(path("annual-csv/extra.csv"));

	/* the MANIFEST changed to match a changed file: its signature fails */
	man = slurp(path("annual-csv/MANIFEST"));
	man[0] = man[0] == '0' ? '1' : '0';
	write_file(path("annual-csv/MANIFEST"), man, 0600);
	free(man);
	assert_int_equal(run(ver, &out), 1);
	assert_non_null(strstr(out, "BAD SIGNATURE"));
	free(out);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s COLLECTOR_BINARY WORK_DIR\n", argv[0]);
		return 2;
	}
	collector_bin = argv[1];
	work = argv[2];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(untampered_store_verifies_and_survives_restart),
		cmocka_unit_test(tampered_store_caught),
		cmocka_unit_test(concurrent_writers_one_chain),
		cmocka_unit_test(one_batch_two_organisations),
		cmocka_unit_test(retention_keeps_chain),
		cmocka_unit_test(migrate_carries_chain),
		cmocka_unit_test(report_file_signature),
		cmocka_unit_test(csv_report_signature),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
