/* The parts of the host context that are the same on every platform; the
 * rest is in agent/platform/<platform>/host.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/host.h"

const char *host_path(const host *h, const char *path, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s%s", h->root ? h->root : "", path);
	return (n < 0 || (size_t)n >= size) ? NULL : buf;
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
