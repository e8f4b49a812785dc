/* SPDX-License-Identifier: Apache-2.0 */
/* Loading and validating rule packs (docs/rules.md). Everything a rule
 * could get wrong is caught here, with file:line:column, so evaluation
 * never meets a surprise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/report_schema.h" /* report_name_valid() */
#include "hostaudit/rules.h"
#include "util.h"
#include "i18n.h"

typedef struct loader {
	yamlfile *yf;
	pack *p;
	diag *d;
	int depth; /* of the condition being parsed */
} loader;

/* Conditions inside conditions: more than any rule needs, few enough
 * that parsing and evaluating (both recursive) stay cheap. */
#define COND_MAX_DEPTH 32
/* Each name is checked against those before it: bounded lists keep that
 * cheap (200 000 params under the size cap took 15 s). */
#define PACK_MAX_PARAMS 1024
#define PACK_MAX_ARTICLES 1024
#define PACK_MAX_RULES 4096

static int too_many(loader *L, yaml_node_t *n, const char *what, size_t count, size_t max)
{
	if (count <= max)
		return 0;
	return yaml_error(L->yf, n, L->d, _("more than %zu %s in one pack"), max, what);
}

static const char *const op_names[] = {"eq", "ne", "lt", "le", "gt", "ge", "in",
				       "contains", "matches", "exists", NULL};
static const char *const subject_names[] = {"fact", "age_of", "count_of", "param", NULL};
static const char *const group_names[] = {"all", "any", "none", "not", NULL};

static int parse_text(loader *L, yaml_node_t *n, const char *what, text *out)
{
	static const char *const keys[] = {"en", "ja", NULL};
	if (yaml_want_map(L->yf, n, what, L->d) || yaml_check_keys(L->yf, n, keys, what, L->d))
		return -1;
	yaml_node_t *en = yaml_get(L->yf, n, "en"), *ja = yaml_get(L->yf, n, "ja");
	const char *s;
	if (!en || !ja)
		return yaml_error(L->yf, n, L->d, _("%s needs both 'en' and 'ja'"), what);
	if (yaml_want_string(L->yf, en, what, &s, L->d))
		return -1;
	out->en = xstrdup(s);
	if (yaml_want_string(L->yf, ja, what, &s, L->d))
		return -1;
	out->ja = xstrdup(s);
	return 0;
}

static void text_free(text *t)
{
	free(t->en);
	free(t->ja);
}

const char *const rule_os_names[] = {"linux", "windows", NULL};

static int os_index(const char *os)
{
	for (int i = 0; rule_os_names[i]; i++)
		if (!strcmp(os, rule_os_names[i]))
			return i;
	return -1;
}

/* {en, ja}, or {linux: {en, ja}, windows: {en, ja}}: the keys say which. */
static int parse_os_text(loader *L, yaml_node_t *n, const char *what, os_text *out)
{
	if (yaml_want_map(L->yf, n, what, L->d))
		return -1;
	bool per_os = false;
	yaml_node_pair_t *pair;
	for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top; pair++) {
		const char *k = yaml_scalar(yaml_document_get_node(&L->yf->doc, pair->key));
		if (k && os_index(k) >= 0)
			per_os = true;
	}
	out->per_os = per_os;
	if (!per_os)
		return parse_text(L, n, what, &out->by_os[0]);
	if (yaml_check_keys(L->yf, n, rule_os_names, what, L->d))
		return -1;
	for (int i = 0; rule_os_names[i]; i++) {
		yaml_node_t *t = yaml_get(L->yf, n, rule_os_names[i]);
		char sub[64];
		snprintf(sub, sizeof sub, "%s.%s", what, rule_os_names[i]);
		if (t && parse_text(L, t, sub, &out->by_os[i]))
			return -1;
	}
	return 0;
}

static void os_text_free(os_text *t)
{
	for (int i = 0; i < RULE_OS_COUNT; i++)
		text_free(&t->by_os[i]);
}

const text *os_text_get(const os_text *t, const char *os)
{
	int i = t->per_os ? (os ? os_index(os) : -1) : 0;
	if (i < 0 || !t->by_os[i].en)
		return NULL;
	return &t->by_os[i];
}

/* A per-system text must cover every system the rule applies to. */
static int check_os_text(loader *L, yaml_node_t *n, const rule *r, const char *what,
			 const os_text *t)
{
	if (!t->per_os)
		return 0;
	for (int i = 0; rule_os_names[i]; i++) {
		bool applies = !r->os;
		for (size_t k = 0; k < r->os_count; k++)
			applies |= !strcmp(r->os[k], rule_os_names[i]);
		if (applies && !t->by_os[i].en)
			return yaml_error(L->yf, n, L->d,
					  _("rule %s: %s has no '%s' text, but the rule applies to "
					    "%s (add '%s: {en, ja}', or 'os:' without it)"),
					  r->id, what, rule_os_names[i], rule_os_names[i],
					  rule_os_names[i]);
	}
	return 0;
}

/* A literal: plain integers and booleans are typed, everything else is a
 * string; a list holds scalars. */
int value_parse(yamlfile *yf, yaml_node_t *n, const char *what, value *out, diag *d)
{
	memset(out, 0, sizeof *out);
	if (n->type == YAML_SEQUENCE_NODE) {
		out->type = VAL_LIST;
		size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
		out->items = xcalloc(cap, sizeof *out->items);
		yaml_node_t *item;
		YAML_SEQ_EACH(yf, n, item)
		{
			if (item->type != YAML_SCALAR_NODE)
				return yaml_error(yf, item, d, _("%s: list items must be scalars"),
						  what);
			if (value_parse(yf, item, what, &out->items[out->count], d))
				return -1;
			out->count++;
		}
		return 0;
	}
	if (n->type != YAML_SCALAR_NODE)
		return yaml_error(yf, n, d, _("%s must be a scalar or a list of scalars"), what);
	if (yaml_scalar_is_int(n, &out->i))
		out->type = VAL_INT;
	else if (yaml_scalar_is_bool(n, &out->b))
		out->type = VAL_BOOL;
	else {
		out->type = VAL_STRING;
		out->s = xstrdup(yaml_scalar(n));
	}
	return 0;
}

void value_free(value *v)
{
	free(v->s);
	for (size_t i = 0; i < v->count; i++)
		value_free(&v->items[i]);
	free(v->items);
	memset(v, 0, sizeof *v);
}

const char *value_type_name(value_type t)
{
	switch (t) {
	case VAL_BOOL: return "true/false";
	case VAL_INT: return "a whole number";
	case VAL_STRING: return "a string";
	case VAL_LIST: return "a list";
	}
	return "?";
}

void value_copy(value *dst, const value *src)
{
	*dst = *src;
	dst->s = src->s ? xstrdup(src->s) : NULL;
	if (src->count) {
		dst->items = xcalloc(src->count, sizeof *dst->items);
		for (size_t i = 0; i < src->count; i++)
			value_copy(&dst->items[i], &src->items[i]);
	}
}

void value_format(const value *v, char *buf, size_t size)
{
	switch (v->type) {
	case VAL_BOOL: snprintf(buf, size, "%s", v->b ? "true" : "false"); break;
	case VAL_INT: snprintf(buf, size, "%lld", (long long)v->i); break;
	case VAL_STRING: snprintf(buf, size, "%s", v->s); break;
	case VAL_LIST: {
		size_t used = (size_t)snprintf(buf, size, "[");
		for (size_t i = 0; i < v->count && used < size; i++) {
			char item[256];
			value_format(&v->items[i], item, sizeof item);
			used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", item);
		}
		if (used < size)
			snprintf(buf + used, size - used, "]");
		break;
	}
	}
}

static const char **catalog_names(void)
{
	static const char **names;
	if (!names) {
		names = xcalloc(catalog_count() + 1, sizeof *names);
		for (size_t i = 0; i < catalog_count(); i++)
			names[i] = catalog_at(i)->name;
	}
	return names;
}

static const char **param_names(const pack *p)
{
	const char **names = xcalloc(p->param_count + 1, sizeof *names);
	for (size_t i = 0; i < p->param_count; i++)
		names[i] = p->params[i].name;
	return names;
}

static long find_param(const pack *p, const char *name)
{
	for (size_t i = 0; i < p->param_count; i++)
		if (!strcmp(p->params[i].name, name))
			return (long)i;
	return -1;
}

static int parse_cond(loader *L, yaml_node_t *n, cond *c);

static int parse_group(loader *L, yaml_node_t *key, yaml_node_t *v, cond *c)
{
	const char *k = yaml_scalar(key);
	if (!strcmp(k, "not")) {
		c->kind = COND_NOT;
		c->children = xcalloc(1, sizeof *c->children);
		c->count = 1;
		return parse_cond(L, v, c->children);
	}
	c->kind = !strcmp(k, "all") ? COND_ALL : !strcmp(k, "any") ? COND_ANY : COND_NONE;
	if (yaml_want_seq(L->yf, v, k, L->d))
		return -1;
	size_t cap = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (cap == 0)
		return yaml_error(L->yf, v, L->d, _("'%s' needs at least one condition"), k);
	c->children = xcalloc(cap, sizeof *c->children);
	yaml_node_t *item;
	YAML_SEQ_EACH(L->yf, v, item)
	{
		if (parse_cond(L, item, &c->children[c->count++]))
			return -1;
	}
	return 0;
}

/* The type an operand must have for this subject and operator. */
static int expected_type(loader *L, yaml_node_t *at, const cond *c, value_type *want)
{
	if (c->op == OP_EXISTS) {
		*want = VAL_BOOL;
		return 0;
	}
	if (c->subject == SUBJ_AGE_OF || c->subject == SUBJ_COUNT_OF) {
		if (c->op == OP_IN || c->op == OP_CONTAINS || c->op == OP_MATCHES)
			return yaml_error(L->yf, at, L->d, _("'%s' compares numbers: use eq, ne, lt, "
					  "le, gt or ge"), op_names[c->op]);
		*want = VAL_INT;
		return 0;
	}
	fact_type ft;
	if (c->subject == SUBJ_PARAM) {
		value_type pt = L->p->params[c->param].def.type;
		ft = pt == VAL_BOOL ? FACT_BOOL : pt == VAL_INT ? FACT_INT : FACT_STRING;
	} else {
		ft = c->fact->type;
	}
	const char *name = c->subject == SUBJ_PARAM ? L->p->params[c->param].name : c->fact->name;
	switch (ft) {
	case FACT_BOOL:
		if (c->op != OP_EQ && c->op != OP_NE)
			return yaml_error(L->yf, at, L->d, _("'%s' is true/false: use eq or ne"), name);
		*want = VAL_BOOL;
		return 0;
	case FACT_INT:
		if (c->op == OP_CONTAINS || c->op == OP_MATCHES)
			return yaml_error(L->yf, at, L->d, _("'%s' is a number: '%s' does not apply"),
					  name, op_names[c->op]);
		*want = c->op == OP_IN ? VAL_LIST : VAL_INT;
		return 0;
	case FACT_STRING:
		if (c->op == OP_CONTAINS || (c->op >= OP_LT && c->op <= OP_GE))
			return yaml_error(L->yf, at, L->d, _("'%s' is a string: use eq, ne, in or "
					  "matches"), name);
		*want = c->op == OP_IN ? VAL_LIST : VAL_STRING;
		return 0;
	case FACT_TIME:
		return yaml_error(L->yf, at, L->d, _("'%s' is a time: compare its age with "
				  "'age_of: %s'"), name, name);
	case FACT_LIST:
		if (c->op != OP_CONTAINS)
			return yaml_error(L->yf, at, L->d, _("'%s' is a list: use 'contains', or "
					  "'count_of: %s' to compare its length"), name, name);
		*want = VAL_STRING;
		return 0;
	}
	return -1;
}

static int parse_operand(loader *L, yaml_node_t *v, cond *c)
{
	value_type want = VAL_INT;
	if (expected_type(L, v, c, &want))
		return -1;
	const char *s = yaml_scalar(v);
	c->operand_param = -1;
	if (s && s[0] == '$' && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		long i = find_param(L->p, s + 1);
		if (i < 0) {
			const char **names = param_names(L->p);
			const char *hint = did_you_mean(s + 1, names);
			free(names);
			if (hint)
				return yaml_error(L->yf, v, L->d, _("param '%s' is never defined in "
						  "'params' (did you mean '%s'?)"), s + 1, hint);
			return yaml_error(L->yf, v, L->d, _("param '%s' is never defined in 'params'"),
					  s + 1);
		}
		if (L->p->params[i].def.type != want)
			return yaml_error(L->yf, v, L->d, _("param '%s' is %s, here %s is needed"),
					  s + 1, value_type_name(L->p->params[i].def.type),
					  value_type_name(want));
		c->operand_param = i;
		return 0;
	}
	if (value_parse(L->yf, v, "the value", &c->operand, L->d))
		return -1;
	if (c->operand.type != want)
		return yaml_error(L->yf, v, L->d, _("'%s' needs %s here, not '%s'"), op_names[c->op],
				  value_type_name(want), s ? s : "a list");
	if (want == VAL_LIST) {
		value_type item = c->subject == SUBJ_FACT && c->fact->type == FACT_INT ? VAL_INT
											: VAL_STRING;
		for (size_t i = 0; i < c->operand.count; i++)
			if (c->operand.items[i].type != item)
				return yaml_error(L->yf, v, L->d, _("every item of 'in' must be %s"),
						  value_type_name(item));
	}
	return 0;
}

static int parse_subject(loader *L, yaml_node_t *key, yaml_node_t *v, cond *c)
{
	const char *k = yaml_scalar(key);
	const char *name;
	if (yaml_want_string(L->yf, v, k, &name, L->d))
		return -1;
	c->subject = !strcmp(k, "fact")     ? SUBJ_FACT
		     : !strcmp(k, "age_of")   ? SUBJ_AGE_OF
		     : !strcmp(k, "count_of") ? SUBJ_COUNT_OF
					      : SUBJ_PARAM;
	if (c->subject == SUBJ_PARAM) {
		long i = find_param(L->p, name);
		if (i < 0)
			return yaml_error(L->yf, v, L->d, _("param '%s' is never defined in 'params'"),
					  name);
		c->param = (size_t)i;
		return 0;
	}
	c->fact = catalog_find(name);
	if (!c->fact) {
		const char *hint = did_you_mean(name, catalog_names());
		if (hint)
			return yaml_error(L->yf, v, L->d, _("unknown fact '%s' (did you mean '%s'?)"),
					  name, hint);
		return yaml_error(L->yf, v, L->d, _("unknown fact '%s' (see `hostaudit facts "
				  "--catalog`)"), name);
	}
	if (c->subject == SUBJ_AGE_OF && c->fact->type != FACT_TIME)
		return yaml_error(L->yf, v, L->d, _("'age_of' needs a time fact; '%s' is %s"), name,
				  fact_type_name(c->fact->type));
	if (c->subject == SUBJ_COUNT_OF && c->fact->type != FACT_LIST)
		return yaml_error(L->yf, v, L->d, _("'count_of' needs a list fact; '%s' is %s"),
				  name, fact_type_name(c->fact->type));
	return 0;
}

static bool in_list(const char *s, const char *const list[])
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/* A condition is a mapping: one group key (all/any/none/not), or one
 * subject key (fact/age_of/count_of/param) with one operator key. */
static int parse_cond_at(loader *L, yaml_node_t *n, cond *c);

static int parse_cond(loader *L, yaml_node_t *n, cond *c)
{
	if (L->depth >= COND_MAX_DEPTH)
		return yaml_error(L->yf, n, L->d, _("conditions nested deeper than %d levels"),
				  COND_MAX_DEPTH);
	L->depth++;
	int rc = parse_cond_at(L, n, c);
	L->depth--;
	return rc;
}

static int parse_cond_at(loader *L, yaml_node_t *n, cond *c)
{
	if (yaml_want_map(L->yf, n, "a condition", L->d))
		return -1;
	yaml_node_t *k, *v, *subj_k = NULL, *subj_v = NULL, *op_k = NULL, *op_v = NULL;
	YAML_MAP_EACH(L->yf, n, k, v)
	{
		const char *s = yaml_scalar(k);
		if (!s)
			return yaml_error(L->yf, k, L->d, _("condition keys must be plain strings"));
		if (in_list(s, group_names)) {
			if (n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
				return yaml_error(L->yf, k, L->d, _("'%s' must stand alone in its "
						  "condition"), s);
			return parse_group(L, k, v, c);
		}
		if (in_list(s, subject_names)) {
			if (subj_k)
				return yaml_error(L->yf, k, L->d, _("a comparison has one subject; "
						  "'%s' and '%s' both given"), yaml_scalar(subj_k), s);
			subj_k = k, subj_v = v;
		} else if (in_list(s, op_names)) {
			if (op_k)
				return yaml_error(L->yf, k, L->d, _("a comparison has one operator; "
						  "'%s' and '%s' both given"), yaml_scalar(op_k), s);
			op_k = k, op_v = v;
		} else {
			const char *all[32];
			size_t m = 0;
			for (size_t i = 0; group_names[i]; i++)
				all[m++] = group_names[i];
			for (size_t i = 0; subject_names[i]; i++)
				all[m++] = subject_names[i];
			for (size_t i = 0; op_names[i]; i++)
				all[m++] = op_names[i];
			all[m] = NULL;
			const char *hint = did_you_mean(s, all);
			bool is_op = hint && in_list(hint, op_names);
			if (hint)
				return yaml_error(L->yf, k, L->d, _("unknown %s '%s' (did you mean '%s'?)"),
						  is_op ? "operator" : "key", s, hint);
			return yaml_error(L->yf, k, L->d, _("unknown operator or key '%s'"), s);
		}
	}
	if (!subj_k)
		return yaml_error(L->yf, n, L->d, _("a condition needs all/any/none/not, or a "
				  "subject (fact, age_of, count_of, param) and an operator"));
	if (!op_k)
		return yaml_error(L->yf, n, L->d, _("comparison on '%s' has no operator (eq, ne, "
				  "lt, le, gt, ge, in, contains, matches, exists)"),
				  yaml_scalar(subj_v) ? yaml_scalar(subj_v) : "?");
	c->kind = COND_CMP;
	if (parse_subject(L, subj_k, subj_v, c))
		return -1;
	const char *op = yaml_scalar(op_k);
	for (int i = 0; op_names[i]; i++)
		if (!strcmp(op, op_names[i]))
			c->op = (cmp_op)i;
	return parse_operand(L, op_v, c);
}

static void cond_free(cond *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->count; i++)
		cond_free(&c->children[i]);
	free(c->children);
	value_free(&c->operand);
}

static const char *const severity_names[] = {"info", "low", "medium", "high", "critical", NULL};

const char *severity_name(severity s)
{
	return severity_names[s];
}

static int parse_rule(loader *L, yaml_node_t *n, rule *r)
{
	static const char *const keys[] = {"id", "article", "severity", "weight", "title",
					   "rationale", "remediation", "os", "when", "check",
					   "partial", NULL};
	if (yaml_want_map(L->yf, n, "a rule", L->d) ||
	    yaml_check_keys(L->yf, n, keys, "a rule", L->d))
		return -1;
	r->line = (int)n->start_mark.line + 1;
	r->pack = L->p;
	r->weight = 1;
	static const char *const required[] = {"id", "article", "severity", "title",
					       "remediation", "check", NULL};
	for (size_t i = 0; required[i]; i++)
		if (!yaml_get(L->yf, n, required[i]))
			return yaml_error(L->yf, n, L->d, _("rule %s has no '%s'"),
					  yaml_scalar(yaml_get(L->yf, n, "id")) ?
						  yaml_scalar(yaml_get(L->yf, n, "id")) : "",
					  required[i]);
	const char *s;
	yaml_node_t *v = yaml_get(L->yf, n, "id");
	if (yaml_want_string(L->yf, v, "id", &s, L->d))
		return -1;
	if (!report_name_valid(s, true))
		return yaml_error(L->yf, v, L->d, _("rule id '%s': use lower-case letters, digits, "
				  "'.', '-' and '_'"), s);
	r->id = xstrdup(s);
	int64_t i64;
	v = yaml_get(L->yf, n, "article");
	if (yaml_want_int(L->yf, v, "article", &i64, L->d))
		return -1;
	r->article = (int)i64;
	if (!pack_find_article(L->p, r->article))
		return yaml_error(L->yf, v, L->d, _("article %lld is not declared in 'articles'"),
				  (long long)i64);
	v = yaml_get(L->yf, n, "severity");
	if (yaml_want_string(L->yf, v, "severity", &s, L->d))
		return -1;
	int sev = -1;
	for (int i = 0; severity_names[i]; i++)
		if (!strcmp(s, severity_names[i]))
			sev = i;
	if (sev < 0) {
		const char *hint = did_you_mean(s, severity_names);
		return yaml_error(L->yf, v, L->d, _("unknown severity '%s'%s%s%s (info, low, medium, "
				  "high, critical)"), s, hint ? _(" (did you mean '") : "",
				  hint ? hint : "", hint ? _("'?)") : "");
	}
	r->sev = (severity)sev;
	if ((v = yaml_get(L->yf, n, "weight"))) {
		if (yaml_want_int(L->yf, v, "weight", &i64, L->d))
			return -1;
		if (i64 < 0 || i64 > 100)
			return yaml_error(L->yf, v, L->d, _("weight must be 0 to 100"));
		r->weight = (int)i64;
	}
	if (parse_text(L, yaml_get(L->yf, n, "title"), "title", &r->title) ||
	    parse_os_text(L, yaml_get(L->yf, n, "remediation"), "remediation", &r->remediation))
		return -1;
	if ((v = yaml_get(L->yf, n, "rationale")) &&
	    parse_os_text(L, v, "rationale", &r->rationale))
		return -1;
	if ((v = yaml_get(L->yf, n, "os"))) {
		const char *const *oses = rule_os_names;
		if (yaml_want_seq(L->yf, v, "os", L->d))
			return -1;
		yaml_node_t *item;
		r->os = xcalloc(2, sizeof *r->os);
		YAML_SEQ_EACH(L->yf, v, item)
		{
			if (yaml_want_string(L->yf, item, "os", &s, L->d))
				return -1;
			if (!in_list(s, oses))
				return yaml_error(L->yf, item, L->d, _("unknown os '%s' (linux, windows)"),
						  s);
			if (r->os_count == 2)
				return yaml_error(L->yf, item, L->d, _("os lists each platform once"));
			r->os[r->os_count++] = xstrdup(s);
		}
	}
	if ((v = yaml_get(L->yf, n, "when"))) {
		r->when = xcalloc(1, sizeof *r->when);
		if (parse_cond(L, v, r->when))
			return -1;
	}
	if (check_os_text(L, yaml_get(L->yf, n, "remediation"), r, "remediation",
			  &r->remediation) ||
	    ((v = yaml_get(L->yf, n, "rationale")) &&
	     check_os_text(L, v, r, "rationale", &r->rationale)))
		return -1;
	r->check = xcalloc(1, sizeof *r->check);
	if (parse_cond(L, yaml_get(L->yf, n, "check"), r->check))
		return -1;
	if ((v = yaml_get(L->yf, n, "partial"))) {
		r->partial = xcalloc(1, sizeof *r->partial);
		if (parse_cond(L, v, r->partial))
			return -1;
	}
	return 0;
}

static int parse_params(loader *L, yaml_node_t *n)
{
	if (yaml_want_map(L->yf, n, "params", L->d))
		return -1;
	size_t cap = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if (too_many(L, n, "params", cap, PACK_MAX_PARAMS))
		return -1;
	L->p->params = xcalloc(cap, sizeof *L->p->params);
	yaml_node_t *k, *v;
	YAML_MAP_EACH(L->yf, n, k, v)
	{
		const char *name = yaml_scalar(k);
		if (!name || !report_name_valid(name, false))
			return yaml_error(L->yf, k, L->d, _("param names use lower-case letters, digits "
					  "and '_'"));
		if (find_param(L->p, name) >= 0)
			return yaml_error(L->yf, k, L->d, _("param '%s' is defined twice"), name);
		param *pm = &L->p->params[L->p->param_count];
		if (value_parse(L->yf, v, name, &pm->def, L->d))
			return -1;
		pm->name = xstrdup(name);
		L->p->param_count++;
		value_copy(&pm->current, &pm->def);
	}
	return 0;
}

static int parse_articles(loader *L, yaml_node_t *n)
{
	static const char *const keys[] = {"number", "title", NULL};
	if (yaml_want_seq(L->yf, n, "articles", L->d))
		return -1;
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (too_many(L, n, "articles", cap, PACK_MAX_ARTICLES))
		return -1;
	L->p->articles = xcalloc(cap, sizeof *L->p->articles);
	yaml_node_t *item;
	YAML_SEQ_EACH(L->yf, n, item)
	{
		if (yaml_want_map(L->yf, item, "an article", L->d) ||
		    yaml_check_keys(L->yf, item, keys, "an article", L->d))
			return -1;
		yaml_node_t *num = yaml_get(L->yf, item, "number"), *t = yaml_get(L->yf, item, "title");
		if (!num || !t)
			return yaml_error(L->yf, item, L->d, _("an article needs 'number' and 'title'"));
		int64_t i64;
		if (yaml_want_int(L->yf, num, "number", &i64, L->d))
			return -1;
		if (pack_find_article(L->p, (int)i64))
			return yaml_error(L->yf, num, L->d, _("article %lld is declared twice"),
					  (long long)i64);
		article *a = &L->p->articles[L->p->article_count++];
		a->number = (int)i64;
		if (parse_text(L, t, "title", &a->title))
			return -1;
	}
	return 0;
}

static int parse_rules(loader *L, yaml_node_t *n)
{
	if (yaml_want_seq(L->yf, n, "rules", L->d))
		return -1;
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (cap == 0)
		return yaml_error(L->yf, n, L->d, _("the pack has no rules"));
	if (too_many(L, n, "rules", cap, PACK_MAX_RULES))
		return -1;
	L->p->rules = xcalloc(cap, sizeof *L->p->rules);
	yaml_node_t *item;
	YAML_SEQ_EACH(L->yf, n, item)
	{
		rule *r = &L->p->rules[L->p->rule_count++];
		if (parse_rule(L, item, r))
			return -1;
		for (size_t i = 0; i + 1 < L->p->rule_count; i++)
			if (!strcmp(L->p->rules[i].id, r->id))
				return yaml_error(L->yf, yaml_get(L->yf, item, "id"), L->d,
						  _("duplicate rule id '%s' (first defined at line %d)"),
						  r->id, L->p->rules[i].line);
	}
	return 0;
}

static int parse_pack(loader *L, yaml_node_t *root)
{
	static const char *const keys[] = {"schema", "pack", "title", "short", "source", "articles",
					   "params", "rules", "scoring", NULL};
	if (yaml_check_schema(L->yf, root, RULES_SCHEMA, "a rule pack", L->d) ||
	    yaml_check_keys(L->yf, root, keys, "a rule pack", L->d))
		return -1;
	const char *s;
	yaml_node_t *v;
	static const char *const required[] = {"pack", "title", "articles", "rules", NULL};
	for (size_t i = 0; required[i]; i++)
		if (!yaml_get(L->yf, root, required[i]))
			return yaml_error(L->yf, root, L->d, _("the pack has no '%s'"), required[i]);
	v = yaml_get(L->yf, root, "pack");
	if (yaml_want_string(L->yf, v, "pack", &s, L->d))
		return -1;
	if (!report_name_valid(s, false))
		return yaml_error(L->yf, v, L->d, _("pack id '%s': use lower-case letters, digits "
				  "and '-'"), s);
	L->p->id = xstrdup(s);
	if (parse_text(L, yaml_get(L->yf, root, "title"), "title", &L->p->title) ||
	    parse_articles(L, yaml_get(L->yf, root, "articles")))
		return -1;
	if ((v = yaml_get(L->yf, root, "source")) && parse_text(L, v, "source", &L->p->source))
		return -1;
	if ((v = yaml_get(L->yf, root, "short")) && parse_text(L, v, "short", &L->p->short_name))
		return -1;
	if ((v = yaml_get(L->yf, root, "params")) && parse_params(L, v))
		return -1;
	if ((v = yaml_get(L->yf, root, "scoring"))) {
		static const char *const scorings[] = {"weighted", "ipa-sheet", NULL};
		if (yaml_want_string(L->yf, v, "scoring", &s, L->d))
			return -1;
		if (!in_list(s, scorings)) {
			const char *hint = did_you_mean(s, scorings);
			return yaml_error(L->yf, v, L->d, _("unknown scoring '%s'%s%s%s (weighted, "
					  "ipa-sheet)"), s, hint ? _(" (did you mean '") : "",
					  hint ? hint : "", hint ? _("'?)") : "");
		}
		L->p->scoring = !strcmp(s, "ipa-sheet") ? SCORING_IPA_SHEET : SCORING_WEIGHTED;
	}
	return parse_rules(L, yaml_get(L->yf, root, "rules"));
}

pack *pack_load(const char *path, bool strict_perms, diag *d)
{
	yamlfile yf;
	d->msg[0] = '\0';
	if (yamlfile_load(&yf, path, strict_perms, d))
		return NULL;
	pack *p = xcalloc(1, sizeof *p);
	p->path = xstrdup(path);
	for (int i = 0; i < 32; i++)
		snprintf(p->sha256 + 2 * i, 3, "%02x", yf.sha256[i]);
	loader L = {.yf = &yf, .p = p, .d = d};
	int rc = parse_pack(&L, yamlfile_root(&yf));
	yamlfile_free(&yf);
	if (rc) {
		pack_free(p);
		return NULL;
	}
	return p;
}

void pack_free(pack *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->rule_count; i++) {
		rule *r = &p->rules[i];
		free(r->id);
		text_free(&r->title);
		os_text_free(&r->rationale);
		os_text_free(&r->remediation);
		for (size_t k = 0; k < r->os_count; k++)
			free(r->os[k]);
		free(r->os);
		cond_free(r->when);
		free(r->when);
		cond_free(r->check);
		free(r->check);
		cond_free(r->partial);
		free(r->partial);
	}
	for (size_t i = 0; i < p->param_count; i++) {
		free(p->params[i].name);
		value_free(&p->params[i].def);
		value_free(&p->params[i].current);
	}
	for (size_t i = 0; i < p->article_count; i++)
		text_free(&p->articles[i].title);
	free(p->articles);
	free(p->params);
	free(p->rules);
	text_free(&p->title);
	text_free(&p->source);
	text_free(&p->short_name);
	free(p->id);
	free(p->path);
	free(p);
}

const rule *pack_find_rule(const pack *p, const char *id)
{
	for (size_t i = 0; i < p->rule_count; i++)
		if (!strcmp(p->rules[i].id, id))
			return &p->rules[i];
	return NULL;
}

param *pack_find_param(pack *p, const char *name)
{
	long i = find_param(p, name);
	return i < 0 ? NULL : &p->params[i];
}

const article *pack_find_article(const pack *p, int number)
{
	for (size_t i = 0; i < p->article_count; i++)
		if (p->articles[i].number == number)
			return &p->articles[i];
	return NULL;
}

void cond_facts(const cond *c, const fact_def **out, size_t *count, size_t max)
{
	if (!c)
		return;
	if (c->kind == COND_CMP && c->subject != SUBJ_PARAM) {
		for (size_t i = 0; i < *count; i++)
			if (out[i] == c->fact)
				return;
		if (*count < max)
			out[(*count)++] = c->fact;
		return;
	}
	for (size_t i = 0; i < c->count; i++)
		cond_facts(&c->children[i], out, count, max);
}

const char *text_get(const text *t, const char *lang)
{
	if (lang && !strcmp(lang, "ja") && t->ja)
		return t->ja;
	return t->en ? t->en : "";
}
