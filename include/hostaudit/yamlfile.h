/* SPDX-License-Identifier: Apache-2.0 */
/* Loading YAML files safely, and reading them with errors that name
 * file:line:column. Used by the rule packs, the site config and every
 * other YAML input. */
#ifndef HOSTAUDIT_YAMLFILE_H
#define HOSTAUDIT_YAMLFILE_H

#include "hostaudit/compiler.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#define YAMLFILE_MAX_BYTES (1024 * 1024)
/* Mappings and lists inside each other: the shipped packs nest 6 deep. */
#define YAMLFILE_MAX_DEPTH 64

/* One error message, "file:line:col: what". */
typedef struct diag {
	char msg[1024];
} diag;

void diag_set(diag *d, const char *fmt, ...) HOSTAUDIT_PRINTF(2, 3);

typedef struct yamlfile {
	char *path;
	yaml_document_t doc;
	bool loaded;
	unsigned char sha256[32];
} yamlfile;

/* Reads and parses path. Refuses: what is not a regular file, files over
 * YAMLFILE_MAX_BYTES, bytes that are not UTF-8, nesting deeper than
 * YAMLFILE_MAX_DEPTH, aliases, several documents, and (when strict_perms)
 * files that others may write (platform_read_input). Returns 0, or -1 with d set. */
int yamlfile_load(yamlfile *yf, const char *path, bool strict_perms, diag *d);
void yamlfile_free(yamlfile *yf);
yaml_node_t *yamlfile_root(yamlfile *yf);

/* Errors at a node: "path:line:col: message". Always returns -1. */
int yaml_error(const yamlfile *yf, const yaml_node_t *n, diag *d, const char *fmt, ...)
	HOSTAUDIT_PRINTF(4, 5);

/* The gate before any error may quote the file: root is a mapping whose
 * 'schema' is exactly schema. Until a file says it is ours, an error says
 * what is wrong and where, never what the file holds: a path pointed at
 * a secret (a rule pack linked to /etc/shadow) must not print it. */
int yaml_check_schema(const yamlfile *yf, yaml_node_t *root, const char *schema,
		      const char *what, diag *d);

/* Checks that every key of mapping n is one of allowed (NULL-terminated);
 * an unknown key is an error with "did you mean". */
int yaml_check_keys(const yamlfile *yf, yaml_node_t *n, const char *const allowed[],
		    const char *what, diag *d);
/* The value of key in mapping n, or NULL. */
yaml_node_t *yaml_get(yamlfile *yf, yaml_node_t *n, const char *key);
/* Scalar text of n, or NULL if n is not a scalar. */
const char *yaml_scalar(const yaml_node_t *n);
/* Typed readers: -1 with an error naming the node when the type is wrong. */
int yaml_want_map(const yamlfile *yf, yaml_node_t *n, const char *what, diag *d);
int yaml_want_seq(const yamlfile *yf, yaml_node_t *n, const char *what, diag *d);
int yaml_want_string(const yamlfile *yf, yaml_node_t *n, const char *what, const char **out,
		     diag *d);
int yaml_want_int(const yamlfile *yf, yaml_node_t *n, const char *what, int64_t *out, diag *d);
int yaml_want_bool(const yamlfile *yf, yaml_node_t *n, const char *what, bool *out, diag *d);
/* Whether a plain scalar reads as an integer / boolean (YAML 1.2 core). */
bool yaml_scalar_is_int(const yaml_node_t *n, int64_t *out);
bool yaml_scalar_is_bool(const yaml_node_t *n, bool *out);

/* Iteration helpers. */
#define YAML_SEQ_EACH(yf, seq, item)                                                     \
	for (yaml_node_item_t *item##_it = (seq)->data.sequence.items.start;              \
	     item##_it < (seq)->data.sequence.items.top &&                                \
	     ((item) = yaml_document_get_node((yaml_document_t *)&(yf)->doc, *item##_it)); \
	     item##_it++)
#define YAML_MAP_EACH(yf, map, kn, vn)                                                   \
	for (yaml_node_pair_t *kn##_it = (map)->data.mapping.pairs.start;                 \
	     kn##_it < (map)->data.mapping.pairs.top &&                                   \
	     ((kn) = yaml_document_get_node((yaml_document_t *)&(yf)->doc, kn##_it->key)) && \
	     ((vn) = yaml_document_get_node((yaml_document_t *)&(yf)->doc, kn##_it->value)); \
	     kn##_it++)

/* The closest of candidates to word (edit distance), or NULL if none is
 * close enough to suggest. */
const char *did_you_mean(const char *word, const char *const candidates[]);

#endif
