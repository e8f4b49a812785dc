/* SPDX-License-Identifier: Apache-2.0 */
/* The console's dispatcher (ui.h): the page table, sessions, roles, CSRF,
 * the language, and the answer. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "hostaudit/html.h"
#include "i18n.h"
#include "peer_text.h"
#include "ui.h"

/* The table of pages: path, method, the least role, the handler. A POST
 * of a page whose least role is above ROLE_NONE also needs the session's
 * CSRF token. */
typedef struct ui_route {
	const char *path;
	const char *method;
	role least;
	void (*handler)(ui_page *p);
} ui_route;

static const ui_route routes[] = {
	{"/ui/login", "GET", ROLE_NONE, ui_login_get},
	{"/ui/login", "POST", ROLE_NONE, ui_login_post},
	{"/ui/logout", "POST", ROLE_AUDITOR, ui_logout_post},
	{"/ui/fleet", "GET", ROLE_AUDITOR, ui_fleet_get},
	{"/ui/rule", "GET", ROLE_AUDITOR, ui_rule_get},
	{"/ui/host", "GET", ROLE_AUDITOR, ui_host_get},
	{"/ui/host/revoke", "POST", ROLE_ADMIN, ui_host_revoke_post},
	{"/ui/host/inventory", "POST", ROLE_ADMIN, ui_host_inventory_post},
	{"/ui/enroll", "GET", ROLE_ADMIN, ui_enroll_get},
	{"/ui/enroll", "POST", ROLE_ADMIN, ui_enroll_post},
	{"/ui/org", "GET", ROLE_AUDITOR, ui_org_get},
	{"/ui/org", "POST", ROLE_ADMIN, ui_org_post},
};

/* A form is small: a user name and password, or a host and a field. */
enum { FORM_MAX = 16384 };

typedef struct ui_state {
	char *body;
	size_t len;
	bool too_big;
} ui_state;

bool ui_url(const char *url)
{
	return strcmp(url, "/ui") == 0 || strncmp(url, "/ui/", 4) == 0;
}

void ui_init(void)
{
	/* i18n_tr("ja") switches the process's catalogue on its first call
	 * only; made here, the workers' calls afterwards only read. English
	 * needs no catalogue, and serve writes nothing else through _(). */
	(void)i18n_tr("ja", "Fleet");
}

void ui_request_done(void *state)
{
	ui_state *u = state;
	if (u) {
		free(u->body);
		free(u);
	}
}

/* ---- forms ---- */

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* Decodes %XX and '+' in place. */
static void url_decode(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s == '+') {
			*o++ = ' ';
		} else if (*s == '%' && hexval((unsigned char)s[1]) >= 0 &&
			   hexval((unsigned char)s[2]) >= 0) {
			*o++ = (char)(hexval((unsigned char)s[1]) * 16 + hexval((unsigned char)s[2]));
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static void parse_form(ui_page *p, char *body)
{
	size_t cap = 1;
	for (const char *q = body; *q; q++)
		cap += *q == '&';
	p->form = calloc(cap, sizeof *p->form);
	if (!p->form)
		return;
	for (char *save = NULL, *kv = strtok_r(body, "&", &save); kv;
	     kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		if (eq)
			*eq = '\0';
		url_decode(kv);
		if (eq)
			url_decode(eq + 1);
		p->form[p->nform++] = (ui_field){kv, eq ? eq + 1 : kv + strlen(kv)};
	}
}

const char *ui_form(const ui_page *p, const char *name)
{
	for (size_t i = 0; i < p->nform; i++)
		if (!strcmp(p->form[i].name, name))
			return p->form[i].value;
	return "";
}

const char *ui_arg(const ui_page *p, const char *name)
{
	return MHD_lookup_connection_value(p->conn, MHD_GET_ARGUMENT_KIND, name);
}

void ui_redirect(ui_page *p, const char *path)
{
	p->status = 303;
	snprintf(p->location, sizeof p->location, "%s", path);
}

/* ---- the language: the user's, else Accept-Language ---- */

/* "ja" when Japanese has a higher q than English in the header (the first
 * listed wins a tie), else "en". */
static const char *accept_language(const char *h)
{
	double ja = -1, en = -1;
	int order = 0, ja_at = 0, en_at = 0;
	while (h && *h) {
		h += strspn(h, " \t,");
		size_t n = strcspn(h, ",");
		char item[64];
		snprintf(item, sizeof item, "%.*s", (int)(n < 63 ? n : 63), h);
		double q = 1;
		char *semi = strchr(item, ';');
		if (semi) {
			const char *qp = strstr(semi, "q=");
			q = qp ? strtod(qp + 2, NULL) : 1;
			*semi = '\0';
		}
		order++;
		if (!strncasecmp(item, "ja", 2) && (item[2] == '\0' || item[2] == '-') && q > ja) {
			ja = q;
			ja_at = order;
		} else if (!strncasecmp(item, "en", 2) && (item[2] == '\0' || item[2] == '-') &&
			   q > en) {
			en = q;
			en_at = order;
		}
		h += n;
	}
	if (ja > 0 && (ja > en || (ja == en && ja_at < en_at)))
		return "ja";
	return "en";
}

/* ---- sessions ---- */

/* The session of the request's cookie, if any and alive. */
static void find_session(ui_page *p)
{
	const char *id = MHD_lookup_connection_value(p->conn, MHD_COOKIE_KIND, "hostaudit_session");
	if (!id || strlen(id) != 64)
		return;
	char h[65];
	sha256_hex(id, 64, h);
	/* the session alone says which organisation this is (tenants) */
	int64_t org;
	if (store_session_org(p->st, h, &org) != 1 ||
	    store_session_get(p->st, org, h, (int64_t)time(NULL), &p->sess) != 1)
		return;
	p->org_id = org;
	p->logged_in = true;
	p->role = !strcmp(p->sess.role, "admin") ? ROLE_ADMIN : ROLE_AUDITOR;
}

static bool ct_same(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n != strlen(b) || n == 0)
		return false;
	unsigned char d = 0;
	for (size_t i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* ---- the answer ---- */

static enum MHD_Result respond(ui_page *p, char *html, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, html, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(html);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
	/* nothing of the page from elsewhere, no script, no framing */
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'none'; style-src 'unsafe-inline'; img-src 'self';"
				" form-action 'self'; frame-ancestors 'none'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (p->location[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, p->location);
	if (p->set_cookie[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, p->set_cookie);
	enum MHD_Result ret = MHD_queue_response(p->conn, p->status, r);
	MHD_destroy_response(r);
	return ret;
}

static const ui_route *find_route(const char *url, const char *method, bool *path_known)
{
	*path_known = false;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
		if (!strcmp(routes[i].path, url)) {
			*path_known = true;
			if (!strcmp(routes[i].method, method))
				return &routes[i];
		}
	return NULL;
}

static void dispatch(ui_page *p, const char *url, const char *method)
{
	find_session(p);
	const char *want = p->logged_in ? p->sess.lang : "";
	p->lang = !strcmp(want, "ja") || !strcmp(want, "en")
			  ? (want[0] == 'j' ? "ja" : "en")
			  : accept_language(MHD_lookup_connection_value(p->conn, MHD_HEADER_KIND,
									"Accept-Language"));
	if (!strcmp(url, "/ui") || !strcmp(url, "/ui/")) {
		ui_redirect(p, p->logged_in ? "/ui/fleet" : "/ui/login");
		return;
	}
	bool known;
	const ui_route *r = find_route(url, method, &known);
	if (!r) {
		ui_refused(p, known ? 405 : 404,
			   known ? L_(p->lang, "This page does not take that method.")
				 : L_(p->lang, "No such page."));
		return;
	}
	if (r->least > ROLE_NONE && !p->logged_in) {
		ui_redirect(p, "/ui/login");
		return;
	}
	if (p->role < r->least) {
		ui_refused(p, 403, L_(p->lang, "Your role may not do this: it needs an admin."));
		return;
	}
	if (!strcmp(method, "POST") && r->least > ROLE_NONE &&
	    !ct_same(ui_form(p, "csrf"), p->sess.csrf)) {
		ui_refused(p, 403, L_(p->lang, "The form's security token is missing or wrong; "
					       "reload the page and try again."));
		return;
	}
	r->handler(p);
}

enum MHD_Result ui_request(const ui_env *env, struct MHD_Connection *c, const char *url,
			   const char *method, const char *upload_data,
			   size_t *upload_data_size, void **state)
{
	ui_state *u = *state;
	if (!u) {
		if (!(u = calloc(1, sizeof *u)))
			return MHD_NO;
		*state = u;
		if (!strcmp(method, "POST"))
			return MHD_YES; /* the body first */
	}
	if (*upload_data_size) {
		if (u->len + *upload_data_size > FORM_MAX) {
			u->too_big = true;
		} else {
			char *b = realloc(u->body, u->len + *upload_data_size + 1);
			if (!b)
				return MHD_NO;
			memcpy(b + u->len, upload_data, *upload_data_size);
			u->len += *upload_data_size;
			b[u->len] = '\0';
			u->body = b;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	char addr[64];
	peer_text(c, addr, sizeof addr);
	ui_page p = {.conn = c, .env = env, .lang = "en", .status = 200, .addr = addr};
	char *html = NULL;
	size_t len = 0;
	p.out = open_memstream(&html, &len);
	if (!p.out)
		return MHD_NO;
	p.st = env->store_get(env->cls);
	if (u->too_big) {
		ui_refused(&p, 413, "form too large");
	} else {
		if (u->body)
			parse_form(&p, u->body);
		dispatch(&p, url, method);
	}
	env->store_put(env->cls, p.st);
	fclose(p.out);
	free(p.form);
	if (u->body) /* the password, if it was a login */
		explicit_bzero(u->body, u->len);
	return respond(&p, html, len);
}
