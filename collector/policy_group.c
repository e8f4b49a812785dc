/* SPDX-License-Identifier: Apache-2.0 */
/* Which policy group a host is in (collector.h): the inventory's `group`
 * column, read and written here only (through the store, either backend),
 * so a change to how the inventory keeps its columns touches this one
 * file. */
#define _GNU_SOURCE
#include <string.h>

#include "collector.h"

int host_policy_group(store *s, int64_t org_id, const char *host, char *group, size_t size)
{
	return store_inventory_attr(s, org_id, host, "group", group, size);
}

int host_set_policy_group(store *s, int64_t org_id, const char *host, const char *group,
			  char *err, size_t err_size)
{
	return store_inventory_set_attr(s, org_id, host, "group", group, err, err_size);
}
