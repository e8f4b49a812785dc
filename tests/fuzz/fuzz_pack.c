/* SPDX-License-Identifier: Apache-2.0 */
/* Rule packs: the YAML loader and the rule validation (pack_load). */
#include <stdlib.h>

#include "fuzz.h"
#include "hostaudit/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag d;
	pack *p = pack_load(fuzz_write("pack.yaml", data, size), false, &d);
	if (p)
		pack_free(p);
	return 0;
}
