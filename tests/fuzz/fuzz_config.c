/* SPDX-License-Identifier: Apache-2.0 */
/* The site config (config_load), with its backup, antivirus and upload
 * sections. */
#include "fuzz.h"
#include "hostaudit/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	config cfg = {0};
	diag d;
	if (config_load(&cfg, fuzz_write("hostaudit.yaml", data, size), false, &d) == 0)
		config_free(&cfg);
	return 0;
}
