/* SPDX-License-Identifier: Apache-2.0 */
/* An rpm header blob as rpmdb.sqlite stores it (dnf metadata side). */
#include <stdlib.h>

#include "dnfcache.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rpm_pkg p = {0};
	rpm_header_parse(data, size, &p);
	free(p.name), free(p.ver), free(p.rel), free(p.arch);
	return 0;
}
