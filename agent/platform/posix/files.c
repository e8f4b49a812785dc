/* SPDX-License-Identifier: Apache-2.0 */
/* The file operations the spool needs, on POSIX (include/hostaudit/platform.h):
 * durability is fsync of the file and then of the directory that names it,
 * privacy is the owner and mode 0700/0600, the lock is flock. */
#define _GNU_SOURCE
#include "hostaudit/compiler.h"
#include "hostaudit/platform.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef HOSTAUDIT_RULES_DIR
#define HOSTAUDIT_RULES_DIR "/usr/share/hostaudit/rules"
#endif
#ifndef HOSTAUDIT_LOCALEDIR
#define HOSTAUDIT_LOCALEDIR "/usr/share/locale"
#endif

const char *platform_default_path(platform_location which)
{
	switch (which) {
	case PLATFORM_CONFIG_FILE: return "/etc/hostaudit/hostaudit.yaml";
	case PLATFORM_RULES_DIR: return HOSTAUDIT_RULES_DIR;
	case PLATFORM_SPOOL_DIR: return "/var/spool/hostaudit";
	case PLATFORM_LOCALE_DIR: return HOSTAUDIT_LOCALEDIR;
	case PLATFORM_ATTEST_FILE: return "/var/lib/hostaudit/attestations.yaml";
	case PLATFORM_POLICY_DIR: return "/var/lib/hostaudit/policy";
	}
	return "";
}

static int errf(char *err, size_t size, const char *fmt, ...) HOSTAUDIT_PRINTF(3, 4);
static int errf(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

int platform_mkdir_private(const char *dir, char *err, size_t err_size)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return errf(err, err_size, "cannot create %s: %s", dir, strerror(errno));
	struct stat st;
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return errf(err, err_size, "%s is not a directory", dir);
	if (st.st_uid != geteuid())
		return errf(err, err_size, "%s belongs to uid %u, not to us", dir, (unsigned)st.st_uid);
	if ((st.st_mode & 077) && chmod(dir, 0700) != 0)
		return errf(err, err_size, "cannot make %s private: %s", dir, strerror(errno));
	return 0;
}

int platform_list_files(const char *dir, int (*fn)(void *ctx, const char *name, uint64_t size),
			void *ctx, char *err, size_t err_size)
{
	DIR *d = opendir(dir);
	if (!d)
		return errf(err, err_size, "cannot read %s: %s", dir, strerror(errno));
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		rc = fn(ctx, de->d_name, (uint64_t)st.st_size);
	}
	closedir(d);
	return rc;
}

static int fsync_dir_of(const char *path)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(dirname(buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

int platform_write_file_durable(const char *path, const void *data, size_t len, char *err,
				size_t err_size)
{
	int rc = platform_write_file_atomic(path, data, len);
	if (rc != 0)
		return errf(err, err_size, "cannot write %s: %s", path, strerror(-rc));
	return 0;
}

int platform_rename_durable(const char *from, const char *to, char *err, size_t err_size)
{
	if (rename(from, to) != 0)
		return errf(err, err_size, "cannot move %s to %s: %s", from, to, strerror(errno));
	if (fsync_dir_of(to) != 0 || fsync_dir_of(from) != 0)
		return errf(err, err_size, "cannot flush the directories of %s and %s: %s", from, to,
			    strerror(errno));
	return 0;
}

int platform_remove_durable(const char *path, char *err, size_t err_size)
{
	if (unlink(path) != 0 && errno != ENOENT)
		return errf(err, err_size, "cannot remove %s: %s", path, strerror(errno));
	if (fsync_dir_of(path) != 0)
		return errf(err, err_size, "cannot flush the directory of %s: %s", path,
			    strerror(errno));
	return 0;
}

static int read_fd(int fd, const char *path, size_t max, bool secret, char **data, size_t *len,
		   char *err, size_t err_size)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return errf(err, err_size, "%s is not a regular file", path);
	if ((uint64_t)st.st_size > max)
		return errf(err, err_size, "%s is larger than %zu bytes", path, max);
	if (secret && (st.st_mode & 077))
		return errf(err, err_size, "%s is readable by others (mode %04o); run chmod 600 %s",
			    path, (unsigned)(st.st_mode & 07777), path);
	size_t size = (size_t)st.st_size, got = 0;
	char *buf = malloc(size + 1);
	if (!buf)
		return errf(err, err_size, "out of memory reading %s", path);
	while (got < size) {
		ssize_t r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got != size) {
		free(buf);
		return errf(err, err_size, "cannot read %s", path);
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

static int read_file(const char *path, size_t max, bool secret, char **data, size_t *len,
		     char *err, size_t err_size)
{
	/* O_NONBLOCK: a FIFO planted at the path must not hang the agent
	 * before read_fd refuses it; it changes nothing for a regular file. */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return errf(err, err_size, "cannot open %s: %s", path, strerror(errno));
	int rc = read_fd(fd, path, max, secret, data, len, err, err_size);
	close(fd);
	return rc;
}

int platform_read_regular_file(const char *path, size_t max, char **data, size_t *len,
			       char *err, size_t err_size)
{
	return read_file(path, max, false, data, len, err, err_size);
}

int platform_read_secret_file(const char *path, size_t max, char **data, size_t *len,
			      char *err, size_t err_size)
{
	return read_file(path, max, true, data, len, err, err_size);
}

int platform_lock(const char *path, intptr_t *handle, char *err, size_t err_size)
{
	*handle = -1;
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errf(err, err_size, "cannot open %s: %s", path, strerror(errno));
	while (flock(fd, LOCK_EX) != 0) {
		if (errno == EINTR)
			continue;
		int e = errno;
		close(fd);
		return errf(err, err_size, "cannot lock %s: %s", path, strerror(e));
	}
	*handle = fd;
	return 0;
}

void platform_unlock(intptr_t *handle)
{
	if (*handle >= 0)
		close((int)*handle);
	*handle = -1;
}

int64_t platform_monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void platform_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

void platform_wipe(void *p, size_t n)
{
	explicit_bzero(p, n);
}

int platform_system_proxy(char **list, char **bypass)
{
	*list = *bypass = NULL;
	return 0;
}

uint64_t platform_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}
