/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the Linux probes; see probeutil.h. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include "probeutil.h"

#include "linuxconf.h"

#include <ctype.h>
#include <fnmatch.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t civil_to_epoch(int y, int mon, int d, int h, int min, int s)
{
	/* days_from_civil, H. Hinnant's algorithm. */
	y -= mon <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	return days * 86400 + h * 3600 + min * 60 + s;
}

static int parse_fields(const char *s, int *v, const char **rest)
{
	int n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &v[0], &v[1], &v[2], &n) != 3)
		return -1;
	s += n;
	while (*s == ' ' || *s == '\t' || *s == 'T')
		s++;
	n = 0;
	if (sscanf(s, "%2d:%2d:%2d%n", &v[3], &v[4], &v[5], &n) != 3)
		return -1;
	s += n;
	if (*s == '.')
		while (isdigit((unsigned char)*++s))
			;
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60)
		return -1;
	*rest = s;
	return 0;
}

int parse_local_datetime(const char *s, int64_t *epoch)
{
	int v[6];
	const char *rest;

	if (parse_fields(s, v, &rest) < 0)
		return -1;
	struct tm tm = {.tm_year = v[0] - 1900, .tm_mon = v[1] - 1, .tm_mday = v[2],
			.tm_hour = v[3], .tm_min = v[4], .tm_sec = v[5], .tm_isdst = -1};
	time_t t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*epoch = (int64_t)t;
	return 0;
}

int parse_iso8601(const char *s, int64_t *epoch)
{
	int v[6], oh = 0, om = 0;
	const char *rest;

	if (parse_fields(s, v, &rest) < 0)
		return -1;
	int64_t t = civil_to_epoch(v[0], v[1], v[2], v[3], v[4], v[5]);
	if (*rest == '+' || *rest == '-') {
		int sign = *rest == '-' ? -1 : 1;
		if (sscanf(rest + 1, "%2d:%2d", &oh, &om) != 2 && sscanf(rest + 1, "%2d%2d", &oh, &om) != 2)
			return -1;
		t -= sign * (oh * 3600 + om * 60);
	} else if (*rest != 'Z' && *rest != '\0' && !isspace((unsigned char)*rest)) {
		return -1;
	}
	*epoch = t;
	return 0;
}

int proc_find_comm(const host *h, const char *const names[], char *found, size_t size)
{
	char **ents = NULL;
	size_t n = 0;
	char path[64];
	int r = host_list_dir(h, "/proc", &ents, &n), hit = 0;

	if (r < 0)
		return r;
	for (size_t i = 0; i < n && !hit; i++) {
		if (!isdigit((unsigned char)ents[i][0]) || strlen(ents[i]) > 20)
			continue;
		char *comm = NULL;
		size_t len = 0;
		snprintf(path, sizeof path, "/proc/%s/comm", ents[i]);
		if (host_read_file(h, path, 256, &comm, &len) < 0)
			continue; /* the process ended meanwhile */
		comm[strcspn(comm, "\n")] = '\0';
		for (size_t k = 0; names[k]; k++) {
			/* comm is cut at 15 characters by the kernel. */
			if (strncmp(comm, names[k], 15) == 0 && comm[0]) {
				snprintf(found, size, "%s", names[k]);
				hit = 1;
				break;
			}
		}
		free(comm);
	}
	host_names_free(ents, n);
	return hit;
}

int newest_entry(const host *h, const char *dir, int64_t *mtime, char *name, size_t size)
{
	char **ents = NULL;
	size_t n = 0;
	char path[1024];
	int r = host_list_dir(h, dir, &ents, &n), found = 0;

	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		host_stat st;
		if (ents[i][0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, ents[i]) >= sizeof path)
			continue;
		if (host_stat_path(h, path, &st) < 0)
			continue;
		if (!found || st.mtime > *mtime) {
			*mtime = st.mtime;
			snprintf(name, size, "%s", ents[i]);
			found = 1;
		}
	}
	host_names_free(ents, n);
	return found ? 0 : -ENOENT;
}

bool systemd_unit_enabled(const host *h, const char *unit, char *where, size_t size)
{
	return conf_unit_enabled(h, unit, where, size) == 1;
}

int newest_glob(const host *h, const char *pattern, int64_t *mtime, char *match, size_t size,
		size_t *matches)
{
	const char *slash = strrchr(pattern, '/');
	char dir[1024], path[1536];
	char **ents = NULL;
	size_t n = 0;

	*matches = 0;
	if (!slash || (size_t)(slash - pattern) >= sizeof dir)
		return -EINVAL;
	memcpy(dir, pattern, (size_t)(slash - pattern));
	dir[slash - pattern] = '\0';
	if (!dir[0])
		strcpy(dir, "/");
	int r = host_list_dir(h, dir, &ents, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		host_stat st;
		if (fnmatch(slash + 1, ents[i], FNM_PERIOD) != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", strcmp(dir, "/") ? dir : "", ents[i]);
		if (host_stat_path(h, path, &st) < 0)
			continue;
		if (!*matches || st.mtime > *mtime) {
			*mtime = st.mtime;
			snprintf(match, size, "%s", path);
		}
		(*matches)++;
	}
	host_names_free(ents, n);
	return *matches ? 0 : -ENOENT;
}
