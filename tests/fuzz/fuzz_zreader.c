/* SPDX-License-Identifier: Apache-2.0 */
/* The decompression readers (lz4 frame, gzip, xz, plain, told apart by
 * magic bytes) and the deb822 stanza reader on top. */
#include "fuzz.h"
#include "zreader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_write("root/list", data, size);
	char root[128];
	snprintf(root, sizeof root, "%s/root", fuzz_dir());
	host h = {.root = root, .now = 1795651200LL, .privileged = true, .os = "linux"};
	stanza_reader sr;
	if (stanza_open(&sr, &h, "/list") == 0) {
		const char *st, *val;
		size_t len, vl;
		while (stanza_next(&sr, &st, &len) > 0)
			stanza_field(st, len, "Package", &val, &vl);
		stanza_close(&sr);
	}
	return 0;
}
