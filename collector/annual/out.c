/* SPDX-License-Identifier: Apache-2.0 */
/* The one place the annual report's files are written (model.h): a
 * temporary file of the owner's (0600) beside the target, renamed over it
 * once complete. The report's signature (FILE.sig, branch evidence) is
 * made in am_out_commit(), on the finished file, before the rename. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"

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
		snprintf(err, err_size, "%s: not a regular file", path);
		return -1;
	}
	return 0;
}

int am_out_reserve(am_out *o, const char *path, char *err, size_t err_size)
{
	memset(o, 0, sizeof *o);
	if (check_target(path, err, err_size) != 0)
		return -1;
	snprintf(o->path, sizeof o->path, "%s", path);
	for (int i = 0; i < 100; i++) {
		snprintf(o->tmp, sizeof o->tmp, "%s.tmp%d-%d", path, (int)getpid(), i);
		int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	snprintf(err, err_size, "%s: %s", o->tmp, strerror(errno));
	o->tmp[0] = '\0';
	return -1;
}

int am_out_open(am_out *o, const char *path, char *err, size_t err_size)
{
	if (!path) {
		memset(o, 0, sizeof *o);
		o->f = stdout;
		return 0;
	}
	if (am_out_reserve(o, path, err, err_size) != 0)
		return -1;
	int fd = open(o->tmp, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
	o->f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!o->f) {
		if (fd >= 0)
			close(fd);
		snprintf(err, err_size, "%s: %s", o->tmp, strerror(errno));
		unlink(o->tmp);
		return -1;
	}
	return 0;
}

int am_out_commit(am_out *o, char *err, size_t err_size)
{
	if (o->f == stdout)
		return fflush(stdout) == 0 ? 0 : -1;
	int rc = 0;
	if (o->f) {
		if (fflush(o->f) != 0 || fsync(fileno(o->f)) != 0 || ferror(o->f))
			rc = -1;
		if (fclose(o->f) != 0)
			rc = -1;
		o->f = NULL;
	}
	/* branch evidence: the detached signature of o->tmp goes here */
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
	if (o->f && o->f != stdout)
		fclose(o->f);
	if (o->f != stdout && o->tmp[0])
		unlink(o->tmp);
	o->f = NULL;
}

void am_csv_cell(FILE *f, const char *s, bool last)
{
	fputc('"', f);
	if (s[0] && strchr("=+-@\t\r", s[0]))
		fputc('\'', f); /* a cell Excel would run as a formula */
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputs(last ? "\"\r\n" : "\",", f);
}

void am_csv_row(FILE *f, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		am_csv_cell(f, va_arg(ap, const char *), i == n - 1);
	va_end(ap);
}
