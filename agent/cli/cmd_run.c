/* hostaudit run: observe, judge, report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/platform.h"
#include "hostaudit/report.h"
#include "util.h"

/* Renders into memory first, so --output gets the whole report or
 * nothing. tmpfile() is the portable way to a growable FILE. */
static char *render_text_to_string(const json_t *rep, const render_options *ro, size_t *len)
{
	FILE *f = tmpfile();
	if (!f)
		return NULL;
	char *buf = NULL;
	if (render_text(rep, f, ro) == 0 && fflush(f) == 0) {
		long size = ftell(f);
		rewind(f);
		buf = size >= 0 ? malloc((size_t)size + 1) : NULL;
		if (buf && fread(buf, 1, (size_t)size, f) == (size_t)size) {
			buf[size] = '\0';
			*len = (size_t)size;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

int cmd_run(const cli_options *o)
{
	audit a;
	int rc = cli_load_audit(o, &a, true);
	if (rc)
		return rc;
	audit_run(&a);
	json_t *rep = report_build(&a);
	char err[512];
	if (report_validate(rep, err, sizeof err) != 0) {
		cli_error("internal error: the report breaks its own schema: %s", err);
		json_decref(rep);
		audit_free(&a);
		return EXIT_USAGE;
	}
	char *out;
	size_t len = 0;
	if (o->format && !strcmp(o->format, "json")) {
		out = report_dump(rep);
		if (out) {
			len = strlen(out);
			out = xrealloc(out, len + 2);
			out[len++] = '\n';
			out[len] = '\0';
		}
	} else {
		render_options ro = {
			.lang = cli_lang(o, &a.cfg),
			.colour = !o->output && platform_isatty(stdout) && !getenv("NO_COLOR"),
		};
		out = render_text_to_string(rep, &ro, &len);
	}
	if (!out) {
		cli_error("cannot render the report");
		rc = EXIT_USAGE;
	} else {
		rc = cli_emit(o, out, len);
	}
	free(out);
	if (rc == 0 && (o->upload || a.cfg.upload.enabled)) {
		/* The upload carries the canonical JSON whatever --format shows. */
		char *canonical = report_dump(rep);
		rc = canonical ? cli_upload(&a.cfg, a.report_id, canonical, strlen(canonical))
			       : EXIT_USAGE;
		free(canonical);
	}
	if (rc == 0)
		rc = audit_exit_status(&a);
	json_decref(rep);
	audit_free(&a);
	return rc;
}
