/* SPDX-License-Identifier: Apache-2.0 */
/* A small regular file that must be private, read (secret_file.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret_file.h"
#include "i18n.h"

char *secret_file_read(const char *path, size_t max_bytes, bool must_be_private, char *why,
		       size_t why_size)
{
	/* O_NONBLOCK: a FIFO at that name must not hang the start */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uintmax_t)st.st_size > (uintmax_t)max_bytes) {
		snprintf(why, why_size, "%s", fd < 0 ? strerror(errno) : _("not a small regular file"));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (must_be_private && (st.st_mode & 077)) {
		snprintf(why, why_size, "readable by others (mode %04o); chmod 600 it",
			 (unsigned)(st.st_mode & 07777));
		close(fd);
		return NULL;
	}
	char *buf = calloc(1, (size_t)st.st_size + 1);
	ssize_t n = buf ? read(fd, buf, (size_t)st.st_size) : -1;
	close(fd);
	if (n != st.st_size) {
		free(buf);
		snprintf(why, why_size, "cannot read");
		return NULL;
	}
	return buf;
}
