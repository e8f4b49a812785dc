/* SPDX-License-Identifier: Apache-2.0 */
/* The read API (GET /v1/fleet, /v1/hosts..., /v1/rules/...) and /metrics
 * (docs/collector.md, docs/openapi.yaml). One file per resource; the
 * route table (api_http.c) says which path goes where and which role may
 * ask; server.c only hands the requests over (api_answer()).
 *
 * Who asks is an API token (`token create --role auditor|metrics`):
 *   no token, or one that is not known      401
 *   a host's upload token                   403 (hosts read nothing)
 *   a metrics token on /v1/...              403
 * /metrics is open to loopback clients, else wants a metrics token. */
#ifndef HOSTAUDIT_COLLECTOR_API_H
#define HOSTAUDIT_COLLECTOR_API_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "collector.h"
#include "principal.h"

struct MHD_Connection;

/* What server.c lends the API: a store from its pool, the config. */
typedef struct api_env {
	const collector_config *cfg;
	store *(*store_get)(void *ctx);
	void (*store_put)(void *ctx, store *s);
	void *ctx;
} api_env;

/* One call of a handler. */
typedef struct api_call {
	store *s;
	const collector_config *cfg;
	const principal *who;
	const char *arg;      /* the {hostname} or {rule} of the path, or NULL */
	/* a query parameter (?limit=...), NULL when absent */
	const char *(*query)(void *q, const char *key);
	void *q;
	bool loopback;        /* the client is on this machine */
	/* the answer: code, and a JSON body or a text one (/metrics) */
	unsigned code;
	json_t *json;
	char *text;
	const char *content_type;
} api_call;

typedef struct api_route {
	const char *method;
	const char *path;     /* "/v1/hosts/{hostname}/reports": {x} one segment */
	int (*handler)(api_call *c);
	role min_role;        /* ROLE_AUDITOR (reads) or ROLE_METRICS (/metrics) */
} api_route;

extern const api_route api_routes[];
extern const size_t api_n_routes;

/* Whether url is the API's (a route's path, any method). */
bool api_owns(const char *url);
/* Authenticates, dispatches and queues the answer. */
int api_answer(struct MHD_Connection *c, const char *url, const char *method,
	       const api_env *env);

/* Handlers (0 answered, whatever the code). */
int api_fleet(api_call *c);
int api_hosts(api_call *c);
int api_host(api_call *c);
int api_host_reports(api_call *c);
int api_rule(api_call *c);
int api_metrics(api_call *c);

/* Answers of the handlers. */
int api_error(api_call *c, unsigned code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int api_json(api_call *c, unsigned code, json_t *body);

/* The model for a call (fleet.h) with the config's stale_days; NULL:
 * answered 503. */
struct fleet;
struct fleet *api_fleet_model(api_call *c, long trend_days);

/* Pagination: an opaque cursor for the position after (a, b) and back;
 * false for a cursor this collector did not make. limit: ?limit=, 1..max,
 * def when absent; false when it is not such a number. */
void api_cursor_make(int64_t a, int64_t b, char out[64]);
bool api_cursor_read(const char *cursor, int64_t *a, int64_t *b);
bool api_limit(api_call *c, long def, long max, long *limit);

/* ---- /metrics' own counters (this process) ---- */
void metrics_refused(unsigned code);
/* outcome: STORE_NEW, STORE_DUPLICATE, ...; ms from headers to answer */
void metrics_ingested(int outcome, int64_t ms);

#endif
