/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit-collector user add|list|remove|passwd: the people who may log
 * in to the console (collector/ui/), in the store, so every collector on
 * the database knows them.
 *
 *   user add NAME --role admin|auditor --password-file F [--lang en|ja]
 *   user list
 *   user remove NAME
 *   user passwd NAME --password-file F
 *
 * The password is read from a file of mode 0600 or stricter (never from
 * the command line, which other users see in ps) and stored as argon2id. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector.h"
#include "principal.h"
#include "ui/ui_password.h"
#include "i18n.h"

static const char usage_text[] =
	"user add NAME --role admin|auditor --password-file F [--lang en|ja] | list |"
	" remove NAME | passwd NAME --password-file F";

static int usage(void)
{
	fprintf(stderr, _("usage: hostaudit-collector [-c CONFIG] %s\n"), usage_text);
	return 2;
}

/* Letters, digits, '.', '_', '-', '@'; 1..64 of them. */
static bool user_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-@", *s))
			return false;
	return true;
}

/* The password of --password-file, hashed into hash. 0, or 1 (said). */
static int hashed_password(const char *file, char hash[256])
{
	char err[600];
	char *pw = ui_password_read(file, err, sizeof err);
	if (!pw) {
		fprintf(stderr, _("hostaudit-collector: user: %s\n"), err);
		return 1;
	}
	int rc = ui_password_hash(pw, hash, 256);
	explicit_bzero(pw, strlen(pw));
	free(pw);
	if (rc != 0) {
		fprintf(stderr, _("hostaudit-collector: user: cannot hash the password\n"));
		return 1;
	}
	return 0;
}

static int print_user(void *ctx, const store_user *u)
{
	(void)ctx;
	printf("%s\t%s\t%s\n", u->name, u->role, u->lang[0] ? u->lang : "-");
	return 0;
}

int cmd_user(const collector_config *c, int argc, char **argv)
{
	if (argc < 2)
		return usage();
	const char *verb = argv[1], *name = argc > 2 ? argv[2] : NULL;
	const char *role_name = NULL, *file = NULL, *lang = "";
	bool list = !strcmp(verb, "list");
	if (list ? argc != 2 : !name)
		return usage();
	for (int i = 3; i < argc; i++) {
		if (i + 1 >= argc)
			return usage();
		if (!strcmp(argv[i], "--role"))
			role_name = argv[++i];
		else if (!strcmp(argv[i], "--password-file"))
			file = argv[++i];
		else if (!strcmp(argv[i], "--lang"))
			lang = argv[++i];
		else
			return usage();
	}
	bool add = !strcmp(verb, "add"), passwd = !strcmp(verb, "passwd");
	bool remove = !strcmp(verb, "remove");
	if (!add && !passwd && !remove && !list)
		return usage();
	if (add && (!role_name || !file || (strcmp(role_name, "admin") && strcmp(role_name, "auditor")) ||
		    (lang[0] && strcmp(lang, "en") && strcmp(lang, "ja"))))
		return usage();
	if (passwd && (!file || role_name || lang[0]))
		return usage();
	if (remove && argc != 3)
		return usage();
	if (name && !user_name_ok(name)) {
		fprintf(stderr, _("hostaudit-collector: user: '%s' is not a user name (1 to 64 "
				"letters, digits, '.', '_', '-', '@')\n"), name);
		return 2;
	}
	store_user u = {.created_at = (int64_t)time(NULL)};
	if ((add || passwd) && hashed_password(file, u.hash) != 0)
		return 1;
	char err[600];
	store *s = store_open(c->database, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hostaudit-collector: %s\n", err);
		return 1;
	}
	int rc;
	if (list) {
		rc = store_each_user(s, c->org_id, print_user, NULL, err, sizeof err);
	} else if (add) {
		snprintf(u.name, sizeof u.name, "%s", name);
		snprintf(u.role, sizeof u.role, "%s", role_name);
		snprintf(u.lang, sizeof u.lang, "%s", lang);
		rc = store_user_add(s, c->org_id, &u, err, sizeof err);
		if (rc == 0)
			snprintf(err, sizeof err, _("%s exists already ('user passwd' changes the "
						  "password)"), name);
	} else if (passwd) {
		rc = store_user_set_hash(s, c->org_id, name, u.hash, err, sizeof err);
		if (rc == 0)
			snprintf(err, sizeof err, _("no user %s"), name);
	} else {
		rc = store_user_remove(s, c->org_id, name, err, sizeof err);
		if (rc == 0)
			snprintf(err, sizeof err, _("no user %s"), name);
	}
	store_close(s);
	explicit_bzero(u.hash, sizeof u.hash);
	if (rc < 0 || (!list && rc == 0)) {
		fprintf(stderr, _("hostaudit-collector: user %s: %s\n"), verb, err);
		return 1;
	}
	if (!list)
		fprintf(stderr, _("hostaudit-collector: user %s: %s done\n"), verb, name);
	return 0;
}
