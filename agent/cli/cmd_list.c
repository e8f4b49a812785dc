/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit list: the rules in force, one line each, the title wrapped
 * under itself and showing the params' values in force. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/report.h"
#include "i18n.h"
#include "textwrap.h"
#include "util.h"

int cmd_list(const cli_options *o)
{
	audit a;
	int rc = cli_load_audit(o, &a, true);
	if (rc)
		return rc;
	const char *lang = cli_lang(o, &a.cfg);
	bool json = o->format && !strcmp(o->format, "json");
	json_t *arr = json_array();
	size_t width = text_columns(stdout);
	size_t id_w = utf8_display_width(_("RULE"));
	for (size_t i = 0; i < a.pack_count; i++)
		for (size_t k = 0; k < a.packs[i]->rule_count; k++) {
			size_t w = strlen(a.packs[i]->id) + 1 + strlen(a.packs[i]->rules[k].id);
			if (w > id_w)
				id_w = w;
		}
	/* The id column as wide as the longest id, the title in what is left;
	 * a narrow terminal gets the title on the next line instead. */
	const char *cols[] = {_("ART."), _("SEVERITY"), _("WEIGHT")};
	size_t cw[3];
	size_t title_col = id_w + 2;
	for (size_t i = 0; i < 3; i++) {
		cw[i] = utf8_display_width(cols[i]);
		if (i == 1 && cw[i] < 8)
			cw[i] = 8;
		title_col += cw[i] + 2;
	}
	bool stacked = title_col + 30 > width;
	if (!json) {
		text_pad(stdout, _("RULE"), id_w + 2);
		for (size_t i = 0; i < 3; i++) {
			text_pad(stdout, cols[i], cw[i]);
			fputs("  ", stdout);
		}
		puts(_("TITLE"));
	}
	for (size_t i = 0; i < a.pack_count; i++) {
		const pack *p = a.packs[i];
		for (size_t k = 0; k < p->rule_count; k++) {
			const rule *r = &p->rules[k];
			char *title = report_expand_params(text_get(&r->title, lang), p, lang);
			if (json) {
				json_array_append_new(
					arr, json_pack("{s:s, s:s, s:i, s:s, s:i, s:s}", "pack", p->id,
						       "id", r->id, "article", r->article, "severity",
						       severity_name(r->sev), "weight", r->weight,
						       "title", title));
				free(title);
				continue;
			}
			char qualified[256], num[16], weight[16];
			snprintf(qualified, sizeof qualified, "%s:%s", p->id, r->id);
			snprintf(num, sizeof num, "%d", r->article);
			snprintf(weight, sizeof weight, "%d", r->weight);
			text_pad(stdout, qualified, id_w + 2);
			text_pad(stdout, num, cw[0] + 2);
			text_pad(stdout, report_severity_label(severity_name(r->sev), lang), cw[1] + 2);
			if (stacked) {
				printf("%s\n    ", weight);
				text_wrap(stdout, title, 4, 4, width);
			} else {
				text_pad(stdout, weight, cw[2] + 2);
				text_wrap(stdout, title, title_col, title_col, width);
			}
			free(title);
		}
	}
	if (json) {
		char *s = json_dumps(arr, JSON_INDENT(2));
		size_t len = strlen(s);
		s = xrealloc(s, len + 2);
		s[len++] = '\n';
		rc = cli_emit(o, s, len);
		free(s);
	}
	json_decref(arr);
	audit_free(&a);
	return rc;
}
