/* SPDX-License-Identifier: Apache-2.0 */
/* PostgreSQL's binary COPY format as the collector's store reads it
 * (collector/pg_copy.h): the input is a stream of CopyData messages, each
 * a 16-bit big-endian length and its bytes, fed in turn as the store
 * feeds what the server sends. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pg_copy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool header = false;
	char buf[4096];
	pg_copy_tuple t;
	while (size >= 2) {
		size_t n = (size_t)data[0] << 8 | data[1];
		data += 2;
		size -= 2;
		if (n > size)
			n = size;
		/* a copy of its own: a read past the message is ASan's to see */
		unsigned char *m = malloc(n ? n : 1);
		if (!m)
			abort();
		memcpy(m, data, n);
		int k = pg_copy_parse(m, n, &header, buf, sizeof buf, &t);
		if (k == 1) {
			if (t.n < 0 || t.n > PG_COPY_FIELDS)
				abort();
			for (int i = 0; i < t.n; i++) {
				if (t.len[i] < 0 || t.v[i] < buf || t.v[i] + t.len[i] >= buf + sizeof buf ||
				    t.v[i][t.len[i]] != '\0')
					abort();
				(void)pg_copy_int(&t, i);
			}
		}
		free(m);
		data += n;
		size -= n;
		if (k < 0)
			break; /* as the store: the rest is not read */
	}
	return 0;
}
