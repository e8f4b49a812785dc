/* SPDX-License-Identifier: Apache-2.0 */
/* GVDB (dconf's database format), from memory. */
#include "fuzz.h"
#include "gvdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gvdb db;
	char why[256];
	if (gvdb_open(&db, data, size, why, sizeof why) != GVDB_FOUND)
		return 0;
	gvdb_value v;
	gvdb_lookup(&db, "/org/gnome/desktop/screensaver/lock-enabled", &v, why, sizeof why);
	gvdb_lookup(&db, "/org/gnome/desktop/session/idle-delay", &v, why, sizeof why);
	return 0;
}
