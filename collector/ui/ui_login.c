/* SPDX-License-Identifier: Apache-2.0 */
/* /ui/login and /ui/logout. A session is 256 random bits in the browser's
 * cookie (HttpOnly; Secure; SameSite=Strict; Path=/ui/) and only their
 * SHA-256 in the store, with its expiry and its CSRF token. Wrong
 * passwords are counted per user name and per address in the store's
 * throttle (store_rate_limit_hit), so every collector counts together; an
 * unknown user and a wrong password get the same answer, after the same
 * argon2 work. Organisations (tenants): "ORG/user" logs in to organisation
 * ORG (no user or organisation name holds a '/'); a plain name is the
 * default organisation's, so a single-company install never names one. The
 * session keeps its organisation; nothing in a later request chooses it. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "hostaudit/html.h"
#include "i18n.h"
#include "ui.h"
#include "ui_password.h"

enum {
	SESSION_S = 8 * 3600,      /* a working day, then log in again */
	WINDOW_S = 900,            /* wrong passwords are counted for 15 minutes */
	USER_FAILURES = 5,         /* per user name in a window */
	ADDR_FAILURES = 20,        /* per address in a window */
};

static void form(ui_page *p, const char *user, const char *error)
{
	FILE *o = p->out;
	ui_begin(p, L_(p->lang, "Log in to the hostaudit console"));
	if (error) {
		html_lit(o, "<p class=\"bad\" id=\"error\">");
		html_text(o, error);
		html_lit(o, "</p>\n");
	}
	html_lit(o, "<form method=\"post\" action=\"/ui/login\">\n<p><label>");
	html_text(o, L_(p->lang, "User name"));
	html_lit(o, "<br>");
	html_open(o, "input", "name", "user", "id", "user", "autocomplete", "username", "value",
		  user, NULL);
	html_lit(o, "</label></p>\n<p><label>");
	html_text(o, L_(p->lang, "Password"));
	html_lit(o, "<br><input type=\"password\" name=\"password\" id=\"password\""
		    " autocomplete=\"current-password\"></label></p>\n<p>");
	html_open(o, "button", "type", "submit", "id", "login", NULL);
	html_text(o, L_(p->lang, "Log in"));
	html_lit(o, "</button></p>\n</form>\n");
	ui_end(p);
}

void ui_login_get(ui_page *p)
{
	if (p->logged_in)
		ui_redirect(p, "/ui/fleet");
	else
		form(p, "", NULL);
}

static void random_hex(char out[65])
{
	unsigned char raw[32];
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
		out[0] = '\0';
		return;
	}
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	explicit_bzero(raw, sizeof raw);
}

/* Counts one attempt under key; true when it is over max. *wait: seconds
 * until its window ends. -1 on a store error. */
static int over(ui_page *p, const char *key, long max, long *wait)
{
	long count = 0;
	int64_t end = 0, now = (int64_t)time(NULL);
	if (store_rate_limit_hit(p->st, ORG_DEFAULT, key, now, WINDOW_S, &count, &end) != 0)
		return -1;
	if (end - now > *wait)
		*wait = (long)(end - now);
	return count > max;
}

void ui_login_post(ui_page *p)
{
	const char *user = ui_form(p, "user"), *password = ui_form(p, "password");
	char ukey[200], akey[100];
	char lower[130];
	size_t i = 0;
	for (; user[i] && i + 1 < sizeof lower; i++)
		lower[i] = (char)tolower((unsigned char)user[i]);
	lower[i] = '\0';
	snprintf(ukey, sizeof ukey, "ui-login-user:%s", lower);
	snprintf(akey, sizeof akey, "ui-login-addr:%s", p->addr);
	long wait = 0;
	int u = over(p, ukey, USER_FAILURES, &wait), a = over(p, akey, ADDR_FAILURES, &wait);
	if (u < 0 || a < 0) {
		ui_refused(p, 503, L_(p->lang, "The database is busy; try again."));
		return;
	}
	if (u || a) {
		char msg[300];
		snprintf(msg, sizeof msg,
			 L_(p->lang, "Too many wrong passwords; try again in %ld minutes."),
			 (wait + 59) / 60);
		p->status = 429;
		form(p, user, msg);
		return;
	}
	store_user su;
	int64_t org = ORG_DEFAULT;
	const char *slash = strchr(user, '/'), *uname = slash ? slash + 1 : user;
	int found = 1;
	if (slash) { /* an unknown organisation is answered as a wrong password */
		char oname[128];
		snprintf(oname, sizeof oname, "%.*s", (int)(slash - user), user);
		found = (size_t)(slash - user) < sizeof oname ? store_org_by_name(p->st, oname, &org)
							      : 0;
	}
	if (found == 1)
		found = uname[0] && strlen(uname) < 128 ? store_user_get(p->st, org, uname, &su) : 0;
	if (found < 0) {
		ui_refused(p, 503, L_(p->lang, "The database is busy; try again."));
		return;
	}
	if (!ui_password_verify(found == 1 ? su.hash : NULL, password)) {
		p->status = 401;
		form(p, user, L_(p->lang, "Wrong user name or password."));
		return;
	}
	/* the right password is no failure: the counts are for guesses */
	store_rate_limit_refund(p->st, ORG_DEFAULT, ukey);
	store_rate_limit_refund(p->st, ORG_DEFAULT, akey);
	char id[65], csrf[65], h[65], err[300];
	random_hex(id);
	random_hex(csrf);
	sha256_hex(id, 64, h);
	int64_t now = (int64_t)time(NULL);
	if (!id[0] || !csrf[0] ||
	    store_session_add(p->st, org, h, su.name, csrf, now, now + SESSION_S, err,
			      sizeof err) != 0) {
		log_line("console login of %s: %s", su.name, id[0] ? err : "no randomness");
		ui_refused(p, 503, L_(p->lang, "The database is busy; try again."));
		return;
	}
	snprintf(p->set_cookie, sizeof p->set_cookie,
		 "hostaudit_session=%s; Path=/ui/; Max-Age=%d; HttpOnly; Secure; SameSite=Strict",
		 id, SESSION_S);
	explicit_bzero(id, sizeof id);
	log_line("console: %s logged in from %s", su.name, p->addr);
	ui_redirect(p, "/ui/fleet");
}

void ui_logout_post(ui_page *p)
{
	const char *id = MHD_lookup_connection_value(p->conn, MHD_COOKIE_KIND, "hostaudit_session");
	char h[65];
	if (id && strlen(id) == 64) {
		sha256_hex(id, 64, h);
		int64_t org;
		if (store_session_org(p->st, h, &org) == 1)
			store_session_end(p->st, org, h);
	}
	snprintf(p->set_cookie, sizeof p->set_cookie,
		 "hostaudit_session=; Path=/ui/; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
	ui_redirect(p, "/ui/login");
}
