/* SPDX-License-Identifier: Apache-2.0 */
/* dpkg's status file (apt_cache_read_status) through the host context. */
#include "aptcache.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_write("root/var/lib/dpkg/status", data, size);
	char root[128];
	snprintf(root, sizeof root, "%s/root", fuzz_dir());
	host h = {.root = root, .now = 1795651200LL, .privileged = true, .os = "linux"};
	apt_cache c = {0};
	apt_cache_read_status(&c, &h);
	apt_cache_free(&c);
	return 0;
}
