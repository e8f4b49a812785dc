/* SPDX-License-Identifier: Apache-2.0 */
/* Attestations: what only a person can vouch for ("staff were trained this
 * year"). Questions are data (rules/questions/attest.yaml); the answers a
 * person gave live in the site's attestation file; both become attest.*
 * facts marked attested, never observed. See docs/attestations.md. */
#ifndef HOSTAUDIT_ATTEST_H
#define HOSTAUDIT_ATTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostaudit/facts.h"
#include "hostaudit/host.h"
#include "hostaudit/rules.h"
#include "hostaudit/yamlfile.h"

#define ATTEST_SCHEMA "hostaudit/attestations/v1"
#define ATTEST_QUESTIONS_SCHEMA "hostaudit/questions/v1"
#define ATTEST_DEFAULT_MAX_AGE_DAYS 365

/* The answers of IPA's self-check sheet: 実施 / 一部実施 / 未実施 / わからない. */
typedef enum { ANSWER_YES, ANSWER_PARTLY, ANSWER_NO, ANSWER_UNKNOWN, ANSWER_COUNT } answer;

typedef struct question {
	char *id;             /* "security_training" */
	const fact_def *fact; /* attest.security_training */
	text text;            /* the question as a person reads it */
	text source;          /* the checklist items it answers */
	unsigned answers;     /* allowed answers, bit (1 << answer) */
	int line;
} question;

typedef struct attestation {
	char *question;
	answer ans;
	char *who;
	char *when;           /* YYYY-MM-DD */
	int64_t when_epoch;
	char *note;           /* may be NULL */
	int line, column;
} attestation;

/* The `attestations:` section of the site config, and what it loaded. */
typedef struct attest_settings {
	char *file;           /* the attestation file; NULL: none configured */
	char *questions_file; /* NULL: the default (attest_questions_path) */
	int max_age_days;     /* older answers are stale and read as unknown */
	/* Filled by attest_load(). */
	question *questions;
	size_t question_count;
	attestation *entries;
	size_t entry_count;
	bool file_missing;    /* configured but not there yet */
	bool is_default;      /* the config names none: the platform's default file */
} attest_settings;

const char *answer_name(answer a);

/* The settings when the site config has no `attestations:` section: the
 * platform's default file (PLATFORM_ATTEST_FILE), which `hostaudit
 * attest` creates 0600 when it records the first answer. */
attest_settings *attest_default_settings(void);

/* The config section parser (a row of config.c's `sections`). */
struct config;
int attest_parse_config(yamlfile *yf, yaml_node_t *n, struct config *cfg, diag *d);
void attest_settings_free(attest_settings *s);

/* Where the questions are read from: the config's `questions:`, then
 * $HOSTAUDIT_QUESTIONS, then the installed rules directory, then the
 * source tree this binary was built from. */
const char *attest_questions_path(const attest_settings *s);

/* Loads the questions and (when configured) the attestation file, checking
 * every entry against the questions and the clock (`now`: a date after it
 * is an error). A missing attestation file is not an error. Returns 0, or
 * -1 with d naming file:line:column. */
int attest_load(attest_settings *s, int64_t now, diag *d);
int attest_load_questions(attest_settings *s, diag *d);

/* Records one attest.* fact per question (called with the probes). */
void attest_record(const attest_settings *s, int64_t now, fact_set *fs);

/* Whether an entry is older than max_age_days at now. */
bool attest_is_stale(const attest_settings *s, const attestation *e, int64_t now);
const attestation *attest_find(const attest_settings *s, const char *question_id);

/* Replaces (or adds) the answer to e->question, taking ownership of e's
 * strings. */
void attest_put(attest_settings *s, attestation *e);
/* The attestation file as YAML text (caller frees). */
char *attest_serialise(const attest_settings *s);

#endif
