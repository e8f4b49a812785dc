/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit run: observe, judge, report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/platform.h"
#include "hostaudit/report.h"
#include "i18n.h"
#include "textwrap.h"
#include "util.h"

int cli_render(const cli_options *o, const json_t *rep, const char *lang)
{
	render_fn fn = render_find(o->format ? o->format : "text");
	render_options ro = {
		.lang = lang,
		.colour = !o->output && platform_isatty(stdout) && !getenv("NO_COLOR"),
		/* A file gets 80 columns; the terminal its own width. */
		.width = o->output ? 80 : text_columns(stdout),
	};
	size_t len = 0;
	char *out = render_to_string(fn, rep, &ro, &len);
	if (!out) {
		cli_error("%s", _("cannot render the report"));
		return EXIT_USAGE;
	}
	int rc = cli_emit(o, out, len);
	free(out);
	return rc;
}

int cmd_run(const cli_options *o)
{
	audit a;
	int rc = cli_load_audit_policy(o, &a);
	if (rc)
		return rc;
	audit_run(&a);
	json_t *rep = report_build(&a);
	char err[512];
	if (report_validate(rep, err, sizeof err) != 0) {
		cli_error(_("internal error: the report breaks its own schema: %s"), err);
		json_decref(rep);
		audit_free(&a);
		return EXIT_USAGE;
	}
	rc = cli_render(o, rep, cli_lang(o, &a.cfg));
	if (rc == 0 && (o->upload || a.cfg.upload.enabled)) {
		/* The upload carries the canonical JSON whatever --format shows. */
		char *canonical = report_dump(rep);
		rc = canonical ? cli_upload(&a.cfg, a.report_id, canonical, strlen(canonical))
			       : EXIT_USAGE;
		free(canonical);
	}
	if (rc == 0)
		rc = audit_exit_status(&a);
	/* A refused policy may be an attack on the host: it outranks the
	 * audit's own verdict (the report still has every result). */
	if (a.policy.refused[0] && (rc == EXIT_PASS || rc == EXIT_FAIL || rc == EXIT_OPEN))
		rc = EXIT_POLICY_REFUSED;
	json_decref(rep);
	audit_free(&a);
	return rc;
}
