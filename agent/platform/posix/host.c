/* SPDX-License-Identifier: Apache-2.0 */
/* The host context on POSIX systems. */
#define _GNU_SOURCE
#include "hostaudit/host.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hostaudit/platform.h"

void host_init_live(host *h)
{
	h->root = "";
	h->now = platform_now();
	h->privileged = platform_privileged();
	h->os = "linux";
}

/* Under --root, symbolic links are followed inside the root, as if it
 * were the system's "/": an absolute target is taken from the root, ".."
 * stops at it. Without that, a link such as apt's list of a file:
 * repository (-> /srv/repo/Packages) or a systemd .wants link would be
 * read from the auditing machine. follow_last says whether a link in the
 * last component is followed too (stat) or left (lstat). 0 with root +
 * the resolved path in buf, or a negative errno. */
#define ROOT_MAX_LINKS 40
static int root_resolve(const host *h, const char *path, char *buf, size_t size,
			bool follow_last)
{
	if (!h->root || !h->root[0])
		return host_path(h, path, buf, size) ? 0 : -ENAMETOOLONG;
	char todo[4096], done[4096] = "", link[4096];
	size_t links = 0;
	if ((size_t)snprintf(todo, sizeof todo, "%s", path) >= sizeof todo)
		return -ENAMETOOLONG;
	char *rest = todo;
	while (*rest) {
		while (*rest == '/')
			rest++;
		if (!*rest)
			break;
		size_t n = strcspn(rest, "/");
		char comp[256];
		if (n >= sizeof comp)
			return -ENAMETOOLONG;
		memcpy(comp, rest, n);
		comp[n] = '\0';
		rest += n;
		bool last = rest[strspn(rest, "/")] == '\0';
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			char *slash = strrchr(done, '/');
			if (slash)
				*slash = '\0';
			continue;
		}
		size_t dl = strlen(done);
		if (dl + 1 + n + 1 > sizeof done)
			return -ENAMETOOLONG;
		done[dl] = '/';
		memcpy(done + dl + 1, comp, n + 1);
		if (last && !follow_last)
			break;
		char full[4096];
		struct stat st;
		if (!host_path(h, done, full, sizeof full))
			return -ENAMETOOLONG;
		if (lstat(full, &st) != 0 || !S_ISLNK(st.st_mode))
			continue; /* missing: let the caller's call report it */
		if (++links > ROOT_MAX_LINKS)
			return -ELOOP;
		ssize_t ln = readlink(full, link, sizeof link - 1);
		if (ln < 0)
			return -errno;
		link[ln] = '\0';
		if (link[0] == '/')
			done[0] = '\0';
		else
			done[dl] = '\0';
		/* The target, then what was left of the path. */
		char next[4096];
		if ((size_t)snprintf(next, sizeof next, "%s/%s", link, rest) >= sizeof next)
			return -ENAMETOOLONG;
		memcpy(todo, next, strlen(next) + 1);
		rest = todo;
	}
	return host_path(h, done[0] ? done : "/", buf, size) ? 0 : -ENAMETOOLONG;
}

FILE *host_fopen(const host *h, const char *path)
{
	char p[4096];
	int r = root_resolve(h, path, p, sizeof p, true);
	if (r < 0) {
		errno = -r;
		return NULL;
	}
	int fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	struct stat st = {0};
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		/* A FIFO, device or socket at a path a probe reads is refused:
		 * reading one can block forever or never end. */
		bool dir = S_ISDIR(st.st_mode);
		close(fd);
		errno = dir ? EISDIR : EINVAL;
		return NULL;
	}
	/* O_NONBLOCK only keeps a FIFO from hanging the open. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	FILE *f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

int host_stat_path(const host *h, const char *path, host_stat *out)
{
	char p[4096];
	struct stat st;
	int r = root_resolve(h, path, p, sizeof p, false);
	if (r < 0)
		return r;
	if (lstat(p, &st) != 0)
		return -errno;
	out->is_link = S_ISLNK(st.st_mode);
	if (out->is_link && (root_resolve(h, path, p, sizeof p, true) < 0 || stat(p, &st) != 0))
		memset(&st, 0, sizeof st);
	out->is_dir = S_ISDIR(st.st_mode);
	out->is_reg = S_ISREG(st.st_mode);
	out->size = (uint64_t)st.st_size;
	out->mtime = (int64_t)st.st_mtime;
	out->mode = st.st_mode & 07777;
	out->uid = st.st_uid;
	out->gid = st.st_gid;
	return 0;
}

int host_list_dir(const host *h, const char *path, char ***names, size_t *count)
{
	char p[4096];
	int r = root_resolve(h, path, p, sizeof p, true);
	if (r < 0)
		return r;
	DIR *d = opendir(p);
	if (!d)
		return -errno;
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (host_budget_spent()) {
			closedir(d);
			host_names_free(v, n);
			return -ETIMEDOUT;
		}
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nv = realloc(v, cap * sizeof *v);
			if (!nv)
				goto oom;
			v = nv;
		}
		if (!(v[n] = strdup(e->d_name)))
			goto oom;
		n++;
	}
	closedir(d);
	host_names_sort(v, n);
	*names = v;
	*count = n;
	return 0;
oom:
	closedir(d);
	host_names_free(v, n);
	return -ENOMEM;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void child_exec(const char *const argv[], int out_fd)
{
	static char *const clean_env[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL};
	int null_fd = open("/dev/null", O_RDWR);
	if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(null_fd, 2) < 0)
		_exit(127);
	execve(argv[0], (char *const *)argv, clean_env);
	_exit(127);
}

int host_run(const host *h, const char *const argv[], int timeout_ms, size_t max_out,
	     char **out, size_t *out_len, int *status)
{
	if (h->root && h->root[0])
		return -EPERM;
	if (!argv || !argv[0] || argv[0][0] != '/')
		return -EINVAL;
	if (access(argv[0], X_OK) != 0)
		return -errno;
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(pfd[0]);
		close(pfd[1]);
		return -e;
	}
	if (pid == 0)
		child_exec(argv, pfd[1]);
	close(pfd[1]);

	char *buf = malloc(max_out + 1);
	size_t n = 0;
	bool killed = false;
	int64_t deadline = now_ms() + timeout_ms;
	if (host_budget_deadline() && host_budget_deadline() < deadline)
		deadline = host_budget_deadline(); /* the probe's budget is shorter */
	for (;;) {
		int64_t left = deadline - now_ms();
		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = true;
			break;
		}
		struct pollfd p = {.fd = pfd[0], .events = POLLIN};
		int r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		char chunk[4096];
		ssize_t got = read(pfd[0], chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		size_t take = (size_t)got;
		if (take > max_out - n)
			take = max_out - n; /* cap: keep reading so the child never blocks */
		if (buf)
			memcpy(buf + n, chunk, take);
		n += take;
	}
	close(pfd[0]);
	int ws = 0;
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (!buf)
		return -ENOMEM;
	buf[n] = '\0';
	*status = (!killed && WIFEXITED(ws)) ? WEXITSTATUS(ws) : -1;
	if (out) {
		*out = buf;
		if (out_len)
			*out_len = n;
	} else {
		free(buf);
	}
	return 0;
}
