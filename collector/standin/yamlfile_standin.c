/* TEMPORARY STAND-IN — DELETE AT MERGE.
 *
 * A minimal implementation of the parts of include/hostaudit/yamlfile.h
 * that the collector and the upload config use, so that this branch builds
 * and tests before the core library (agent/core/yamlfile.c) lands. It is
 * compiled only when no `hostaudit-core` target exists. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostaudit/yamlfile.h"

void diag_set(diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
}

int yamlfile_load(yamlfile *yf, const char *path, bool strict_perms, diag *d)
{
	memset(yf, 0, sizeof *yf);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		diag_set(d, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > YAMLFILE_MAX_BYTES) {
		diag_set(d, "%s: not a regular file of at most %d bytes", path, YAMLFILE_MAX_BYTES);
		close(fd);
		return -1;
	}
	if (strict_perms && (st.st_mode & 022)) {
		diag_set(d, "%s: writable by others (mode %04o)", path, (unsigned)(st.st_mode & 07777));
		close(fd);
		return -1;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	ssize_t n = buf ? read(fd, buf, (size_t)st.st_size) : -1;
	close(fd);
	if (n < 0) {
		diag_set(d, "%s: cannot read", path);
		free(buf);
		return -1;
	}
	yaml_parser_t p;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, (size_t)n);
	if (!yaml_parser_load(&p, &yf->doc)) {
		diag_set(d, "%s:%zu:%zu: %s", path, p.problem_mark.line + 1,
			 p.problem_mark.column + 1, p.problem ? p.problem : "YAML error");
		yaml_parser_delete(&p);
		free(buf);
		return -1;
	}
	yaml_parser_delete(&p);
	free(buf);
	yf->loaded = true;
	yf->path = strdup(path);
	return 0;
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
	char what[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	diag_set(d, "%s:%zu:%zu: %s", yf->path ? yf->path : "?", n ? n->start_mark.line + 1 : 0,
		 n ? n->start_mark.column + 1 : 0, what);
	return -1;
}

const char *yaml_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

const char *did_you_mean(const char *word, const char *const candidates[])
{
	/* Stand-in: suggest a candidate sharing the first three letters. */
	for (size_t i = 0; candidates[i]; i++)
		if (strncmp(word, candidates[i], 3) == 0)
			return candidates[i];
	return NULL;
}

int yaml_check_keys(const yamlfile *cyf, yaml_node_t *n, const char *const allowed[],
		    const char *what, diag *d)
{
	yamlfile *yf = (yamlfile *)cyf; /* libyaml's getters take non-const */
	yaml_node_t *key, *val;
	YAML_MAP_EACH(yf, n, key, val) {
		const char *name = yaml_scalar(key);
		bool ok = false;
		(void)val;
		for (size_t i = 0; name && allowed[i]; i++)
			ok = ok || strcmp(name, allowed[i]) == 0;
		if (!ok) {
			const char *s = name ? did_you_mean(name, allowed) : NULL;
			return s ? yaml_error(yf, key, d, "unknown key '%s' in %s (did you mean '%s'?)",
					      name, what, s)
				 : yaml_error(yf, key, d, "unknown key '%s' in %s", name ? name : "?", what);
		}
	}
	return 0;
}

yaml_node_t *yaml_get(yamlfile *yf, yaml_node_t *n, const char *want)
{
	yaml_node_t *key, *val;
	if (!n || n->type != YAML_MAPPING_NODE)
		return NULL;
	YAML_MAP_EACH(yf, n, key, val) {
		const char *s = yaml_scalar(key);
		if (s && strcmp(s, want) == 0)
			return val;
	}
	return NULL;
}

int yaml_want_map(const yamlfile *yf, yaml_node_t *n, const char *what, diag *d)
{
	return n->type == YAML_MAPPING_NODE ? 0 : yaml_error(yf, n, d, "%s: expected a mapping", what);
}

int yaml_want_seq(const yamlfile *yf, yaml_node_t *n, const char *what, diag *d)
{
	return n->type == YAML_SEQUENCE_NODE ? 0 : yaml_error(yf, n, d, "%s: expected a list", what);
}

int yaml_want_string(const yamlfile *yf, yaml_node_t *n, const char *what, const char **out,
		     diag *d)
{
	if (n->type != YAML_SCALAR_NODE)
		return yaml_error(yf, n, d, "%s: expected a string", what);
	*out = yaml_scalar(n);
	return 0;
}

bool yaml_scalar_is_int(const yaml_node_t *n, int64_t *out)
{
	const char *s = yaml_scalar(n);
	if (!s || !*s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end || errno)
		return false;
	*out = v;
	return true;
}

bool yaml_scalar_is_bool(const yaml_node_t *n, bool *out)
{
	const char *s = yaml_scalar(n);
	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return *out = true, true;
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return *out = false, true;
	return false;
}

int yaml_want_int(const yamlfile *yf, yaml_node_t *n, const char *what, int64_t *out, diag *d)
{
	return yaml_scalar_is_int(n, out) ? 0 : yaml_error(yf, n, d, "%s: expected an integer", what);
}

int yaml_want_bool(const yamlfile *yf, yaml_node_t *n, const char *what, bool *out, diag *d)
{
	return yaml_scalar_is_bool(n, out) ? 0
					   : yaml_error(yf, n, d, "%s: expected true or false", what);
}
