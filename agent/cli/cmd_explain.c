/* hostaudit explain RULE: the rule in words, the facts it reads, what this
 * host shows, and how to fix it. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/report.h"
#include "util.h"

static const char *const op_words[] = {"=", "!=", "<", "<=", ">", ">=", "in", "contains",
				       "matches", "exists"};

static void describe(const cond *c, const pack *p, int depth)
{
	printf("%*s", 4 + 2 * depth, "");
	switch (c->kind) {
	case COND_ALL: printf("all of:\n"); break;
	case COND_ANY: printf("any of:\n"); break;
	case COND_NONE: printf("none of:\n"); break;
	case COND_NOT: printf("not:\n"); break;
	case COND_CMP: {
		const char *subject = c->subject == SUBJ_PARAM ? p->params[c->param].name
							       : c->fact->name;
		const char *wrap = c->subject == SUBJ_AGE_OF     ? "age in days of "
				   : c->subject == SUBJ_COUNT_OF ? "number of "
				   : c->subject == SUBJ_PARAM    ? "param "
								 : "";
		char val[256];
		if (c->operand_param >= 0) {
			char cur[200];
			value_format(&p->params[c->operand_param].current, cur, sizeof cur);
			snprintf(val, sizeof val, "$%s (= %s)", p->params[c->operand_param].name, cur);
		} else {
			value_format(&c->operand, val, sizeof val);
		}
		if (c->op == OP_EXISTS)
			printf("%s%s is %sobserved\n", wrap, subject, c->operand.b ? "" : "not ");
		else
			printf("%s%s %s %s\n", wrap, subject, op_words[c->op], val);
		return;
	}
	}
	for (size_t i = 0; i < c->count; i++)
		describe(&c->children[i], p, depth + 1);
}

static void print_fact(const fact *f)
{
	printf("  %s (%s%s%s): %s\n", f->def->name, fact_type_name(f->def->type),
	       f->def->unit ? ", " : "", f->def->unit ? f->def->unit : "", f->def->meaning);
	json_t *j = report_fact_json(f);
	const json_t *v = json_object_get(j, "value");
	if (v) {
		char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		printf("      observed: %s\n", s);
		free(s);
	} else {
		printf("      observed: %s: %s\n", json_string_value(json_object_get(j, "state")),
		       json_string_value(json_object_get(j, "reason")));
	}
	if (f->evidence)
		printf("      evidence: %s\n", f->evidence);
	if (f->attested)
		printf("      attested by a person, not observed by a probe\n");
	json_decref(j);
}

int cmd_explain(const cli_options *o)
{
	audit a;
	int rc = cli_load_audit(o, &a, true);
	if (rc)
		return rc;
	if (!audit_find_rule(&a, o->args[0], NULL)) {
		cli_error("no rule '%s' in the loaded packs (or it is in several: write pack:id; "
			  "see 'hostaudit list')", o->args[0]);
		audit_free(&a);
		return EXIT_USAGE;
	}
	audit_run(&a);
	const result *res;
	const rule *r = audit_find_rule(&a, o->args[0], &res);
	const char *lang = cli_lang(o, &a.cfg);
	const article *art = pack_find_article(r->pack, r->article);
	printf("%s:%s  %s\n", r->pack->id, r->id, text_get(&r->title, lang));
	printf("  pack %s (%s), article %d: %s\n", r->pack->id, r->pack->path, r->article,
	       art ? text_get(&art->title, lang) : "");
	printf("  severity %s, weight %d, defined at line %d\n", severity_name(r->sev), r->weight,
	       r->line);
	const text *why = os_text_get(&r->rationale, a.h.os);
	if (why)
		printf("\nWhy it matters:\n  %s\n", text_get(why, lang));
	if (r->os)
		printf("\nApplies on: %s%s%s\n", r->os[0], r->os_count > 1 ? ", " : "",
		       r->os_count > 1 ? r->os[1] : "");
	if (r->when) {
		printf("\nApplies when:\n");
		describe(r->when, r->pack, 0);
	}
	printf("\nPasses when:\n");
	describe(r->check, r->pack, 0);
	if (r->partial) {
		/* Partial credit (IPA sheet: 一部実施) when the check fails. */
		printf("\nPartly met when:\n");
		describe(r->partial, r->pack, 0);
	}
	printf("\nFacts it reads, as observed on this host:\n");
	for (size_t i = 0; i < res->fact_count; i++)
		print_fact(fact_get(a.facts, res->facts[i]->name));
	printf("\nResult: %s", result_status_name(res->status));
	if (res->reason[0])
		printf(" (%s)", res->reason);
	const text *fix = os_text_get(&r->remediation, a.h.os);
	printf("\n\nHow to fix (%s):\n  %s\n", a.h.os, fix ? text_get(fix, lang) : "");
	audit_free(&a);
	return 0;
}
