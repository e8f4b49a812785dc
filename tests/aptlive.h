/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the live apt parity tests: reading `apt list --upgradable`
 * into the probe's naming ("name", or "name:arch" for a foreign
 * architecture) and comparing with the probe's list. */
#ifndef HOSTAUDIT_APTLIVE_H
#define HOSTAUDIT_APTLIVE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probetest.h"

static inline bool have_lists(void)
{
	char **names = NULL;
	size_t n = 0;
	bool found = false;
	host h;

	host_init_live(&h);
	if (host_list_dir(&h, "/var/lib/apt/lists", &names, &n) < 0)
		return false;
	for (size_t i = 0; i < n; i++)
		found |= strstr(names[i], "_Packages") != NULL;
	host_names_free(names, n);
	return found;
}

static inline char *run(const host *h, const char *const argv[])
{
	char *out = NULL;
	size_t len = 0;
	int status = 0;
	if (host_run(h, argv, 60000, 16 << 20, &out, &len, &status) != 0 || status != 0)
		fail_msg("%s failed (status %d)", argv[0], status);
	return out;
}

/* "name/suite[,suite] version arch [upgradable from: v]" -> "name" or
 * "name:arch" for a foreign architecture, as the probe names them. */
static inline void parse_apt(const char *out, const char *native, fact_list *all, size_t *security)
{
	char *copy = strdup(out), *save = NULL;
	*security = 0;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char name[256], suites[512], ver[256], arch[64], item[330];
		if (sscanf(l, "%255[^/]/%511s %255s %63s", name, suites, ver, arch) != 4)
			continue; /* "Listing..." */
		if (strcmp(arch, native) && strcmp(arch, "all"))
			snprintf(item, sizeof item, "%s:%s", name, arch);
		else
			snprintf(item, sizeof item, "%s", name);
		fact_list_push(all, item);
		*security += strstr(suites, "-security") != NULL;
	}
	fact_list_sort(all);
	free(copy);
}

static inline bool same(const fact *f, const fact_list *apt, char *why, size_t size)
{
	if (f->v.list.count != apt->count) {
		snprintf(why, size, "probe %zu packages, apt %zu", f->v.list.count, apt->count);
		return false;
	}
	for (size_t i = 0; i < apt->count; i++)
		if (strcmp(f->v.list.items[i], apt->items[i])) {
			snprintf(why, size, "probe has %s where apt has %s", f->v.list.items[i],
				 apt->items[i]);
			return false;
		}
	return true;
}

#endif
