/* SPDX-License-Identifier: Apache-2.0 */
/* Safe YAML loading and typed reading with file:line:column errors. */
#include "hostaudit/yamlfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/platform.h"
#include "util.h"
#include "i18n.h"

/* Room for a why of platform_read_input: a directory's path and more. */
#define PATH_WHY_MAX 4200

void diag_set(diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
}

/* One open, checked on what was opened (platform_read_input): a FIFO or
 * a device at the path is refused, not read (reading one could block
 * forever), and a privileged audit refuses what others could change. */
static int read_whole(const char *path, bool strict, unsigned char **data, size_t *len,
		      diag *d)
{
	char *buf, why[PATH_WHY_MAX];
	int err;
	switch (platform_read_input(path, YAMLFILE_MAX_BYTES, strict, &buf, len, &err, why,
				    sizeof why)) {
	case PLATFORM_INPUT_OK:
		*data = (unsigned char *)buf;
		return 0;
	case PLATFORM_INPUT_CANNOT_OPEN:
		diag_set(d, _("%s: cannot open: %s"), path, strerror(err));
		break;
	case PLATFORM_INPUT_DIRECTORY:
		diag_set(d, _("%s: is a directory, not a file"), path);
		break;
	case PLATFORM_INPUT_NOT_REGULAR:
		diag_set(d, _("%s: not a regular file"), path);
		break;
	case PLATFORM_INPUT_TOO_LARGE:
		diag_set(d, _("%s: file is larger than the limit of %d bytes"), path,
			 YAMLFILE_MAX_BYTES);
		break;
	case PLATFORM_INPUT_CANNOT_READ:
		diag_set(d, _("%s: cannot read: %s"), path, why[0] ? why : strerror(err));
		break;
	case PLATFORM_INPUT_UNSAFE:
		diag_set(d, _("%s: refusing a file %s while running as root"), path, why);
		break;
	}
	return -1;
}

/* Line and column (1-based) of byte offset off. */
static void locate(const unsigned char *s, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if ((s[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

/* A pass over the events before the document is built. libyaml's scanner
 * costs time in proportion to the nesting at every token, so a file of
 * 40 000 nested '[' took seconds and more took minutes: stop at the first
 * level too deep, after a few dozen tokens. Aliases are refused: a walk
 * of the document would visit an aliased node once per reference, and a
 * few lines of anchors multiply into billions. Returns -1 with d set, or
 * 0 (a syntax error is left to the loader, which reports it). */
static int check_structure(const char *path, const unsigned char *data, size_t len, diag *d)
{
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, data, len);
	int depth = 0, rc = 0;
	for (;;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&parser, &e))
			break;
		yaml_event_type_t t = e.type;
		if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) {
			if (++depth > YAMLFILE_MAX_DEPTH) {
				diag_set(d, _("%s:%zu:%zu: nested deeper than %d levels"), path,
					 e.start_mark.line + 1, e.start_mark.column + 1,
					 YAMLFILE_MAX_DEPTH);
				rc = -1;
			}
		} else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) {
			depth--;
		} else if (t == YAML_ALIAS_EVENT) {
			diag_set(d, _("%s:%zu:%zu: aliases (*name) are not allowed"), path,
				 e.start_mark.line + 1, e.start_mark.column + 1);
			rc = -1;
		}
		yaml_event_delete(&e);
		if (rc || t == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	return rc;
}

int yamlfile_load(yamlfile *yf, const char *path, bool strict_perms, diag *d)
{
	memset(yf, 0, sizeof *yf);
	unsigned char *data;
	size_t len;
	if (read_whole(path, strict_perms, &data, &len, d) != 0)
		return -1;
	size_t bad;
	if (!utf8_valid((const char *)data, len, &bad)) {
		size_t line, col;
		locate(data, bad, &line, &col);
		diag_set(d, _("%s:%zu:%zu: not valid UTF-8 (byte 0x%02x)"), path, line, col,
			 data[bad]);
		free(data);
		return -1;
	}
	if (memchr(data, '\0', len)) {
		size_t line, col;
		locate(data, (size_t)((unsigned char *)memchr(data, '\0', len) - data), &line,
		       &col);
		diag_set(d, _("%s:%zu:%zu: NUL byte in a text file"), path, line, col);
		free(data);
		return -1;
	}
	if (check_structure(path, data, len, d) != 0) {
		free(data);
		return -1;
	}
	if (platform_sha256(data, len, yf->sha256) != 0) {
		diag_set(d, _("%s: cannot compute its SHA-256"), path);
		free(data);
		return -1;
	}

	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, data, len);
	int ok = yaml_parser_load(&parser, &yf->doc);
	if (!ok) {
		diag_set(d, "%s:%zu:%zu: %s%s%s", path, parser.problem_mark.line + 1,
			 parser.problem_mark.column + 1, parser.problem ? parser.problem : "bad YAML",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		free(data);
		return -1;
	}
	yf->loaded = true;
	yf->path = xstrdup(path);
	if (!yaml_document_get_root_node(&yf->doc)) {
		diag_set(d, _("%s:1:1: the file is empty"), path);
		goto fail;
	}
	yaml_document_t extra;
	if (!yaml_parser_load(&parser, &extra)) {
		diag_set(d, "%s:%zu:%zu: %s", path, parser.problem_mark.line + 1,
			 parser.problem_mark.column + 1, parser.problem ? parser.problem : "bad YAML");
		goto fail;
	}
	bool more = yaml_document_get_root_node(&extra) != NULL;
	yaml_node_t *n = more ? yaml_document_get_root_node(&extra) : NULL;
	if (more) {
		diag_set(d, _("%s:%zu:%zu: a second YAML document; one per file"), path,
			 n->start_mark.line + 1, n->start_mark.column + 1);
		yaml_document_delete(&extra);
		goto fail;
	}
	yaml_document_delete(&extra);
	yaml_parser_delete(&parser);
	free(data);
	return 0;
fail:
	yaml_parser_delete(&parser);
	free(data);
	yamlfile_free(yf);
	return -1;
}

void yamlfile_free(yamlfile *yf)
{
	if (yf->loaded)
		yaml_document_delete(&yf->doc);
	free(yf->path);
	memset(yf, 0, sizeof *yf);
}

yaml_node_t *yamlfile_root(yamlfile *yf)
{
	return yaml_document_get_root_node(&yf->doc);
}

int yaml_error(const yamlfile *yf, const yaml_node_t *n, diag *d, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n)
		diag_set(d, "%s:%zu:%zu: %s", yf->path, n->start_mark.line + 1,
			 n->start_mark.column + 1, msg);
	else
		diag_set(d, "%s: %s", yf->path, msg);
	return -1;
}

const char *yaml_scalar(const yaml_node_t *n)
{
	return (n && n->type == YAML_SCALAR_NODE) ? (const char *)n->data.scalar.value : NULL;
}

yaml_node_t *yaml_get(yamlfile *yf, yaml_node_t *n, const char *key)
{
	if (!n || n->type != YAML_MAPPING_NODE)
		return NULL;
	yaml_node_t *k, *v;
	YAML_MAP_EACH(yf, n, k, v)
	{
		const char *s = yaml_scalar(k);
		if (s && strcmp(s, key) == 0)
			return v;
	}
	return NULL;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 99;
	size_t prev[65], cur[65];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof cur);
	}
	return prev[lb];
}

const char *did_you_mean(const char *word, const char *const candidates[])
{
	const char *best = NULL;
	size_t best_d = 99;
	for (size_t i = 0; candidates[i]; i++) {
		size_t dist = edit_distance(word, candidates[i]);
		/* On a tie, prefer the candidate that ends like the word: "lte"
		 * means "le" rather than "lt". */
		bool better_tie = dist == best_d && best && *word &&
				  candidates[i][strlen(candidates[i]) - 1] == word[strlen(word) - 1] &&
				  best[strlen(best) - 1] != word[strlen(word) - 1];
		if (dist < best_d || better_tie) {
			best_d = dist;
			best = candidates[i];
		}
	}
	size_t len = strlen(word);
	size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	return best_d <= limit ? best : NULL;
}

int yaml_check_keys(const yamlfile *yf, yaml_node_t *n, const char *const allowed[],
		    const char *what, diag *d)
{
	yaml_node_t *k, *v;
	YAML_MAP_EACH(yf, n, k, v)
	{
		const char *s = yaml_scalar(k);
		if (!s)
			return yaml_error(yf, k, d, _("%s: keys must be plain strings"), what);
		for (yaml_node_pair_t *prev = n->data.mapping.pairs.start; prev < k_it; prev++) {
			const char *ps = yaml_scalar(yaml_document_get_node(
				(yaml_document_t *)&yf->doc, prev->key));
			if (ps && !strcmp(ps, s))
				return yaml_error(yf, k, d, _("key '%s' appears twice in %s"), s, what);
		}
		bool ok = false;
		for (size_t i = 0; allowed[i] && !ok; i++)
			ok = strcmp(s, allowed[i]) == 0;
		if (ok)
			continue;
		const char *hint = did_you_mean(s, allowed);
		if (hint)
			return yaml_error(yf, k, d, _("unknown key '%s' in %s (did you mean '%s'?)"), s,
					  what, hint);
		return yaml_error(yf, k, d, _("unknown key '%s' in %s"), s, what);
	}
	return 0;
}

int yaml_check_schema(const yamlfile *yf, yaml_node_t *root, const char *schema,
		      const char *what, diag *d)
{
	if (yaml_want_map(yf, root, what, d))
		return -1;
	const char *s = yaml_scalar(yaml_get((yamlfile *)yf, root, "schema"));
	if (!s)
		return yaml_error(yf, root, d, _("no 'schema: %s'"), schema);
	if (strcmp(s, schema))
		return yaml_error(yf, yaml_get((yamlfile *)yf, root, "schema"), d,
				  _("the schema is not '%s', the one this version reads"), schema);
	return 0;
}

static const char *node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE: return _("a mapping");
	case YAML_SEQUENCE_NODE: return _("a list");
	case YAML_SCALAR_NODE: return _("a scalar");
	default: return _("nothing");
	}
}

int yaml_want_map(const yamlfile *yf, yaml_node_t *n, const char *what, diag *d)
{
	if (n->type != YAML_MAPPING_NODE)
		return yaml_error(yf, n, d, _("%s must be a mapping, not %s"), what, node_kind(n));
	return 0;
}

int yaml_want_seq(const yamlfile *yf, yaml_node_t *n, const char *what, diag *d)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return yaml_error(yf, n, d, _("%s must be a list, not %s"), what, node_kind(n));
	return 0;
}

int yaml_want_string(const yamlfile *yf, yaml_node_t *n, const char *what, const char **out,
		     diag *d)
{
	const char *s = yaml_scalar(n);
	if (!s)
		return yaml_error(yf, n, d, _("%s must be a string, not %s"), what, node_kind(n));
	*out = s;
	return 0;
}

static bool is_plain(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

bool yaml_scalar_is_int(const yaml_node_t *n, int64_t *out)
{
	if (!is_plain(n))
		return false;
	const char *s = yaml_scalar(n);
	if (!*s)
		return false;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || errno)
		return false;
	*out = v;
	return true;
}

bool yaml_scalar_is_bool(const yaml_node_t *n, bool *out)
{
	if (!is_plain(n))
		return false;
	const char *s = yaml_scalar(n);
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return *out = true, true;
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return *out = false, true;
	return false;
}

int yaml_want_int(const yamlfile *yf, yaml_node_t *n, const char *what, int64_t *out, diag *d)
{
	if (!yaml_scalar_is_int(n, out))
		return yaml_error(yf, n, d, _("%s must be a whole number, not '%s'"), what,
				  yaml_scalar(n) ? yaml_scalar(n) : node_kind(n));
	return 0;
}

int yaml_want_bool(const yamlfile *yf, yaml_node_t *n, const char *what, bool *out, diag *d)
{
	if (!yaml_scalar_is_bool(n, out))
		return yaml_error(yf, n, d, _("%s must be true or false, not '%s'"), what,
				  yaml_scalar(n) ? yaml_scalar(n) : node_kind(n));
	return 0;
}
