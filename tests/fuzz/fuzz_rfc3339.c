/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 3339 times: the collector's parser and the agent's. */
#include <stdlib.h>

#include "collector.h"
#include "fuzz.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	int64_t t;
	long long u;
	if (rfc3339_parse(s, &t)) {
		char out[21];
		rfc3339_format(t, out);
	}
	parse_time_utc(s, &u);
	free(s);
	return 0;
}
