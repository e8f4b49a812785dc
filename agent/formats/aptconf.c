/* SPDX-License-Identifier: Apache-2.0 */
/* A small reader of apt.conf syntax, enough to answer "is this option
 * set, and to what". */
#include "aptconf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define APTCONF_MAX_BYTES (1024 * 1024)
#define SCOPE_MAX 1024
#define TOKEN_MAX 256

typedef enum { T_END, T_WORD, T_STRING, T_OPEN, T_CLOSE, T_SEMI } tok_kind;

typedef struct lexer {
	const char *p;
	char tok[TOKEN_MAX];
} lexer;

static void skip_space_and_comments(lexer *lx)
{
	for (;;) {
		while (isspace((unsigned char)*lx->p))
			lx->p++;
		if (lx->p[0] == '/' && lx->p[1] == '/') {
			lx->p += strcspn(lx->p, "\n");
		} else if (lx->p[0] == '#') {
			/* "# comment", and directives (#include, #clear) we ignore. */
			lx->p += strcspn(lx->p, "\n");
		} else if (lx->p[0] == '/' && lx->p[1] == '*') {
			const char *e = strstr(lx->p + 2, "*/");
			lx->p = e ? e + 2 : lx->p + strlen(lx->p);
		} else {
			return;
		}
	}
}

static tok_kind next(lexer *lx)
{
	size_t n = 0;

	skip_space_and_comments(lx);
	switch (*lx->p) {
	case '\0': return T_END;
	case '{': lx->p++; return T_OPEN;
	case '}': lx->p++; return T_CLOSE;
	case ';': lx->p++; return T_SEMI;
	case '"':
		lx->p++;
		while (*lx->p && *lx->p != '"') {
			if (n + 1 < sizeof lx->tok)
				lx->tok[n++] = *lx->p;
			lx->p++;
		}
		if (*lx->p == '"')
			lx->p++;
		lx->tok[n] = '\0';
		return T_STRING;
	default:
		while (*lx->p && !isspace((unsigned char)*lx->p) && !strchr("{};\"", *lx->p)) {
			if (n + 1 < sizeof lx->tok)
				lx->tok[n++] = *lx->p;
			lx->p++;
		}
		lx->tok[n] = '\0';
		return T_WORD;
	}
}

int aptconf_lookup_text(const char *text, const char *key, char *out, size_t size)
{
	lexer lx = {.p = text};
	char scope[SCOPE_MAX] = "";
	size_t depth_len[64];
	size_t depth = 0, too_deep = 0;
	int found = 0;
	tok_kind t;

	while ((t = next(&lx)) != T_END) {
		if (t == T_CLOSE) {
			if (too_deep > 0)
				too_deep--;
			else if (depth > 0)
				scope[depth_len[--depth]] = '\0';
			continue;
		}
		if (t != T_WORD && t != T_STRING)
			continue;
		char name[SCOPE_MAX + 2 + TOKEN_MAX];
		snprintf(name, sizeof name, "%s%s%s", scope, scope[0] ? "::" : "", lx.tok);
		t = next(&lx);
		if (t == T_OPEN) {
			size_t nl = strlen(name);
			if (too_deep == 0 && depth < 64 && nl < sizeof scope) {
				depth_len[depth++] = strlen(scope);
				memcpy(scope, name, nl + 1);
			} else {
				too_deep++; /* its keys are ignored, its '}' must not pop ours */
			}
			continue;
		}
		if (t == T_STRING || t == T_WORD) {
			if (too_deep == 0 && strcasecmp(name, key) == 0) {
				snprintf(out, size, "%s", lx.tok);
				found = 1;
			}
			next(&lx); /* the ';' */
		}
	}
	return found;
}

static int lookup_file(const host *h, const char *path, const char *key, char *out, size_t size)
{
	char *data = NULL;
	size_t len = 0;
	int found = 0;

	if (host_read_file(h, path, APTCONF_MAX_BYTES, &data, &len) == 0)
		found = aptconf_lookup_text(data, key, out, size);
	free(data);
	return found;
}

/* apt reads only parts whose names are made of letters, digits, '_', '-'
 * and '.', and skips backups like "foo.dpkg-old" (apt's ignore list). */
static int apt_part_name_ok(const char *n)
{
	static const char *const ignored[] = {".disabled", ".dpkg-old", ".dpkg-dist", ".dpkg-new",
					      ".dpkg-tmp", ".bak", ".save", ".orig", ".distUpgrade",
					      ".ucf-old", ".ucf-dist", ".ucf-new", NULL};
	for (const char *c = n; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("_-.", *c))
			return 0;
	size_t l = strlen(n);
	for (size_t i = 0; ignored[i]; i++) {
		size_t m = strlen(ignored[i]);
		if (l >= m && strcmp(n + l - m, ignored[i]) == 0)
			return 0;
	}
	return 1;
}

int aptconf_lookup(const host *h, const char *key, char *out, size_t size, char *where,
		   size_t where_size)
{
	char **names = NULL;
	size_t n = 0;
	char path[512];
	int found = 0;

	if (host_list_dir(h, "/etc/apt/apt.conf.d", &names, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			if (!apt_part_name_ok(names[i]))
				continue;
			snprintf(path, sizeof path, "/etc/apt/apt.conf.d/%.400s", names[i]);
			if (lookup_file(h, path, key, out, size)) {
				found = 1;
				snprintf(where, where_size, "%s", path);
			}
		}
		host_names_free(names, n);
	}
	if (lookup_file(h, "/etc/apt/apt.conf", key, out, size)) {
		found = 1;
		snprintf(where, where_size, "/etc/apt/apt.conf");
	}
	return found;
}
