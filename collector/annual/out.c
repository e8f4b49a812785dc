/* SPDX-License-Identifier: Apache-2.0 */
/* The one place the annual report's files are written (model.h): a
 * temporary file of the owner's (0600) beside the target, renamed over it
 * once complete. The report's signature (FILE.sig, report_sign.c) is made
 * by the `report` command on the file once it is in place. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "i18n.h"

/* Whatever is at path must be nothing or a regular file: never write
 * through a symbolic link someone left there (--out may be in a shared
 * directory), never replace a FIFO or a directory. */
static int check_target(const char *path, char *err, size_t err_size)
{
	struct stat sb;
	if (lstat(path, &sb) != 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, err_size, _("%s: not a regular file"), path);
		return -1;
	}
	return 0;
}

int am_out_reserve(am_out *o, const char *path, char *err, size_t err_size)
{
	memset(o, 0, sizeof *o);
	o->fd = -1;
	if (check_target(path, err, err_size) != 0)
		return -1;
	snprintf(o->path, sizeof o->path, "%s", path);
	for (int i = 0; i < 100; i++) {
		snprintf(o->tmp, sizeof o->tmp, "%s.tmp%d-%d", path, (int)getpid(), i);
		o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (o->fd >= 0) {
			o->wb = am_writeback_start(o->fd);
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	snprintf(err, err_size, "%s: %s", o->tmp, strerror(errno));
	o->tmp[0] = '\0';
	return -1;
}

/* The file made durable before it is renamed into place: through the
 * stream when it is ours, else (libxlsxwriter wrote it) by its name,
 * so that a writer that replaced the file is synced too. */
static int out_sync(am_out *o)
{
	am_writeback_stop(o->wb);
	o->wb = NULL;
	int rc = 0;
	if (o->f) {
		if (fflush(o->f) != 0 || fsync(fileno(o->f)) != 0 || ferror(o->f))
			rc = -1;
		if (fclose(o->f) != 0)
			rc = -1;
		o->f = NULL;
		o->fd = -1; /* closed with the stream */
		return rc;
	}
	if (o->fd >= 0) {
		close(o->fd);
		o->fd = -1;
	}
	int fd = open(o->tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0)
		rc = -1;
	if (fd >= 0)
		close(fd);
	return rc;
}

int am_out_open(am_out *o, const char *path, char *err, size_t err_size)
{
	if (!path) {
		memset(o, 0, sizeof *o);
		o->fd = -1;
		if (am_spool_open(&o->to_stdout, NULL, err, err_size) != 0)
			return -1;
		o->f = o->to_stdout.f;
		return 0;
	}
	if (am_out_reserve(o, path, err, err_size) != 0)
		return -1;
	o->f = fdopen(o->fd, "w");
	if (!o->f) {
		snprintf(err, err_size, "%s: %s", o->tmp, strerror(errno));
		am_out_abort(o);
		return -1;
	}
	setvbuf(o->f, NULL, _IOFBF, 1 << 20); /* millions of small writes */
	__fsetlocking(o->f, FSETLOCKING_BYCALLER); /* one thread: no lock per call */
	return 0;
}

int am_out_commit(am_out *o, char *err, size_t err_size)
{
	if (o->to_stdout.f) {
		int rc = am_spool_copy(&o->to_stdout, stdout, err, err_size);
		if (fflush(stdout) != 0 && rc == 0) {
			snprintf(err, err_size, _("stdout: %s"), strerror(errno));
			rc = -1;
		}
		am_spool_close(&o->to_stdout);
		o->f = NULL;
		return rc;
	}
	int rc = out_sync(o);
	if (rc == 0 && (check_target(o->path, err, err_size) != 0 ||
			rename(o->tmp, o->path) != 0)) {
		if (!err[0])
			snprintf(err, err_size, "%s: %s", o->path, strerror(errno));
		rc = -1;
	} else if (rc != 0) {
		snprintf(err, err_size, "%s: %s", o->path, strerror(errno));
	}
	if (rc != 0)
		unlink(o->tmp);
	return rc;
}

void am_out_abort(am_out *o)
{
	if (o->to_stdout.f) {
		am_spool_close(&o->to_stdout);
		o->f = NULL;
		return;
	}
	am_writeback_stop(o->wb);
	o->wb = NULL;
	if (o->f)
		fclose(o->f);
	else if (o->fd >= 0)
		close(o->fd);
	if (o->tmp[0])
		unlink(o->tmp);
	o->f = NULL;
	o->fd = -1;
}

void am_csv_cell(FILE *f, const char *s, bool last)
{
	fputc('"', f);
	if (s[0] && strchr("=+-@\t\r", s[0]))
		fputc('\'', f); /* a cell Excel would run as a formula */
	for (const char *q; (q = strchr(s, '"')); s = q + 1) {
		fwrite(s, 1, (size_t)(q - s) + 1, f);
		fputc('"', f); /* "" inside a quoted cell */
	}
	fputs(s, f);
	fputs(last ? "\"\r\n" : "\",", f);
}

/* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm): a
 * time written millions of times without strftime's cost. */
void am_time(int64_t t, char b[21])
{
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400, secs = t - days * 86400;
	/* the rows come day by day: the last day's date again, only the
	 * clock to write (three times per evidence row) */
	static _Thread_local int64_t last_days = INT64_MIN;
	static _Thread_local char last_date[11];
	if (days == last_days) {
		memcpy(b, last_date, 11);
		int v[3] = {(int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60)};
		for (int i = 0; i < 3; i++) {
			b[11 + i * 3] = (char)('0' + v[i] / 10);
			b[12 + i * 3] = (char)('0' + v[i] % 10);
		}
		b[13] = b[16] = ':';
		b[19] = 'Z';
		b[20] = '\0';
		return;
	}
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	int64_t mo = mp < 10 ? mp + 3 : mp - 9;
	y += mo <= 2;
	if (y < 0 || y > 9999) {
		rfc3339_format(t, b);
		return;
	}
	int v[6] = {(int)y, (int)mo, (int)d, (int)(secs / 3600), (int)(secs / 60 % 60),
		    (int)(secs % 60)};
	b[0] = (char)('0' + v[0] / 1000);
	b[1] = (char)('0' + v[0] / 100 % 10);
	b[2] = (char)('0' + v[0] / 10 % 10);
	b[3] = (char)('0' + v[0] % 10);
	static const char sep[] = "--T::Z";
	for (int i = 1; i < 6; i++) {
		b[4 + (i - 1) * 3] = sep[i - 1];
		b[5 + (i - 1) * 3] = (char)('0' + v[i] / 10);
		b[6 + (i - 1) * 3] = (char)('0' + v[i] % 10);
	}
	b[19] = 'Z';
	b[20] = '\0';
	last_days = days;
	memcpy(last_date, b, 11);
}

void am_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t run = 0;
		while (p[run] >= 0x20 && p[run] != '"' && p[run] != '\\')
			run++;
		fwrite(p, 1, run, f);
		p += run;
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p++);
		else if (*p)
			fprintf(f, "\\u%04x", *p++);
	}
	fputc('"', f);
}

void am_csv_row(FILE *f, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		am_csv_cell(f, va_arg(ap, const char *), i == n - 1);
	va_end(ap);
}
