/* SPDX-License-Identifier: Apache-2.0 */
/* The evaluator: rules over facts give results; results give scores. */
#ifndef HOSTAUDIT_EVAL_H
#define HOSTAUDIT_EVAL_H

#include "hostaudit/config.h"
#include "hostaudit/facts.h"
#include "hostaudit/rules.h"

typedef enum {
	RES_PASS,
	RES_FAIL,
	RES_UNKNOWN,
	RES_NOT_APPLICABLE,
	RES_ERROR,
	RES_DISABLED, /* an exception in the site config */
} result_status;

#define RESULT_MAX_FACTS 16

typedef struct result {
	const rule *r;
	result_status status;
	char reason[256];            /* why unknown / n.a. / error / disabled */
	const fact_def *facts[RESULT_MAX_FACTS]; /* what it read */
	size_t fact_count;
	const exception *exception;  /* RES_DISABLED */
	bool attested;               /* some fact it read was attested */
	bool partial;                /* RES_FAIL, but the rule's 'partial' holds */
} result;

/* Three-valued (plus n.a.) evaluation of one condition. */
result_status cond_eval(const cond *c, const pack *p, const fact_set *fs, int64_t now,
			char *why, size_t why_size);

/* Evaluates one rule: os applicability, when, check, exceptions. */
void rule_eval(const rule *r, const fact_set *fs, const char *os, int64_t now,
	       const config *cfg, result *out);

typedef struct tally {
	int pass, fail, unknown, not_applicable, error, disabled;
	int partial; /* of the failures, those partly met */
	int weight_pass, weight_fail;
} tally;

void tally_add(tally *t, const result *res);
/* 100 * weight_pass / (weight_pass + weight_fail); < 0 when nothing was
 * scored. */
double tally_score(const tally *t);

const char *result_status_name(result_status s);

/* IPA's self-check sheet (agent/core/sheet.c): the points an article earns
 * from its rules' tally, 4 実施 / 2 一部実施 / 0 未実施 / -1 わからない;
 * false when no rule of the article was judged (n/a or disabled). */
#define SHEET_POINTS_MAX 4
bool tally_sheet_points(const tally *t, int *points);

#endif
