/* SPDX-License-Identifier: Apache-2.0 */
/* An apt Release file and a Packages list (split at the first "\n===\n":
 * Release before, list after), read over a fixed dpkg status, then the
 * candidate policy. Compression is told by magic bytes, so a list may be
 * gzip, xz or lz4 too. */
#include <string.h>

#include "aptcache.h"
#include "fuzz.h"

static const char status[] =
	"Package: dpkg\nStatus: install ok installed\nVersion: 1.21.22\nArchitecture: amd64\n\n"
	"Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\nArchitecture: amd64\n\n"
	"Package: tzdata\nStatus: install ok installed\nVersion: 2025b-0\nArchitecture: all\n";

#define LISTS "root/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *cut = NULL;
	for (size_t i = 0; i + 5 <= size && !cut; i++)
		if (!memcmp(data + i, "\n===\n", 5))
			cut = data + i;
	size_t rl = cut ? (size_t)(cut - data) : 0;
	const uint8_t *list = cut ? cut + 5 : data;
	size_t ll = cut ? size - rl - 5 : size;
	fuzz_write("root/var/lib/dpkg/status", (const uint8_t *)status, sizeof status - 1);
	fuzz_write(LISTS "_InRelease", data, rl);
	fuzz_write(LISTS "_main_binary-amd64_Packages", list, ll);
	char root[128];
	snprintf(root, sizeof root, "%s/root", fuzz_dir());
	host h = {.root = root, .now = 1795651200LL, .privileged = true, .os = "linux"};
	apt_cache c = {0};
	if (apt_cache_read_status(&c, &h) == 0 &&
	    apt_cache_read_lists(&c, &h, "/var/lib/apt/lists") == 0 && apt_cache_resolve(&c) == 0) {
		fact_list l = {0};
		apt_cache_upgradable(&c, false, &l);
		fact_list_free(&l);
	}
	apt_cache_free(&c);
	return 0;
}
