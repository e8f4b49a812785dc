/* SPDX-License-Identifier: Apache-2.0 */
/* What every console page shares: its frame (inline CSS, the bar with the
 * user and logout), the CSRF field, refusals, the SVG chart, dates. */
#define _GNU_SOURCE
#include <ctype.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "hostaudit/html.h"
#include "hostaudit/report.h"
#include "i18n.h"
#include "ui.h"

#define UI_CSS                                                                              \
	"body{font-family:'Noto Sans CJK JP','Hiragino Sans','Yu Gothic','Meiryo',sans-serif;" \
	"margin:0;max-width:none;padding:0;color:#1a1a1a;line-height:1.5}"                      \
	"main{max-width:72em;margin:1em auto;padding:0 1em}"                                    \
	"nav{background:#1f3a5f;color:#fff;padding:.5em 1em;display:flex;gap:1.5em;"           \
	"align-items:center}nav a{color:#fff}nav .who{margin-left:auto}"                        \
	"nav form{display:inline;margin:0}"                                                     \
	"h1{font-size:1.5em}h2{margin-top:1.5em;border-bottom:2px solid #333}"                  \
	"table.grid{border-collapse:collapse;width:100%;margin:.5em 0}"                         \
	".grid th,.grid td{border:1px solid #ccc;padding:.3em .5em;text-align:left;"            \
	"vertical-align:top}.grid th{background:#f0f0f0}.grid td.n{text-align:right;white-space:nowrap}"           \
	".cards{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}"                              \
	".card{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;min-width:10em}"        \
	".card .big{font-size:2em;font-weight:bold}"                                            \
	".bad{color:#8a1020;font-weight:bold}.ok{color:#135d1f}"                                \
	".note{color:#555;font-size:.9em}.token{font-family:monospace;font-size:1.2em;"         \
	"background:#fff3c4;padding:.3em}"                                                      \
	"form.inline{display:inline}label{margin-right:1em}"                                    \
	"svg{background:#fafafa;border:1px solid #ddd}"

void ui_begin(ui_page *p, const char *title)
{
	FILE *o = p->out;
	html_lit(o, "<!DOCTYPE html>\n");
	html_open(o, "html", "lang", p->lang, NULL);
	html_lit(o, "\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	html_lit(o, "<title>");
	html_text(o, title);
	/* the report's own classes (badges, findings) for the host page, then
	 * the console's frame over them */
	html_lit(o, " · hostaudit</title>\n<style>" REPORT_HTML_CSS UI_CSS
		    "</style>\n</head>\n<body>\n<nav>");
	html_lit(o, "<strong>hostaudit</strong>");
	if (p->logged_in) {
		html_open(o, "a", "href", "/ui/fleet", NULL);
		html_text(o, L_(p->lang, "Fleet"));
		html_close(o, "a");
		html_open(o, "a", "href", "/ui/org", NULL);
		html_text(o, L_(p->lang, "Organisation"));
		html_close(o, "a");
		if (p->role >= ROLE_ADMIN) {
			html_open(o, "a", "href", "/ui/enroll", NULL);
			html_text(o, L_(p->lang, "Enroll a host"));
			html_close(o, "a");
		}
		html_lit(o, "<span class=\"who\">");
		html_text(o, p->sess.user);
		html_lit(o, " (");
		html_text(o, p->role >= ROLE_ADMIN ? L_(p->lang, "admin") : L_(p->lang, "auditor"));
		html_lit(o, ") <form method=\"post\" action=\"/ui/logout\">");
		ui_csrf_field(p);
		html_open(o, "button", "type", "submit", NULL);
		html_text(o, L_(p->lang, "Log out"));
		html_close(o, "button");
		html_lit(o, "</form></span>");
	}
	html_lit(o, "</nav>\n<main>\n<h1>");
	html_text(o, title);
	html_lit(o, "</h1>\n");
}

void ui_end(ui_page *p)
{
	html_lit(p->out, "</main>\n</body>\n</html>\n");
}

void ui_csrf_field(ui_page *p)
{
	if (p->logged_in)
		html_open(p->out, "input", "type", "hidden", "name", "csrf", "value", p->sess.csrf,
			  NULL);
}

void ui_refused(ui_page *p, unsigned status, const char *why)
{
	p->status = status;
	ui_begin(p, status == 403	? L_(p->lang, "Not allowed")
		    : status == 404 ? L_(p->lang, "Not found")
				    : L_(p->lang, "Refused"));
	html_elem(p->out, "p", why, NULL);
	ui_end(p);
}

void ui_date(int64_t t, char out[16])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

void ui_chart(FILE *out, const double *v, size_t n, const char *first, const char *last,
	      const char *title)
{
	enum { W = 600, H = 160, PAD = 30 };
	html_lit(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" height=\"190\""
		      " viewBox=\"0 0 600 190\" role=\"img\">");
	html_elem(out, "title", title, NULL);
	/* the grid: 0, 50, 100 */
	for (int g = 0; g <= 100; g += 50) {
		double y = PAD / 2 + (H - PAD) * (1 - g / 100.0);
		/* numbers only: escaping leaves them as they are */
		html_lit(out, "<line x1=\"30\" x2=\"590\" stroke=\"#ddd\" y1=\"");
		html_textf(out, "%.1f", y);
		html_lit(out, "\" y2=\"");
		html_textf(out, "%.1f", y);
		html_lit(out, "\"/><text x=\"2\" font-size=\"11\" y=\"");
		html_textf(out, "%.1f", y + 4);
		html_lit(out, "\">");
		html_textf(out, "%d", g);
		html_lit(out, "</text>");
	}
	html_lit(out, "<polyline fill=\"none\" stroke=\"#1f3a5f\" stroke-width=\"2\" points=\"");
	size_t points = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(v[i]))
			continue;
		double x = 30 + (n > 1 ? (double)i * (W - 40) / (double)(n - 1) : (W - 40) / 2.0);
		double y = PAD / 2 + (H - PAD) * (1 - v[i] / 100.0);
		html_textf(out, "%.1f,%.1f ", x, y);
		points++;
	}
	html_lit(out, "\"/>");
	for (size_t i = 0; i < n && points == 1; i++)
		if (!isnan(v[i])) {
			double x = 30 + (n > 1 ? (double)i * (W - 40) / (double)(n - 1) : (W - 40) / 2.0);
			html_lit(out, "<circle r=\"3\" fill=\"#1f3a5f\" cx=\"");
			html_textf(out, "%.1f", x);
			html_lit(out, "\" cy=\"");
			html_textf(out, "%.1f", PAD / 2 + (H - PAD) * (1 - v[i] / 100.0));
			html_lit(out, "\"/>");
		}
	html_lit(out, "<text x=\"30\" y=\"182\" font-size=\"11\">");
	html_text(out, first);
	html_lit(out, "</text><text x=\"590\" y=\"182\" font-size=\"11\" text-anchor=\"end\">");
	html_text(out, last);
	html_lit(out, "</text></svg>\n");
}

void ui_url_escape(const char *s, char *out, size_t size)
{
	size_t o = 0;
	for (; s && *s && o + 4 < size; s++) {
		unsigned char ch = (unsigned char)*s;
		if (isalnum(ch) || strchr("-._~", ch))
			out[o++] = (char)ch;
		else
			o += (size_t)snprintf(out + o, size - o, "%%%02X", ch);
	}
	out[o] = '\0';
}

void ui_host_link(FILE *out, const char *name)
{
	char q[800], href[900];
	ui_url_escape(name, q, sizeof q);
	snprintf(href, sizeof href, "/ui/host?name=%s", q);
	html_elem(out, "a", name, "href", href, NULL);
}
