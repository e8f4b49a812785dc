/* SPDX-License-Identifier: Apache-2.0 */
/* GET /v1/fleet: the fleet model's figures (fleet.h, fleet_json()). */
#define _GNU_SOURCE
#include <stdlib.h>

#include "api.h"
#include "fleet.h"

int api_fleet(api_call *c)
{
	long days = FLEET_TREND_DAYS;
	const char *t = c->query(c->q, "trend_days");
	if (t) {
		char *end;
		days = strtol(t, &end, 10);
		if (!*t || *end || days < 1 || days > 366)
			return api_error(c, 400, "trend_days: a number of days, 1 to 366");
	}
	fleet *f = api_fleet_model(c, days);
	if (!f)
		return 0;
	api_json(c, 200, fleet_json(f));
	fleet_free(f);
	return 0;
}
