/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit facts: every fact observed on this host, or the catalogue. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/platform.h"
#include "hostaudit/probe.h"
#include "hostaudit/report.h"
#include "i18n.h"
#include "util.h"

/* The meanings in the language asked for (--lang, the locale). */
static json_t *catalog_json(const char *lang)
{
	json_t *o = json_object();
	for (size_t i = 0; i < catalog_count(); i++) {
		const fact_def *d = catalog_at(i);
		json_t *e = json_pack("{s:s, s:s}", "type", fact_type_name(d->type), "meaning",
				      L_(lang, d->meaning));
		if (d->unit)
			json_object_set_new(e, "unit", json_string(d->unit));
		json_object_set_new(o, d->name, e);
	}
	return o;
}

int cmd_facts(const cli_options *o)
{
	json_t *out;
	if (o->catalog) {
		out = catalog_json(o->lang);
	} else {
		/* Facts need no rule packs, only the config (probes read parts
		 * of it, e.g. site-defined backup evidence). */
		audit a;
		int rc = cli_load_audit(o, &a, false);
		if (rc)
			return rc;
		fact_set *fs = fact_set_new();
		probes_run_all(&a.h, &a.cfg, fs);
		out = json_object();
		for (size_t i = 0; i < catalog_count(); i++) {
			const fact *f = fact_at(fs, i);
			json_object_set_new(out, f->def->name, report_fact_json(f));
		}
		fact_set_free(fs);
		audit_free(&a);
	}
	char *s = json_dumps(out, JSON_SORT_KEYS | JSON_INDENT(2));
	json_decref(out);
	if (!s)
		return EXIT_USAGE;
	size_t len = strlen(s);
	s = xrealloc(s, len + 2);
	s[len++] = '\n';
	int rc = cli_emit(o, s, len);
	free(s);
	return rc;
}
