/* SPDX-License-Identifier: Apache-2.0 */
/* Organisations (tenants) on one collector (collector.h, docs/collector.md
 * "Several organisations"): a service provider runs one collector for many
 * customer companies. Each organisation has its own hosts (names unique
 * within it), inventory, reports, exceptions, policy versions and groups,
 * self-assessment answers and enrollment secret. The default organisation
 * (ORG_DEFAULT) is a single-company install's one, never named.
 *
 *   tenant add NAME [--enroll-secret-file F]   F 0600; only its hash kept
 *   tenant list | show NAME | remove NAME      (remove: only when empty)
 *
 * and --tenant NAME for every command that acts on one organisation's
 * data (tenant_scope(), main.c's tenant_commands). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "collector.h"
#include "hostaudit/platform.h"
#include "i18n.h"

/* A guess at the enrollment secret costs one throttled request: 16
 * characters of a random secret are out of reach at that pace. */
#define SECRET_MIN 16

char *tenant_dir(const char *base, int64_t org_id)
{
	char *p;
	if (org_id == ORG_DEFAULT)
		return strdup(base);
	return asprintf(&p, "%s/org-%lld", base, (long long)org_id) < 0 ? NULL : p;
}

/* dir (the shared base) made when missing: the organisation's own
 * directory is made under it when first written. */
static void ensure_base(const char *dir, mode_t mode)
{
	if (mkdir(dir, mode) != 0 && errno != EEXIST)
		fprintf(stderr, "hostaudit-collector: %s: %s\n", dir, strerror(errno));
}

static int rescope(char **dir, int64_t org_id, mode_t mode)
{
	if (!*dir)
		return 0;
	char *own = tenant_dir(*dir, org_id);
	if (!own)
		return -1;
	if (org_id != ORG_DEFAULT)
		ensure_base(*dir, mode);
	free(*dir);
	*dir = own;
	return 0;
}

int tenant_scope(collector_config *c, int *argc, char **argv)
{
	int at = -1;
	for (int i = 1; i < *argc; i++)
		if (strcmp(argv[i], "--tenant") == 0) {
			at = i;
			break;
		}
	c->org_id = ORG_DEFAULT;
	if (at < 0)
		return 0; /* the default organisation: the store is not even opened */
	if (at + 1 >= *argc || !argv[at + 1][0]) {
		fprintf(stderr, _("hostaudit-collector: --tenant needs an organisation's name\n"));
		return 2;
	}
	const char *name = argv[at + 1];
	char err[600];
	store *s = store_open(c->database, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hostaudit-collector: %s\n", err);
		return 2;
	}
	int64_t id = 0;
	int found = store_org_by_name(s, name, &id);
	store_close(s);
	if (found != 1) {
		fprintf(stderr, found < 0 ? _("hostaudit-collector: --tenant %s: database error\n")
					  : _("hostaudit-collector: no organisation '%s' "
					      "(hostaudit-collector tenant list)\n"),
			name);
		return 2;
	}
	/* the two words out: the command parses its own arguments as ever */
	memmove(&argv[at], &argv[at + 2], (size_t)(*argc - at - 2 + 1) * sizeof *argv);
	*argc -= 2;
	c->org_id = id;
	if (rescope(&c->policy_dir, id, 0755) != 0 ||
	    rescope(&c->organisation_dir, id, 0700) != 0) {
		fprintf(stderr, _("hostaudit-collector: out of memory\n"));
		return 2;
	}
	return 0;
}

/* ---- tenant add|list|show|remove ---- */

static int usage(void)
{
	fprintf(stderr, _("usage: hostaudit-collector [-c CONFIG] tenant add NAME "
			"[--enroll-secret-file FILE] | list | show NAME | remove NAME\n"));
	return 2;
}

static store *open_or_say(const collector_config *c)
{
	char err[600];
	store *s = store_open(c->database, err, sizeof err);
	if (!s)
		fprintf(stderr, "hostaudit-collector: %s\n", err);
	return s;
}

/* The secret file's SHA-256 (what the collector compares a bearer with):
 * 0, or 2 after saying why. */
static int secret_hash(const char *path, char hash[65])
{
	char *data = NULL, err[600];
	size_t len = 0;
	if (platform_read_secret_file(path, 4096, &data, &len, err, sizeof err) != 0) {
		fprintf(stderr, _("hostaudit-collector: tenant add: %s\n"), err);
		return 2;
	}
	data[strcspn(data, "\r\n")] = '\0';
	size_t n = strlen(data);
	int rc = 0;
	if (n < SECRET_MIN) {
		fprintf(stderr, _("hostaudit-collector: tenant add: %s: an enrollment secret needs "
				"at least %d characters (e.g. openssl rand -hex 32)\n"),
			path, SECRET_MIN);
		rc = 2;
	} else {
		sha256_hex(data, n, hash);
	}
	explicit_bzero(data, len);
	free(data);
	return rc;
}

static int tenant_add(const collector_config *c, int argc, char **argv)
{
	const char *secret_file = NULL;
	if (argc == 5 && strcmp(argv[3], "--enroll-secret-file") == 0)
		secret_file = argv[4];
	else if (argc != 3)
		return usage();
	const char *name = argv[2];
	if (!store_org_name_ok(name)) {
		fprintf(stderr, _("hostaudit-collector: tenant add: '%s' is not an organisation "
				"name (1 to 63 letters, digits, '-', '.', '_')\n"), name);
		return 2;
	}
	char hash[65], own[65];
	if (secret_file && secret_hash(secret_file, hash) != 0)
		return 2;
	/* collector.yaml's secret enrolls into the default organisation: the
	 * same secret cannot also name another */
	if (secret_file && c->enrollment_secret_file && secret_hash(c->enrollment_secret_file,
								    own) == 0 &&
	    strcmp(own, hash) == 0) {
		fprintf(stderr, _("hostaudit-collector: tenant add: %s is the default "
				"organisation's enrollment secret (enrollment_secret_file)\n"),
			secret_file);
		return 2;
	}
	store *s = open_or_say(c);
	if (!s)
		return 1;
	int64_t dup, id = 0;
	char err[600] = "";
	int rc = secret_file && store_org_by_secret(s, hash, &dup) != 0
			 ? -2
			 : store_org_add(s, name, secret_file ? hash : NULL, &id, err, sizeof err);
	store_close(s);
	if (rc == -2) {
		fprintf(stderr, _("hostaudit-collector: tenant add: another organisation has that "
				"enrollment secret already\n"));
		return 2;
	}
	if (rc == 0) {
		fprintf(stderr, _("hostaudit-collector: tenant add: organisation '%s' exists "
				"already\n"), name);
		return 2;
	}
	if (rc < 0) {
		fprintf(stderr, _("hostaudit-collector: tenant add: %s\n"), err);
		return 1;
	}
	if (secret_file)
		fprintf(stderr, _("hostaudit-collector: organisation '%s' added (id %lld);\n"
				  "agents enrolling with its secret become its hosts\n"), name, (long long)id);
	else
		fprintf(stderr, _("hostaudit-collector: organisation '%s' added (id %lld);\n"
				  "no enrollment secret: enroll its hosts with 'enroll --tenant'\n"),
			name, (long long)id);
	return 0;
}

static int count_host(void *ctx, const store_host *h)
{
	(void)h;
	++*(long *)ctx;
	return 0;
}

static int count_inventory(void *ctx, const char *host, const char *attributes)
{
	(void)host;
	(void)attributes;
	++*(long *)ctx;
	return 0;
}

typedef struct listing {
	store *s;
	const char *only;  /* show: this name */
	int shown;
	const collector_config *c;
} listing;

static int print_org(void *ctx, const store_org *o)
{
	listing *l = ctx;
	if (l->only && strcasecmp(l->only, o->name) != 0)
		return 0;
	long hosts = 0, inventory = 0;
	char err[300];
	if (store_each_host(l->s, o->id, count_host, &hosts, err, sizeof err) != 0 ||
	    store_each_inventory(l->s, o->id, count_inventory, &inventory, err, sizeof err) != 0) {
		fprintf(stderr, _("hostaudit-collector: tenant: %s\n"), err);
		return -1;
	}
	char created[21];
	rfc3339_format(o->created_at, created);
	l->shown++;
	if (!l->only) {
		printf("%-6lld %-24s %-20s %-6s %ld\n", (long long)o->id, o->name, created,
		       o->id == ORG_DEFAULT ? (l->c->enrollment_secret_file ? "yaml" : "no")
					    : o->secret_sha256 ? "yes" : "no",
		       hosts);
		return 0;
	}
	char *pd = l->c->policy_dir ? tenant_dir(l->c->policy_dir, o->id) : NULL;
	char *od = tenant_dir(l->c->organisation_dir, o->id);
	printf("name: %s\nid: %lld\ncreated: %s\n", o->name, (long long)o->id, created);
	printf(_("enrollment secret: %s\n"),
	       o->id == ORG_DEFAULT ? (l->c->enrollment_secret_file ? l->c->enrollment_secret_file
								     : _("none"))
	       : o->secret_sha256   ? _("set (its SHA-256 is stored)")
				    : _("none"));
	printf("hosts: %ld\ninventory: %ld\npolicy_dir: %s\norganisation_dir: %s\n", hosts,
	       inventory, pd ? pd : "-", od ? od : "-");
	free(pd);
	free(od);
	return 0;
}

static int tenant_list(const collector_config *c, const char *only)
{
	store *s = open_or_say(c);
	if (!s)
		return 1;
	listing l = {.s = s, .only = only, .c = c};
	char err[300] = "";
	if (!only)
		printf("%-6s %-24s %-20s %-6s %s\n", "id", "name", "created", "secret", "hosts");
	int rc = store_each_org(s, print_org, &l, err, sizeof err);
	store_close(s);
	if (rc != 0) {
		if (err[0])
			fprintf(stderr, _("hostaudit-collector: tenant: %s\n"), err);
		return 1;
	}
	if (only && !l.shown) {
		fprintf(stderr, _("hostaudit-collector: no organisation '%s'\n"), only);
		return 1;
	}
	return 0;
}

static int tenant_remove(const collector_config *c, const char *name)
{
	store *s = open_or_say(c);
	if (!s)
		return 1;
	int64_t id = 0;
	char err[600] = "";
	int found = store_org_by_name(s, name, &id);
	int rc = found == 1 ? store_org_remove(s, id, err, sizeof err) : found;
	store_close(s);
	if (found == 0 || rc == 0) {
		fprintf(stderr, _("hostaudit-collector: no organisation '%s'\n"), name);
		return 1;
	}
	if (rc == 2) {
		fprintf(stderr, _("hostaudit-collector: tenant remove: '%s' still has hosts, an "
				"inventory, users or API tokens; nothing removed\n"), name);
		return 1;
	}
	if (rc < 0) {
		fprintf(stderr, _("hostaudit-collector: tenant remove: %s\n"),
			err[0] ? err : _("database error"));
		return 1;
	}
	fprintf(stderr, _("hostaudit-collector: organisation '%s' removed\n"), name);
	return 0;
}

int cmd_tenant(const collector_config *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	if (!strcmp(sub, "add") && argc >= 3)
		return tenant_add(c, argc, argv);
	if (!strcmp(sub, "list") && argc == 2)
		return tenant_list(c, NULL);
	if (!strcmp(sub, "show") && argc == 3)
		return tenant_list(c, argv[2]);
	if (!strcmp(sub, "remove") && argc == 3)
		return tenant_remove(c, argv[2]);
	return usage();
}
