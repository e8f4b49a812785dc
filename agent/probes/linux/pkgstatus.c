/* A package's state in dpkg's database; see pkgstatus.h. */
#define _GNU_SOURCE /* memrchr */
#include "pkgstatus.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "zreader.h"

#define DPKG_STATUS "/var/lib/dpkg/status"

/* "Status: want flag state": only the state "installed" has the files of
 * the package on disk and configured ("triggers-awaited" and
 * "triggers-pending" too: configured, a trigger still to run). */
static bool state_installed(const char *st, size_t n)
{
	const char *sp = memrchr(st, ' ', n);
	const char *state = sp ? sp + 1 : st;
	size_t sl = (size_t)(st + n - state);
	static const char *const ok[] = {"installed", "triggers-awaited", "triggers-pending", NULL};

	for (size_t i = 0; ok[i]; i++)
		if (sl == strlen(ok[i]) && !memcmp(state, ok[i], sl))
			return true;
	return false;
}

int dpkg_package_installed(const host *h, const char *pkg, char *ev, size_t evsize,
			   char *version, size_t vsize)
{
	stanza_reader sr;
	const char *st, *v;
	size_t len, vl;
	int r, found = 0;
	char status[96] = "";

	if (ev && evsize)
		ev[0] = '\0';
	if (version && vsize)
		version[0] = '\0';
	if ((r = stanza_open(&sr, h, DPKG_STATUS)) < 0)
		return r;
	while ((r = stanza_next(&sr, &st, &len)) > 0) {
		if (!stanza_field(st, len, "Package", &v, &vl) || vl != strlen(pkg) ||
		    memcmp(v, pkg, vl))
			continue;
		if (!stanza_field(st, len, "Status", &v, &vl))
			continue;
		snprintf(status, sizeof status, "%.*s", (int)(vl < 90 ? vl : 90), v);
		if (!state_installed(v, vl))
			continue; /* another architecture may be installed */
		found = 1;
		if (version && vsize && stanza_field(st, len, "Version", &v, &vl))
			snprintf(version, vsize, "%.*s", (int)(vl < vsize ? vl : vsize - 1), v);
		break;
	}
	stanza_close(&sr);
	if (r < 0)
		return r;
	if (ev && evsize) {
		if (found)
			snprintf(ev, evsize, "package %s \"%s\" in " DPKG_STATUS, pkg, status);
		else if (status[0])
			snprintf(ev, evsize, "package %s is \"%s\" in " DPKG_STATUS ", not installed",
				 pkg, status);
		else
			snprintf(ev, evsize, "package %s is not in " DPKG_STATUS, pkg);
	}
	return found;
}
