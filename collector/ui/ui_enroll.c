/* SPDX-License-Identifier: Apache-2.0 */
/* /ui/enroll (admin): a new host's upload token, shown once; the store
 * keeps only its SHA-256, as `hostaudit-collector enroll` does. */
#define _GNU_SOURCE
#include <string.h>

#include "hostaudit/html.h"
#include "i18n.h"
#include "ui.h"

static void form(ui_page *p)
{
	FILE *o = p->out;
	html_lit(o, "<form method=\"post\" action=\"/ui/enroll\" id=\"enroll\"><label>");
	ui_csrf_field(p);
	html_text(o, L_(p->lang, "Host name"));
	html_lit(o, " <input name=\"host\" id=\"host\"></label>");
	html_open(o, "button", "type", "submit", NULL);
	html_text(o, L_(p->lang, "Enroll"));
	html_lit(o, "</button></form>\n");
}

void ui_enroll_get(ui_page *p)
{
	ui_begin(p, L_(p->lang, "Enroll a host"));
	html_elem(p->out, "p",
		  L_(p->lang, "The host's upload token is shown once; put it in the host's "
			      "token_file (mode 0600)."),
		  NULL);
	form(p);
	ui_end(p);
}

void ui_enroll_post(ui_page *p)
{
	const char *host = ui_form(p, "host");
	char token[65], err[300] = "";
	int rc = store_enroll_new(p->st, p->org_id, host, token, err, sizeof err);
	if (rc < 0 && strncmp(err, "database", 8) == 0) {
		log_line("console: enroll %s: %s", host, err);
		ui_refused(p, 503, L_(p->lang, "The database is busy; try again."));
		return;
	}
	if (rc < 0) {
		ui_refused(p, 400, L_(p->lang, "That is not a host name (letters, digits, '-', '.', "
					       "'_')."));
		return;
	}
	if (rc == 0) {
		ui_refused(p, 409, L_(p->lang, "That host is enrolled already; revoke its token "
					       "first to give it a new one."));
		return;
	}
	log_line("console: %s enrolled %s", p->sess.user, host);
	ui_begin(p, L_(p->lang, "Enroll a host"));
	html_lit(p->out, "<p>");
	html_text(p->out, L_(p->lang, "Enrolled:"));
	html_lit(p->out, " ");
	ui_host_link(p->out, host);
	html_lit(p->out, "</p>\n<p>");
	html_text(p->out, L_(p->lang, "Its upload token (shown only now):"));
	html_lit(p->out, "</p>\n");
	html_elem(p->out, "p", token, "class", "token", "id", "token", NULL);
	explicit_bzero(token, sizeof token);
	form(p);
	ui_end(p);
}
