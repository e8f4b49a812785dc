/* SPDX-License-Identifier: Apache-2.0 */
/* Importing the company's inventory CSV (collector.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collector.h"
#include "i18n.h"

#define CSV_MAX_FIELDS 64
#define CSV_MAX_LINE 65536

/* Splits one CSV record (RFC 4180 quoting, no newlines inside quotes) in
 * place. Returns the field count or -1. */
static int csv_split(char *line, char *fields[], int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		if (n == max)
			return -1;
		char *out = p;
		fields[n++] = out;
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '\0')
					return -1;
				if (*p == '"' && p[1] == '"') {
					*out++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*out++ = *p++;
				}
			}
			if (*p != ',' && *p != '\0')
				return -1;
		} else {
			while (*p && *p != ',')
				*out++ = *p++;
		}
		if (*p == '\0') {
			*out = '\0';
			return n;
		}
		*out = '\0';
		p++;
	}
}

typedef struct rows {
	inventory_row *v;
	size_t n, cap;
} rows;

static void rows_free(rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free((char *)r->v[i].hostname);
		free((char *)r->v[i].attributes);
	}
	free(r->v);
}

static int rows_add(rows *r, const char *host, char *attrs)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		inventory_row *v = realloc(r->v, cap * sizeof *v);
		if (!v)
			return -1;
		r->v = v;
		r->cap = cap;
	}
	char *h = strdup(host);
	if (!h || !attrs) {
		free(h);
		free(attrs);
		return -1;
	}
	r->v[r->n++] = (inventory_row){h, attrs};
	return 0;
}

/* Reads the whole CSV first: a bad line anywhere leaves the stored
 * inventory as it was. */
long store_inventory_import(store *s, int64_t org_id, const char *path, char *err,
			    size_t err_size)
{
	/* O_NONBLOCK: a FIFO or a device at that name must not hang the
	 * import; only a regular file is read. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, err_size, "%s: %s", path,
			 fd < 0 ? strerror(errno) : _("not a regular file"));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	FILE *f = fdopen(fd, "r");
	if (!f) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	char *line = malloc(CSV_MAX_LINE);
	char *hdr[CSV_MAX_FIELDS], *fld[CSV_MAX_FIELDS];
	char *header = NULL;
	int nh = 0, host_col = -1;
	long lineno = 0;
	rows r = {0};
	int rc = 0;
	if (!line) {
		snprintf(err, err_size, _("out of memory"));
		rc = -1;
	}
	while (rc == 0 && fgets(line, CSV_MAX_LINE, f)) {
		lineno++;
		char *p = line;
		size_t len = strlen(line);
		if (len == CSV_MAX_LINE - 1 && line[len - 1] != '\n' && !feof(f)) {
			/* never read the rest as a record of its own */
			snprintf(err, err_size, _("%s:%ld: line longer than %d bytes"), path, lineno,
				 CSV_MAX_LINE - 1);
			rc = -1;
			break;
		}
		if (lineno == 1 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
		    (unsigned char)p[2] == 0xBF)
			p += 3; /* Excel's UTF-8 BOM */
		p[strcspn(p, "\r\n")] = '\0';
		if (!*p)
			continue;
		if (!header) {
			header = strdup(p);
			nh = header ? csv_split(header, hdr, CSV_MAX_FIELDS) : 0;
			for (int i = 0; i < nh; i++)
				if (strcasecmp(hdr[i], "hostname") == 0)
					host_col = i;
			if (host_col < 0) {
				snprintf(err, err_size, _("%s:1: no 'hostname' column in the header"),
					 path);
				rc = -1;
			}
			continue;
		}
		int n = csv_split(p, fld, CSV_MAX_FIELDS);
		if (n < 0 || n != nh || !*fld[host_col]) {
			snprintf(err, err_size, _("%s:%ld: expected %d fields with a hostname"), path,
				 lineno, nh);
			rc = -1;
			break;
		}
		json_t *attrs = json_object();
		for (int i = 0; i < n; i++)
			if (i != host_col)
				json_object_set_new(attrs, hdr[i], json_string(fld[i]));
		char *a = json_dumps(attrs, JSON_SORT_KEYS | JSON_COMPACT);
		json_decref(attrs);
		if (rows_add(&r, fld[host_col], a) != 0) {
			snprintf(err, err_size, _("%s:%ld: out of memory"), path, lineno);
			rc = -1;
		}
	}
	if (rc == 0 && !header) {
		snprintf(err, err_size, _("%s: empty file"), path);
		rc = -1;
	}
	if (rc == 0)
		rc = store_inventory_replace(s, org_id, r.v, r.n, err, err_size);
	long n = rc == 0 ? (long)r.n : -1;
	rows_free(&r);
	free(header);
	free(line);
	fclose(f);
	return n;
}
