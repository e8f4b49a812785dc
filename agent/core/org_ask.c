/* SPDX-License-Identifier: Apache-2.0 */
/* Asking the organisation's questions (docs/organisation.md): the same
 * answer words and the same line-by-line reading as `hostaudit attest`,
 * so it runs from a terminal or a pipe; a bad answer is asked again. The
 * agent's `hostaudit org attest` and the collector's `org attest` both
 * call org_ask(). */
#include "hostaudit/org.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/platform.h"
#include "i18n.h"
#include "util.h"

#define LINE_MAX_BYTES 2000
#define EVIDENCE_MAX_BYTES (256L * 1024 * 1024)

int answer_parse_word(const char *s)
{
	static const struct {
		const char *word;
		answer a;
	} words[] = {
		{"y", ANSWER_YES},     {"yes", ANSWER_YES},	{"はい", ANSWER_YES},
		{"実施", ANSWER_YES},   {"p", ANSWER_PARTLY},	{"partly", ANSWER_PARTLY},
		{"一部", ANSWER_PARTLY}, {"一部実施", ANSWER_PARTLY}, {"n", ANSWER_NO},
		{"no", ANSWER_NO},     {"いいえ", ANSWER_NO},	{"未実施", ANSWER_NO},
		{"u", ANSWER_UNKNOWN}, {"unknown", ANSWER_UNKNOWN}, {"わからない", ANSWER_UNKNOWN},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(s, words[i].word))
			return (int)words[i].a;
	return -1;
}

const char *prompt_read_line(FILE *in, FILE *out)
{
	static char buf[LINE_MAX_BYTES + 2];
	for (;;) {
		if (!fgets(buf, sizeof buf, in))
			return NULL;
		size_t n = strlen(buf);
		if (n && buf[n - 1] != '\n' && !feof(in)) {
			int c;
			while ((c = getc(in)) != EOF && c != '\n')
				;
			fprintf(out, _("hostaudit: line too long (at most %d bytes); again:\n"),
				LINE_MAX_BYTES);
			continue;
		}
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' ||
			     buf[n - 1] == '\t'))
			buf[--n] = '\0';
		char *s = buf;
		while (*s == ' ' || *s == '\t')
			s++;
		size_t bad;
		if (!utf8_valid(s, strlen(s), &bad)) {
			fprintf(out, "%s", _("hostaudit: the answer is not valid UTF-8; again:\n"));
			continue;
		}
		return s;
	}
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

static const char *axis_heading(org_axis axis)
{
	switch (axis) {
	case ORG_AXIS_IT_USE: return _("How the business uses IT");
	case ORG_AXIS_SECURITY: return _("How security is treated");
	case ORG_AXIS_RESTRICTION: return _("Signs of over-restriction (\"yes\" is a sign)");
	case ORG_AXIS_DIRECTIVE: return _("METI Cybersecurity Management Guidelines: the ten "
					  "directives");
	default: return _("Organisational items of the host checklists (apply to every PC)");
	}
}

static bool is_open(const org_questionnaire *q, const org_answers *a, const org_question *oq,
		    int64_t now)
{
	return org_answer_state_at(q, org_answer_find(a, oq->id), now) != ORG_ANS_CURRENT;
}

int org_file_sha256(const char *path, char out[65], char *why, size_t why_size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(why, why_size, "%s", strerror(errno));
		return -1;
	}
	size_t cap = 1 << 16, len = 0;
	unsigned char *data = xmalloc(cap);
	size_t n;
	while ((n = fread(data + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			if (cap >= (size_t)EVIDENCE_MAX_BYTES) {
				fclose(f);
				free(data);
				snprintf(why, why_size, "%s", _("larger than 256 MiB"));
				return -1;
			}
			cap *= 2;
			data = xrealloc(data, cap);
		}
	}
	bool err = ferror(f);
	fclose(f);
	unsigned char h[32];
	if (err || platform_sha256(data, len, h) != 0) {
		free(data);
		snprintf(why, why_size, "%s", _("read error"));
		return -1;
	}
	free(data);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
	return 0;
}

static bool hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!strchr("0123456789abcdef", *s))
			return false;
	return true;
}

/* The evidence document for an answer: a path (hashed here) or a URL. */
static int ask_evidence(org_evidence *ev, FILE *in, FILE *out)
{
	for (;;) {
		fprintf(out, "%s", _("  evidence document: path or URL (empty = none): "));
		fflush(out);
		const char *line = prompt_read_line(in, out);
		if (!line)
			return -1;
		if (!*line)
			return 0;
		bool url = !strncmp(line, "https://", 8) || !strncmp(line, "http://", 7);
		char sha[65] = "", why[200];
		if (!url && org_file_sha256(line, sha, why, sizeof why) != 0) {
			fprintf(out, _("  cannot read %s: %s\n"), line, why);
			continue;
		}
		char *where = xstrdup(line);
		if (url) {
			for (;;) {
				fprintf(out, "%s", _("  its SHA-256 (64 hex digits, empty = none): "));
				fflush(out);
				const char *h = prompt_read_line(in, out);
				if (!h || !*h)
					break;
				if (hex64(h)) {
					snprintf(sha, sizeof sha, "%s", h);
					break;
				}
				fprintf(out, "%s", _("  not 64 lower-case hex digits.\n"));
			}
		} else {
			fprintf(out, _("  SHA-256 %s\n"), sha);
		}
		fprintf(out, "%s", _("  its title: "));
		fflush(out);
		const char *title = prompt_read_line(in, out);
		ev->title = xstrdup(title && *title ? title : where);
		if (url)
			ev->url = where;
		else
			ev->path = where;
		ev->sha256 = sha[0] ? xstrdup(sha) : NULL;
		return 0;
	}
}

/* One question: 1 answered, 0 skipped, -1 end of input. */
static int ask_one(org_answers *a, const org_question *oq,
		   size_t nth, size_t total, const char *who, const char *today,
		   int64_t today_epoch, FILE *in, FILE *out, const char *lang)
{
	char head[32];
	snprintf(head, sizeof head, "\n[%zu/%zu] ", nth, total);
	char *body = xasprintf("%s (%s)", text_get(&oq->text, lang), text_get(&oq->label, lang));
	org_print_wrapped(out, head, body, 2);
	free(body);
	const org_answer *prev = org_answer_find(a, oq->id);
	if (prev)
		fprintf(out, _("  previous answer: %s, by %s on %s\n"), answer_label(prev->ans),
			prev->who, prev->when);
	int ans;
	for (;;) {
		/* TRANSLATORS: management's questions: はい / 一部 / いいえ read
		 * better than the IPA sheet's 実施 / 一部実施 / 未実施. */
		fprintf(out, "%s",
			_("  answer: y = yes, p = partly, n = no, u = don't know; empty = skip: "));
		fflush(out);
		const char *line = prompt_read_line(in, out);
		if (!line)
			return -1;
		if (!*line)
			return 0;
		ans = answer_parse_word(line);
		if (ans >= 0)
			break;
		fprintf(out, _("  '%s' is not an answer to this question.\n"), line);
	}
	org_answer e = {
		.question = xstrdup(oq->id),
		.ans = (answer)ans,
		.who = xstrdup(who),
		.when = xstrdup(today),
		.when_epoch = today_epoch,
	};
	if (oq->evidence && (ans == ANSWER_YES || ans == ANSWER_PARTLY) &&
	    ask_evidence(&e.evidence, in, out) < 0) {
		org_answer_put(a, &e);
		return 1;
	}
	fprintf(out, "%s", _("  note (optional, e.g. where the evidence is): "));
	fflush(out);
	const char *note = prompt_read_line(in, out);
	e.note = note && *note ? xstrdup(note) : NULL;
	org_answer_put(a, &e);
	return 1;
}

int org_ask(const org_questionnaire *q, org_answers *a, FILE *in, FILE *out,
	    const char *lang, int64_t now)
{
	i18n_set_lang(lang);
	size_t open = 0;
	for (size_t i = 0; i < q->question_count; i++)
		open += is_open(q, a, &q->questions[i], now);
	if (open == 0) {
		fprintf(out, "%s", _("Every question has a current answer.\n"));
		return 0;
	}
	fprintf(out, _("%zu question(s) need an answer. Answers are recorded with your name and "
		       "today's date.\n"), open);
	fprintf(out, "%s", _("Who is answering (name and role)? "));
	fflush(out);
	const char *line = prompt_read_line(in, out);
	if (!line || !*line)
		return -1;
	char *who = xstrdup(line);
	if (!a->organisation) {
		fprintf(out, "%s", _("The organisation's name (empty = none): "));
		fflush(out);
		line = prompt_read_line(in, out);
		if (line && *line)
			a->organisation = xstrdup(line);
	}
	char today[32];
	format_time_utc(now, today, sizeof today);
	today[10] = '\0';
	long long today_epoch;
	parse_time_utc(today, &today_epoch);
	int answered = 0;
	size_t nth = 0;
	int axis = -1;
	for (size_t i = 0; i < q->question_count; i++) {
		const org_question *oq = &q->questions[i];
		if (!is_open(q, a, oq, now))
			continue;
		if ((int)oq->axis != axis) {
			axis = (int)oq->axis;
			fprintf(out, "\n== %s ==\n", axis_heading(oq->axis));
		}
		int r = ask_one(a, oq, ++nth, open, who, today, today_epoch, in, out, lang);
		if (r < 0)
			break;
		answered += r;
	}
	free(who);
	return answered;
}
