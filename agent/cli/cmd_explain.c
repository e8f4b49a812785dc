/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit explain RULE: the rule in words, the facts it reads, what this
 * host shows, and how to fix it. Every line is wrapped to the terminal
 * and in the chosen language; texts show the params' values in force. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/report.h"
#include "i18n.h"
#include "textwrap.h"
#include "util.h"

static const char *const op_words[] = {"=", "!=", "<", "<=", ">", ">=", "in", "contains",
				       "matches", "exists"};

typedef struct out {
	const char *lang;
	size_t width;
} out;

/* A line at indent, continuation lines two further in. */
static void say(const out *o, size_t indent, const char *s)
{
	printf("%*s", (int)indent, "");
	text_wrap(stdout, s, indent, indent + 2, o->width);
}

static void heading(const char *s)
{
	printf("\n%s\n", s);
}

static void describe(const out *o, const cond *c, const pack *p, int depth)
{
	size_t indent = 4 + 2 * (size_t)depth;
	switch (c->kind) {
	case COND_ALL: say(o, indent, _("all of:")); break;
	case COND_ANY: say(o, indent, _("any of:")); break;
	case COND_NONE: say(o, indent, _("none of:")); break;
	case COND_NOT: say(o, indent, _("not:")); break;
	case COND_CMP: {
		const char *subject = c->subject == SUBJ_PARAM ? p->params[c->param].name
							       : c->fact->name;
		char *what = c->subject == SUBJ_AGE_OF	   ? xasprintf(_("age in days of %s"), subject)
			     : c->subject == SUBJ_COUNT_OF ? xasprintf(_("number of %s"), subject)
			     : c->subject == SUBJ_PARAM	   ? xasprintf(_("param %s"), subject)
							   : xstrdup(subject);
		char val[256];
		if (c->operand_param >= 0) {
			char cur[200];
			value_format(&p->params[c->operand_param].current, cur, sizeof cur);
			snprintf(val, sizeof val, "$%s (= %s)", p->params[c->operand_param].name, cur);
		} else {
			value_format(&c->operand, val, sizeof val);
		}
		char *line = c->op == OP_EXISTS
				     ? xasprintf(c->operand.b ? _("%s is observed")
							      : _("%s is not observed"), what)
				     : xasprintf("%s %s %s", what, op_words[c->op], val);
		say(o, indent, line);
		free(line);
		free(what);
		return;
	}
	}
	for (size_t i = 0; i < c->count; i++)
		describe(o, &c->children[i], p, depth + 1);
}

static void print_fact(const out *o, const fact *f)
{
	char *head = xasprintf("%s (%s%s%s): %s", f->def->name, fact_type_name(f->def->type),
			       f->def->unit ? ", " : "", f->def->unit ? f->def->unit : "",
			       L_(o->lang, f->def->meaning));
	say(o, 2, head);
	free(head);
	json_t *j = report_fact_json(f);
	const json_t *v = json_object_get(j, "value");
	char *line;
	if (json_is_array(v) && json_array_size(v)) {
		/* A list, one item a line (e.g. the pending security updates
		 * with their versions and suites). */
		line = xasprintf(_("observed: %zu items:"), json_array_size(v));
		say(o, 6, line);
		size_t i;
		const json_t *item;
		json_array_foreach(v, i, item)
			say(o, 8, json_is_string(item) ? json_string_value(item) : "?");
		free(line);
		line = NULL;
	} else if (v) {
		char *s = json_dumps(v, JSON_ENCODE_ANY);
		line = xasprintf(_("observed: %s"), s);
		free(s);
	} else {
		char *why = report_fact_text(j, "reason", o->lang);
		const char *state = json_string_value(json_object_get(j, "state"));
		line = xasprintf(_("observed: %s: %s"),
				 !strcmp(state, "unknown")	    ? _("unknown")
				 : !strcmp(state, "not_applicable") ? _("not applicable")
								    : _("error"),
				 why ? why : "");
		free(why);
	}
	if (line)
		say(o, 6, line);
	free(line);
	char *ev = report_fact_text(j, "evidence", o->lang);
	if (ev) {
		line = xasprintf(_("evidence: %s"), ev);
		say(o, 6, line);
		free(line);
	}
	free(ev);
	if (f->attested)
		say(o, 6, _("attested by a person, not observed by a probe"));
	json_decref(j);
}

/* A count a rule compares, and the list that names what it counts: the
 * fix of updates.security promises the packages, so explain shows them. */
static const struct {
	const char *count, *detail;
} details[] = {
	{"updates.security_pending_count", "updates.security_packages"},
	{"updates.pending_count", "updates.pending"},
};

static void print_details(const out *o, const audit *a, const result *res)
{
	bool shown = false;
	for (size_t i = 0; i < res->fact_count; i++)
		for (size_t k = 0; k < sizeof details / sizeof details[0]; k++) {
			if (strcmp(res->facts[i]->name, details[k].count))
				continue;
			if (!shown)
				heading(_("In detail:"));
			shown = true;
			print_fact(o, fact_get(a->facts, details[k].detail));
		}
}

static const char *status_word(result_status s)
{
	switch (s) {
	case RES_PASS: return _("PASS");
	case RES_FAIL: return _("FAIL");
	case RES_UNKNOWN: return _("UNKNOWN");
	case RES_NOT_APPLICABLE: return _("N/A");
	case RES_ERROR: return _("ERROR");
	default: return _("DISABLED");
	}
}

/* A rule text in lang with the params' values in force. */
static void say_text(const out *o, size_t indent, const text *t, const pack *p)
{
	char *s = report_expand_params(text_get(t, o->lang), p, o->lang);
	say(o, indent, s);
	free(s);
}

int cmd_explain(const cli_options *opt)
{
	audit a;
	int rc = cli_load_audit(opt, &a, true);
	if (rc)
		return rc;
	if (!audit_find_rule(&a, opt->args[0], NULL)) {
		cli_error(_("no rule '%s' in the loaded packs (or it is in several: write pack:id; "
			    "see 'hostaudit list')"), opt->args[0]);
		audit_free(&a);
		return EXIT_USAGE;
	}
	audit_run(&a);
	const result *res;
	const rule *r = audit_find_rule(&a, opt->args[0], &res);
	out o = {cli_lang(opt, &a.cfg), text_columns(stdout)};
	const article *art = pack_find_article(r->pack, r->article);
	char *title = report_expand_params(text_get(&r->title, o.lang), r->pack, o.lang);
	char *line = xasprintf("%s:%s  %s", r->pack->id, r->id, title);
	say(&o, 0, line);
	free(line);
	free(title);
	line = xasprintf(_("pack %s (%s), article %d: %s"), r->pack->id, r->pack->path, r->article,
			 art ? text_get(&art->title, o.lang) : "");
	say(&o, 2, line);
	free(line);
	line = xasprintf(_("severity %s, weight %d, defined at line %d"), report_severity_label(severity_name(r->sev), o.lang),
			 r->weight, r->line);
	say(&o, 2, line);
	free(line);
	const text *why = os_text_get(&r->rationale, a.h.os);
	if (why) {
		heading(_("Why it matters:"));
		say_text(&o, 2, why, r->pack);
	}
	if (r->os) {
		line = xasprintf("%s%s%s", r->os[0], r->os_count > 1 ? ", " : "",
				 r->os_count > 1 ? r->os[1] : "");
		heading(_("Applies on:"));
		say(&o, 2, line);
		free(line);
	}
	if (r->when) {
		heading(_("Applies when:"));
		describe(&o, r->when, r->pack, 0);
	}
	heading(_("Passes when:"));
	describe(&o, r->check, r->pack, 0);
	if (r->partial) {
		/* Partial credit (IPA sheet: 一部実施) when the check fails. */
		heading(_("Partly met when:"));
		describe(&o, r->partial, r->pack, 0);
	}
	heading(_("Facts it reads, as observed on this host:"));
	for (size_t i = 0; i < res->fact_count; i++)
		print_fact(&o, fact_get(a.facts, res->facts[i]->name));
	print_details(&o, &a, res);
	heading(_("Result:"));
	line = res->reason[0] ? xasprintf("%s (%s)", status_word(res->status), _(res->reason))
			      : xstrdup(status_word(res->status));
	say(&o, 2, line);
	free(line);
	const text *fix = os_text_get(&r->remediation, a.h.os);
	line = xasprintf(_("How to fix (%s):"), a.h.os);
	heading(line);
	free(line);
	if (fix)
		say_text(&o, 2, fix, r->pack);
	audit_free(&a);
	return 0;
}
