/* SPDX-License-Identifier: Apache-2.0 */
/* apt preferences (pins), parsed from memory, then matched. */
#include <stdlib.h>

#include "aptpref.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	apt_prefs p = {0};
	char err[512];
	if (apt_prefs_parse(&p, text, "preferences", err, sizeof err) == 0)
		apt_prefs_default_release(&p, "bookworm");
	apt_prefs_free(&p);
	/* The same bytes as a pin pattern (glob or /regex/). */
	apt_expression_matches(text, "libssl3");
	free(text);
	return 0;
}
