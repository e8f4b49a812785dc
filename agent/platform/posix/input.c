/* SPDX-License-Identifier: Apache-2.0 */
/* Reading the agent's own inputs (site config, rule packs, attestations,
 * data files) on POSIX: one open that cannot block, every check on that
 * descriptor, and for a privileged audit the trust of the whole path, as
 * sshd checks authorized_keys: a file others could change must not steer
 * what root does. */
#define _GNU_SOURCE
#include "hostaudit/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool trusted_owner(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/* A file or directory others may not change: owned by root or us, not
 * writable by a group other than root's nor by everyone. */
static bool mode_trusted(const struct stat *st, const char *what, const char *path, char *why,
			 size_t why_size)
{
	if (!trusted_owner(st->st_uid)) {
		snprintf(why, why_size, "%s%s owned by user %u", what, path, (unsigned)st->st_uid);
		return false;
	}
	if (st->st_mode & S_IWOTH) {
		snprintf(why, why_size, "%s%swritable by every user (mode %04o)", what, path,
			 (unsigned)(st->st_mode & 07777));
		return false;
	}
	if ((st->st_mode & S_IWGRP) && st->st_gid != 0) {
		snprintf(why, why_size, "%s%swritable by group %u (mode %04o)", what, path,
			 (unsigned)st->st_gid, (unsigned)(st->st_mode & 07777));
		return false;
	}
	return true;
}

/* A directory on the way: as a file, except that a sticky directory
 * owned by root (/tmp) may be writable by all: nobody but an entry's
 * owner can replace that entry, and the entries are checked too. */
static bool dir_trusted(const struct stat *st, const char *dir, char *why, size_t why_size)
{
	if ((st->st_mode & S_ISVTX) && st->st_uid == 0)
		return true;
	char what[PATH_MAX + 16];
	snprintf(what, sizeof what, "in directory %s ", dir);
	return mode_trusted(st, what, "", why, why_size);
}

/* Each directory above path and (lstat) each link on the way. 0, 1 when
 * not trusted (why set), negative errno. */
static int chain_trusted(const char *path, char *why, size_t why_size)
{
	char buf[PATH_MAX];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return -ENAMETOOLONG;
	size_t len = strlen(buf);
	/* Every prefix ending before a '/', from the top: "/", "/etc", ... */
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '/' || (i > 0 && buf[i - 1] == '/'))
			continue;
		char save = buf[i + (i == 0)];
		buf[i + (i == 0)] = '\0';
		const char *prefix = buf[0] ? buf : ".";
		struct stat st;
		int rc = lstat(prefix, &st);
		if (rc == 0 && S_ISLNK(st.st_mode) && !trusted_owner(st.st_uid)) {
			snprintf(why, why_size, "reached through the link %s owned by user %u",
				 prefix, (unsigned)st.st_uid);
			rc = 1;
		} else if (rc == 0 && stat(prefix, &st) == 0 && S_ISDIR(st.st_mode) &&
			   !dir_trusted(&st, prefix, why, why_size)) {
			rc = 1;
		} else if (rc != 0) {
			rc = -errno;
		}
		buf[i + (i == 0)] = save;
		if (rc)
			return rc;
	}
	if (path[0] != '/') { /* a relative path: the directories above "." too */
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd))
			return -errno;
		return chain_trusted(cwd[1] ? strcat(cwd, "/") : cwd, why, why_size);
	}
	return 0;
}

/* The final component itself, when it is a link: its owner. */
static int link_trusted(const char *path, char *why, size_t why_size)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return -errno;
	if (S_ISLNK(st.st_mode) && !trusted_owner(st.st_uid)) {
		snprintf(why, why_size, "a link owned by user %u", (unsigned)st.st_uid);
		return 1;
	}
	return 0;
}

platform_input_status platform_read_input(const char *path, size_t max, bool strict,
					  char **data, size_t *len, int *err, char *why,
					  size_t why_size)
{
	char real[PATH_MAX];
	const char *open_path = path;
	int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK; /* a FIFO must not hang the open */
	*err = 0;
	why[0] = '\0';
	if (strict) {
		/* The path as given (its links and directories), then as resolved:
		 * the file is opened by its resolved name, without following a
		 * link, so what is opened is what was checked. */
		int r = chain_trusted(path, why, why_size);
		if (r == 0)
			r = link_trusted(path, why, why_size);
		if (r == 0 && !realpath(path, real))
			r = -errno;
		if (r == 0)
			r = chain_trusted(real, why, why_size);
		if (r < 0) {
			*err = -r;
			return PLATFORM_INPUT_CANNOT_OPEN;
		}
		if (r > 0)
			return PLATFORM_INPUT_UNSAFE;
		open_path = real;
		flags |= O_NOFOLLOW;
	}
	int fd = open(open_path, flags);
	if (fd < 0) {
		*err = errno;
		return errno == EISDIR ? PLATFORM_INPUT_DIRECTORY : PLATFORM_INPUT_CANNOT_OPEN;
	}
	struct stat st;
	platform_input_status rc = PLATFORM_INPUT_OK;
	if (fstat(fd, &st) != 0) {
		*err = errno;
		rc = PLATFORM_INPUT_CANNOT_READ;
	} else if (S_ISDIR(st.st_mode)) {
		rc = PLATFORM_INPUT_DIRECTORY;
	} else if (!S_ISREG(st.st_mode)) {
		rc = PLATFORM_INPUT_NOT_REGULAR;
	} else if (strict && !mode_trusted(&st, "", "", why, why_size)) {
		rc = PLATFORM_INPUT_UNSAFE;
	} else if ((uint64_t)st.st_size > max) {
		rc = PLATFORM_INPUT_TOO_LARGE;
	}
	if (rc != PLATFORM_INPUT_OK) {
		close(fd);
		return rc;
	}
	/* Read to the end, not to st_size: the file may grow, and the limit
	 * holds whatever it does. */
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			if (cap > max)
				break;
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			*err = errno;
			rc = PLATFORM_INPUT_CANNOT_READ;
			break;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (!buf) {
		*err = ENOMEM;
		return PLATFORM_INPUT_CANNOT_READ;
	}
	if (rc == PLATFORM_INPUT_OK && n > max)
		rc = PLATFORM_INPUT_TOO_LARGE;
	if (rc != PLATFORM_INPUT_OK) {
		free(buf);
		return rc;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return PLATFORM_INPUT_OK;
}
