/* SPDX-License-Identifier: Apache-2.0 */
/* `hostaudit-collector token create|list|revoke`: the read API's tokens
 * (collector/api/api.h). A token is printed once, on stdout; the store
 * keeps only its SHA-256. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "i18n.h"
#include "principal.h"

static int token_usage(void)
{
	fprintf(stderr, _("%s hostaudit-collector [-c CONFIG] token create --role auditor|metrics"
			" --name NAME | list | revoke NAME\n"),
		_("usage:"));
	return 2;
}

static int print_token(void *x, const store_token *t)
{
	(void)x;
	char when[21];
	rfc3339_format(t->created_at, when);
	printf("%-24s %-8s %s\n", t->name, t->role, when);
	return 0;
}

int cmd_token(const collector_config *c, int argc, char **argv)
{
	const char *role_name = NULL, *name = NULL;
	if (argc < 2)
		return token_usage();
	bool create = !strcmp(argv[1], "create"), list = !strcmp(argv[1], "list");
	bool revoke = !strcmp(argv[1], "revoke");
	if (create) {
		for (int i = 2; i + 1 < argc; i += 2) {
			if (!strcmp(argv[i], "--role"))
				role_name = argv[i + 1];
			else if (!strcmp(argv[i], "--name"))
				name = argv[i + 1];
			else
				return token_usage();
		}
		if (argc % 2 || !role_name || !name)
			return token_usage();
	} else if (!(list && argc == 2) && !(revoke && argc == 3)) {
		return token_usage();
	}
	char err[600];
	store *s = store_open(c->database, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hostaudit-collector: %s\n", err);
		return 1;
	}
	int rc = 0;
	if (create) {
		char token[STORE_API_TOKEN_SIZE];
		if (store_token_create(s, c->org_id, name, role_name, token, err, sizeof err) != 0) {
			fprintf(stderr, _("hostaudit-collector: token create: %s\n"), err);
			rc = strncmp(err, "database", 8) == 0 ? 1 : 2;
		} else {
			printf("%s\n", token);
			fprintf(stderr, _("hostaudit-collector: token %s (%s) made; it is not shown "
					  "again\n"),
				name, role_name);
		}
		explicit_bzero(token, sizeof token);
	} else if (list) {
		printf("%-24s %-8s %s\n", "name", "role", "created");
		if (store_each_token(s, c->org_id, print_token, NULL, err, sizeof err) != 0) {
			fprintf(stderr, "hostaudit-collector: %s\n", err);
			rc = 1;
		}
	} else {
		int r = store_token_revoke(s, c->org_id, argv[2], err, sizeof err);
		if (r < 0) {
			fprintf(stderr, "hostaudit-collector: %s\n", err);
			rc = 1;
		} else if (r == 0) {
			fprintf(stderr, _("hostaudit-collector: no token named %s\n"), argv[2]);
			rc = 1;
		} else {
			fprintf(stderr, _("hostaudit-collector: token %s revoked\n"), argv[2]);
		}
	}
	store_close(s);
	return rc;
}
