/* SPDX-License-Identifier: Apache-2.0 */
/* Reading packet-filter rulesets (nft and iptables-save syntax); see
 * ruleset.h. The nft reader follows nft's grammar as far as the verdict
 * on incoming traffic needs: statements end at a newline or ';', blocks
 * nest in braces, "include" splices files in, and a ruleset is built by
 * "table" blocks as well as by "add"/"insert"/"flush"/"delete" commands. */
#include "ruleset.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linuxconf.h"
#include "util.h"

#define MAX_INCLUDE_DEPTH 16
#define MAX_JUMP_DEPTH 16
#define MAX_STMT_TOKENS 256

typedef struct rule {
	bool uncond_accept; /* accepts every packet that reaches it */
	bool uncond_jump;   /* jumps with no match: the target decides for all */
	bool can_drop;      /* drops or rejects some packet */
	char jump[64];      /* jump / goto target */
	char where[300];
} rule;

typedef struct chain {
	char family[16], table[64], name[64];
	bool base_input;    /* type filter hook input */
	bool policy_drop;
	rule *rules;
	size_t n;
	bool dead;          /* deleted */
} chain;

typedef struct ruleset {
	chain *c;
	size_t n;
} ruleset;

static chain *chain_get(ruleset *rs, const char *family, const char *table, const char *name)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!rs->c[i].dead && !strcmp(rs->c[i].family, family) &&
		    !strcmp(rs->c[i].table, table) && !strcmp(rs->c[i].name, name))
			return &rs->c[i];
	rs->c = xrealloc(rs->c, (rs->n + 1) * sizeof *rs->c);
	chain *c = &rs->c[rs->n++];
	memset(c, 0, sizeof *c);
	snprintf(c->family, sizeof c->family, "%s", family);
	snprintf(c->table, sizeof c->table, "%s", table);
	snprintf(c->name, sizeof c->name, "%s", name);
	return c;
}

static void chain_add(chain *c, const rule *r, bool front)
{
	c->rules = xrealloc(c->rules, (c->n + 1) * sizeof *c->rules);
	if (front) {
		memmove(c->rules + 1, c->rules, c->n * sizeof *c->rules);
		c->rules[0] = *r;
	} else {
		c->rules[c->n] = *r;
	}
	c->n++;
}

static void ruleset_free(ruleset *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free(rs->c[i].rules);
	free(rs->c);
}

/* ---- the verdict ---- */

typedef struct verdict {
	bool can_drop, accepts_all;
} verdict;

static verdict chain_verdict(const ruleset *rs, const chain *c, int depth, int *reached,
			     char *note, size_t nsize)
{
	verdict v = {0};
	for (size_t i = 0; i < c->n; i++) {
		const rule *r = &c->rules[i];
		if (reached)
			(*reached)++;
		if (r->can_drop)
			v.can_drop = true;
		if (r->jump[0] && depth < MAX_JUMP_DEPTH) {
			for (size_t k = 0; k < rs->n; k++) {
				const chain *t = &rs->c[k];
				if (t->dead || strcmp(t->family, c->family) || strcmp(t->table, c->table) ||
				    strcmp(t->name, r->jump))
					continue;
				verdict tv = chain_verdict(rs, t, depth + 1, NULL, NULL, 0);
				v.can_drop |= tv.can_drop;
				if (r->uncond_jump && tv.accepts_all && !v.can_drop) {
					v.accepts_all = true;
					if (note)
						conf_append(note, nsize,
							    "%s jumps to chain %s, which accepts everything",
							    r->where, r->jump);
					return v;
				}
			}
		}
		if (r->uncond_accept) {
			v.accepts_all = !v.can_drop;
			if (note)
				conf_append(note, nsize,
					    "%s accepts every packet: the rest of chain %s and its policy "
					    "are never reached",
					    r->where, c->name);
			return v;
		}
	}
	if (c->base_input && c->policy_drop)
		v.can_drop = true;
	return v;
}

static void judge(const ruleset *rs, ruleset_view *v)
{
	v->chains = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const chain *c = &rs->c[i];
		if (c->dead)
			continue;
		v->chains++;
		if (!c->base_input)
			continue;
		int reached = 0;
		size_t before = strlen(v->note);
		verdict vd = chain_verdict(rs, c, 0, &reached, v->note, sizeof v->note);
		v->input_rules += reached;
		bool ended = strlen(v->note) != before;
		v->input_drop |= c->policy_drop && !ended;
		v->filters |= vd.can_drop;
	}
}

/* ---- rules from their words ---- */

static bool is_number(const char *w)
{
	if (!*w)
		return false;
	for (; *w; w++)
		if (!isdigit((unsigned char)*w))
			return false;
	return true;
}

/* Compares a word without a trailing ',' (set and map elements). */
static bool word_is(const char *w, const char *s)
{
	size_t n = strlen(s);
	return !strncmp(w, s, n) && (w[n] == '\0' || w[n] == ',');
}

/* nft: words of one rule statement. */
static void nft_rule(rule *r, char *const *w, size_t n)
{
	memset(r->jump, 0, sizeof r->jump);
	r->uncond_accept = r->uncond_jump = r->can_drop = false;
	size_t left = 0;
	const char *first = NULL, *second = NULL;
	for (size_t i = 0; i < n; i++) {
		if (word_is(w[i], "drop") || word_is(w[i], "reject"))
			r->can_drop = true;
		if ((!strcmp(w[i], "jump") || !strcmp(w[i], "goto")) && i + 1 < n && !r->jump[0])
			snprintf(r->jump, sizeof r->jump, "%s", w[i + 1]);
		/* Statements that match nothing: counters, logging, comments. */
		if (!strcmp(w[i], "counter") || !strcmp(w[i], "packets") ||
		    !strcmp(w[i], "bytes") || is_number(w[i]) || !strcmp(w[i], "log"))
			continue;
		if ((!strcmp(w[i], "comment") || !strcmp(w[i], "prefix") ||
		     !strcmp(w[i], "level") || !strcmp(w[i], "flags") || !strcmp(w[i], "group")) &&
		    i + 1 < n) {
			i++;
			continue;
		}
		if (left == 0)
			first = w[i];
		else if (left == 1)
			second = w[i];
		left++;
	}
	r->uncond_accept = left == 1 && !strcmp(first, "accept");
	r->uncond_jump = left == 2 && (!strcmp(first, "jump") || !strcmp(first, "goto")) && second;
}

/* ---- nft: tokens ---- */

typedef enum { T_EOF, T_WORD, T_STR, T_LBRACE, T_RBRACE, T_END } tok_type;

typedef struct source {
	char *text, *p;
	bool owned;
	char file[256];
	int line;
} source;

typedef struct lexer {
	const host *h;
	source src[MAX_INCLUDE_DEPTH];
	int depth;
	bool stmt_start;
	bool failed;         /* nft would refuse the ruleset */
	char *note;
	size_t nsize;
	/* the current token */
	tok_type t;
	char w[512];
	char where[300];
} lexer;

static void lex_push_file(lexer *lx, const char *path)
{
	char *data;
	if (lx->depth + 1 >= MAX_INCLUDE_DEPTH) {
		conf_append(lx->note, lx->nsize, "includes nested too deep at %s", path);
		lx->failed = true;
		return;
	}
	if (conf_read(lx->h, path, &data) != 0) {
		conf_append(lx->note, lx->nsize, "cannot read include %s", path);
		lx->failed = true;
		return;
	}
	source *s = &lx->src[++lx->depth];
	s->text = s->p = data;
	s->owned = true;
	s->line = 1;
	snprintf(s->file, sizeof s->file, "%s", path);
}

/* include "name": a name without a wildcard must exist (nft refuses the
 * file otherwise); a glob may match nothing. Relative names are taken
 * from /etc, nft's default include directory. */
static void lex_include(lexer *lx, const char *name)
{
	char pat[512];
	if (name[0] == '/')
		snprintf(pat, sizeof pat, "%.400s", name);
	else
		snprintf(pat, sizeof pat, "/etc/%.400s", name);
	const char *slash = strrchr(pat, '/');
	if (!strpbrk(slash, "*?[")) {
		lex_push_file(lx, pat);
		return;
	}
	char dir[512];
	snprintf(dir, sizeof dir, "%.*s", (int)(slash - pat), pat);
	char **names;
	size_t n;
	if (host_list_dir(lx->h, dir[0] ? dir : "/", &names, &n) != 0)
		return;
	/* Pushed last first, so that they are read in sorted order. */
	for (size_t i = n; i-- > 0;) {
		char path[1024];
		if (fnmatch(slash + 1, names[i], FNM_PERIOD) != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		lex_push_file(lx, path);
	}
	host_names_free(names, n);
}

static void lex_next(lexer *lx);

static void lex_raw(lexer *lx)
{
	for (;;) {
		source *s = &lx->src[lx->depth];
		char *p = s->p;
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\\' && p[1] == '\n') {
			s->p = p + 2;
			s->line++;
			continue;
		}
		if (*p == '#') {
			while (*p && *p != '\n')
				p++;
		}
		snprintf(lx->where, sizeof lx->where, "%s:%d", s->file, s->line);
		if (*p == '\0') {
			if (lx->depth == 0) {
				s->p = p;
				lx->t = T_EOF;
				return;
			}
			if (s->owned)
				free(s->text);
			lx->depth--;
			lx->t = T_END; /* the end of an included file ends a statement */
			return;
		}
		if (*p == '\n' || *p == ';') {
			if (*p == '\n')
				s->line++;
			s->p = p + 1;
			lx->t = T_END;
			return;
		}
		if (*p == '{' || *p == '}') {
			lx->t = *p == '{' ? T_LBRACE : T_RBRACE;
			s->p = p + 1;
			return;
		}
		size_t n = 0;
		if (*p == '"') {
			p++;
			while (*p && *p != '"' && *p != '\n') {
				if (n + 1 < sizeof lx->w)
					lx->w[n++] = *p;
				p++;
			}
			if (*p == '"')
				p++;
			lx->t = T_STR;
		} else {
			while (*p && !strchr(" \t\r\n{};#\"", *p)) {
				if (n + 1 < sizeof lx->w)
					lx->w[n++] = *p;
				p++;
			}
			lx->t = T_WORD;
		}
		lx->w[n] = '\0';
		s->p = p;
		return;
	}
}

static void lex_next(lexer *lx)
{
	for (;;) {
		bool start = lx->stmt_start;
		lex_raw(lx);
		lx->stmt_start = lx->t == T_END || lx->t == T_LBRACE || lx->t == T_RBRACE;
		if (!(start && lx->t == T_WORD && !strcmp(lx->w, "include")))
			return;
		lex_raw(lx);
		if (lx->t == T_STR || lx->t == T_WORD) {
			char name[512];
			snprintf(name, sizeof name, "%s", lx->w);
			/* The rest of the include statement, then the files. */
			lex_include(lx, name);
		}
		lx->stmt_start = true;
	}
}

/* ---- nft: statements ---- */

static bool is_family(const char *w)
{
	static const char *const fam[] = {"ip", "ip6", "inet", "arp", "bridge", "netdev", NULL};
	for (size_t i = 0; fam[i]; i++)
		if (!strcmp(w, fam[i]))
			return true;
	return false;
}

typedef struct stmt {
	char *w[MAX_STMT_TOKENS];
	size_t n;
	bool block;       /* ended by '{' at depth 0 */
	bool closes;      /* ended by '}' at depth 0 */
	char where[300];
} stmt;

static void stmt_free(stmt *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->w[i]);
	s->n = 0;
}

/* Words up to the end of a statement; braces opened inside it (sets,
 * maps) are kept as words, so that "{ 22, 443 }" stays in its rule.
 * open_block: a '{' at depth 0 ends the statement (table, chain). */
static void read_stmt(lexer *lx, stmt *s, bool open_block)
{
	int depth = 0;
	s->n = 0;
	s->block = s->closes = false;
	s->where[0] = '\0';
	for (;;) {
		lex_next(lx);
		if (!s->where[0] && lx->t != T_END)
			snprintf(s->where, sizeof s->where, "%s", lx->where);
		if (lx->t == T_EOF)
			return;
		if (lx->t == T_END) {
			if (depth == 0 && s->n)
				return;
			continue;
		}
		if (lx->t == T_LBRACE) {
			if (depth == 0 && open_block) {
				s->block = true;
				return;
			}
			depth++;
		} else if (lx->t == T_RBRACE) {
			if (depth == 0) {
				s->closes = true;
				return;
			}
			depth--;
		}
		if (s->n < MAX_STMT_TOKENS)
			s->w[s->n++] = xstrdup(lx->t == T_LBRACE ? "{" : lx->t == T_RBRACE ? "}" : lx->w);
	}
}

/* Skips a block whose '{' was just read. */
static void skip_block(lexer *lx)
{
	int depth = 1;
	while (depth > 0) {
		lex_next(lx);
		if (lx->t == T_EOF)
			return;
		depth += lx->t == T_LBRACE;
		depth -= lx->t == T_RBRACE;
	}
}

static void chain_body(lexer *lx, chain *c)
{
	stmt s = {0};
	for (;;) {
		read_stmt(lx, &s, false);
		if (s.n && !strcmp(s.w[0], "type")) {
			bool filter = s.n > 1 && !strcmp(s.w[1], "filter");
			for (size_t i = 0; i + 1 < s.n; i++)
				if (!strcmp(s.w[i], "hook"))
					c->base_input = filter && !strcmp(s.w[i + 1], "input");
			/* "type ... priority 0; policy drop;" on one line: two statements. */
		} else if (s.n && !strcmp(s.w[0], "policy")) {
			c->policy_drop = s.n > 1 && !strcmp(s.w[1], "drop");
		} else if (s.n && strcmp(s.w[0], "comment") && strcmp(s.w[0], "devices") &&
			   strcmp(s.w[0], "device")) {
			rule r;
			nft_rule(&r, s.w, s.n);
			snprintf(r.where, sizeof r.where, "%s", s.where);
			chain_add(c, &r, false);
		}
		bool done = s.closes || lx->t == T_EOF;
		stmt_free(&s);
		if (done)
			return;
	}
}

static void table_body(lexer *lx, ruleset *rs, const char *family, const char *table)
{
	stmt s = {0};
	for (;;) {
		read_stmt(lx, &s, true);
		if (s.block && s.n >= 2 && !strcmp(s.w[0], "chain")) {
			chain_body(lx, chain_get(rs, family, table, s.w[1]));
			const char *p = lx->src[lx->depth].p;
			p += strspn(p, " \t\r");
			/* nft's grammar wants ';' or a line break after a chain's
			 * block inside a table (seen with 1.0.6 and 1.1.3). */
			if (lx->t == T_RBRACE && *p == '}' && !lx->failed) {
				lx->failed = true;
				conf_append(lx->note, lx->nsize,
					    "%s: no ';' or line break between a chain's '}' and "
					    "the table's '}', which nft refuses",
					    lx->where);
			}
		}
		else if (s.block)
			skip_block(lx); /* set, map, flowtable, counter... */
		bool done = s.closes || lx->t == T_EOF;
		stmt_free(&s);
		if (done)
			return;
	}
}

/* "[family] table ..." words from index i: family and table. */
static size_t family_table(const stmt *s, size_t i, const char **family, const char **table)
{
	*family = "ip";
	if (i < s->n && is_family(s->w[i]) && i + 1 < s->n) {
		*family = s->w[i];
		i++;
	}
	*table = i < s->n ? s->w[i] : "";
	return i + 1;
}

static void drop_chains(ruleset *rs, const char *family, const char *table, const char *name)
{
	for (size_t i = 0; i < rs->n; i++)
		if ((!family || !strcmp(rs->c[i].family, family)) &&
		    (!table || !strcmp(rs->c[i].table, table)) &&
		    (!name || !strcmp(rs->c[i].name, name)))
			rs->c[i].dead = true;
}

static void flush_rules(ruleset *rs, const char *family, const char *table, const char *name)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!rs->c[i].dead && !strcmp(rs->c[i].family, family) &&
		    !strcmp(rs->c[i].table, table) && (!name || !strcmp(rs->c[i].name, name)))
			rs->c[i].n = 0;
}

static void top_stmt(lexer *lx, ruleset *rs, stmt *s)
{
	const char *family, *table;
	size_t i = 0;
	const char *verb = s->w[0];
	bool add = !strcmp(verb, "add") || !strcmp(verb, "create");
	bool insert = !strcmp(verb, "insert");
	if (add || insert || !strcmp(verb, "flush") || !strcmp(verb, "delete") ||
	    !strcmp(verb, "destroy"))
		i = 1;
	const char *obj = i < s->n ? s->w[i] : "";
	if (!strcmp(verb, "flush") && !strcmp(obj, "ruleset")) {
		drop_chains(rs, NULL, NULL, NULL);
	} else if ((i == 0 || add) && !strcmp(obj, "table")) {
		family_table(s, i + 1, &family, &table);
		if (s->block)
			table_body(lx, rs, family, table);
		return;
	} else if (add && !strcmp(obj, "chain")) {
		size_t k = family_table(s, i + 1, &family, &table);
		if (k < s->n) {
			chain *c = chain_get(rs, family, table, s->w[k]);
			if (s->block)
				chain_body(lx, c);
		}
		return;
	} else if ((add || insert) && !strcmp(obj, "rule")) {
		size_t k = family_table(s, i + 1, &family, &table);
		if (k < s->n) {
			chain *c = chain_get(rs, family, table, s->w[k]);
			/* "add rule ... position N" / "handle N": placed by number,
			 * taken in order. */
			rule r;
			nft_rule(&r, s->w + k + 1, s->n - k - 1);
			snprintf(r.where, sizeof r.where, "%s", s->where);
			chain_add(c, &r, insert);
		}
	} else if (!strcmp(verb, "flush") && (!strcmp(obj, "table") || !strcmp(obj, "chain"))) {
		size_t k = family_table(s, i + 1, &family, &table);
		flush_rules(rs, family, table, !strcmp(obj, "chain") && k < s->n ? s->w[k] : NULL);
	} else if ((!strcmp(verb, "delete") || !strcmp(verb, "destroy")) &&
		   (!strcmp(obj, "table") || !strcmp(obj, "chain"))) {
		size_t k = family_table(s, i + 1, &family, &table);
		drop_chains(rs, family, table, !strcmp(obj, "chain") && k < s->n ? s->w[k] : NULL);
	}
	if (s->block)
		skip_block(lx);
}

void ruleset_parse_nft(const host *h, const char *path, char *text, ruleset_view *v)
{
	lexer lx = {.h = h, .stmt_start = true, .note = v->note, .nsize = sizeof v->note};
	lx.src[0] = (source){.text = text, .p = text, .line = 1};
	snprintf(lx.src[0].file, sizeof lx.src[0].file, "%s", path ? path : "ruleset");
	ruleset rs = {0};
	stmt s = {0};
	for (;;) {
		read_stmt(&lx, &s, true);
		if (s.n)
			top_stmt(&lx, &rs, &s);
		stmt_free(&s);
		if (lx.t == T_EOF)
			break;
	}
	while (lx.depth > 0) {
		if (lx.src[lx.depth].owned)
			free(lx.src[lx.depth].text);
		lx.depth--;
	}
	if (lx.failed) {
		/* nft -f stops at the first error and loads nothing. */
		conf_append(v->note, sizeof v->note, "nft -f would refuse this file: nothing loaded");
	} else {
		judge(&rs, v);
	}
	ruleset_free(&rs);
}

/* ---- iptables-save ---- */

static bool builtin_target(const char *t)
{
	static const char *const b[] = {"ACCEPT", "DROP", "REJECT", "RETURN", "LOG", "QUEUE",
					"NFQUEUE", "MARK", "CONNMARK", "CT", "NOTRACK", "TCPMSS",
					"ULOG", "NFLOG", "AUDIT", "TRACE", NULL};
	for (size_t i = 0; b[i]; i++)
		if (!strcmp(t, b[i]))
			return true;
	return false;
}

static void ipt_rule(rule *r, char *args, int lineno)
{
	memset(r, 0, sizeof *r);
	snprintf(r->where, sizeof r->where, "line %d", lineno);
	char *w[MAX_STMT_TOKENS];
	size_t n = 0;
	for (char *save = NULL, *t = strtok_r(args, " \t", &save); t && n < MAX_STMT_TOKENS;
	     t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	size_t matches = 0;
	const char *target = NULL;
	for (size_t i = 0; i < n; i++) {
		if ((!strcmp(w[i], "-j") || !strcmp(w[i], "-g") || !strcmp(w[i], "--jump") ||
		     !strcmp(w[i], "--goto")) &&
		    i + 1 < n) {
			target = w[++i];
			continue;
		}
		/* A comment matches every packet; its text may hold blanks. */
		if (!strcmp(w[i], "-m") && i + 1 < n && !strcmp(w[i + 1], "comment")) {
			i++;
			continue;
		}
		if (!strcmp(w[i], "--comment") && i + 1 < n) {
			i++;
			if (w[i][0] == '"')
				while (i + 1 < n && (strlen(w[i]) < 2 || w[i][strlen(w[i]) - 1] != '"'))
					i++;
			continue;
		}
		matches++;
	}
	if (!target)
		return;
	r->can_drop = !strcmp(target, "DROP") || !strcmp(target, "REJECT");
	r->uncond_accept = !matches && !strcmp(target, "ACCEPT");
	if (!builtin_target(target)) {
		snprintf(r->jump, sizeof r->jump, "%s", target);
		r->uncond_jump = !matches;
	}
}

typedef struct ipt_walk {
	ruleset rs;
	bool in_filter;
} ipt_walk;

static bool ipt_line(char *line, int lineno, void *ctx)
{
	ipt_walk *w = ctx;
	char *p = conf_trim(line);
	if (*p == '*') {
		w->in_filter = !strcmp(p, "*filter");
		return true;
	}
	if (!w->in_filter)
		return true;
	if (*p == ':') {
		char name[64], policy[16] = "";
		if (sscanf(p + 1, "%63s %15s", name, policy) >= 1) {
			chain *c = chain_get(&w->rs, "ipt", "filter", name);
			c->base_input = !strcmp(name, "INPUT");
			c->policy_drop = !strcmp(policy, "DROP");
		}
	} else if (!strncmp(p, "-A ", 3) || !strncmp(p, "-I ", 3)) {
		bool front = p[1] == 'I';
		p += 3;
		char name[64];
		size_t n = strcspn(p, " \t");
		snprintf(name, sizeof name, "%.*s", (int)(n < 63 ? n : 63), p);
		chain *c = chain_get(&w->rs, "ipt", "filter", name);
		c->base_input = c->base_input || !strcmp(name, "INPUT");
		rule r;
		ipt_rule(&r, p + n, lineno);
		chain_add(c, &r, front);
	}
	return true;
}

void ruleset_parse_iptables(char *text, ruleset_view *v)
{
	ipt_walk w = {0};
	conf_each_line(text, ipt_line, &w);
	judge(&w.rs, v);
	ruleset_free(&w.rs);
}
