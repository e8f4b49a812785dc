/* SPDX-License-Identifier: Apache-2.0 */
/* The read API's dispatch (api.h): the route table, who may ask, and the
 * libmicrohttpd side of an answer. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "api.h"
#include "fleet.h"

const api_route api_routes[] = {
	{"GET", "/v1/fleet", api_fleet, ROLE_AUDITOR},
	{"GET", "/v1/hosts", api_hosts, ROLE_AUDITOR},
	{"GET", "/v1/hosts/{hostname}", api_host, ROLE_AUDITOR},
	{"GET", "/v1/hosts/{hostname}/reports", api_host_reports, ROLE_AUDITOR},
	{"GET", "/v1/rules/{rule}", api_rule, ROLE_AUDITOR},
	{"GET", "/metrics", api_metrics, ROLE_METRICS},
};
const size_t api_n_routes = sizeof api_routes / sizeof api_routes[0];

/* Whether url matches pattern; *arg (malloc'd) the {x} segment. */
static bool match(const char *pattern, const char *url, char **arg)
{
	*arg = NULL;
	while (*pattern && *url) {
		if (*pattern == '{') {
			const char *close = strchr(pattern, '}');
			size_t n = strcspn(url, "/");
			if (!close || n == 0)
				break;
			free(*arg);
			*arg = strndup(url, n);
			pattern = close + 1;
			url += n;
		} else if (*pattern++ != *url++) {
			break;
		}
	}
	if (!*pattern && !*url)
		return true;
	free(*arg);
	*arg = NULL;
	return false;
}

static const api_route *route_of(const char *url, char **arg)
{
	for (size_t i = 0; i < api_n_routes; i++)
		if (match(api_routes[i].path, url, arg))
			return &api_routes[i];
	return NULL;
}

bool api_owns(const char *url)
{
	char *arg;
	bool r = route_of(url, &arg) != NULL;
	free(arg);
	return r;
}

int api_json(api_call *c, unsigned code, json_t *body)
{
	c->code = code;
	json_decref(c->json);
	c->json = body;
	return 0;
}

int api_error(api_call *c, unsigned code, const char *fmt, ...)
{
	char msg[600], safe[2400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_escape(msg, safe, sizeof safe); /* a path's text may not be UTF-8 */
	return api_json(c, code, json_pack("{s:s}", "error", safe));
}

struct fleet *api_fleet_model(api_call *c, long trend_days)
{
	char err[400];
	fleet_options o = {.stale_days = c->cfg->stale_days, .trend_days = trend_days};
	fleet *f = fleet_load(c->s, c->who->org_id, &o, err, sizeof err);
	if (!f) {
		log_line("api: %s", err);
		api_error(c, 503, "the store is busy or unreadable, try again");
	}
	return f;
}

/* ---- pagination ---- */

void api_cursor_make(int64_t a, int64_t b, char out[64])
{
	char raw[48], sum[65];
	snprintf(raw, sizeof raw, "%016" PRIx64 "%016" PRIx64, (uint64_t)a, (uint64_t)b);
	sha256_hex(raw, 32, sum);
	snprintf(out, 64, "c1%.32s%.8s", raw, sum);
}

bool api_cursor_read(const char *cursor, int64_t *a, int64_t *b)
{
	if (strlen(cursor) != 42 || strncmp(cursor, "c1", 2) != 0)
		return false;
	for (const char *p = cursor + 2; *p; p++)
		if (!strchr("0123456789abcdef", *p))
			return false;
	char sum[65], ha[17], hb[17];
	sha256_hex(cursor + 2, 32, sum);
	if (strncmp(sum, cursor + 34, 8) != 0)
		return false;
	memcpy(ha, cursor + 2, 16);
	memcpy(hb, cursor + 18, 16);
	ha[16] = hb[16] = '\0';
	*a = (int64_t)strtoull(ha, NULL, 16);
	*b = (int64_t)strtoull(hb, NULL, 16);
	return true;
}

bool api_limit(api_call *c, long def, long max, long *limit)
{
	const char *v = c->query(c->q, "limit");
	*limit = def;
	if (!v)
		return true;
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < 1 || n > max)
		return false;
	*limit = n;
	return true;
}

/* ---- who asks ---- */

static bool is_loopback(struct MHD_Connection *conn)
{
	/* a test hook: the e2e test's clients are all on loopback */
	const char *t = getenv("HOSTAUDIT_COLLECTOR_TEST_NO_LOOPBACK");
	if (t && strcmp(t, "1") == 0)
		return false;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return false;
	if (ci->client_addr->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ci->client_addr)->sin_addr.s_addr) >> 24) ==
		       127;
	if (ci->client_addr->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr;
		return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

/* 0 known (who filled), else the HTTP code refusing. */
static unsigned authenticate(store *s, const char *auth, principal *who, char *why,
			     size_t why_size)
{
	if (!auth || strncmp(auth, "Bearer ", 7) != 0 || !auth[7]) {
		snprintf(why, why_size, "missing bearer token (an API token: token create)");
		return 401;
	}
	const char *token = auth + 7;
	char role_name[32];
	int rc = store_token_auth(s, token, &who->org_id, role_name, sizeof role_name, who->name,
				  sizeof who->name);
	if (rc == 1) {
		who->role = !strcmp(role_name, "auditor") ? ROLE_AUDITOR
			    : !strcmp(role_name, "metrics") ? ROLE_METRICS
							    : ROLE_NONE;
		return 0;
	}
	int64_t host_id, host_org;
	char host[256];
	if (rc == 0)
		rc = store_auth(s, token, &host_id, &host_org, host, sizeof host);
	if (rc < 0) {
		snprintf(why, why_size, "database busy, try again");
		return 503;
	}
	if (rc == 1) {
		snprintf(why, why_size, "a host's upload token reads nothing");
		return 403;
	}
	snprintf(why, why_size, "unknown or revoked token");
	return 401;
}

static const char *query_arg(void *q, const char *key)
{
	return MHD_lookup_connection_value(q, MHD_GET_ARGUMENT_KIND, key);
}

static int send_answer(struct MHD_Connection *conn, api_call *c)
{
	char *text = c->text;
	const char *type = c->content_type ? c->content_type : "text/plain; charset=utf-8";
	if (!text && c->json) {
		text = json_dumps(c->json, JSON_COMPACT | JSON_SORT_KEYS);
		type = "application/json";
	}
	json_decref(c->json);
	c->json = NULL;
	c->text = NULL;
	if (!text)
		return MHD_NO;
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (c->code == 401)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	int ret = MHD_queue_response(conn, c->code, r);
	MHD_destroy_response(r);
	return ret;
}

int api_answer(struct MHD_Connection *conn, const char *url, const char *method,
	       const api_env *env)
{
	char *arg = NULL;
	const api_route *rt = route_of(url, &arg);
	principal who = {0};
	api_call c = {.cfg = env->cfg, .who = &who, .arg = arg, .query = query_arg, .q = conn,
		      .loopback = is_loopback(conn)};
	if (!rt) {
		api_error(&c, 404, "no such endpoint");
	} else if (strcmp(method, rt->method) != 0) {
		api_error(&c, 405, "%s wants %s", rt->path, rt->method);
	} else {
		c.s = env->store_get(env->ctx);
		char why[200];
		const char *auth =
			MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
		unsigned code = 0;
		if (rt->min_role == ROLE_METRICS && c.loopback && !auth) {
			who.org_id = ORG_DEFAULT;
			who.role = ROLE_METRICS;
			snprintf(who.name, sizeof who.name, "loopback");
		} else {
			code = authenticate(c.s, auth, &who, why, sizeof why);
		}
		/* each route wants its own role: a metrics token reads no
		 * hosts, an auditor's token does not stand in for a metrics one */
		if (!code && who.role != rt->min_role) {
			code = 403;
			snprintf(why, sizeof why, "a %s token may not ask for %s",
				 who.role == ROLE_AUDITOR ? "auditor" : "metrics", rt->path);
		}
		if (code) {
			metrics_refused(code);
			api_error(&c, code, "%s", why);
		} else {
			rt->handler(&c);
		}
		env->store_put(env->ctx, c.s);
	}
	int ret = send_answer(conn, &c);
	free(arg);
	return ret;
}
