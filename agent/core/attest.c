/* SPDX-License-Identifier: Apache-2.0 */
/* Attestations (docs/attestations.md): the questions only a person can
 * answer, the file that holds their answers, and the attest.* facts those
 * answers become. Every input error names file:line:column. */
#include "hostaudit/attest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostaudit/config.h"
#include "sbuf.h"
#include "util.h"
#include "i18n.h"

#define QUESTIONS_RELPATH "/questions/attest.yaml"

static const char *const answer_names[] = {"yes", "partly", "no", "unknown", NULL};

const char *answer_name(answer a)
{
	return a < ANSWER_COUNT ? answer_names[a] : "?";
}

static int parse_answer_name(const char *s)
{
	for (int i = 0; answer_names[i]; i++)
		if (!strcmp(s, answer_names[i]))
			return i;
	return -1;
}

/* ---- the config section ---------------------------------------------- */

attest_settings *attest_default_settings(void)
{
	attest_settings *s = xcalloc(1, sizeof *s);
	s->max_age_days = ATTEST_DEFAULT_MAX_AGE_DAYS;
	s->file = xstrdup(platform_default_path(PLATFORM_ATTEST_FILE));
	s->is_default = true;
	return s;
}

/* `attestations: FILE`, or a mapping {file, questions, max_age_days}. */
int attest_parse_config(yamlfile *yf, yaml_node_t *n, config *cfg, diag *d)
{
	static const char *const keys[] = {"file", "questions", "max_age_days", NULL};
	attest_settings *s = xcalloc(1, sizeof *s);
	s->max_age_days = ATTEST_DEFAULT_MAX_AGE_DAYS;
	cfg->attest = s;
	const char *str;
	if (n->type == YAML_SCALAR_NODE) {
		if (yaml_want_string(yf, n, "attestations", &str, d))
			return -1;
		s->file = xstrdup(str);
		return 0;
	}
	if (yaml_want_map(yf, n, "attestations", d) ||
	    yaml_check_keys(yf, n, keys, "attestations", d))
		return -1;
	yaml_node_t *v;
	if ((v = yaml_get(yf, n, "file"))) {
		if (yaml_want_string(yf, v, "attestations.file", &str, d))
			return -1;
		s->file = xstrdup(str);
	}
	if ((v = yaml_get(yf, n, "questions"))) {
		if (yaml_want_string(yf, v, "attestations.questions", &str, d))
			return -1;
		s->questions_file = xstrdup(str);
	}
	if ((v = yaml_get(yf, n, "max_age_days"))) {
		int64_t days;
		if (yaml_want_int(yf, v, "attestations.max_age_days", &days, d))
			return -1;
		if (days < 1 || days > 3660)
			return yaml_error(yf, v, d, _("max_age_days must be 1 to 3660, not %lld"),
					  (long long)days);
		s->max_age_days = (int)days;
	}
	return 0;
}

static void question_free(question *q)
{
	free(q->id);
	free(q->text.en);
	free(q->text.ja);
	free(q->source.en);
	free(q->source.ja);
}

static void entry_free(attestation *e)
{
	free(e->question);
	free(e->who);
	free(e->when);
	free(e->note);
}

void attest_settings_free(attest_settings *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->question_count; i++)
		question_free(&s->questions[i]);
	free(s->questions);
	for (size_t i = 0; i < s->entry_count; i++)
		entry_free(&s->entries[i]);
	free(s->entries);
	free(s->file);
	free(s->questions_file);
	free(s);
}

/* ---- the questions ---------------------------------------------------- */

static bool readable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *attest_questions_path(const attest_settings *s)
{
	if (s && s->questions_file)
		return s->questions_file;
	const char *env = getenv("HOSTAUDIT_QUESTIONS");
	if (env && *env)
		return env;
	static char installed[4200];
	snprintf(installed, sizeof installed, "%s%s", platform_default_path(PLATFORM_RULES_DIR),
		 QUESTIONS_RELPATH);
#ifdef HOSTAUDIT_SOURCE_RULES_DIR
	/* Running from the build tree, before `make install`. */
	static const char source[] = HOSTAUDIT_SOURCE_RULES_DIR QUESTIONS_RELPATH;
	if (!readable(installed) && readable(source))
		return source;
#endif
	return installed;
}

static int text_field(yamlfile *yf, yaml_node_t *item, const char *key, text *out, diag *d)
{
	static const char *const langs[] = {"en", "ja", NULL};
	yaml_node_t *t = yaml_get(yf, item, key);
	if (!t)
		return yaml_error(yf, item, d, _("a question needs '%s' in English and Japanese"), key);
	if (yaml_want_map(yf, t, key, d) || yaml_check_keys(yf, t, langs, key, d))
		return -1;
	yaml_node_t *en = yaml_get(yf, t, "en"), *ja = yaml_get(yf, t, "ja");
	const char *s;
	if (!en || !ja)
		return yaml_error(yf, t, d, _("%s needs both 'en' and 'ja'"), key);
	if (yaml_want_string(yf, en, key, &s, d))
		return -1;
	out->en = xstrdup(s);
	if (yaml_want_string(yf, ja, key, &s, d))
		return -1;
	out->ja = xstrdup(s);
	return 0;
}

static int parse_question(yamlfile *yf, yaml_node_t *item, attest_settings *s, diag *d)
{
	static const char *const keys[] = {"id", "fact", "text", "source", "answers", NULL};
	if (yaml_want_map(yf, item, "a question", d) ||
	    yaml_check_keys(yf, item, keys, "a question", d))
		return -1;
	question *q = &s->questions[s->question_count];
	memset(q, 0, sizeof *q);
	q->line = (int)item->start_mark.line + 1;
	yaml_node_t *v = yaml_get(yf, item, "id");
	const char *str;
	if (!v)
		return yaml_error(yf, item, d, _("a question needs an 'id'"));
	if (yaml_want_string(yf, v, "id", &str, d))
		return -1;
	if (!*str || strspn(str, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(str))
		return yaml_error(yf, v, d, _("question id '%s': use lower-case letters, digits "
				  "and '_'"), str);
	for (size_t i = 0; i < s->question_count; i++)
		if (!strcmp(s->questions[i].id, str))
			return yaml_error(yf, v, d, _("question '%s' is declared twice (first at "
					  "line %d)"), str, s->questions[i].line);
	q->id = xstrdup(str);
	s->question_count++; /* owned from here on, freed on error too */
	/* The fact defaults to attest.<id>; it must be in the catalogue, as a
	 * string, so rules can read it and type-check. */
	char *fact_name = xasprintf("attest.%s", q->id);
	if ((v = yaml_get(yf, item, "fact"))) {
		if (yaml_want_string(yf, v, "fact", &str, d)) {
			free(fact_name);
			return -1;
		}
		free(fact_name);
		fact_name = xstrdup(str);
	}
	q->fact = catalog_find(fact_name);
	int rc = 0;
	if (!q->fact || q->fact->type != FACT_STRING || strncmp(fact_name, "attest.", 7))
		rc = yaml_error(yf, v ? v : item, d, _("question '%s': fact '%s' is not a string "
				"attest.* fact of the catalogue (agent/core/catalog.c)"), q->id,
				fact_name);
	free(fact_name);
	if (rc || text_field(yf, item, "text", &q->text, d) ||
	    text_field(yf, item, "source", &q->source, d))
		return -1;
	q->answers = (1u << ANSWER_COUNT) - 1;
	if ((v = yaml_get(yf, item, "answers"))) {
		if (yaml_want_seq(yf, v, "answers", d))
			return -1;
		q->answers = 1u << ANSWER_UNKNOWN; /* "I do not know" is always allowed */
		yaml_node_t *a;
		YAML_SEQ_EACH(yf, v, a)
		{
			if (yaml_want_string(yf, a, "an answer", &str, d))
				return -1;
			int k = parse_answer_name(str);
			if (k < 0)
				return yaml_error(yf, a, d, _("unknown answer '%s' (yes, partly, no, "
						  "unknown)"), str);
			q->answers |= 1u << k;
		}
	}
	return 0;
}

int attest_load_questions(attest_settings *s, diag *d)
{
	static const char *const keys[] = {"schema", "questions", NULL};
	yamlfile yf;
	if (yamlfile_load(&yf, attest_questions_path(s), false, d))
		return -1;
	yaml_node_t *root = yamlfile_root(&yf), *v;
	int rc = -1;
	const char *str;
	if (yaml_check_schema(&yf, root, ATTEST_QUESTIONS_SCHEMA, "the questions", d) ||
	    yaml_check_keys(&yf, root, keys, "the questions", d))
		goto out;
	if (!(v = yaml_get(&yf, root, "schema")) || yaml_want_string(&yf, v, "schema", &str, d) ||
	    strcmp(str, ATTEST_QUESTIONS_SCHEMA)) {
		if (!d->msg[0] || strstr(d->msg, "schema") == NULL)
			yaml_error(&yf, v ? v : root, d, _("needs 'schema: %s'"),
				   ATTEST_QUESTIONS_SCHEMA);
		goto out;
	}
	if (!(v = yaml_get(&yf, root, "questions"))) {
		yaml_error(&yf, root, d, _("no 'questions'"));
		goto out;
	}
	if (yaml_want_seq(&yf, v, "questions", d))
		goto out;
	size_t cap = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	s->questions = xcalloc(cap ? cap : 1, sizeof *s->questions);
	yaml_node_t *item;
	YAML_SEQ_EACH(&yf, v, item)
	{
		if (parse_question(&yf, item, s, d))
			goto out;
	}
	rc = 0;
out:
	yamlfile_free(&yf);
	return rc;
}

static const question *find_question(const attest_settings *s, const char *id)
{
	for (size_t i = 0; i < s->question_count; i++)
		if (!strcmp(s->questions[i].id, id))
			return &s->questions[i];
	return NULL;
}

/* ---- the attestation file --------------------------------------------- */

static int want_field(yamlfile *yf, yaml_node_t *item, const char *key, const char **out,
		      diag *d)
{
	yaml_node_t *v = yaml_get(yf, item, key);
	if (!v)
		return yaml_error(yf, item, d, _("an attestation needs '%s' (question, answer, who, "
				  "when)"), key);
	if (yaml_want_string(yf, v, key, out, d))
		return -1;
	if (!**out)
		return yaml_error(yf, v, d, _("'%s' must not be empty"), key);
	return 0;
}

static int parse_entry(yamlfile *yf, yaml_node_t *item, attest_settings *s, int64_t now,
		       diag *d)
{
	static const char *const keys[] = {"question", "answer", "who", "when", "note", NULL};
	if (yaml_want_map(yf, item, "an attestation", d) ||
	    yaml_check_keys(yf, item, keys, "an attestation", d))
		return -1;
	const char *qid, *ans, *who, *when;
	if (want_field(yf, item, "question", &qid, d))
		return -1;
	const question *q = find_question(s, qid);
	yaml_node_t *v = yaml_get(yf, item, "question");
	if (!q) {
		const char **ids = xcalloc(s->question_count + 1, sizeof *ids);
		for (size_t i = 0; i < s->question_count; i++)
			ids[i] = s->questions[i].id;
		const char *hint = did_you_mean(qid, ids);
		int rc = hint ? yaml_error(yf, v, d, _("unknown question '%s' (did you mean '%s'?)"),
					   qid, hint)
			      : yaml_error(yf, v, d, _("unknown question '%s' (see %s)"), qid,
					   attest_questions_path(s));
		free(ids);
		return rc;
	}
	const attestation *dup = attest_find(s, qid);
	if (dup)
		return yaml_error(yf, v, d, _("question '%s' is answered twice (first at line %d)"),
				  qid, dup->line);
	if (want_field(yf, item, "answer", &ans, d))
		return -1;
	int a = parse_answer_name(ans);
	v = yaml_get(yf, item, "answer");
	if (a < 0) {
		const char *hint = did_you_mean(ans, answer_names);
		return yaml_error(yf, v, d, _("answer '%s' is not one of yes, partly, no, unknown%s%s%s"),
				  ans, hint ? _(" (did you mean '") : "", hint ? hint : "",
				  hint ? _("'?)") : "");
	}
	if (!(q->answers & (1u << a)))
		return yaml_error(yf, v, d, _("question '%s' cannot be answered '%s'"), qid, ans);
	if (want_field(yf, item, "who", &who, d) || want_field(yf, item, "when", &when, d))
		return -1;
	v = yaml_get(yf, item, "when");
	long long epoch;
	if (strlen(when) != 10 || parse_time_utc(when, &epoch) != 0)
		return yaml_error(yf, v, d, date_looks_like_ymd(when)
				  ? _("when: there is no such day in the calendar")
				  : _("when must be a date YYYY-MM-DD"));
	if (epoch > now)
		return yaml_error(yf, v, d, _("when %s is in the future: an answer is dated the day "
				  "it was given"), when);
	const char *note = NULL;
	if ((v = yaml_get(yf, item, "note")) && yaml_want_string(yf, v, "note", &note, d))
		return -1;
	attestation e = {
		.question = xstrdup(qid),
		.ans = (answer)a,
		.who = xstrdup(who),
		.when = xstrdup(when),
		.when_epoch = epoch,
		.note = note && *note ? xstrdup(note) : NULL,
		.line = (int)item->start_mark.line + 1,
		.column = (int)item->start_mark.column + 1,
	};
	s->entries = xrealloc(s->entries, (s->entry_count + 1) * sizeof *s->entries);
	s->entries[s->entry_count++] = e;
	return 0;
}

static int load_file(attest_settings *s, int64_t now, diag *d)
{
	static const char *const keys[] = {"schema", "attestations", NULL};
	struct stat st;
	if (stat(s->file, &st) != 0 && errno == ENOENT) {
		s->file_missing = true;
		return 0;
	}
	yamlfile yf;
	/* The answers steer the score: refuse a file others could edit, as
	 * for the config (always, not only when privileged). */
	if (yamlfile_load(&yf, s->file, true, d))
		return -1;
	int rc = -1;
	yaml_node_t *root = yamlfile_root(&yf), *v;
	if (root->type == YAML_SCALAR_NODE && !*yaml_scalar(root)) {
		rc = 0; /* an empty file: nothing attested yet */
		goto out;
	}
	if (yaml_check_schema(&yf, root, ATTEST_SCHEMA, "the attestation file", d) ||
	    yaml_check_keys(&yf, root, keys, "the attestation file", d))
		goto out;
	if ((v = yaml_get(&yf, root, "attestations"))) {
		if (v->type == YAML_SCALAR_NODE && !*yaml_scalar(v)) {
			rc = 0;
			goto out;
		}
		if (yaml_want_seq(&yf, v, "attestations", d))
			goto out;
		yaml_node_t *item;
		YAML_SEQ_EACH(&yf, v, item)
		{
			if (parse_entry(&yf, item, s, now, d))
				goto out;
		}
	}
	rc = 0;
out:
	yamlfile_free(&yf);
	return rc;
}

int attest_load(attest_settings *s, int64_t now, diag *d)
{
	if (!s->questions && attest_load_questions(s, d))
		return -1;
	return s->file ? load_file(s, now, d) : 0;
}

/* ---- facts ------------------------------------------------------------- */

const attestation *attest_find(const attest_settings *s, const char *question_id)
{
	for (size_t i = 0; s && i < s->entry_count; i++)
		if (!strcmp(s->entries[i].question, question_id))
			return &s->entries[i];
	return NULL;
}

bool attest_is_stale(const attest_settings *s, const attestation *e, int64_t now)
{
	return (now - e->when_epoch) / 86400 > s->max_age_days;
}

static void record_one(const attest_settings *s, const question *q, int64_t now, fact_set *fs)
{
	const char *name = q->fact->name;
	const attestation *e = attest_find(s, q->id);
	if (!e) {
		fact_set_unknown(fs, name,
				 s->file_missing ? N_("not attested: the attestation file %s does not "
						      "exist yet (run `hostaudit attest`)")
						 : N_("not attested: no answer in %s (run `hostaudit "
						      "attest`)"),
				 s->file);
		return;
	}
	if (attest_is_stale(s, e, now))
		fact_set_unknown(fs, name, "stale: answered '%s' by %s on %s, more than %d days "
				 "ago (run `hostaudit attest`)", answer_name(e->ans), e->who, e->when,
				 s->max_age_days);
	else if (e->ans == ANSWER_UNKNOWN)
		fact_set_unknown(fs, name, "%s answered 'unknown' on %s", e->who, e->when);
	else
		fact_set_string(fs, name, answer_name(e->ans), "attested by %s on %s (%s:%d)%s%s",
				e->who, e->when, s->file, e->line, e->note ? "; note: " : "",
				e->note ? e->note : "");
	fact_mark_attested(fs, name);
}

void attest_record(const attest_settings *s, int64_t now, fact_set *fs)
{
	if (!s || !s->file) {
		fact_set_unset_prefix(fs, "attest.", FACT_UNKNOWN, "no attestation file is "
				      "configured (attestations: in the site config)");
		return;
	}
	for (size_t i = 0; i < s->question_count; i++)
		record_one(s, &s->questions[i], now, fs);
	fact_set_unset_prefix(fs, "attest.", FACT_UNKNOWN, "no question asks for this fact");
}

/* ---- writing ----------------------------------------------------------- */

void attest_put(attest_settings *s, attestation *e)
{
	for (size_t i = 0; i < s->entry_count; i++)
		if (!strcmp(s->entries[i].question, e->question)) {
			e->line = s->entries[i].line;
			entry_free(&s->entries[i]);
			s->entries[i] = *e;
			return;
		}
	s->entries = xrealloc(s->entries, (s->entry_count + 1) * sizeof *s->entries);
	s->entries[s->entry_count++] = *e;
}

char *attest_serialise(const attest_settings *s)
{
	sbuf b = {0};
	sb_str(&b, "# Answers only a person can give (hostaudit attest; docs/attestations.md).\n"
		   "# An answer older than the config's max_age_days reads as unknown.\n"
		   "schema: " ATTEST_SCHEMA "\nattestations:\n");
	if (!s->entry_count)
		sb_str(&b, "  []\n");
	/* In question order, so the file diffs well from year to year. */
	for (size_t q = 0; q <= s->question_count; q++)
		for (size_t i = 0; i < s->entry_count; i++) {
			const attestation *e = &s->entries[i];
			bool known = find_question(s, e->question) != NULL;
			if (q < s->question_count ? strcmp(e->question, s->questions[q].id) : known)
				continue;
			sb_str(&b, "  - question: ");
			sb_str(&b, e->question);
			sb_str(&b, "\n    answer: ");
			sb_str(&b, answer_name(e->ans));
			sb_str(&b, "\n    who: ");
			sb_quoted(&b, e->who);
			sb_str(&b, "\n    when: ");
			sb_str(&b, e->when);
			if (e->note) {
				sb_str(&b, "\n    note: ");
				sb_quoted(&b, e->note);
			}
			sb_str(&b, "\n");
		}
	return b.p;
}
