/* SPDX-License-Identifier: Apache-2.0 */
/* The evidence list's spool (model.h): the summary prints the list's
 * SHA-256 before the list, so the rows read once in am_build wait here,
 * formatted, until the format reaches the list's place. An unlinked file
 * of the owner's: nothing is left behind, whatever happens; memory stays
 * flat (millions of rows at 10,000 hosts). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "model.h"

int am_spool_open(am_spool *sp, const char *dir, char *err, size_t err_size)
{
	memset(sp, 0, sizeof *sp);
	sp->first = true;
	int fd = -1;
#ifdef O_TMPFILE
	if (dir)
		fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
	if (fd < 0) { /* no O_TMPFILE there: a named file, unlinked at once */
		const char *t = dir ? dir : getenv("TMPDIR");
		char path[4200];
		snprintf(path, sizeof path, "%s/.hostaudit-evidence.XXXXXX", t && *t ? t : "/tmp");
		fd = mkostemp(path, O_CLOEXEC);
		if (fd >= 0)
			unlink(path);
	}
	sp->f = fd >= 0 ? fdopen(fd, "w+") : NULL;
	if (!sp->f) {
		snprintf(err, err_size, _("evidence spool in %s: %s"), dir ? dir : "TMPDIR",
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setvbuf(sp->f, NULL, _IOFBF, 1 << 20);
	__fsetlocking(sp->f, FSETLOCKING_BYCALLER); /* one thread: no lock per call */
	return 0;
}

int am_spool_copy(am_spool *sp, FILE *to, char *err, size_t err_size)
{
	if (!sp->f || sp->direct)
		return 0;
	if (fflush(sp->f) != 0 || ferror(sp->f)) {
		snprintf(err, err_size, _("evidence spool: %s"), strerror(errno));
		return -1;
	}
	/* in the kernel when both are files (no copy through user memory) */
	off_t end = ftello(sp->f), at = 0;
	if (end < 0 || fseeko(sp->f, 0, SEEK_SET) != 0 || fflush(to) != 0) {
		snprintf(err, err_size, _("evidence spool: %s"), strerror(errno));
		return -1;
	}
	while (at < end) {
		ssize_t n = copy_file_range(fileno(sp->f), &at, fileno(to), NULL,
					    (size_t)(end - at), 0);
		if (n <= 0)
			break; /* not here (a pipe, another file system...): by hand */
	}
	if (at == end)
		return 0;
	if (fseeko(sp->f, at, SEEK_SET) != 0) {
		snprintf(err, err_size, _("evidence spool: %s"), strerror(errno));
		return -1;
	}
	enum { CHUNK = 1 << 20 };
	char *buf = malloc(CHUNK);
	if (!buf) {
		snprintf(err, err_size, _("out of memory"));
		return -1;
	}
	size_t n;
	while ((n = fread(buf, 1, CHUNK, sp->f)) > 0)
		if (fwrite(buf, 1, n, to) != n)
			break;
	free(buf);
	if (ferror(sp->f) || ferror(to)) {
		snprintf(err, err_size, _("evidence list: %s"), strerror(errno));
		return -1;
	}
	return 0;
}

void am_spool_close(am_spool *sp)
{
	if (sp->f && !sp->direct)
		fclose(sp->f);
	sp->f = NULL;
}
