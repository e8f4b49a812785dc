/* SPDX-License-Identifier: Apache-2.0 */
/* rpm version comparison over two versions split at the first NUL or
 * newline (rpmvercmp), both ways. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "rpmver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a = fuzz_string(data, size);
	char *b = a + strcspn(a, "\n");
	if (*b)
		*b++ = '\0';
	rpmvercmp(a, b);
	rpmvercmp(b, a);
	free(a);
	return 0;
}
