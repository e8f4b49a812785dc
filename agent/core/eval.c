/* SPDX-License-Identifier: Apache-2.0 */
/* Evaluating rules over facts, and scoring the results.
 *
 * Conditions are judged in four values: pass, fail, unknown (a fact could
 * not be observed) and not applicable. Unknown is never folded into pass or
 * fail: a rule over an unknown fact is unknown. */
#include "hostaudit/eval.h"

#include <stdio.h>
#include <string.h>

const char *result_status_name(result_status s)
{
	static const char *const names[] = {"pass",  "fail",          "unknown",
					    "not_applicable", "error", "disabled"};
	return names[s];
}

/* Shell-style glob: '*', '?', '[abc]' and '[a-z]'; no locale, no escapes
 * beyond '\\'. Enough for package and product names, portable to every
 * platform. */
static bool glob_match(const char *pat, const char *s)
{
	const char *star = NULL, *retry = NULL;
	while (*s) {
		if (*pat == '*') {
			star = ++pat;
			retry = s;
			continue;
		}
		if (*pat == '[') {
			const char *p = pat + 1;
			bool neg = *p == '!' || *p == '^', hit = false;
			if (neg)
				p++;
			for (; *p && *p != ']'; p++) {
				if (p[1] == '-' && p[2] && p[2] != ']') {
					hit |= (unsigned char)*s >= (unsigned char)p[0] &&
					       (unsigned char)*s <= (unsigned char)p[2];
					p += 2;
				} else {
					hit |= *p == *s;
				}
			}
			if (*p == ']' && hit != neg) {
				pat = p + 1;
				s++;
				continue;
			}
		} else if (*pat == '?' || (*pat == '\\' && pat[1] == *s && (pat++, 1)) ||
			   *pat == *s) {
			pat++;
			s++;
			continue;
		}
		if (!star)
			return false;
		pat = star;
		s = ++retry;
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

static int cmp_int(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static bool ordered(cmp_op op, int c)
{
	switch (op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	case OP_GE: return c >= 0;
	default: return false;
	}
}

static bool compare_int(cmp_op op, int64_t v, const value *operand)
{
	if (op == OP_IN) {
		for (size_t i = 0; i < operand->count; i++)
			if (operand->items[i].i == v)
				return true;
		return false;
	}
	return ordered(op, cmp_int(v, operand->i));
}

static bool compare_string(cmp_op op, const char *v, const value *operand)
{
	switch (op) {
	case OP_EQ: return strcmp(v, operand->s) == 0;
	case OP_NE: return strcmp(v, operand->s) != 0;
	case OP_MATCHES: return glob_match(operand->s, v);
	case OP_IN:
		for (size_t i = 0; i < operand->count; i++)
			if (!strcmp(operand->items[i].s, v))
				return true;
		return false;
	default: return false;
	}
}

static result_status from_bool(bool b)
{
	return b ? RES_PASS : RES_FAIL;
}

static result_status eval_cmp(const cond *c, const pack *p, const fact_set *fs, int64_t now,
			      char *why, size_t why_size)
{
	const value *operand = c->operand_param >= 0 ? &p->params[c->operand_param].current
						      : &c->operand;
	if (c->subject == SUBJ_PARAM) {
		const value *v = &p->params[c->param].current;
		if (v->type == VAL_BOOL)
			return from_bool((v->b == operand->b) == (c->op == OP_EQ));
		if (v->type == VAL_INT)
			return from_bool(compare_int(c->op, v->i, operand));
		return from_bool(compare_string(c->op, v->s, operand));
	}
	const fact *f = fact_get(fs, c->fact->name);
	if (c->op == OP_EXISTS)
		return from_bool((f->state == FACT_KNOWN) == operand->b);
	if (f->state != FACT_KNOWN) {
		if (why && !why[0])
			snprintf(why, why_size, "%s: %s", f->def->name,
				 f->reason ? f->reason : "not observed on this platform");
		return f->state == FACT_NOT_APPLICABLE ? RES_NOT_APPLICABLE
		       : f->state == FACT_ERROR        ? RES_ERROR
						       : RES_UNKNOWN;
	}
	switch (c->subject) {
	case SUBJ_AGE_OF: {
		int64_t age = (now - f->v.i) / 86400;
		return from_bool(compare_int(c->op, age, operand));
	}
	case SUBJ_COUNT_OF:
		return from_bool(compare_int(c->op, (int64_t)f->v.list.count, operand));
	default:
		break;
	}
	switch (f->def->type) {
	case FACT_BOOL: return from_bool((f->v.b == operand->b) == (c->op == OP_EQ));
	case FACT_INT: return from_bool(compare_int(c->op, f->v.i, operand));
	case FACT_STRING: return from_bool(compare_string(c->op, f->v.s, operand));
	case FACT_LIST:
		for (size_t i = 0; i < f->v.list.count; i++)
			if (!strcmp(f->v.list.items[i], operand->s))
				return RES_PASS;
		return RES_FAIL;
	case FACT_TIME: break; /* rejected at load: only age_of reads times */
	}
	if (why)
		snprintf(why, why_size, "%s: cannot be compared this way", f->def->name);
	return RES_ERROR;
}

result_status cond_eval(const cond *c, const pack *p, const fact_set *fs, int64_t now,
			char *why, size_t why_size)
{
	if (c->kind == COND_CMP)
		return eval_cmp(c, p, fs, now, why, why_size);
	if (c->kind == COND_NOT) {
		result_status s = cond_eval(c->children, p, fs, now, why, why_size);
		return s == RES_PASS ? RES_FAIL : s == RES_FAIL ? RES_PASS : s;
	}
	/* all: one fail decides; any/none: one pass decides. Otherwise an
	 * error or unknown child leaves the answer open. */
	result_status decisive = c->kind == COND_ALL ? RES_FAIL : RES_PASS;
	int n_error = 0, n_unknown = 0, n_na = 0;
	for (size_t i = 0; i < c->count; i++) {
		result_status s = cond_eval(&c->children[i], p, fs, now, why, why_size);
		if (s == decisive) {
			if (c->kind == COND_NONE)
				return RES_FAIL;
			return s;
		}
		n_error += s == RES_ERROR;
		n_unknown += s == RES_UNKNOWN;
		n_na += s == RES_NOT_APPLICABLE;
	}
	if (n_error)
		return RES_ERROR;
	if (n_unknown)
		return RES_UNKNOWN;
	if ((size_t)n_na == c->count)
		return RES_NOT_APPLICABLE;
	return c->kind == COND_ALL ? RES_PASS : c->kind == COND_ANY ? RES_FAIL : RES_PASS;
}

static const exception *find_exception(const config *cfg, const rule *r)
{
	if (!cfg)
		return NULL;
	char qualified[256];
	snprintf(qualified, sizeof qualified, "%s:%s", r->pack->id, r->id);
	for (size_t i = 0; i < cfg->exception_count; i++) {
		const char *name = cfg->exceptions[i].rule;
		if (!strcmp(name, r->id) || !strcmp(name, qualified))
			return &cfg->exceptions[i];
	}
	return NULL;
}

static bool os_applies(const rule *r, const char *os)
{
	if (!r->os)
		return true;
	for (size_t i = 0; i < r->os_count; i++)
		if (!strcmp(r->os[i], os))
			return true;
	return false;
}

void rule_eval(const rule *r, const fact_set *fs, const char *os, int64_t now,
	       const config *cfg, result *out)
{
	memset(out, 0, sizeof *out);
	out->r = r;
	cond_facts(r->when, out->facts, &out->fact_count, RESULT_MAX_FACTS);
	cond_facts(r->check, out->facts, &out->fact_count, RESULT_MAX_FACTS);
	cond_facts(r->partial, out->facts, &out->fact_count, RESULT_MAX_FACTS);
	for (size_t i = 0; i < out->fact_count; i++) {
		const fact *f = fact_get(fs, out->facts[i]->name);
		out->attested |= f->attested;
	}
	if ((out->exception = find_exception(cfg, r))) {
		out->status = RES_DISABLED;
		snprintf(out->reason, sizeof out->reason, "%s", out->exception->reason);
		return;
	}
	if (!os_applies(r, os)) {
		out->status = RES_NOT_APPLICABLE;
		snprintf(out->reason, sizeof out->reason, "applies to %s, this host runs %s",
			 r->os[0], os);
		return;
	}
	if (r->when) {
		result_status w = cond_eval(r->when, r->pack, fs, now, out->reason,
					    sizeof out->reason);
		if (w == RES_FAIL) {
			out->status = RES_NOT_APPLICABLE;
			snprintf(out->reason, sizeof out->reason,
				 "the rule's 'when' condition does not hold on this host");
			return;
		}
		if (w != RES_PASS) {
			out->status = w;
			return;
		}
	}
	out->reason[0] = '\0';
	out->status = cond_eval(r->check, r->pack, fs, now, out->reason, sizeof out->reason);
	if (out->status == RES_PASS || out->status == RES_FAIL)
		out->reason[0] = '\0';
	if (out->status == RES_FAIL && r->partial)
		out->partial = cond_eval(r->partial, r->pack, fs, now, NULL, 0) == RES_PASS;
}

void tally_add(tally *t, const result *res)
{
	switch (res->status) {
	case RES_PASS:
		t->pass++;
		t->weight_pass += res->r->weight;
		break;
	case RES_FAIL:
		t->fail++;
		t->partial += res->partial;
		t->weight_fail += res->r->weight;
		break;
	case RES_UNKNOWN: t->unknown++; break;
	case RES_NOT_APPLICABLE: t->not_applicable++; break;
	case RES_ERROR: t->error++; break;
	case RES_DISABLED: t->disabled++; break;
	}
}

double tally_score(const tally *t)
{
	int total = t->weight_pass + t->weight_fail;
	if (total == 0)
		return -1.0;
	return 100.0 * t->weight_pass / total;
}
