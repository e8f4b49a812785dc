/* SPDX-License-Identifier: Apache-2.0 */
/* Platform services on POSIX systems. */
#define _GNU_SOURCE
#include "hostaudit/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int platform_write_file_atomic(const char *path, const void *data, size_t len)
{
	char tmp[4096], dir[4096];
	if (snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path) >= (int)sizeof tmp ||
	    snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
		return -ENAMETOOLONG;
	int fd = mkostemp(tmp, O_CLOEXEC); /* created 0600 */
	if (fd < 0)
		return -errno;
	const char *p = data;
	size_t left = len;
	int err = 0;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			err = -errno;
			break;
		}
		p += w;
		left -= (size_t)w;
	}
	if (!err && fchmod(fd, 0600) != 0)
		err = -errno;
	if (!err && fsync(fd) != 0)
		err = -errno;
	if (close(fd) != 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) != 0)
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		if (fsync(dfd) != 0)
			err = -errno;
		close(dfd);
	}
	return err;
}

bool platform_privileged(void)
{
	return geteuid() == 0;
}

static void watchdog_fired(int sig)
{
	(void)sig;
	static const char msg[] = "hostaudit: the probes ran past the audit's deadline; "
				  "stopped without a report\n";
	ssize_t w = write(2, msg, sizeof msg - 1); /* async-signal-safe */
	(void)w;
	_exit(2);
}

void platform_watchdog(unsigned seconds)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = seconds ? watchdog_fired : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

void platform_console_init(void)
{
}

bool platform_isatty(FILE *f)
{
	return isatty(fileno(f)) == 1;
}

int platform_terminal_columns(FILE *f)
{
	struct winsize ws;
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) != 0)
		return 0;
	return ws.ws_col;
}

int64_t platform_now(void)
{
	return (int64_t)time(NULL);
}

void platform_hostname(char *buf, size_t size)
{
	if (gethostname(buf, size) != 0)
		snprintf(buf, size, "unknown");
	buf[size - 1] = '\0';
}
