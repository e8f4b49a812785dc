/* SPDX-License-Identifier: Apache-2.0 */
/* The organisation's self-assessment (docs/organisation.md): management's
 * answers on how the company uses IT and treats security, METI's ten
 * directives and the organisational items of the host packs, answered once
 * for the whole company; and the data-driven rule that places the company
 * in one of the guidebook's six categories. The agent (`hostaudit org`,
 * `hostaudit run` with `organisation:`) and the collector
 * (`hostaudit-collector org`) share this code.
 *
 *   org_questions.c  the questionnaire (rules/org/organisation.yaml)
 *   org_answers.c    the answers file: read, check, write
 *   org_place.c      the placement rule, evaluated three-valued
 *   org_render.c     a placement as text (en/ja)
 *   org_ask.c        asking the questions interactively */
#ifndef HOSTAUDIT_ORG_H
#define HOSTAUDIT_ORG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "hostaudit/attest.h"
#include "hostaudit/rules.h"
#include "hostaudit/yamlfile.h"

#define ORG_QUESTIONS_SCHEMA "hostaudit/org-questions/v1"
#define ORG_ANSWERS_SCHEMA "hostaudit/org-answers/v1"
#define ORG_PLACEMENT_SCHEMA "hostaudit/org-placement/v1"

/* What a question is about: the guidebook's two axes, the signs of
 * over-restriction, METI's directives, and the host packs' organisational
 * items (whose text is rules/questions/attest.yaml's). */
typedef enum {
	ORG_AXIS_IT_USE,
	ORG_AXIS_SECURITY,
	ORG_AXIS_RESTRICTION,
	ORG_AXIS_DIRECTIVE,
	ORG_AXIS_ORG_ITEM,
	ORG_AXIS_COUNT
} org_axis;

typedef struct org_question {
	char *id;
	org_axis axis;
	text label;          /* short: "IT used in the business" */
	text text;           /* the question as management reads it */
	bool evidence;       /* ask for a document (the directives) */
	int line;
} org_question;

typedef struct org_document {
	char *id;
	char *title;         /* as the document gives it */
	char *url;           /* may be NULL: no public address known */
	int line;
} org_document;

typedef enum { ORG_FIG_MEASURED, ORG_FIG_SHARE, ORG_FIG_COUNT } org_figure_kind;

/* A figure the rule reads: measured compliance (given by the caller), the
 * share of some questions answered done (yes 100, partly 50, no 0), or
 * how many of some questions have one of some answers. */
typedef struct org_figure {
	char *id;
	text label;
	org_figure_kind kind;
	size_t *questions;   /* indexes into the questionnaire */
	size_t question_count;
	unsigned answers;    /* ORG_FIG_COUNT: bit (1 << answer) */
	int line;
} org_figure;

typedef enum { ORG_COND_ALWAYS, ORG_COND_ANSWER, ORG_COND_AT_LEAST, ORG_COND_BELOW,
	       ORG_COND_ALL, ORG_COND_ANY } org_cond_kind;

typedef struct org_cond {
	org_cond_kind kind;
	size_t index;        /* question (ANSWER) or figure (AT_LEAST, BELOW) */
	unsigned answers;    /* ANSWER: bit (1 << answer) */
	double threshold;
	struct org_cond *children;
	size_t child_count;
	int line, column;
} org_cond;

typedef struct org_category {
	char *id;            /* ideal, more-active, wasteful, danger-unprepared, ... */
	text label, who, approach, next_steps;
	text *measures;
	size_t measure_count;
	size_t *documents;   /* indexes into docs */
	size_t document_count;
	org_cond when;       /* ALL of a list, or ALWAYS */
	char *next;          /* the category to aim for next; NULL: none */
	int line;
} org_category;

typedef struct org_questionnaire {
	char *path;
	char sha256[65];
	int max_age_days;    /* older answers are stale and read as unknown */
	org_question *questions;
	size_t question_count;
	org_document *docs;
	size_t doc_count;
	org_figure *figures;
	size_t figure_count;
	org_category *categories; /* in the order the rule tries them */
	size_t category_count;
} org_questionnaire;

/* The six categories' ids, as organisation.md names them. */
extern const char *const org_category_ids[];

/* Where the questionnaire is read from: path if given, then
 * $HOSTAUDIT_ORG_QUESTIONS, the installed rules directory, the source tree. */
const char *org_questions_path(const char *path);
/* Loads and checks the questionnaire (and, for its organisational items,
 * the attestation questions at attest_questions, NULL: the default).
 * NULL with d naming file:line:column. */
org_questionnaire *org_questions_load(const char *path, const char *attest_questions, diag *d);
void org_questions_free(org_questionnaire *q);
const org_question *org_question_find(const org_questionnaire *q, const char *id, size_t *index);
const org_category *org_category_find(const org_questionnaire *q, const char *id);

/* ---- answers ---- */

typedef struct org_evidence {
	char *title;         /* NULL: no document */
	char *path, *url;    /* one of them */
	char *sha256;        /* 64 lower-case hex; may be NULL for a URL */
} org_evidence;

typedef struct org_answer {
	char *question;
	answer ans;
	char *who;
	char *when;          /* YYYY-MM-DD */
	int64_t when_epoch;
	char *note;          /* may be NULL */
	org_evidence evidence;
	int line, column;
} org_answer;

typedef struct org_answers {
	char *file;
	char *organisation;  /* the company's name; may be NULL */
	org_answer *entries;
	size_t entry_count;
	bool file_missing;   /* not there yet: nothing answered */
	bool evidence_elsewhere; /* its documents are on another machine (a
				  * central policy's answers): never read here */
} org_answers;

/* Reads and checks an answers file against the questionnaire and the
 * clock (a date after now is an error). A missing file is no error
 * (file_missing). 0, or -1 with d naming file:line:column. */
int org_answers_load(org_answers *a, const org_questionnaire *q, const char *path,
		     int64_t now, diag *d);
void org_answers_free(org_answers *a);
const org_answer *org_answer_find(const org_answers *a, const char *question_id);
/* Replaces or adds the answer to e->question, taking e's strings. */
void org_answer_put(org_answers *a, org_answer *e);
void org_answer_free(org_answer *e);
/* The answers file as YAML (caller frees), in questionnaire order. */
char *org_answers_serialise(const org_answers *a, const org_questionnaire *q);

/* How an answer reads at now: a current yes/partly/no, or why not. */
typedef enum { ORG_ANS_CURRENT, ORG_ANS_UNKNOWN, ORG_ANS_STALE, ORG_ANS_MISSING } org_answer_state;
org_answer_state org_answer_state_at(const org_questionnaire *q, const org_answer *e,
				     int64_t now);
const char *org_answer_state_name(org_answer_state s);

/* ---- placement ---- */

/* The measured figure: the fleet's compliance (collector) or this PC's
 * score (agent), 0..100; unknown when nothing was measured. The range
 * [low, high] is exact when low == high; hosts that should report but did
 * not widen it. */
typedef struct org_measured {
	bool known;
	double low, high;
	char source[300];    /* what it was computed from, in English */
	char source_ja[300];
} org_measured;

/* Places the organisation: evaluates the questionnaire's rule over the
 * answers and the measured figure at now. Returns the placement as JSON
 * (schema ORG_PLACEMENT_SCHEMA, docs/organisation.md): `category` one of
 * the six ids, or "unknown" with `unknown_reason`. Never fails. */
json_t *org_place(const org_questionnaire *q, const org_answers *a, const org_measured *m,
		  int64_t now);

/* Writes a placement for people, in lang ("en"/"ja"); previous (may be
 * NULL) is last year's placement, shown beside it. */
void org_render_text(FILE *out, const json_t *placement, const json_t *previous,
		     const char *lang);

/* ---- the agent's site config: `organisation: {answers_file, questions}` ---- */

typedef struct org_settings {
	char *answers_file;
	char *questions_file; /* NULL: org_questions_path(NULL) */
	bool from_policy;     /* the files are the central policy's */
	/* Filled by org_settings_load(). */
	org_questionnaire *q;
	org_answers answers;
} org_settings;

struct config;
/* The config section parser (a row of config.c's `sections`). */
int org_parse_config(yamlfile *yf, yaml_node_t *n, struct config *cfg, diag *d);
/* Loads the questionnaire and the answers file (checked at now). */
int org_settings_load(org_settings *s, const char *attest_questions, int64_t now, diag *d);
void org_settings_free(org_settings *s);

/* The organisation's answers to the host packs' organisational items,
 * applied to the attest.* facts: where the host has no current answer of
 * its own, a current organisation answer sets the fact; every org item is
 * marked with the source that applied ("organisation" or "host"). */
void org_apply_items(const org_settings *s, int64_t now, fact_set *fs);
/* The measured figure on the agent: this PC's overall score. */
struct audit;
void org_measured_from_audit(const struct audit *a, org_measured *m);

/* Writes prefix then s wrapped at 80 columns, continuation lines indented
 * by indent; breaks at a space, else between characters (Japanese). */
void org_print_wrapped(FILE *out, const char *prefix, const char *s, int indent);

/* ---- asking ---- */

/* Asks every open question (never answered, "unknown", stale) on out,
 * reading lines from in, and records the answers in a with today's date.
 * Returns the number answered, or -1 when no name was given. */
int org_ask(const org_questionnaire *q, org_answers *a, FILE *in, FILE *out,
	    const char *lang, int64_t now);

/* SHA-256 of a file, as 64 lower-case hex digits; -1 with why. */
int org_file_sha256(const char *path, char out[65], char *why, size_t why_size);

/* The answer words people type, in English and Japanese (y, yes, はい,
 * 実施, p, partly, 一部, n, no, いいえ, u, わからない...): -1 if none. */
int answer_parse_word(const char *s);
/* One line from in without its line break and surrounding blanks, checked
 * as UTF-8 (re-asked on out when not), or NULL at the end of input. The
 * text lives until the next call. */
const char *prompt_read_line(FILE *in, FILE *out);

#endif
