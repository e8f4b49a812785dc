/* SPDX-License-Identifier: Apache-2.0 */
/* Rule packs: YAML files that judge facts. See docs/rules.md. */
#ifndef HOSTAUDIT_RULES_H
#define HOSTAUDIT_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostaudit/facts.h"
#include "hostaudit/yamlfile.h"

#define RULES_SCHEMA "hostaudit/rules/v1"

/* Text in both languages. */
typedef struct text {
	char *en;
	char *ja;
} text;

/* The systems a rule can name (`os:`) and write texts for. */
typedef enum { RULE_OS_LINUX, RULE_OS_WINDOWS, RULE_OS_COUNT } rule_os;
extern const char *const rule_os_names[]; /* "linux", "windows", NULL */

/* A text that may differ by system (docs/rules.md): one {en, ja} for all
 * (per_os false, in by_os[0]), or {linux: {en, ja}, windows: {en, ja}}
 * (per_os true; a system without a text has en == NULL). */
typedef struct os_text {
	bool per_os;
	text by_os[RULE_OS_COUNT];
} os_text;

/* The text for os ("linux", "windows"): the shared one, or that system's;
 * NULL when there is none (an absent rationale, or no text for os). */
const text *os_text_get(const os_text *t, const char *os);

typedef enum { VAL_BOOL, VAL_INT, VAL_STRING, VAL_LIST } value_type;

/* A literal in a rule or a param value. */
typedef struct value {
	value_type type;
	bool b;
	int64_t i;
	char *s;
	struct value *items; /* VAL_LIST */
	size_t count;
} value;

typedef struct param {
	char *name;
	value def;       /* the pack's default */
	value current;   /* after site overrides */
	bool overridden;
} param;

typedef enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_CONTAINS, OP_MATCHES,
	       OP_EXISTS } cmp_op;

typedef enum {
	SUBJ_FACT,     /* the fact's value */
	SUBJ_AGE_OF,   /* whole days from a time fact to now */
	SUBJ_COUNT_OF, /* number of items of a list fact */
	SUBJ_PARAM,    /* a param's value (site policy switches) */
} subject_kind;

typedef enum { COND_ALL, COND_ANY, COND_NONE, COND_NOT, COND_CMP } cond_kind;

typedef struct cond {
	cond_kind kind;
	struct cond *children;
	size_t count;
	/* COND_CMP */
	subject_kind subject;
	const fact_def *fact; /* SUBJ_FACT, SUBJ_AGE_OF, SUBJ_COUNT_OF */
	size_t param;         /* SUBJ_PARAM: index into the pack's params */
	cmp_op op;
	value operand;        /* literal, or ... */
	long operand_param;   /* ... index of the $param it names, or -1 */
} cond;

typedef enum { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL } severity;

struct pack;

typedef struct rule {
	char *id;
	int article;       /* checklist item number within the pack */
	severity sev;
	int weight;
	text title;
	os_text rationale, remediation; /* the report carries the host's */
	char **os;         /* applicability by platform; NULL = all */
	size_t os_count;
	cond *when;        /* applicability by facts; NULL = always */
	cond *check;
	/* When check fails but this holds, the rule is partly met: an IPA
	 * sheet scores it 2 of 4 (一部実施). Still a failure for the weighted
	 * score. NULL = no partial credit. */
	cond *partial;
	int line;          /* where it is defined */
	const struct pack *pack;
} rule;

typedef struct article {
	int number;
	text title;
} article;

/* How a pack is scored beside the weighted score (docs/rules.md). */
typedef enum {
	SCORING_WEIGHTED, /* only the weighted score */
	SCORING_IPA_SHEET, /* also IPA's self-check sheet: 4 / 2 / 0 / -1 per article */
} pack_scoring;

typedef struct pack {
	char *path;
	char *id;
	char sha256[65];
	text title;
	text source;      /* the checklist it encodes, where to read it */
	text short_name;  /* "9か条": how the report names its items (optional) */
	pack_scoring scoring;
	article *articles;
	size_t article_count;
	param *params;
	size_t param_count;
	rule *rules;
	size_t rule_count;
} pack;

/* Loads and validates one pack. Returns NULL with d set. */
pack *pack_load(const char *path, bool strict_perms, diag *d);
void pack_free(pack *p);
const rule *pack_find_rule(const pack *p, const char *id);
param *pack_find_param(pack *p, const char *name);
const article *pack_find_article(const pack *p, int number);

/* The facts a condition reads, appended (no duplicates) to out. */
void cond_facts(const cond *c, const fact_def **out, size_t *count, size_t max);

const char *severity_name(severity s);
/* "en" or "ja" text, falling back to English. */
const char *text_get(const text *t, const char *lang);
/* Reads a literal: plain integers and booleans are typed, anything else
 * is a string; a YAML list gives a VAL_LIST of scalars. */
int value_parse(yamlfile *yf, yaml_node_t *n, const char *what, value *out, diag *d);
void value_free(value *v);
void value_copy(value *dst, const value *src);
const char *value_type_name(value_type t);
/* Renders a value as it would appear in YAML ("12", "true", "[a, b]"). */
void value_format(const value *v, char *buf, size_t size);

#endif
