/* SPDX-License-Identifier: Apache-2.0 */
/* The parts of the host context that are the same on every platform; the
 * rest is in agent/platform/<platform>/host.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/host.h"
#include "hostaudit/platform.h"
#include "util.h"

/* One audit runs its probes one after the other in one thread. */
static int64_t budget_deadline_ms;

void host_budget_set(int64_t deadline_ms)
{
	budget_deadline_ms = deadline_ms;
}

int64_t host_budget_deadline(void)
{
	return budget_deadline_ms;
}

bool host_budget_spent(void)
{
	return budget_deadline_ms && platform_monotonic_ms() >= budget_deadline_ms;
}

const char *host_path(const host *h, const char *path, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s%s", h->root ? h->root : "", path);
	return (n < 0 || (size_t)n >= size) ? NULL : buf;
}

/* Over host_fopen(), so the platform decides how a file is opened. */
int host_read_file(const host *h, const char *path, size_t max, char **data, size_t *len)
{
	FILE *f = host_fopen(h, path);
	if (!f)
		return -errno;
	size_t cap = 4096, n = 0;
	char *buf = xmalloc(cap + 1);
	int err = 0;
	for (;;) {
		if (host_budget_spent()) {
			err = -ETIMEDOUT;
			break;
		}
		if (n == cap) {
			if (cap >= max) {
				err = -EFBIG;
				break;
			}
			cap = cap * 2 > max ? max : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (!err && ferror(f))
		err = -EIO;
	if (!err && n > max) /* the first 4 KiB read can pass a smaller max */
		err = -EFBIG;
	fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*data = buf;
	if (len)
		*len = n;
	return 0;
}

bool host_exists(const host *h, const char *path)
{
	host_stat st;
	return host_stat_path(h, path, &st) == 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void host_names_sort(char **names, size_t count)
{
	if (count > 1)
		qsort(names, count, sizeof *names, cmp_name);
}

void host_names_free(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}
