/* SPDX-License-Identifier: Apache-2.0 */
/* The web console under /ui/ of `hostaudit-collector serve`, built like
 * cgit: ui.c holds the table of pages {path, method, least role,
 * handler} and does what every page needs (the session, the role, the
 * CSRF token, the language); each page is a file of its own (ui_login.c,
 * ui_fleet.c, ui_rule.c, ui_host.c, ui_enroll.c, ui_org.c) and writes
 * only through hostaudit/html.h. Server-rendered HTML, inline CSS, no script.
 *
 * server.c hands every request under /ui/ to ui_request(); the console
 * reads and writes the store through the server's pool (ui_env). */
#ifndef HOSTAUDIT_UI_H
#define HOSTAUDIT_UI_H

#include <stdbool.h>
#include <stdio.h>

#include <microhttpd.h>

#include "collector.h"
#include "principal.h"

typedef struct ui_env {
	const collector_config *cfg;
	/* a store connection of the server's pool, and giving it back */
	store *(*store_get)(void *cls);
	void (*store_put)(void *cls, store *s);
	void *cls;
} ui_env;

/* Whether url is the console's ("/ui" or under "/ui/"). */
bool ui_url(const char *url);
/* libmicrohttpd's access handler for the console: *state is the console's
 * own per-request state (NULL on the first call). */
enum MHD_Result ui_request(const ui_env *env, struct MHD_Connection *c, const char *url,
			   const char *method, const char *upload_data,
			   size_t *upload_data_size, void **state);
/* Frees *state at the request's end. */
void ui_request_done(void *state);
/* Once, before serving: makes the Japanese catalogue ready while there is
 * one thread (gettext's language switch is not thread-safe). */
void ui_init(void);

/* ---- for the pages ---- */

/* One field of a submitted form (application/x-www-form-urlencoded). */
typedef struct ui_field {
	char *name, *value;
} ui_field;

typedef struct ui_page {
	struct MHD_Connection *conn;
	const ui_env *env;
	store *st;
	const char *lang;       /* "en" or "ja" */
	bool logged_in;
	store_session sess;     /* when logged_in */
	int64_t org_id;         /* the session's organisation (tenants): every read */
	role role;              /* ROLE_NONE, ROLE_AUDITOR or ROLE_ADMIN */
	ui_field *form;         /* a POST's fields */
	size_t nform;
	const char *addr;       /* the client's address, for the throttle */
	/* the answer */
	FILE *out;
	unsigned status;        /* 200 unless set */
	char location[600];     /* a redirect (303) when set */
	char set_cookie[300];
} ui_page;

/* A form field ("" when absent), a query argument (NULL when absent). */
const char *ui_form(const ui_page *p, const char *name);
const char *ui_arg(const ui_page *p, const char *name);
/* A 303 to path (under /ui/). */
void ui_redirect(ui_page *p, const char *path);
/* The page's start (doctype, inline CSS, the bar with the user and
 * logout) and end. */
void ui_begin(ui_page *p, const char *title);
void ui_end(ui_page *p);
/* The hidden `csrf` field of the session, for every form. */
void ui_csrf_field(ui_page *p);
/* A page saying why something was refused, with its status. */
void ui_refused(ui_page *p, unsigned status, const char *why);
/* An inline SVG line chart of n values (NaN: no point) from 0 to 100,
 * with label under it (e.g. the dates of the first and last points). */
void ui_chart(FILE *out, const double *v, size_t n, const char *first, const char *last,
	      const char *title);
/* s percent-encoded for a query string. */
void ui_url_escape(const char *s, char *out, size_t size);
/* A link to /ui/host?name=HOST (or rule?id=), its text the name. */
void ui_host_link(FILE *out, const char *host);
/* A date as YYYY-MM-DD (UTC). */
void ui_date(int64_t t, char out[16]);

/* The pages (one file each). */
void ui_login_get(ui_page *p);
void ui_login_post(ui_page *p);
void ui_logout_post(ui_page *p);
void ui_fleet_get(ui_page *p);
void ui_rule_get(ui_page *p);
void ui_host_get(ui_page *p);
void ui_host_revoke_post(ui_page *p);
void ui_host_inventory_post(ui_page *p);
void ui_enroll_get(ui_page *p);
void ui_enroll_post(ui_page *p);
void ui_org_get(ui_page *p);
void ui_org_post(ui_page *p);

#endif
