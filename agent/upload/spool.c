/* The agent's outbox (include/hostaudit/spool.h). */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "hostaudit/spool.h"

#define SPOOL_MAX_REPORT_BYTES (64u * 1024 * 1024)

static int errf(char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int errf(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

bool uuid_syntax_ok(const char *s)
{
	if (!s || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

static int mkdir_private(const char *dir, char *err, size_t err_size)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return errf(err, err_size, "spool: cannot create %s: %s", dir, strerror(errno));
	struct stat st;
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return errf(err, err_size, "spool: %s is not a directory", dir);
	if (st.st_uid != geteuid())
		return errf(err, err_size, "spool: %s belongs to uid %u, not to us", dir,
			    (unsigned)st.st_uid);
	if ((st.st_mode & 077) && chmod(dir, 0700) != 0)
		return errf(err, err_size, "spool: cannot make %s private: %s", dir,
			    strerror(errno));
	return 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int spool_open(spool *s, const char *dir, size_t max_reports, uint64_t max_bytes, FILE *log,
	       char *err, size_t err_size)
{
	memset(s, 0, sizeof *s);
	s->lock_fd = -1;
	if (!dir || !*dir)
		return errf(err, err_size, "spool: no spool_dir configured");
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
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
	char lock[4200];
	snprintf(lock, sizeof lock, "%s/.lock", s->dir);
	s->lock_fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (s->lock_fd < 0)
		return errf(err, err_size, "spool: cannot open %s: %s", lock, strerror(errno));
	if (flock(s->lock_fd, LOCK_EX) != 0) {
		close(s->lock_fd);
		s->lock_fd = -1;
		return errf(err, err_size, "spool: cannot lock %s: %s", lock, strerror(errno));
	}
	return 0;
}

void spool_close(spool *s)
{
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
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
	if (!uuid_syntax_ok(id))
		return false;
	*seq = v;
	return true;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const spool_entry *)a)->name, ((const spool_entry *)b)->name);
}

int spool_list(const spool *s, spool_entry **entries, size_t *count, char *err,
	       size_t err_size)
{
	*entries = NULL;
	*count = 0;
	DIR *d = opendir(s->dir);
	if (!d)
		return errf(err, err_size, "spool: cannot read %s: %s", s->dir, strerror(errno));
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		uint64_t seq;
		char id[37];
		if (!parse_name(de->d_name, &seq, id))
			continue; /* temp files, the lock, strangers */
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (*count == cap) {
			cap = cap ? cap * 2 : 16;
			spool_entry *ne = realloc(*entries, cap * sizeof **entries);
			if (!ne) {
				closedir(d);
				free(*entries);
				*entries = NULL;
				*count = 0;
				return errf(err, err_size, "spool: out of memory");
			}
			*entries = ne;
		}
		spool_entry *e = &(*entries)[(*count)++];
		memcpy(e->name, de->d_name, strlen(de->d_name) + 1); /* 62 bytes: parse_name */
		memcpy(e->report_id, id, sizeof e->report_id);
		e->size = (uint64_t)st.st_size;
	}
	closedir(d);
	if (*count)
		qsort(*entries, *count, sizeof **entries, cmp_entry);
	return 0;
}

static uint64_t now_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* temp in dir, fsync, rename to dir/name, fsync dir. */
static int write_atomic(const char *dir, const char *name, const void *data, size_t len,
			char *err, size_t err_size)
{
	char tmp[4200], dst[4200];
	snprintf(tmp, sizeof tmp, "%s/.tmp-XXXXXX", dir);
	snprintf(dst, sizeof dst, "%s/%s", dir, name);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return errf(err, err_size, "spool: cannot create a file in %s: %s", dir,
			    strerror(errno));
	if (fchmod(fd, 0600) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return errf(err, err_size, "spool: cannot write %s: %s", tmp, strerror(e));
	}
	if (close(fd) != 0 || rename(tmp, dst) != 0) {
		int e = errno;
		unlink(tmp);
		return errf(err, err_size, "spool: cannot rename to %s: %s", dst, strerror(e));
	}
	if (fsync_dir(dir) != 0)
		return errf(err, err_size, "spool: cannot flush directory %s: %s", dir,
			    strerror(errno));
	return 0;
}

static void logf_(const spool *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
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

int spool_put(spool *s, const char *report_id, const void *data, size_t len, char *err,
	      size_t err_size)
{
	if (!uuid_syntax_ok(report_id))
		return errf(err, err_size, "spool: report_id '%s' is not a UUID", report_id);
	if (len > SPOOL_MAX_REPORT_BYTES)
		return errf(err, err_size, "spool: report of %zu bytes is too large", len);
	spool_entry *es;
	size_t n;
	if (spool_list(s, &es, &n, err, err_size) != 0)
		return -1;
	uint64_t seq = now_us();
	for (size_t i = 0; i < n; i++) {
		uint64_t sq;
		char id[37];
		if (parse_name(es[i].name, &sq, id) && sq >= seq)
			seq = sq + 1; /* clock went back, or same microsecond */
		if (strcasecmp(id, report_id) == 0) {
			free(es);
			return 0; /* already waiting: a report is spooled once */
		}
	}
	free(es);
	char name[SPOOL_NAME_MAX];
	snprintf(name, sizeof name, "%020" PRIu64 "-%s.json", seq, report_id);
	if (write_atomic(s->dir, name, data, len, err, err_size) != 0)
		return -1;
	return enforce_bounds(s, name, err, err_size);
}

int spool_read(const spool *s, const spool_entry *e, char **data, size_t *len, char *err,
	       size_t err_size)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", s->dir, e->name);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errf(err, err_size, "spool: cannot open %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > SPOOL_MAX_REPORT_BYTES) {
		close(fd);
		return errf(err, err_size, "spool: %s is not a report file", path);
	}
	char *buf = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (buf && got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!buf || got != (size_t)st.st_size) {
		free(buf);
		return errf(err, err_size, "spool: cannot read %s", path);
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

int spool_remove(const spool *s, const spool_entry *e, char *err, size_t err_size)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", s->dir, e->name);
	if (unlink(path) != 0 && errno != ENOENT)
		return errf(err, err_size, "spool: cannot remove %s: %s", path, strerror(errno));
	if (fsync_dir(s->dir) != 0)
		return errf(err, err_size, "spool: cannot flush directory %s: %s", s->dir,
			    strerror(errno));
	return 0;
}

int spool_quarantine(const spool *s, const spool_entry *e, const char *reason, char *err,
		     size_t err_size)
{
	char from[4200], to[4200], rname[SPOOL_NAME_MAX + 8];
	snprintf(rname, sizeof rname, "%s.reason", e->name);
	size_t rl = strlen(reason);
	char *text = malloc(rl + 2);
	if (!text)
		return errf(err, err_size, "spool: out of memory");
	memcpy(text, reason, rl);
	text[rl] = '\n';
	int rc = write_atomic(s->quarantine, rname, text, rl + 1, err, err_size);
	free(text);
	if (rc != 0)
		return -1;
	snprintf(from, sizeof from, "%s/%s", s->dir, e->name);
	snprintf(to, sizeof to, "%s/%s", s->quarantine, e->name);
	if (rename(from, to) != 0)
		return errf(err, err_size, "spool: cannot move %s to %s: %s", from, to,
			    strerror(errno));
	if (fsync_dir(s->quarantine) != 0 || fsync_dir(s->dir) != 0)
		return errf(err, err_size, "spool: cannot flush %s: %s", s->quarantine,
			    strerror(errno));
	return 0;
}
