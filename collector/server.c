/* SPDX-License-Identifier: Apache-2.0 */
/* The ingest endpoint: HTTPS (GnuTLS through libmicrohttpd), or plain HTTP
 * on loopback only, behind a TLS proxy.
 *
 *   POST /v1/reports   Authorization: Bearer <host token>, a report as body
 *   POST /v1/enroll    Authorization: Bearer <enrollment secret>,
 *                      {"host": "<name>"} -> {"token": ...} once per host
 *   GET  /v1/health
 *   GET  /v1/policy    Authorization: Bearer <host token>: the signed policy
 *                      for the host's group (ETag, If-None-Match -> 304)
 *   GET  /v1/fleet, /v1/hosts..., /v1/rules/..., /metrics: the read API
 *                      (collector/api/api.h)
 *
 * Organisations (tenant.c): the credential alone decides which one a
 * request acts in: a host token or client certificate names a host, and
 * the host its organisation; an enrollment secret names its organisation
 * (collector.yaml's: the default one). Nothing in a body chooses it.
 *
 * Authentication and the declared size are checked on the first call of
 * the access handler, before any of the body is read: a refused request
 * is answered at once and its body never consumed.
 *
 * Group commit: a valid report is parsed and checked in the worker that
 * read it, then queued and its connection suspended. One writer thread
 * takes every report waiting at that moment, stores each in its own
 * SAVEPOINT, COMMITs once (one fsync) and only then resumes the
 * connections, which answer 201/200/409/503. A report is never answered
 * 2xx before the COMMIT that made it durable. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "alerts/alerts.h"
#include "body_codec.h"
#include "api/api.h"
#include "collector.h"
#include "hostaudit/report_schema.h" /* the agent's own schema check */
#include "ui/ui.h"
#include "peer_text.h"
#include "secret_file.h"
#include "throttle_key.h"
#include "i18n.h"

/* One source address (an IPv6 /64), for a fair connection budget. */
typedef struct peer {
	struct peer *next;      /* in its hash bucket */
	unsigned bucket;
	unsigned char addr[16]; /* IPv4 as ::ffff:a.b.c.d */
	size_t refs;            /* connections tracked */
	size_t idle;            /* of those, not cut and with no request in progress */
} peer;

enum { PEER_BUCKETS = 1024 };

typedef struct track {
	struct track *prev, *next;
	peer *peer;         /* NULL when the address was unknown */
	int fd;
	int64_t start_ms;   /* when the current request (or the connection) began */
	bool in_request;    /* its headers are in: not a slow connection to shed */
	bool cut;
} track;

typedef struct server {
	const collector_config *cfg;
	pthread_mutex_t pool_mu;
	pthread_cond_t pool_cv;
	store **pool;
	size_t pool_free;
	pthread_mutex_t track_mu;
	track *tracks;          /* newest first */
	size_t live;            /* tracked and not cut */
	peer *peers[PEER_BUCKETS];
	/* One writer at a time inside this process: SQLite allows one anyway,
	 * and its busy handler would otherwise sleep for milliseconds. */
	pthread_mutex_t write_mu;
	/* Reports waiting for the writer (request.qnext), under queue_mu. */
	pthread_mutex_t queue_mu;
	pthread_cond_t queue_cv;
	struct request *queue, **queue_tail;
	bool stopping;          /* no more queueing; the writer drains and ends */
	store *writer_store;
	unsigned long commits, committed;  /* the writer's own counters */
	volatile bool stop;
	bool enroll_enabled;
	char enroll_hash[65];
	long reply_delay_ms;    /* test hook, see test_reply_delay_ms() */
	ui_env ui;              /* the console under /ui/ (collector/ui/) */
	api_env api;            /* the read API's access to the pool */
} server;

enum { REQ_REPORT, REQ_ENROLL, REQ_UI };

enum { RQ_READING, RQ_QUEUED, RQ_DONE };

typedef struct request {
	int kind;
	int64_t host_id;
	int64_t org_id;     /* the host's organisation, or the enrollment secret's */
	char host[256];
	char idem[40];
	char *buf;
	size_t len, cap;
	/* a report handed to the writer */
	int state;
	struct request *qnext;
	struct MHD_Connection *conn;
	json_t *rep;
	char *summary;
	char sha[65];
	unsigned char *packed;  /* the body as stored (body_codec.h) */
	bool mismatch;
	ingest in;
	ingest_outcome out;
	void *ui;               /* REQ_UI: the console's own state */
	int64_t start_ms;       /* its headers in: for /metrics' ingest latency */
	char *digest;           /* report_digest(), made by the worker */
} request;

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the store pool: one SQLite connection per worker ---- */

static store *pool_get(server *sv)
{
	pthread_mutex_lock(&sv->pool_mu);
	while (sv->pool_free == 0)
		pthread_cond_wait(&sv->pool_cv, &sv->pool_mu);
	store *s = sv->pool[--sv->pool_free];
	pthread_mutex_unlock(&sv->pool_mu);
	return s;
}

static void pool_put(server *sv, store *s)
{
	pthread_mutex_lock(&sv->pool_mu);
	sv->pool[sv->pool_free++] = s;
	pthread_cond_signal(&sv->pool_cv);
	pthread_mutex_unlock(&sv->pool_mu);
}

/* The console reads and writes through the same pool. */
static store *ui_store_get(void *cls)
{
	return pool_get(cls);
}

static void ui_store_put(void *cls, store *s)
{
	pool_put(cls, s);
}

static store *api_store_get(void *sv)
{
	return pool_get(sv);
}

static void api_store_put(void *sv, store *s)
{
	pool_put(sv, s);
}

/* ---- answers ---- */

static enum MHD_Result reply_with(struct MHD_Connection *c, unsigned code, json_t *body,
				   const char *header, const char *value)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(body);
	if (!text)
		return MHD_NO;
	size_t n = strlen(text);
	text[n] = '\0';
	struct MHD_Response *r = MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	if (header)
		MHD_add_response_header(r, header, value);
	enum MHD_Result ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, json_t *body)
{
	return reply_with(c, code, body, NULL, NULL);
}

static enum MHD_Result refuse(struct MHD_Connection *c, unsigned code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum MHD_Result refuse(struct MHD_Connection *c, unsigned code, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	char addr[INET6_ADDRSTRLEN];
	peer_text(c, addr, sizeof addr);
	static log_budget refusals = LOG_BUDGET("refusals", 200, 60);
	if (code >= 500 || log_budget_take(&refusals))
		log_line("%s: %u %s", addr, code, msg);
	/* the client's text in msg may not be UTF-8; JSON must be */
	char safe[4 * sizeof msg];
	log_escape(msg, safe, sizeof safe);
	metrics_refused(code);
	return reply(c, code, json_pack("{s:s}", "error", safe));
}

/* ---- the first call: headers only ---- */

/* The host a verified client certificate names: 1 (host_id, host), 0 no
 * certificate, -1 refused (answer queued in *ret). */
static int cert_host(server *sv, struct MHD_Connection *c, int64_t *host_id, int64_t *org_id,
		     char *host, size_t host_size, enum MHD_Result *ret)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	cert_names cn;
	char err[300] = "";
	int v = clientcert_names(ci ? ci->tls_session : NULL, &cn, err, sizeof err);
	if (v == 0)
		return 0;
	if (v < 0) {
		*ret = refuse(c, 403, "client certificate refused: %s", err);
		return -1;
	}
	/* Exactly one of its names must be an enrolled host, of exactly one
	 * organisation (the same name in two is ambiguous: refused). */
	int found = 0;
	store *s = pool_get(sv);
	for (size_t i = 0; i < cn.n && found >= 0; i++) {
		int64_t id, org;
		char name[256];
		int rc = store_host_by_name(s, cn.name[i], &id, &org, name, sizeof name);
		if (rc < 0)
			found = -1;
		else if (rc == 2)
			found += 2;
		else if (rc == 1 && (found == 0 || id != *host_id)) {
			*host_id = id;
			*org_id = org;
			snprintf(host, host_size, "%s", name);
			found++;
		}
	}
	pool_put(sv, s);
	if (found == 1)
		return 1;
	if (found < 0)
		*ret = refuse(c, 503, "database busy, try again");
	else if (found == 0)
		*ret = refuse(c, 403, "client certificate for '%s' names no enrolled host", cn.name[0]);
	else
		*ret = refuse(c, 403, "client certificate names several enrolled hosts");
	return -1;
}

/* Who sends this report: the token's host, the client certificate's host,
 * or both when they agree. false: refused, answer queued in *ret. */
static bool authenticate_host(server *sv, struct MHD_Connection *c, const char *token,
			      request *rq, enum MHD_Result *ret)
{
	int64_t cert_id = 0, cert_org = 0;
	char cert_name[256] = "";
	int cert = sv->cfg->client_ca
			   ? cert_host(sv, c, &cert_id, &cert_org, cert_name, sizeof cert_name, ret)
			   : 0;
	if (cert < 0)
		return false;
	if (cert == 0 && sv->cfg->client_cert_required) {
		*ret = refuse(c, 401, "a client certificate is required (client_cert_required)");
		return false;
	}
	if (!token) {
		if (cert == 0) {
			*ret = refuse(c, 401, sv->cfg->client_ca
						      ? "missing bearer token or client certificate"
						      : "missing bearer token");
			return false;
		}
		rq->host_id = cert_id;
		rq->org_id = cert_org;
		snprintf(rq->host, sizeof rq->host, "%s", cert_name);
		return true;
	}
	store *s = pool_get(sv);
	int rc = store_auth(s, token, &rq->host_id, &rq->org_id, rq->host, sizeof rq->host);
	pool_put(sv, s);
	if (rc < 0) {
		*ret = refuse(c, 503, "database busy, try again");
		return false;
	}
	if (rc == 0) {
		*ret = refuse(c, 401, "unknown or revoked token");
		return false;
	}
	if (cert == 1 && cert_id != rq->host_id) {
		*ret = refuse(c, 403, "the token is for host '%s', the client certificate for '%s'",
			      rq->host, cert_name);
		return false;
	}
	return true;
}

static bool ct_equal(const char *a, const char *b, size_t n)
{
	unsigned char d = 0;
	for (size_t i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* "application/json", optionally with "; charset=utf-8" (any case, the
 * value may be quoted): the only body the collector reads. */
static bool json_content_type(const char *v)
{
	if (!v)
		return false;
	v += strspn(v, " \t");
	if (strncasecmp(v, "application/json", 16) != 0)
		return false;
	v += 16;
	v += strspn(v, " \t");
	if (!*v)
		return true;
	if (*v++ != ';')
		return false;
	v += strspn(v, " \t");
	if (strncasecmp(v, "charset=", 8) != 0)
		return false;
	v += 8;
	bool quoted = *v == '"';
	v += quoted;
	if (strncasecmp(v, "utf-8", 5) != 0)
		return false;
	v += 5;
	if (quoted && *v++ != '"')
		return false;
	v += strspn(v, " \t");
	return !*v;
}

typedef struct framing {
	int content_lengths;
	bool chunked_or_other; /* any Transfer-Encoding */
} framing;

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	framing *f = cls;
	(void)kind;
	(void)value;
	if (strcasecmp(key, "Content-Length") == 0)
		f->content_lengths++;
	else if (strcasecmp(key, "Transfer-Encoding") == 0)
		f->chunked_or_other = true;
	return MHD_YES;
}

/* Whom a throttle counts: throttle_key.h (an IPv6 /64 as one). */
static void rate_limit_key(struct MHD_Connection *c, const char *what, char *key,
			   size_t key_size)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	throttle_key(ci ? ci->client_addr : NULL, what, key, key_size);
}

/* The enrollment secret is guessable only as fast as this allows: each
 * address gets enroll_max_failures wrong secrets per window, counted in
 * the database (every process sharing it counts together). true: go on,
 * with *key the counter to refund if the secret is right. false: refused,
 * answer queued in *ret. */
static bool enroll_allowed(server *sv, struct MHD_Connection *c, char *key, size_t key_size,
			   enum MHD_Result *ret)
{
	char addr[INET6_ADDRSTRLEN];
	peer_text(c, addr, sizeof addr);
	rate_limit_key(c, "enroll", key, key_size);
	int64_t now = (int64_t)time(NULL), end = 0;
	long count = 0;
	store *s = pool_get(sv);
	/* a wrong secret names no organisation: counted once per address,
	 * whichever organisation it was aimed at */
	int rc = store_rate_limit_hit(s, ORG_DEFAULT, key, now, sv->cfg->enroll_failure_window_s,
				      &count, &end);
	pool_put(sv, s);
	if (rc != 0) {
		*ret = refuse(c, 503, "database busy, try again");
		return false;
	}
	if (count <= sv->cfg->enroll_max_failures)
		return true;
	long wait = end > now ? (long)(end - now) : 1;
	char after[24], msg[200];
	snprintf(after, sizeof after, "%ld", wait);
	snprintf(msg, sizeof msg,
		 "too many wrong enrollment secrets from this address; try again in %ld s", wait);
	/* One line a window, not one a guess: the log is no cheaper to fill
	 * than the secret is to guess. */
	if (count == sv->cfg->enroll_max_failures + 1)
		log_line("%s: 429 enrollment throttled: %ld wrong secrets within %lds, refused "
			 "for %ld s more",
			 addr, sv->cfg->enroll_max_failures, sv->cfg->enroll_failure_window_s,
			 wait);
	*ret = reply_with(c, 429, json_pack("{s:s}", "error", msg), MHD_HTTP_HEADER_RETRY_AFTER,
			  after);
	return false;
}

/* GET /v1/policy (docs/policy.md): the newest signed base policy and the
 * newest of the host's group, exactly as signed; the collector holds no
 * key the agent trusts, so it can serve only what the signer made. */
static enum MHD_Result serve_policy(server *sv, struct MHD_Connection *c, const char *auth)
{
	request rq = {0};
	enum MHD_Result ret;
	if (!authenticate_host(sv, c, auth, &rq, &ret))
		return ret;
	char group[256] = "", err[700];
	store *s = pool_get(sv);
	int g = host_policy_group(s, rq.org_id, rq.host, group, sizeof group);
	pool_put(sv, s);
	if (g < 0)
		return refuse(c, 503, "database busy, try again");
	bool none;
	/* the host's organisation's own versions (tenant_dir) */
	char *dir = tenant_dir(sv->cfg->policy_dir, rq.org_id);
	char *doc = dir ? pstore_served(dir, group, &none, err, sizeof err) : NULL;
	free(dir);
	if (!dir)
		return refuse(c, 503, "out of memory, try again");
	if (!doc && none)
		return refuse(c, 404, "no policy published yet");
	if (!doc) {
		log_line("policy for %s: %s", rq.host, err);
		return refuse(c, 500, "the policy store is unreadable");
	}
	char etag[70], h[65];
	sha256_hex(doc, strlen(doc), h);
	snprintf(etag, sizeof etag, "\"%s\"", h);
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	bool same = inm && strcmp(inm, etag) == 0;
	size_t n = same ? 0 : strlen(doc);
	struct MHD_Response *r =
		MHD_create_response_from_buffer(n, same ? (void *)"" : doc,
						same ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
	if (same)
		free(doc);
	if (!r) {
		if (!same)
			free(doc);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	if (!same)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	ret = MHD_queue_response(c, same ? 304 : 200, r);
	MHD_destroy_response(r);
	return ret;
}

/* POST /v1/enroll exists when collector.yaml has a secret or some
 * organisation has one (tenant add, in the database every collector
 * shares); a database error leaves it open, and the request then gets
 * 503 from the secret's lookup. */
static bool enroll_open(server *sv)
{
	if (sv->enroll_enabled)
		return true;
	int64_t id;
	store *s = pool_get(sv);
	int any = store_org_by_secret(s, NULL, &id);
	pool_put(sv, s);
	return any != 0;
}

static void mark_in_request(server *sv, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci && ci->socket_context) {
		pthread_mutex_lock(&sv->track_mu);
		track *t = ci->socket_context;
		if (!t->in_request && !t->cut && t->peer)
			t->peer->idle--;
		t->in_request = true;
		pthread_mutex_unlock(&sv->track_mu);
	}
}

static enum MHD_Result begin(server *sv, struct MHD_Connection *c, const char *url,
			     const char *method, void **con_cls)
{
	int kind;
	mark_in_request(sv, c);
	if (strcmp(url, "/v1/health") == 0 && strcmp(method, "GET") == 0)
		return reply(c, 200, json_pack("{s:s}", "status", "ok"));
	if (api_owns(url))
		return (enum MHD_Result)api_answer(c, url, method, &sv->api);
	if (strcmp(url, "/v1/policy") == 0) {
		if (strcmp(method, "GET") != 0)
			return refuse(c, 405, "%s wants GET", url);
		const char *auth =
			MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
		bool bearer = auth && strncmp(auth, "Bearer ", 7) == 0 && auth[7];
		return serve_policy(sv, c, bearer ? auth + 7 : NULL);
	}
	if (strcmp(url, "/v1/reports") == 0)
		kind = REQ_REPORT;
	else if (strcmp(url, "/v1/enroll") == 0 && enroll_open(sv))
		kind = REQ_ENROLL;
	else
		return refuse(c, 404, "no such endpoint: %s", url);
	if (strcmp(method, "POST") != 0)
		return refuse(c, 405, "%s wants POST", url);
	/* One way to frame a body: two lengths, or a length beside a
	 * Transfer-Encoding, could be read differently by a proxy in front. */
	framing fr = {0};
	MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &fr);
	if (fr.content_lengths > 1)
		return refuse(c, 400, "several Content-Length headers");
	if (fr.content_lengths && fr.chunked_or_other)
		return refuse(c, 400, "both Content-Length and Transfer-Encoding");
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	if (auth && (strncmp(auth, "Bearer ", 7) != 0 || !auth[7]))
		auth = NULL;
	request rq = {.kind = kind, .start_ms = mono_ms()};
	if (kind == REQ_REPORT) {
		enum MHD_Result ret;
		if (!authenticate_host(sv, c, auth ? auth + 7 : NULL, &rq, &ret))
			return ret;
	} else {
		enum MHD_Result ret;
		char key[80];
		if (!enroll_allowed(sv, c, key, sizeof key, &ret))
			return ret;
		if (!auth)
			return refuse(c, 401, "missing bearer token");
		char h[65];
		sha256_hex(auth + 7, strlen(auth + 7), h);
		/* collector.yaml's secret: the default organisation; else the
		 * organisation whose secret it is (tenant add) */
		store *s = pool_get(sv);
		int known = 1;
		if (sv->enroll_enabled && ct_equal(h, sv->enroll_hash, 64))
			rq.org_id = ORG_DEFAULT;
		else
			known = store_org_by_secret(s, h, &rq.org_id);
		/* the right secret is no failure: the count is for guesses */
		if (known == 1)
			store_rate_limit_refund(s, ORG_DEFAULT, key);
		pool_put(sv, s);
		if (known < 0)
			return refuse(c, 503, "database busy, try again");
		if (known == 0)
			return refuse(c, 401, "wrong enrollment secret");
	}
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (cl) {
		char *end;
		errno = 0;
		unsigned long long n = strtoull(cl, &end, 10);
		if (errno || *end || cl[0] < '0' || cl[0] > '9' ||
		    n > (unsigned long long)sv->cfg->max_body_bytes)
			return refuse(c, 413, "body of %s bytes is over the limit of %ld", cl,
				      sv->cfg->max_body_bytes);
	}
	bool has_body = fr.chunked_or_other || (cl && strcmp(cl, "0") != 0);
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	if ((kind == REQ_REPORT || has_body) && !json_content_type(ct))
		return refuse(c, 415, "Content-Type %s%s%s: only application/json is accepted",
			      ct ? "'" : "", ct ? ct : "missing", ct ? "'" : "");
	const char *idem = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Idempotency-Key");
	if (idem && !report_id_valid(idem))
		return refuse(c, 400, "Idempotency-Key is not a report_id (a lower-case UUIDv4)");
	if (idem)
		snprintf(rq.idem, sizeof rq.idem, "%s", idem);
	request *p = malloc(sizeof *p);
	if (!p)
		return MHD_NO;
	*p = rq;
	*con_cls = p;
	return MHD_YES;
}

/* ---- the body ---- */

static bool append(request *rq, const char *data, size_t n, size_t max)
{
	if (rq->len + n > max)
		return false;
	if (rq->len + n + 1 > rq->cap) {
		size_t cap = rq->cap ? rq->cap : 16384;
		while (cap < rq->len + n + 1)
			cap *= 2;
		char *b = realloc(rq->buf, cap);
		if (!b)
			return false;
		rq->buf = b;
		rq->cap = cap;
	}
	memcpy(rq->buf + rq->len, data, n);
	rq->len += n;
	rq->buf[rq->len] = '\0';
	return true;
}

/* ---- group commit ---- */

/* Hands rq to the writer and suspends its connection until the COMMIT. */
static enum MHD_Result queue_report(server *sv, struct MHD_Connection *c, request *rq)
{
	pthread_mutex_lock(&sv->queue_mu);
	if (sv->stopping) {
		pthread_mutex_unlock(&sv->queue_mu);
		return refuse(c, 503, "shutting down, try again");
	}
	MHD_suspend_connection(c);
	rq->conn = c;
	rq->state = RQ_QUEUED;
	rq->qnext = NULL;
	*sv->queue_tail = rq;
	sv->queue_tail = &rq->qnext;
	pthread_cond_signal(&sv->queue_cv);
	pthread_mutex_unlock(&sv->queue_mu);
	return MHD_YES;
}

/* Stores one batch: every report waiting, one COMMIT. */
static void commit_batch(server *sv, request *batch)
{
	size_t n = 0;
	for (request *r = batch; r; r = r->qnext)
		n++;
	const ingest **ins = malloc(n * sizeof *ins);
	ingest_outcome *outs = malloc(n * sizeof *outs);
	if (ins && outs) {
		size_t i = 0;
		for (request *r = batch; r; r = r->qnext)
			ins[i++] = &r->in;
		pthread_mutex_lock(&sv->write_mu);
		store_ingest_batch(sv->writer_store, ins, outs, n);
		pthread_mutex_unlock(&sv->write_mu);
		sv->commits++;
		sv->committed += n;
		i = 0;
		for (request *r = batch; r; r = r->qnext)
			r->out = outs[i++];
	} else {
		for (request *r = batch; r; r = r->qnext)
			r->out = (ingest_outcome){.result = STORE_ERROR, .err = "out of memory"};
	}
	free(ins);
	free(outs);
	if (sv->reply_delay_ms > 0) {
		struct timespec ts = {sv->reply_delay_ms / 1000, (sv->reply_delay_ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
	/* Only now may the connections answer. rq is not ours after resume. */
	while (batch) {
		request *next = batch->qnext;
		batch->state = RQ_DONE;
		MHD_resume_connection(batch->conn);
		batch = next;
	}
}

/* Retention, hourly, by the writer (it holds the write connection): the
 * bodies older than retention_days go, their rows stay. With several
 * collectors each does it; the second finds nothing left. */
static void retain(server *sv, int64_t *last_ms)
{
	if (*last_ms && mono_ms() - *last_ms < 3600 * 1000)
		return;
	*last_ms = mono_ms();
	char err[300];
	long n = store_prune_bodies(sv->writer_store,
				    (int64_t)time(NULL) - sv->cfg->retention_days * 86400, err,
				    sizeof err);
	if (n < 0)
		log_line("retention: %s", err);
	else if (n > 0)
		log_line("retention: %ld report bodies older than %ld days removed", n,
			sv->cfg->retention_days);
}

static void *writer(void *arg)
{
	server *sv = arg;
	int64_t last_retention = 0;
	for (;;) {
		retain(sv, &last_retention);
		pthread_mutex_lock(&sv->queue_mu);
		while (!sv->queue && !sv->stopping)
			pthread_cond_wait(&sv->queue_cv, &sv->queue_mu);
		request *batch = sv->queue;
		sv->queue = NULL;
		sv->queue_tail = &sv->queue;
		pthread_mutex_unlock(&sv->queue_mu);
		if (!batch)
			return NULL; /* stopping, and nothing left */
		commit_batch(sv, batch);
	}
}

/* A body sent with Content-Encoding (zstd, gzip) replaced by its decoded
 * bytes, at most max_body_bytes of them: what is hashed and stored is the
 * report itself. false: refused, answer queued in *ret. */
static bool decode_body(server *sv, struct MHD_Connection *c, request *rq,
			enum MHD_Result *ret)
{
	const char *ce = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Encoding");
	char *plain, err[300] = "";
	size_t n;
	wire_result w = wire_decode(ce, rq->buf ? rq->buf : "", rq->len,
				    (size_t)sv->cfg->max_body_bytes, &plain, &n, err, sizeof err);
	if (w == WIRE_OK && plain) {
		free(rq->buf);
		rq->buf = plain;
		rq->len = n;
		rq->cap = n + 1;
	} else if (w != WIRE_OK) {
		*ret = refuse(c, w == WIRE_TOO_BIG ? 413 : w == WIRE_UNSUPPORTED ? 415 : 400, "%s",
			      err);
		return false;
	}
	return true;
}

static enum MHD_Result take_report(server *sv, struct MHD_Connection *c, request *rq)
{
	enum MHD_Result dret;
	if (!decode_body(sv, c, rq, &dret))
		return dret;
	json_error_t je;
	json_t *rep = json_loadb(rq->buf ? rq->buf : "", rq->len, JSON_REJECT_DUPLICATES, &je);
	if (!rep)
		return refuse(c, 400, "malformed JSON at line %d column %d: %s", je.line, je.column,
			      je.text);
	char verr[512];
	enum MHD_Result ret;
	const char *id = json_string_value(json_object_get(rep, "report_id"));
	const char *fin = json_string_value(json_object_get(rep, "finished_at"));
	int64_t finished = 0, now = (int64_t)time(NULL);
	if (report_validate(rep, verr, sizeof verr) != 0) {
		ret = refuse(c, 422, "schema: %s", verr);
	} else if (rq->idem[0] && strcmp(rq->idem, id) != 0) {
		ret = refuse(c, 400, "Idempotency-Key %s does not match report_id %s", rq->idem, id);
	} else if (!fin || !rfc3339_parse(fin, &finished)) {
		ret = refuse(c, 422, "finished_at: not an RFC 3339 time");
	} else if (finished > now + sv->cfg->max_future_skew_s) {
		ret = refuse(c, 422, "finished_at %s is in the future (more than %lds ahead)", fin,
			     sv->cfg->max_future_skew_s);
	} else if (finished < now - (int64_t)sv->cfg->max_report_age_days * 86400) {
		/* a backdated report would land in an old year's evidence */
		ret = refuse(c, 422, "finished_at %s is older than max_report_age_days (%ld days)",
			     fin, sv->cfg->max_report_age_days);
	} else {
		json_t *sc = json_object_get(json_object_get(json_object_get(rep, "scores"),
							     "overall"), "score");
		const char *claimed =
			json_string_value(json_object_get(json_object_get(rep, "host"), "hostname"));
		rq->in = (ingest){
			.report_id = id, .host_id = rq->host_id, .host_name = rq->host,
			.claimed_host = claimed ? claimed : "", .finished_at = finished,
			.received_at = now, .score = json_is_number(sc) ? json_number_value(sc) : NAN,
			.body = rq->buf, .body_len = rq->len, .report = rep,
		};
		/* the same function decides the stored row's flag (store.c) */
		rq->mismatch = !hostname_matches(rq->in.claimed_host, rq->host);
		/* the agent tells of a policy it refused in its report: said here too */
		const char *pref = json_string_value(
			json_object_get(json_object_get(rep, "policy"), "refused"));
		if (pref)
			log_line("%s refused the collector's policy: %s", rq->host, pref);
		/* the writer's work kept to SQL: hash and summary made here */
		sha256_hex(rq->buf, rq->len, rq->sha);
		rq->in.body_sha256 = rq->sha;
		rq->summary = results_summary(rep);
		rq->in.summary = rq->summary;
		rq->digest = report_digest(rep);
		rq->in.digest = rq->digest;
		if (body_pack(rq->buf, rq->len, &rq->packed, &rq->in.packed_len,
			      &rq->in.encoding) == 0)
			rq->in.packed = rq->packed;
		rq->rep = rep; /* the ingest points into it until the answer */
		if (!rq->summary || !rq->packed || !rq->digest)
			ret = refuse(c, 503, "out of memory, try again");
		else
			return queue_report(sv, c, rq);
	}
	json_decref(rep);
	rq->rep = NULL;
	return ret;
}

/* After the writer's COMMIT: the answer. */
static enum MHD_Result answer_report(struct MHD_Connection *c, request *rq)
{
	const char *id = rq->in.report_id;
	metrics_ingested((int)rq->out.result, mono_ms() - rq->start_ms);
	if (rq->mismatch && rq->out.result == STORE_NEW)
		log_line("report %s: body says host '%s', token is '%s' (stored, flagged)", id,
			rq->in.claimed_host, rq->host);
	switch (rq->out.result) {
	case STORE_NEW:
		return reply(c, 201, json_pack("{s:s,s:s,s:s,s:b}", "status", "stored", "report_id",
					       id, "host", rq->host, "hostname_mismatch",
					       rq->mismatch));
	case STORE_DUPLICATE:
		return reply(c, 200,
			     json_pack("{s:s,s:s}", "status", "already stored", "report_id", id));
	case STORE_CONFLICT:
		return refuse(c, 409, "%s", rq->out.err);
	default:
		log_line("report %s: %s", id, rq->out.err);
		return refuse(c, 503, "could not store the report, try again");
	}
}

static enum MHD_Result take_enroll(server *sv, struct MHD_Connection *c, request *rq)
{
	json_error_t je;
	json_t *b = json_loadb(rq->buf ? rq->buf : "", rq->len, JSON_REJECT_DUPLICATES, &je);
	const char *host = json_string_value(json_object_get(b, "host"));
	enum MHD_Result ret;
	if (!host) {
		ret = refuse(c, 400, "expected {\"host\": \"<name>\"}");
	} else {
		store *s = pool_get(sv);
		char token[65], err[300] = "";
		/* one statement checks and enrolls: of concurrent calls one wins */
		int rc = store_enroll_new(s, rq->org_id, host, token, err, sizeof err);
		pool_put(sv, s);
		if (rc == 0)
			ret = refuse(c, 409, "host %s is already enrolled; an administrator can "
					     "re-enroll it with 'hostaudit-collector enroll'", host);
		else if (rc < 0 && strncmp(err, "database", 8) == 0) {
			log_line("enroll %s: %s", host, err);
			ret = refuse(c, 503, "database busy, try again");
		} else if (rc < 0)
			ret = refuse(c, 400, "%s", err);
		else {
			log_line("enrolled %s through the enrollment secret (organisation %lld)", host,
				 (long long)rq->org_id);
			ret = reply(c, 201, json_pack("{s:s,s:s}", "host", host, "token", token));
		}
		explicit_bzero(token, sizeof token);
	}
	json_decref(b);
	return ret;
}

/* A request under /ui/: the console's (collector/ui/ui.c). */
static enum MHD_Result console(server *sv, struct MHD_Connection *c, const char *url,
			       const char *method, const char *data, size_t *size, void **con_cls)
{
	request *rq = *con_cls;
	if (!rq) {
		mark_in_request(sv, c);
		if (!(rq = calloc(1, sizeof *rq)))
			return MHD_NO;
		rq->kind = REQ_UI;
		*con_cls = rq;
	}
	return ui_request(&sv->ui, c, url, method, data, size, &rq->ui);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	server *sv = cls;
	(void)version;
	request *rq = *con_cls;
	if ((!rq && ui_url(url)) || (rq && rq->kind == REQ_UI))
		return console(sv, c, url, method, upload_data, upload_data_size, con_cls);
	if (!rq)
		return begin(sv, c, url, method, con_cls);
	if (*upload_data_size) {
		if (!append(rq, upload_data, *upload_data_size, (size_t)sv->cfg->max_body_bytes)) {
			log_line("body over %ld bytes without Content-Length: connection cut",
				sv->cfg->max_body_bytes);
			return MHD_NO; /* stop reading: close the connection */
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (rq->state == RQ_DONE)
		return answer_report(c, rq);
	if (rq->state == RQ_QUEUED)
		return MHD_YES; /* not expected: suspended until the writer is done */
	return rq->kind == REQ_REPORT ? take_report(sv, c, rq) : take_enroll(sv, c, rq);
}

/* ---- slow clients: a whole request must finish within request_timeout_s,
 * its TLS handshake and headers within header_timeout_s. libmicrohttpd's
 * own timeout only measures silence, which one byte a second never
 * triggers; a watchdog shuts such sockets down.
 *
 * The connection budget: max_connections counts every connection, and
 * when a new one would go over it, a connection that has not sent its
 * headers yet (or sits idle between requests) is shed to make room: one
 * of the address with the most such connections, its oldest. Slow
 * connections from many addresses (each under its per-IP limit) then
 * cannot keep an agent out: it has one connection from its address,
 * and once its headers are in it is never shed. Only when every address
 * has a single idle connection does the oldest go, whoever's it is.
 * libmicrohttpd's own limit is set higher, so that it leaves this choice
 * to us. All of it under track_mu. ---- */

/* The address a connection counts under: IPv4 (mapped), or an IPv6 /64. */
static void peer_address(struct MHD_Connection *c, unsigned char addr[16])
{
	memset(addr, 0, 16);
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	if (sa && sa->sa_family == AF_INET) {
		addr[10] = addr[11] = 0xff;
		memcpy(addr + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	} else if (sa && sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		memcpy(addr, a->s6_addr, IN6_IS_ADDR_V4MAPPED(a) ? 16 : 8);
	}
}

static peer *peer_get(server *sv, const unsigned char addr[16])
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619u;
	peer **b = &sv->peers[h % PEER_BUCKETS];
	for (peer *p = *b; p; p = p->next)
		if (memcmp(p->addr, addr, 16) == 0)
			return p;
	peer *p = calloc(1, sizeof *p);
	if (p) {
		p->bucket = h % PEER_BUCKETS;
		memcpy(p->addr, addr, 16);
		p->next = *b;
		*b = p;
	}
	return p;
}

static void peer_put(server *sv, peer *p)
{
	if (!p || --p->refs > 0)
		return;
	for (peer **q = &sv->peers[p->bucket]; *q; q = &(*q)->next)
		if (*q == p) {
			*q = p->next;
			free(p);
			return;
		}
}

/* Cuts t: shutdown, not close, as the descriptor stays libmicrohttpd's,
 * which then closes it. */
static void cut(server *sv, track *t)
{
	shutdown(t->fd, SHUT_RDWR);
	if (!t->in_request && t->peer)
		t->peer->idle--;
	t->cut = true;
	sv->live--;
}

/* Over the budget: sheds a connection without a request in progress, of
 * the address with the most of them, its oldest (the new one itself if it
 * is the only one). */
static void shed_idle(server *sv)
{
	track *victim = NULL;
	size_t most = 0;
	for (track *t = sv->tracks; t; t = t->next) { /* newest first */
		if (t->cut || t->in_request)
			continue;
		size_t n = t->peer ? t->peer->idle : 1;
		if (n >= most) { /* ">=": of equals, the later (older) one */
			victim = t;
			most = n;
		}
	}
	if (!victim)
		return; /* every one is in a request: libmicrohttpd's limit is the bound */
	cut(sv, victim);
	static int64_t last_log_ms;
	int64_t now = mono_ms();
	if (now - last_log_ms > 10000) { /* once in 10 s: a flood must not flood the log */
		last_log_ms = now;
		log_line("over max_connections (%ld): shedding connections that sent no "
			 "request, from the addresses with the most of them",
			 sv->cfg->max_connections);
	}
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	server *sv = cls;
	pthread_mutex_lock(&sv->track_mu);
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		track *t = calloc(1, sizeof *t);
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (t && ci) {
			unsigned char addr[16];
			peer_address(c, addr);
			t->peer = peer_get(sv, addr);
			if (t->peer) {
				t->peer->refs++;
				t->peer->idle++;
			}
			t->fd = ci->connect_fd;
			t->start_ms = mono_ms();
			t->next = sv->tracks;
			if (sv->tracks)
				sv->tracks->prev = t;
			sv->tracks = t;
			*socket_context = t;
			if (++sv->live > (size_t)sv->cfg->max_connections)
				shed_idle(sv);
		} else {
			free(t);
		}
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
		track *t = *socket_context;
		if (t->prev)
			t->prev->next = t->next;
		else
			sv->tracks = t->next;
		if (t->next)
			t->next->prev = t->prev;
		if (!t->cut) {
			sv->live--;
			if (!t->in_request && t->peer)
				t->peer->idle--;
		}
		peer_put(sv, t->peer);
		free(t);
		*socket_context = NULL;
	}
	pthread_mutex_unlock(&sv->track_mu);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	server *sv = cls;
	(void)toe;
	request *rq = *con_cls;
	if (rq) {
		if (rq->kind == REQ_UI)
			ui_request_done(rq->ui);
		free(rq->buf);
		free(rq->summary);
		free(rq->digest);
		free(rq->packed);
		json_decref(rq->rep);
		free(rq);
		*con_cls = NULL;
	}
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci && ci->socket_context) {
		pthread_mutex_lock(&sv->track_mu);
		track *t = ci->socket_context;
		t->start_ms = mono_ms(); /* idle until the next request's headers */
		if (t->in_request && !t->cut && t->peer)
			t->peer->idle++;
		t->in_request = false;
		pthread_mutex_unlock(&sv->track_mu);
	}
}

static void *watchdog(void *arg)
{
	server *sv = arg;
	int64_t limit = (int64_t)sv->cfg->request_timeout_s * 1000;
	int64_t header_limit = (int64_t)sv->cfg->header_timeout_s * 1000;
	while (!sv->stop) {
		struct timespec ts = {0, 200 * 1000000L};
		nanosleep(&ts, NULL);
		int64_t now = mono_ms();
		unsigned long slow = 0, idle = 0;
		pthread_mutex_lock(&sv->track_mu);
		for (track *t = sv->tracks; t; t = t->next) {
			if (t->cut)
				continue;
			if (now - t->start_ms > limit) {
				cut(sv, t);
				slow++;
			} else if (!t->in_request && now - t->start_ms > header_limit) {
				cut(sv, t);
				idle++;
			}
		}
		pthread_mutex_unlock(&sv->track_mu);
		/* one line a round, however many were cut */
		if (slow)
			log_line("%lu connection(s) cut: a request took over %lds", slow,
				 sv->cfg->request_timeout_s);
		if (idle)
			log_line("%lu connection(s) cut: no request headers within %lds", idle,
				 sv->cfg->header_timeout_s);
	}
	return NULL;
}

/* ---- start-up ---- */

/* The TLS files and the enrollment secret: at most 1 MiB each; "path: why". */
static char *read_secret_file(const char *path, bool must_be_private, char *err,
			      size_t err_size)
{
	char why[128];
	char *buf = secret_file_read(path, 1 << 20, must_be_private, why, sizeof why);
	if (!buf)
		snprintf(err, err_size, "%s: %s", path, why);
	return buf;
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, bool *loopback,
			bool *v6, char *err, size_t err_size)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host) {
		snprintf(err, err_size, _("listen: '%s' is not address:port"), listen);
		return -1;
	}
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	if (host[0] == '[') {
		memmove(host, host + 1, strlen(host));
		host[strcspn(host, "]")] = '\0';
	}
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
				 .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai;
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0) {
		snprintf(err, err_size, _("listen: '%s' is not a numeric address:port"), listen);
		return -1;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*v6 = ai->ai_family == AF_INET6;
	if (*v6) {
		*loopback = IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr);
	} else {
		uint32_t a = ntohl(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr);
		*loopback = (a >> 24) == 127;
	}
	freeaddrinfo(ai);
	return 0;
}

/* The end-to-end test kills the collector between its COMMIT and its
 * answer, so it needs that window held open. An environment variable and
 * not a config key: nobody sets it in collector.yaml by accident, a service
 * unit does not pass it, and the log says loudly when it is on. */
static long test_reply_delay_ms(void)
{
	const char *v = getenv("HOSTAUDIT_COLLECTOR_TEST_REPLY_DELAY_MS");
	if (!v || !*v)
		return 0;
	char *end;
	long ms = strtol(v, &end, 10);
	if (*end || ms < 0 || ms > 60000) {
		log_line("HOSTAUDIT_COLLECTOR_TEST_REPLY_DELAY_MS=%s ignored (0..60000)", v);
		return 0;
	}
	if (ms > 0)
		log_line("TEST HOOK: every answer waits %ld ms after its COMMIT "
			"(HOSTAUDIT_COLLECTOR_TEST_REPLY_DELAY_MS); never in production",
			ms);
	return ms;
}

/* TLS 1.3, and TLS 1.2 with forward-secret AEAD suites only (ECDHE with
 * AES-GCM or ChaCha20-Poly1305): no CBC, no SHA-1 MACs, no RSA key
 * exchange. Every agent (libcurl, TLS 1.2 or later) has these. */
#define TLS_PRIORITIES                                                                      \
	"NONE:+VERS-TLS1.3:+VERS-TLS1.2:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:+AEAD:" \
	"+ECDHE-ECDSA:+ECDHE-RSA:+GROUP-ALL:+SIGN-ALL:+COMP-NULL:+CTYPE-X509:%SERVER_PRECEDENCE"

/* libmicrohttpd's own limit: the budget plus room for the connections
 * just shed and not closed yet, and for one newcomer to be judged. */
static unsigned mhd_connection_limit(const collector_config *cfg)
{
	long slack = cfg->max_connections / 8 > 16 ? cfg->max_connections / 8 : 16;
	return (unsigned)(cfg->max_connections + slack);
}

/* Enough descriptors for every connection the budget allows: raises the
 * soft limit toward the hard one when it is lower (a service's soft limit
 * is often 1024). */
static void raise_fd_limit(const collector_config *cfg)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)mhd_connection_limit(cfg) + 64 + (rlim_t)cfg->threads * 4;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < want)
		log_line("only %llu file descriptors (RLIMIT_NOFILE): max_connections %ld may "
			 "not be reached",
			 (unsigned long long)rl.rlim_cur, cfg->max_connections);
}

static int write_port_file(const char *path, unsigned port)
{
	char tmp[4200], text[16];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int n = snprintf(text, sizeof text, "%u\n", port);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	bool ok = write(fd, text, (size_t)n) == n;
	close(fd);
	return ok && rename(tmp, path) == 0 ? 0 : -1;
}

int serve(const collector_config *cfg, const char *port_file)
{
	char err[600];
	struct sockaddr_storage ss;
	bool loopback, v6;
	if (parse_listen(cfg->listen, &ss, &loopback, &v6, err, sizeof err) != 0) {
		log_line("%s: %s", cfg->path, err);
		return 2;
	}
	bool tls = cfg->tls_cert != NULL;
	if (!tls && !loopback) {
		/* a config mistake met at the start: in the reader's language */
		log_line(_("%s: plain HTTP is only allowed on a loopback address (behind a TLS "
			   "proxy); set tls_cert and tls_key to listen on %s"),
			 cfg->path, cfg->listen);
		return 2;
	}
	char *cert = NULL, *key = NULL, *trust = NULL;
	if (tls && (!(cert = read_secret_file(cfg->tls_cert, false, err, sizeof err)) ||
		    !(key = read_secret_file(cfg->tls_key, true, err, sizeof err)) ||
		    (cfg->client_ca &&
		     !(trust = read_secret_file(cfg->client_ca, false, err, sizeof err))))) {
		log_line("%s", err);
		free(cert);
		if (key)
			explicit_bzero(key, strlen(key));
		free(key);
		return 2;
	}
	server sv = {.cfg = cfg, .reply_delay_ms = test_reply_delay_ms()};
	sv.ui = (ui_env){cfg, ui_store_get, ui_store_put, &sv};
	ui_init();
	if (cfg->enrollment_secret_file) {
		char *secret = read_secret_file(cfg->enrollment_secret_file, true, err, sizeof err);
		if (!secret) {
			log_line("%s", err);
			free(cert);
			if (key) /* NULL without TLS */
				explicit_bzero(key, strlen(key));
			free(key);
			free(trust);
			return 2;
		}
		secret[strcspn(secret, "\r\n")] = '\0';
		sha256_hex(secret, strlen(secret), sv.enroll_hash);
		explicit_bzero(secret, strlen(secret));
		free(secret);
		sv.enroll_enabled = true;
	}
	pthread_mutex_init(&sv.pool_mu, NULL);
	pthread_cond_init(&sv.pool_cv, NULL);
	pthread_mutex_init(&sv.track_mu, NULL);
	pthread_mutex_init(&sv.write_mu, NULL);
	pthread_mutex_init(&sv.queue_mu, NULL);
	pthread_cond_init(&sv.queue_cv, NULL);
	sv.queue_tail = &sv.queue;
	size_t nstores = (size_t)cfg->threads;
	sv.pool = calloc(nstores, sizeof *sv.pool);
	int rc = 0;
	if (!sv.pool) {
		log_line("out of memory");
		rc = 2;
	} else if (!(sv.writer_store = store_open(cfg->database, err, sizeof err))) {
		log_line("%s", err);
		rc = 2;
	}
	sv.api = (api_env){cfg, api_store_get, api_store_put, &sv};
	/* reports stored before digests existed: theirs now, once */
	long filled = rc == 0 ? store_backfill_digests(sv.writer_store, err, sizeof err) : 0;
	if (filled < 0)
		log_line("digests of older reports: %s (the fleet views retry)", err);
	else if (filled > 0)
		log_line("digests of %ld older reports computed", filled);
	for (size_t i = 0; sv.pool && i < nstores && rc == 0; i++) {
		store *s = store_open(cfg->database, err, sizeof err);
		if (!s) {
			log_line("%s", err);
			rc = 2;
		} else {
			sv.pool[sv.pool_free++] = s;
		}
	}
	raise_fd_limit(cfg);
	/* Signals go to the main thread's sigwait(), not to the workers. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = NULL;
	pthread_t wd, wr;
	bool wd_started = false, wr_started = false;
	if (rc == 0 && sv.pool) {
		wr_started = pthread_create(&wr, NULL, writer, &sv) == 0;
		if (!wr_started) {
			log_line("cannot start the writer thread");
			rc = 2;
		}
	}
	if (rc == 0 && sv.pool) {
		unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
				 MHD_ALLOW_SUSPEND_RESUME;
		if (tls)
			flags |= MHD_USE_TLS;
		if (v6)
			flags |= MHD_USE_IPv6;
		d = MHD_start_daemon(
			flags, 0, NULL, NULL, on_request, &sv,
			MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
			MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
			/* above our budget, which sheds first (shed_oldest_idle) */
			MHD_OPTION_CONNECTION_LIMIT, mhd_connection_limit(cfg),
			MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->per_ip_connections,
			MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->connection_timeout_s,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, &sv,
			MHD_OPTION_NOTIFY_CONNECTION, on_connection, &sv,
			MHD_OPTION_LISTEN_BACKLOG_SIZE, 512u,
			tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, key,
			MHD_OPTION_HTTPS_MEM_CERT, cert,
			MHD_OPTION_HTTPS_PRIORITIES, TLS_PRIORITIES,
			/* client_ca: ask for client certificates (cert_host() judges) */
			trust ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, trust,
			MHD_OPTION_END);
		if (!d) {
			log_line(_("cannot listen on %s (address in use, or bad TLS key, cert or "
				   "client_ca?)"),
				 cfg->listen);
			rc = 2;
		}
	}
	alert_worker *alerts = NULL; /* alerts/alert_worker.c */
	if (d && cfg->alerts && !(alerts = alert_worker_start(cfg, err, sizeof err))) {
		log_line("alerts: %s", err);
		rc = 2;
	}
	if (d && rc == 0) {
		const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
		unsigned port = di ? di->port : 0;
		log_line("listening on %s://%s (port %u), database %s", tls ? "https" : "http",
			cfg->listen, port, cfg->database);
		if (port_file && write_port_file(port_file, port) != 0)
			log_line("cannot write %s: %s", port_file, strerror(errno));
		wd_started = pthread_create(&wd, NULL, watchdog, &sv) == 0;
		int sig;
		sigwait(&sigs, &sig);
		log_line("signal %d: stopping", sig);
	}
	alert_worker_stop(alerts);
	/* The writer finishes what is queued and resumes those connections:
	 * libmicrohttpd must not be stopped with one still suspended. */
	pthread_mutex_lock(&sv.queue_mu);
	sv.stopping = true;
	pthread_cond_signal(&sv.queue_cv);
	pthread_mutex_unlock(&sv.queue_mu);
	if (wr_started)
		pthread_join(wr, NULL);
	if (sv.commits)
		log_line("group commit: %lu reports in %lu commits (%.1f a commit)", sv.committed,
			sv.commits, (double)sv.committed / (double)sv.commits);
	sv.stop = true;
	if (wd_started)
		pthread_join(wd, NULL);
	if (d)
		MHD_stop_daemon(d);
	for (size_t i = 0; i < sv.pool_free; i++)
		store_close(sv.pool[i]);
	store_close(sv.writer_store);
	free(sv.pool);
	if (key)
		explicit_bzero(key, strlen(key));
	free(key);
	free(cert);
	free(trust);
	return rc;
}
