/* SPDX-License-Identifier: Apache-2.0 */
/* Prints the read API's route table (collector/api/api_http.c), one
 * "METHOD PATH" a line, for openapi_check.py: docs/openapi.yaml must
 * describe every route the collector serves. */
#include <stdio.h>

#include "api/api.h"

int main(void)
{
	for (size_t i = 0; i < api_n_routes; i++)
		printf("%s %s\n", api_routes[i].method, api_routes[i].path);
	return 0;
}
