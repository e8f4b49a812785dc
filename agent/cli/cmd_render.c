/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit render REPORT.json: a saved report (from --format json, the
 * spool or the collector) as text, csv, html or junit. The report is
 * checked against its schema first: renderers trust what they read. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/report.h"
#include "i18n.h"


int cmd_render(const cli_options *o)
{
	if (o->arg_count != 1) {
		cli_error("%s", _("render: give exactly one report file"));
		return EXIT_USAGE;
	}
	const char *path = o->args[0];
	json_error_t jerr;
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		cli_error(_("%s: cannot open: %s"), path, strerror(errno));
		return EXIT_USAGE;
	}
	json_t *rep = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	if (f != stdin)
		fclose(f);
	if (!rep) {
		cli_error(_("%s:%d:%d: not a JSON report: %s"), path, jerr.line, jerr.column,
			  jerr.text);
		return EXIT_USAGE;
	}
	char err[512];
	if (report_validate(rep, err, sizeof err) != 0) {
		cli_error(_("%s: not a valid report: %s"), path, err);
		json_decref(rep);
		return EXIT_USAGE;
	}
	int rc = cli_render(o, rep, cli_lang(o, NULL));
	json_decref(rep);
	return rc;
}
