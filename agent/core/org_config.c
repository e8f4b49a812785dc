/* SPDX-License-Identifier: Apache-2.0 */
/* The agent's `organisation:` section (docs/organisation.md): the answers
 * file of a company answered once, applied to the host packs'
 * organisational items and placed in the report. */
#include "hostaudit/org.h"

#include <stdlib.h>
#include <string.h>

#include "hostaudit/audit.h"
#include "hostaudit/config.h"
#include "hostaudit/eval.h"
#include "i18n.h"
#include "util.h"

int org_parse_config(yamlfile *yf, yaml_node_t *n, config *cfg, diag *d)
{
	static const char *const keys[] = {"answers_file", "questions", NULL};
	org_settings *s = xcalloc(1, sizeof *s);
	cfg->org = s;
	if (yaml_want_map(yf, n, "organisation", d) ||
	    yaml_check_keys(yf, n, keys, "organisation", d))
		return -1;
	yaml_node_t *v;
	const char *str;
	if (!(v = yaml_get(yf, n, "answers_file")))
		return yaml_error(yf, n, d, _("organisation needs 'answers_file' (the "
				  "organisation's answers, hostaudit org attest)"));
	if (yaml_want_string(yf, v, "organisation.answers_file", &str, d))
		return -1;
	if (!*str)
		return yaml_error(yf, v, d, _("'%s' must not be empty"), "answers_file");
	s->answers_file = xstrdup(str);
	if ((v = yaml_get(yf, n, "questions"))) {
		if (yaml_want_string(yf, v, "organisation.questions", &str, d))
			return -1;
		s->questions_file = xstrdup(str);
	}
	return 0;
}

int org_settings_load(org_settings *s, const char *attest_questions, int64_t now, diag *d)
{
	if (!s->q && !(s->q = org_questions_load(s->questions_file, attest_questions, d)))
		return -1;
	org_answers_free(&s->answers);
	int rc = org_answers_load(&s->answers, s->q, s->answers_file, now, d);
	s->answers.evidence_elsewhere = s->from_policy;
	return rc;
}

void org_settings_free(org_settings *s)
{
	if (!s)
		return;
	org_questions_free(s->q);
	org_answers_free(&s->answers);
	free(s->answers_file);
	free(s->questions_file);
	free(s);
}

void org_apply_items(const org_settings *s, int64_t now, fact_set *fs)
{
	if (!s || !s->q)
		return;
	for (size_t i = 0; i < s->q->question_count; i++) {
		const org_question *oq = &s->q->questions[i];
		if (oq->axis != ORG_AXIS_ORG_ITEM)
			continue;
		char name[128];
		snprintf(name, sizeof name, "attest.%s", oq->id);
		const fact *f = fact_get(fs, name);
		if (!f)
			continue;
		/* The host's own current answer wins. */
		if (f->state == FACT_KNOWN && f->attested) {
			fact_mark_attested_for(fs, name, "host");
			continue;
		}
		const org_answer *e = org_answer_find(&s->answers, oq->id);
		if (org_answer_state_at(s->q, e, now) != ORG_ANS_CURRENT)
			continue; /* the host's reason (or its absence) stands */
		if (s->from_policy) {
			const char *base = strrchr(s->answers.file, '/');
			fact_set_string(fs, name, answer_name(e->ans), "attested for the "
					"organisation by %s on %s (the central policy's %s:%d)%s%s",
					e->who, e->when, base ? base + 1 : s->answers.file,
					e->line, e->note ? "; note: " : "", e->note ? e->note : "");
		} else {
			fact_set_string(fs, name, answer_name(e->ans), "attested for the "
					"organisation by %s on %s (%s:%d)%s%s", e->who, e->when,
					s->answers.file, e->line, e->note ? "; note: " : "",
					e->note ? e->note : "");
		}
		fact_mark_attested(fs, name);
		fact_mark_attested_for(fs, name, "organisation");
	}
}

void org_measured_from_audit(const struct audit *a, org_measured *m)
{
	tally t = {0};
	for (size_t i = 0; i < a->result_count; i++)
		tally_add(&t, &a->results[i]);
	double score = tally_score(&t);
	memset(m, 0, sizeof *m);
	m->known = score >= 0;
	m->low = m->high = m->known ? score : 0;
	snprintf(m->source, sizeof m->source, "this PC's score, %d rules judged", t.pass + t.fail);
	snprintf(m->source_ja, sizeof m->source_ja,
		 "このパソコンのスコア、判定したルール %d 件", t.pass + t.fail);
}
