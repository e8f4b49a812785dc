/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit org attest|show [ANSWERS.yaml]: the organisation's
 * self-assessment on the agent, for a company with one PC and no
 * collector (docs/organisation.md). The answers file is the operand, or
 * the config's organisation.answers_file.
 *
 *   attest  asks the open questions (en/ja, from a terminal or a pipe)
 *           and writes the file whole, atomically, mode 0600
 *   show    audits this PC (its score is the measured figure; the
 *           organisation's answers apply to its org items) and places
 *           the company: --format text (default) or json */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/org.h"
#include "hostaudit/platform.h"
#include "i18n.h"
#include "util.h"

/* The settings for the operand's file, or the config's. NULL after an
 * error message. */
static org_settings *settings_for(const cli_options *o, audit *a)
{
	int first = o->sub ? 0 : 1; /* "org -l ja attest FILE": the sub-command is args[0] */
	const char *file = o->arg_count > first ? o->args[first] : NULL;
	if (!file && !a->cfg.org) {
		cli_error("%s", _("no answers file: give ANSWERS.yaml or set 'organisation: "
				  "{answers_file: ...}' in the site config"));
		return NULL;
	}
	org_settings *s = a->cfg.org;
	if (file) {
		org_settings *mine = xcalloc(1, sizeof *mine);
		mine->answers_file = xstrdup(file);
		if (s && s->questions_file)
			mine->questions_file = xstrdup(s->questions_file);
		org_settings_free(a->cfg.org);
		a->cfg.org = s = mine;
	}
	diag d = {{0}};
	if (org_settings_load(s, a->cfg.attest ? a->cfg.attest->questions_file : NULL, a->h.now,
			      &d)) {
		fprintf(stderr, "%s\n", d.msg);
		return NULL;
	}
	return s;
}

static int org_attest(const cli_options *o, audit *a)
{
	org_settings *s = settings_for(o, a);
	if (!s)
		return EXIT_USAGE;
	int n = org_ask(s->q, &s->answers, stdin, stdout, cli_lang(o, &a->cfg), a->h.now);
	if (n < 0) {
		cli_error("%s", _("no name given: an answer needs someone who vouches for it"));
		return EXIT_USAGE;
	}
	if (n == 0) {
		printf("%s", _("\nNothing answered; the file is unchanged.\n"));
		return 0;
	}
	char *yaml = org_answers_serialise(&s->answers, s->q);
	int rc = platform_write_file_atomic(s->answers_file, yaml, strlen(yaml));
	free(yaml);
	if (rc != 0) {
		cli_error(_("%s: cannot write: %s"), s->answers_file, strerror(-rc));
		return EXIT_USAGE;
	}
	printf(_("\nRecorded %d answer(s) in %s.\n"), n, s->answers_file);
	printf("%s", _("See the category: hostaudit org show\n"));
	return 0;
}

/* The text to stdout, or (-o) through a temporary file to cli_emit. */
static int emit_text(const cli_options *o, const json_t *p, const char *lang)
{
	if (!o->output) {
		org_render_text(stdout, p, NULL, lang);
		return 0;
	}
	FILE *tmp = tmpfile();
	if (!tmp) {
		cli_error("%s", _("cannot create a temporary file"));
		return EXIT_USAGE;
	}
	org_render_text(tmp, p, NULL, lang);
	long len = ftell(tmp);
	char *buf = xmalloc(len > 0 ? (size_t)len : 1);
	rewind(tmp);
	size_t got = len > 0 ? fread(buf, 1, (size_t)len, tmp) : 0;
	fclose(tmp);
	int rc = cli_emit(o, buf, got);
	free(buf);
	return rc;
}

static int org_show(const cli_options *o, audit *a)
{
	const char *format = o->format ? o->format : "text";
	if (strcmp(format, "text") && strcmp(format, "json")) {
		cli_error(_("org show: --format must be text or json, not '%s'"), format);
		return EXIT_USAGE;
	}
	if (!settings_for(o, a))
		return EXIT_USAGE;
	/* This PC's audit gives the measured figure, the organisation's
	 * answers applied to its org items as in `hostaudit run`. */
	audit_run(a);
	org_measured m;
	org_measured_from_audit(a, &m);
	json_t *p = org_place(a->cfg.org->q, &a->cfg.org->answers, &m, a->h.now);
	int rc = 0;
	if (!strcmp(format, "json")) {
		char *js = json_dumps(p, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(6));
		size_t len = strlen(js);
		js = xrealloc(js, len + 2);
		js[len] = '\n';
		js[len + 1] = '\0';
		rc = cli_emit(o, js, len + 1);
		free(js);
	} else {
		rc = emit_text(o, p, cli_lang(o, &a->cfg));
	}
	json_decref(p);
	return rc;
}

int cmd_org(const cli_options *o)
{
	/* "org attest -l ja FILE" (main.c took the sub-command) or
	 * "org -l ja attest FILE". */
	const char *sub = o->sub ? o->sub : o->arg_count > 0 ? o->args[0] : NULL;
	int first = o->sub ? 0 : 1;
	if (!sub || (strcmp(sub, "attest") && strcmp(sub, "show"))) {
		cli_error(_("org: '%s' is not attest or show"), sub ? sub : "");
		return EXIT_USAGE;
	}
	if (o->arg_count > first + 1) {
		cli_error(_("%s: unexpected argument '%s'"), "org", o->args[first + 1]);
		return EXIT_USAGE;
	}
	audit a;
	int rc = cli_load_audit(o, &a, !strcmp(sub, "show"));
	if (rc)
		return rc;
	rc = !strcmp(sub, "attest") ? org_attest(o, &a) : org_show(o, &a);
	audit_free(&a);
	return rc;
}
