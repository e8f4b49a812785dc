/* SPDX-License-Identifier: Apache-2.0 */
/* The collector's inventory CSV import into a scratch store. */
#include <stdio.h>
#include <stdlib.h>

#include "collector.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static store *s;
	char err[512];
	if (!s) {
		char db[128];
		snprintf(db, sizeof db, "%s/store.db", fuzz_dir());
		if (!(s = store_open(db, err, sizeof err)))
			abort();
	}
	store_inventory_import(s, ORG_DEFAULT, fuzz_write("inventory.csv", data, size), err, sizeof err);
	return 0;
}
