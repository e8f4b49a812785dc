/* SPDX-License-Identifier: Apache-2.0 */
/* The agent's outbox (include/hostaudit/spool.h). One file for every
 * system: what differs (listing, durability, privacy, the lock) is in the
 * platform layer (include/hostaudit/platform.h). */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/compiler.h"
#include "hostaudit/platform.h"
#include "hostaudit/report_schema.h"
#include "hostaudit/spool.h"

#define SPOOL_MAX_REPORT_BYTES (64u * 1024 * 1024)

static int errf(char *err, size_t size, const char *fmt, ...)
	HOSTAUDIT_PRINTF(3, 4);
static int errf(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

static int mkdir_private(const char *dir, char *err, size_t err_size)
{
	char why[600];
	if (platform_mkdir_private(dir, why, sizeof why) != 0)
		return errf(err, err_size, "spool: %s", why);
	return 0;
}

/* "a/b" from a and b; -1 when it does not fit. */
static int join(char *out, size_t size, const char *dir, const char *name)
{
	int n = snprintf(out, size, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int spool_open(spool *s, const char *dir, size_t max_reports, uint64_t max_bytes, FILE *log,
	       char *err, size_t err_size)
{
	memset(s, 0, sizeof *s);
	s->lock = -1;
	if (!dir || !*dir)
		return errf(err, err_size, "spool: no spool_dir configured");
	size_t n = strlen(dir);
	while (n > 1 && (dir[n - 1] == '/' || dir[n - 1] == '\\'))
		n--;
	/* Quarantine inside the spool: one directory to own, back up and
	 * allow in the service's sandbox. Listing skips it (not a report). */
	if (n + sizeof "/quarantine" > sizeof s->quarantine)
		return errf(err, err_size, "spool: path too long: %s", dir);
	memcpy(s->dir, dir, n);
	s->dir[n] = '\0';
	memcpy(s->quarantine, dir, n);
	memcpy(s->quarantine + n, "/quarantine", sizeof "/quarantine");
	s->max_reports = max_reports;
	s->max_bytes = max_bytes;
	s->log = log;
	if (mkdir_private(s->dir, err, err_size) || mkdir_private(s->quarantine, err, err_size))
		return -1;
	char lock[4200], why[600];
	join(lock, sizeof lock, s->dir, ".lock");
	if (platform_lock(lock, &s->lock, why, sizeof why) != 0)
		return errf(err, err_size, "spool: %s", why);
	return 0;
}

void spool_close(spool *s)
{
	platform_unlock(&s->lock);
}

/* "<20 digits>-<uuid>.json" */
static bool parse_name(const char *name, uint64_t *seq, char id[37])
{
	if (strlen(name) != 20 + 1 + 36 + 5 || name[20] != '-' ||
	    strcmp(name + 57, ".json") != 0)
		return false;
	uint64_t v = 0;
	for (int i = 0; i < 20; i++) {
		if (!isdigit((unsigned char)name[i]))
			return false;
		v = v * 10 + (uint64_t)(name[i] - '0');
	}
	memcpy(id, name + 21, 36);
	id[36] = '\0';
	if (!report_id_valid(id))
		return false;
	*seq = v;
	return true;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const spool_entry *)a)->name, ((const spool_entry *)b)->name);
}

typedef struct listing {
	spool_entry *es;
	size_t n, cap;
} listing;

static int add_entry(void *ctx, const char *name, uint64_t size)
{
	listing *l = ctx;
	uint64_t seq;
	char id[37];
	if (!parse_name(name, &seq, id))
		return 0; /* temp files, the lock, strangers */
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		spool_entry *ne = realloc(l->es, cap * sizeof *ne);
		if (!ne)
			return -1;
		l->es = ne;
		l->cap = cap;
	}
	spool_entry *e = &l->es[l->n++];
	memcpy(e->name, name, strlen(name) + 1); /* 62 bytes: parse_name */
	memcpy(e->report_id, id, sizeof e->report_id);
	e->size = size;
	return 0;
}

int spool_list(const spool *s, spool_entry **entries, size_t *count, char *err,
	       size_t err_size)
{
	*entries = NULL;
	*count = 0;
	listing l = {NULL, 0, 0};
	char why[600] = "out of memory";
	if (platform_list_files(s->dir, add_entry, &l, why, sizeof why) != 0) {
		free(l.es);
		return errf(err, err_size, "spool: %s", why);
	}
	if (l.n)
		qsort(l.es, l.n, sizeof *l.es, cmp_entry);
	*entries = l.es;
	*count = l.n;
	return 0;
}

/* dir/name written whole and durably (platform.h). */
static int write_atomic(const char *dir, const char *name, const void *data, size_t len,
			char *err, size_t err_size)
{
	char dst[4200], why[600];
	if (join(dst, sizeof dst, dir, name) != 0)
		return errf(err, err_size, "spool: path too long in %s", dir);
	if (platform_write_file_durable(dst, data, len, why, sizeof why) != 0)
		return errf(err, err_size, "spool: %s", why);
	return 0;
}

static void logf_(const spool *s, const char *fmt, ...) HOSTAUDIT_PRINTF(2, 3);
static void logf_(const spool *s, const char *fmt, ...)
{
	FILE *f = s->log ? s->log : stderr;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
}

static int enforce_bounds(spool *s, const char *keep, char *err, size_t err_size)
{
	spool_entry *es;
	size_t n;
	if (spool_list(s, &es, &n, err, err_size) != 0)
		return -1;
	uint64_t bytes = 0;
	for (size_t i = 0; i < n; i++)
		bytes += es[i].size;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		size_t left = n - i;
		bool over = (s->max_reports && left > s->max_reports) ||
			    (s->max_bytes && bytes > s->max_bytes);
		if (!over || strcmp(es[i].name, keep) == 0)
			break;
		rc = spool_remove(s, &es[i], err, err_size);
		if (rc == 0)
			logf_(s,
			      "hostaudit: spool full (%zu reports, %" PRIu64
			      " bytes): dropped the oldest report %s",
			      left, bytes, es[i].report_id);
		bytes -= es[i].size;
	}
	free(es);
	return rc;
}

static bool same_id(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return *a == *b;
}

int spool_put(spool *s, const char *report_id, const void *data, size_t len, char *err,
	      size_t err_size)
{
	if (!report_id_valid(report_id))
		return errf(err, err_size, "spool: report_id '%s' is not a UUID", report_id);
	if (len > SPOOL_MAX_REPORT_BYTES)
		return errf(err, err_size, "spool: report of %zu bytes is too large", len);
	spool_entry *es;
	size_t n;
	if (spool_list(s, &es, &n, err, err_size) != 0)
		return -1;
	uint64_t seq = platform_now_us();
	for (size_t i = 0; i < n; i++) {
		uint64_t sq;
		char id[37];
		if (parse_name(es[i].name, &sq, id) && sq >= seq)
			seq = sq + 1; /* clock went back, or same microsecond */
		if (same_id(es[i].report_id, report_id)) {
			free(es);
			return 0; /* already waiting: a report is spooled once */
		}
	}
	free(es);
	/* Wall-clock microseconds: the order survives reboots (a monotonic
	 * clock would not), and the loop above bumps it past the newest. */
	char name[SPOOL_NAME_MAX];
	snprintf(name, sizeof name, "%020" PRIu64 "-%s.json", seq, report_id);
	if (write_atomic(s->dir, name, data, len, err, err_size) != 0)
		return -1;
	return enforce_bounds(s, name, err, err_size);
}

int spool_read(const spool *s, const spool_entry *e, char **data, size_t *len, char *err,
	       size_t err_size)
{
	char path[4200], why[600];
	join(path, sizeof path, s->dir, e->name);
	if (platform_read_regular_file(path, SPOOL_MAX_REPORT_BYTES, data, len, why, sizeof why))
		return errf(err, err_size, "spool: %s", why);
	return 0;
}

int spool_remove(const spool *s, const spool_entry *e, char *err, size_t err_size)
{
	char path[4200], why[600];
	join(path, sizeof path, s->dir, e->name);
	if (platform_remove_durable(path, why, sizeof why) != 0)
		return errf(err, err_size, "spool: %s", why);
	return 0;
}

int spool_quarantine(const spool *s, const spool_entry *e, const char *reason, char *err,
		     size_t err_size)
{
	char from[4200], to[4200], rname[SPOOL_NAME_MAX + 8], why[600];
	snprintf(rname, sizeof rname, "%s.reason", e->name);
	size_t rl = strlen(reason);
	char *line = malloc(rl + 2);
	if (!line)
		return errf(err, err_size, "spool: out of memory");
	memcpy(line, reason, rl);
	line[rl] = '\n';
	int rc = write_atomic(s->quarantine, rname, line, rl + 1, err, err_size);
	free(line);
	if (rc != 0)
		return -1;
	join(from, sizeof from, s->dir, e->name);
	join(to, sizeof to, s->quarantine, e->name);
	if (platform_rename_durable(from, to, why, sizeof why) != 0)
		return errf(err, err_size, "spool: %s", why);
	return 0;
}
