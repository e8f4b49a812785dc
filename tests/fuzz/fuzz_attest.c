/* SPDX-License-Identifier: Apache-2.0 */
/* An attestation file, checked against the shipped questions. */
#include <stdlib.h>

#include "fuzz.h"
#include "hostaudit/attest.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	attest_settings *s = xcalloc(1, sizeof *s);
	s->file = xstrdup(fuzz_write("attestations.yaml", data, size));
	s->max_age_days = ATTEST_DEFAULT_MAX_AGE_DAYS;
	diag d;
	attest_load(s, 1795651200LL, &d);
	attest_settings_free(s);
	return 0;
}
