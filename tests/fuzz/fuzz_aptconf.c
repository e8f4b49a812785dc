/* SPDX-License-Identifier: Apache-2.0 */
/* apt.conf syntax (nested scopes, quoting, comments), from memory. */
#include <stdlib.h>

#include "aptconf.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	char out[256];
	aptconf_lookup_text(text, "APT::Periodic::Unattended-Upgrade", out, sizeof out);
	aptconf_lookup_text(text, "APT::Default-Release", out, sizeof out);
	free(text);
	return 0;
}
