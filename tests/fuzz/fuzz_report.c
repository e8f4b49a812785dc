/* SPDX-License-Identifier: Apache-2.0 */
/* The collector's report intake: the JSON parse and report_validate, as
 * collector/server.c does on every upload. */
#include <jansson.h>

#include "fuzz.h"
#include "hostaudit/report_schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *rep = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (!rep)
		return 0;
	char err[512];
	report_validate(rep, err, sizeof err);
	json_decref(rep);
	return 0;
}
