/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit attest: asks a person the questions no probe can answer, in
 * their language, and records the answers (who, when, answer, note) in the
 * attestation file: written whole and atomically, mode 0600, keeping every
 * other answer. Asks only what is open: never answered, answered "don't
 * know", or older than max_age_days. Reads answers line by line from
 * standard input, so it runs from a pipe as well as a terminal:
 *
 *   printf 'Yamada (IT)\ny\n\nn\nno budget yet\n' | hostaudit attest
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/attest.h"
#include "hostaudit/org.h"
#include "hostaudit/platform.h"
#include "i18n.h"
#include "util.h"

/* The answer words and the line reader are shared with `hostaudit org
 * attest` and the collector (agent/core/org_ask.c). */
static const char *read_line(void)
{
	return prompt_read_line(stdin, stderr);
}

static const char *answer_label(answer a)
{
	switch (a) {
	case ANSWER_YES: return _("yes");
	case ANSWER_PARTLY: return _("partly");
	case ANSWER_NO: return _("no");
	default: return _("don't know");
	}
}

/* Whether a question still needs an answer. */
static bool is_open(const attest_settings *s, const question *q, int64_t now)
{
	const attestation *e = attest_find(s, q->id);
	return !e || e->ans == ANSWER_UNKNOWN || attest_is_stale(s, e, now);
}

/* Asks one question. 1 = answered, 0 = skipped, -1 = end of input. */
static int ask(attest_settings *s, const question *q, size_t nth, size_t total,
	       const char *who, const char *today, int64_t today_epoch, const char *lang)
{
	printf("\n[%zu/%zu] %s  (%s)\n", nth, total, text_get(&q->text, lang),
	       text_get(&q->source, lang));
	const attestation *prev = attest_find(s, q->id);
	if (prev)
		printf(_("  previous answer: %s, by %s on %s\n"), answer_label(prev->ans), prev->who,
		       prev->when);
	int a;
	for (;;) {
		printf("%s", _("  answer: y = yes, p = partly, n = no, u = don't know, empty = skip: "));
		fflush(stdout);
		const char *line = read_line();
		if (!line)
			return -1;
		if (!*line)
			return 0;
		a = answer_parse_word(line);
		if (a >= 0 && (q->answers & (1u << a)))
			break;
		printf(_("  '%s' is not an answer to this question.\n"), line);
	}
	printf("%s", _("  note (optional, e.g. where the evidence is): "));
	fflush(stdout);
	const char *note = read_line();
	attestation e = {
		.question = xstrdup(q->id),
		.ans = (answer)a,
		.who = xstrdup(who),
		.when = xstrdup(today),
		.when_epoch = today_epoch,
		.note = note && *note ? xstrdup(note) : NULL,
	};
	attest_put(s, &e);
	return 1;
}

static int write_answers(const attest_settings *s, int answered)
{
	if (s->is_default) {
		/* First answers on a fresh install: the state directory, private. */
		char *dir = xstrdup(s->file), err[512];
		char *slash = strrchr(dir, '/');
		char *bslash = strrchr(dir, '\\');
		if (bslash && (!slash || bslash > slash))
			slash = bslash;
		if (slash) {
			*slash = '\0';
			if (platform_mkdir_private(dir, err, sizeof err) != 0) {
				cli_error("%s", err);
				free(dir);
				return EXIT_USAGE;
			}
		}
		free(dir);
	}
	char *yaml = attest_serialise(s);
	int rc = platform_write_file_atomic(s->file, yaml, strlen(yaml));
	free(yaml);
	if (rc != 0) {
		cli_error(_("%s: cannot write: %s"), s->file, strerror(-rc));
		return EXIT_USAGE;
	}
	printf(_("\nRecorded %d answer(s) in %s.\n"), answered, s->file);
	return 0;
}

int cmd_attest(const cli_options *o)
{
	audit a;
	int rc = cli_load_audit(o, &a, false);
	if (rc)
		return rc;
	const char *lang = cli_lang(o, &a.cfg);
	attest_settings *s = xcalloc(1, sizeof *s);
	s->max_age_days = ATTEST_DEFAULT_MAX_AGE_DAYS;
	if (a.cfg.attest) {
		s->max_age_days = a.cfg.attest->max_age_days;
		s->questions_file = a.cfg.attest->questions_file ? xstrdup(a.cfg.attest->questions_file)
								 : NULL;
	}
	const char *file = o->output ? o->output : a.cfg.attest ? a.cfg.attest->file : NULL;
	diag d = {{0}};
	if (!file) {
		cli_error("%s", _("no attestation file: set 'attestations:' in the site config or "
				  "give --output FILE"));
		rc = EXIT_USAGE;
		goto out;
	}
	s->file = xstrdup(file);
	s->is_default = !o->output && a.cfg.attest && a.cfg.attest->is_default;
	if (attest_load(s, a.h.now, &d)) {
		fprintf(stderr, "%s\n", d.msg);
		rc = EXIT_USAGE;
		goto out;
	}
	size_t open = 0;
	for (size_t i = 0; i < s->question_count; i++)
		open += is_open(s, &s->questions[i], a.h.now);
	if (open == 0) {
		printf(_("Every question has a current answer in %s.\n"), s->file);
		goto out;
	}
	printf(_("%zu question(s) need an answer. Answers are recorded with your name and "
		 "today's date.\n"), open);
	printf("%s", _("Who is answering (name and role)? "));
	fflush(stdout);
	const char *line = read_line();
	if (!line || !*line) {
		cli_error("%s", _("no name given: an answer needs someone who vouches for it"));
		rc = EXIT_USAGE;
		goto out;
	}
	char *who = xstrdup(line);
	char today[32];
	format_time_utc(a.h.now, today, sizeof today);
	today[10] = '\0';
	long long today_epoch;
	parse_time_utc(today, &today_epoch);
	int answered = 0;
	size_t nth = 0;
	for (size_t i = 0; i < s->question_count; i++) {
		if (!is_open(s, &s->questions[i], a.h.now))
			continue;
		int r = ask(s, &s->questions[i], ++nth, open, who, today, today_epoch, lang);
		if (r < 0)
			break;
		answered += r;
	}
	free(who);
	if (answered)
		rc = write_answers(s, answered);
	else
		printf("%s", _("\nNothing answered; the file is unchanged.\n"));
out:
	attest_settings_free(s);
	audit_free(&a);
	return rc;
}
