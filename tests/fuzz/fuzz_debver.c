/* SPDX-License-Identifier: Apache-2.0 */
/* Debian version comparison over counted strings (NUL bytes included, as
 * in a list), split at the first newline. */
#include <string.h>

#include "debver.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t al = nl ? (size_t)(nl - s) : size;
	const char *b = nl ? nl + 1 : s + size;
	size_t bl = size - al - (nl != NULL);
	debver_cmp(s, al, b, bl);
	debver_cmp(b, bl, s, al);
	return 0;
}
