/* hostaudit list: the rules in force, one line each. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/report.h"
#include "util.h"

static void pad(const char *s, size_t width)
{
	size_t w = utf8_display_width(s);
	fputs(s, stdout);
	for (; w < width; w++)
		putchar(' ');
}

int cmd_list(const cli_options *o)
{
	audit a;
	int rc = cli_load_audit(o, &a, true);
	if (rc)
		return rc;
	const char *lang = cli_lang(o, &a.cfg);
	bool json = o->format && !strcmp(o->format, "json");
	json_t *arr = json_array();
	size_t id_w = 2;
	for (size_t i = 0; i < a.pack_count; i++)
		for (size_t k = 0; k < a.packs[i]->rule_count; k++) {
			size_t w = strlen(a.packs[i]->id) + 1 + strlen(a.packs[i]->rules[k].id);
			if (w > id_w)
				id_w = w;
		}
	if (!json) {
		pad("RULE", id_w + 2);
		printf("ARTICLE  SEVERITY  WEIGHT  TITLE\n");
	}
	for (size_t i = 0; i < a.pack_count; i++) {
		const pack *p = a.packs[i];
		for (size_t k = 0; k < p->rule_count; k++) {
			const rule *r = &p->rules[k];
			if (json) {
				json_array_append_new(
					arr, json_pack("{s:s, s:s, s:i, s:s, s:i, s:s}", "pack", p->id,
						       "id", r->id, "article", r->article, "severity",
						       severity_name(r->sev), "weight", r->weight,
						       "title", text_get(&r->title, lang)));
				continue;
			}
			char qualified[256];
			snprintf(qualified, sizeof qualified, "%s:%s", p->id, r->id);
			pad(qualified, id_w + 2);
			printf("%7d  %-8s  %6d  %s\n", r->article, severity_name(r->sev), r->weight,
			       text_get(&r->title, lang));
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
