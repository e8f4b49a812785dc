/* SPDX-License-Identifier: Apache-2.0 */
/* Who is asking: a person logged in to the console (ui), an API token
 * (api), or a host's token. Every read the console, the API, alerts and
 * the annual report make is scoped by the principal's organisation; a
 * single-company install has one organisation, id 1 (ORG_DEFAULT). */
#ifndef HOSTAUDIT_COLLECTOR_PRINCIPAL_H
#define HOSTAUDIT_COLLECTOR_PRINCIPAL_H

#include <stdint.h>

#define ORG_DEFAULT 1

typedef enum {
	ROLE_NONE = 0,
	ROLE_HOST,       /* an agent: uploads, fetches its policy, reads nothing */
	ROLE_METRICS,    /* GET /metrics only */
	ROLE_AUDITOR,    /* reads everything of its organisation, changes nothing */
	ROLE_ADMIN,      /* also enrolls, revokes, sets inventory fields */
	ROLE_PROVIDER,   /* a service provider's admin: manages organisations */
} role;

typedef struct principal {
	int64_t org_id;  /* the organisation it acts in */
	role role;
	char name[128];  /* user name, token name or host name, for the logs */
} principal;

#endif
