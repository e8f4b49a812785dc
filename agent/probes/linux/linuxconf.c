/* SPDX-License-Identifier: Apache-2.0 */
/* Reading Linux configuration for the probes (see linuxconf.h). */
#include "linuxconf.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "hostaudit/facts.h"
#include "util.h"

int conf_read(const host *h, const char *path, char **data)
{
	return host_read_file(h, path, CONF_MAX_BYTES, data, NULL);
}

void conf_each_line(char *data, line_fn fn, void *ctx)
{
	int lineno = 0;
	for (char *p = data; p && *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		size_t len = strlen(p);
		if (len && p[len - 1] == '\r')
			p[len - 1] = '\0';
		if (!fn(p, ++lineno, ctx))
			return;
		p = nl ? nl + 1 : NULL;
	}
}

char *conf_trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

bool conf_parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1", NULL};
	static const char *const no[] = {"no", "false", "off", "0", NULL};
	for (size_t i = 0; yes[i]; i++) {
		if (!strcasecmp(v, yes[i]))
			return *out = true, true;
		if (!strcasecmp(v, no[i]))
			return *out = false, true;
	}
	return false;
}

typedef struct ini_state {
	char section[256];
	ini_fn fn;
	void *ctx;
} ini_state;

static bool ini_line(char *line, int lineno, void *ctx)
{
	ini_state *st = ctx;
	char *p = conf_trim(line);
	if (*p == '#' || *p == ';' || *p == '\0')
		return true;
	if (*p == '[') {
		/* KDE appends kiosk flags: "[Daemon][$i]"; keep them, the caller
		 * decides what they mean. */
		char *end = strrchr(p, ']');
		if (end) {
			*end = '\0';
			snprintf(st->section, sizeof st->section, "%s", p + 1);
		}
		return true;
	}
	char *eq = strchr(p, '=');
	if (!eq)
		return true;
	*eq = '\0';
	st->fn(st->section, conf_trim(p), conf_trim(eq + 1), lineno, st->ctx);
	return true;
}

void conf_each_ini(char *data, ini_fn fn, void *ctx)
{
	ini_state st = {.fn = fn, .ctx = ctx};
	conf_each_line(data, ini_line, &st);
}

int conf_readlink(const host *h, const char *path, char *buf, size_t size)
{
	char p[4096];
	if (!host_path(h, path, p, sizeof p))
		return -ENAMETOOLONG;
	ssize_t n = readlink(p, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* Where systemd looks for unit files, the first found winning (the
 * generator and .control directories left aside). */
static const char *const unit_dirs[] = {"/etc/systemd/system", "/run/systemd/system",
					"/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
					"/lib/systemd/system", NULL};

/* A link in some <target>.wants/ or .requires/ of dir; 1 found. */
static int wanted_in(const host *h, const char *dir, const char *unit, char *where, size_t size)
{
	char **names;
	size_t n;
	char path[1024];
	int found = 0;
	if (host_list_dir(h, dir, &names, &n) != 0)
		return 0;
	for (size_t i = 0; i < n && !found; i++) {
		if (!ends_with(names[i], ".wants") && !ends_with(names[i], ".requires"))
			continue;
		snprintf(path, sizeof path, "%s/%.200s/%.200s", dir, names[i], unit);
		host_stat st;
		if (host_stat_path(h, path, &st) == 0) {
			snprintf(where, size, "%s", path);
			found = 1;
		}
	}
	host_names_free(names, n);
	return found;
}

int conf_unit_enabled(const host *h, const char *unit, char *where, size_t size)
{
	char path[512], target[512];
	const char *file = NULL;
	/* The unit file systemd would load: a link to /dev/null or an empty
	 * file there is a mask, whatever .wants links remain (a package
	 * removed but not purged leaves exactly that). */
	for (size_t i = 0; unit_dirs[i] && !file; i++) {
		host_stat st;
		snprintf(path, sizeof path, "%s/%.200s", unit_dirs[i], unit);
		if (host_stat_path(h, path, &st) != 0)
			continue;
		if (st.is_link && conf_readlink(h, path, target, sizeof target) == 0 &&
		    !strcmp(target, "/dev/null")) {
			fact_buf_set(where, size, "%s is masked (link to /dev/null)", path);
			return -1;
		}
		if (!st.is_reg)
			continue; /* a dangling link loads nothing */
		if (st.size == 0) {
			fact_buf_set(where, size, "%s is masked (empty file)", path);
			return -1;
		}
		file = path;
	}
	if (!file) {
		fact_buf_set(where, size,
			     "no unit file %s in /etc/systemd/system, /run/systemd/system or "
			     "/{usr/,usr/local/,}lib/systemd/system",
			     unit);
		return 0;
	}
	for (size_t i = 0; unit_dirs[i]; i++)
		if (wanted_in(h, unit_dirs[i], unit, where, size))
			return 1;
	fact_buf_set(where, size, "no link to %s in any *.wants/ or *.requires/ directory", unit);
	return 0;
}

bool conf_login_shell(const char *shell)
{
	const char *base = strrchr(shell, '/') ? strrchr(shell, '/') + 1 : shell;
	return *shell && strcmp(base, "nologin") && strcmp(base, "false") && strcmp(base, "sync") &&
	       strcmp(base, "shutdown") && strcmp(base, "halt");
}

typedef struct uid_range {
	long min, max;
} uid_range;

static bool login_defs_line(char *line, int lineno, void *ctx)
{
	(void)lineno;
	uid_range *r = ctx;
	char key[32];
	long v;
	if (sscanf(line, " %31s %ld", key, &v) == 2) {
		if (!strcmp(key, "UID_MIN"))
			r->min = v;
		else if (!strcmp(key, "UID_MAX"))
			r->max = v;
	}
	return true;
}

typedef struct passwd_walk {
	uid_range r;
	account *v;
	size_t n;
} passwd_walk;

static bool passwd_line(char *line, int lineno, void *ctx)
{
	(void)lineno;
	passwd_walk *w = ctx;
	char *f[7];
	int n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < 7; p++)
		if (*p == ':') {
			*p = '\0';
			f[n++] = p + 1;
		}
	if (n != 7)
		return true;
	long uid = strtol(f[2], NULL, 10);
	if (uid < w->r.min || uid > w->r.max || !conf_login_shell(f[6]))
		return true;
	w->v = xrealloc(w->v, (w->n + 1) * sizeof *w->v);
	w->v[w->n].name = xstrdup(f[0]);
	w->v[w->n].home = xstrdup(f[5]);
	w->n++;
	return true;
}

int conf_human_accounts(const host *h, account **out, size_t *count)
{
	passwd_walk w = {.r = {1000, 60000}};
	char *data;
	if (conf_read(h, "/etc/login.defs", &data) == 0) {
		conf_each_line(data, login_defs_line, &w.r);
		free(data);
	}
	int rc = conf_read(h, "/etc/passwd", &data);
	if (rc != 0)
		return rc;
	conf_each_line(data, passwd_line, &w);
	free(data);
	*out = w.v;
	*count = w.n;
	return 0;
}

void conf_accounts_free(account *a, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(a[i].name);
		free(a[i].home);
	}
	free(a);
}

void conf_append(char *buf, size_t size, const char *fmt, ...)
{
	/* fact_buf_vappend: each piece stays a message of its own, so that
	 * the evidence built here is translated piece by piece. */
	va_list ap;
	va_start(ap, fmt);
	fact_buf_vappend(buf, size, "; ", fmt, ap);
	va_end(ap);
}
