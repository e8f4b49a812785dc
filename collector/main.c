/* hostaudit-collector: sub-commands, one row each.
 *
 *   hostaudit-collector [-c CONFIG] serve [--port-file FILE]
 *   hostaudit-collector [-c CONFIG] enroll HOST
 *   hostaudit-collector [-c CONFIG] inventory import FILE.csv
 *   hostaudit-collector [-c CONFIG] report --year YYYY --format csv|html|json
 *                                          [--out PATH] [--stale-days N]
 *   hostaudit-collector [-c CONFIG] export REPORT_ID
 *   hostaudit-collector [-c CONFIG] migrate --to DATABASE
 *   hostaudit-collector [-c CONFIG] prune
 *
 * Exit status: 0 done, 1 failed, 2 usage or configuration error. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "collector.h"
#include "hostaudit/version.h"

typedef struct cmd {
	const char *name;
	int (*run)(const collector_config *c, int argc, char **argv);
	const char *usage;
} cmd;

static int usage_error(const char *u)
{
	fprintf(stderr, "usage: hostaudit-collector [-c CONFIG] %s\n", u);
	return 2;
}

static store *open_store(const collector_config *c)
{
	char err[600];
	store *s = store_open(c->database, err, sizeof err);
	if (!s)
		fprintf(stderr, "hostaudit-collector: %s\n", err);
	return s;
}

static int cmd_serve(const collector_config *c, int argc, char **argv)
{
	const char *port_file = NULL;
	if (argc == 3 && strcmp(argv[1], "--port-file") == 0)
		port_file = argv[2];
	else if (argc != 1)
		return usage_error("serve [--port-file FILE]");
	return serve(c, port_file);
}

static int cmd_enroll(const collector_config *c, int argc, char **argv)
{
	if (argc != 2)
		return usage_error("enroll HOST");
	store *s = open_store(c);
	if (!s)
		return 1;
	char token[65], err[300];
	int rc = store_enroll(s, argv[1], token, err, sizeof err);
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "hostaudit-collector: enroll %s: %s\n", argv[1], err);
		return 1;
	}
	/* The only time the token exists outside the host: the store keeps its
	 * SHA-256. */
	printf("%s\n", token);
	fprintf(stderr,
		"hostaudit-collector: enrolled %s; put the token above in the host's token_file "
		"(mode 0600). It is not shown again.\n",
		argv[1]);
	explicit_bzero(token, sizeof token);
	return 0;
}

static int cmd_inventory(const collector_config *c, int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "import") != 0)
		return usage_error("inventory import FILE.csv");
	store *s = open_store(c);
	if (!s)
		return 1;
	char err[600];
	long n = store_inventory_import(s, argv[2], err, sizeof err);
	store_close(s);
	if (n < 0) {
		fprintf(stderr, "hostaudit-collector: inventory import: %s\n", err);
		return 1;
	}
	fprintf(stderr, "hostaudit-collector: inventory: %ld hosts imported from %s\n", n,
		argv[2]);
	return 0;
}

static int cmd_report(const collector_config *c, int argc, char **argv)
{
	const char *u = "report --year YYYY --format csv|html|json [--out PATH] [--stale-days N]";
	annual_options o = {.year = 0, .format = NULL, .out = NULL, .stale_days = c->stale_days,
			    .now = (int64_t)time(NULL)};
	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			return usage_error(u);
		char *end;
		if (strcmp(argv[i], "--year") == 0) {
			o.year = (int)strtol(argv[++i], &end, 10);
			if (*end || o.year < 1970 || o.year > 9999)
				return usage_error(u);
		} else if (strcmp(argv[i], "--format") == 0) {
			o.format = argv[++i];
		} else if (strcmp(argv[i], "--out") == 0) {
			o.out = argv[++i];
		} else if (strcmp(argv[i], "--stale-days") == 0) {
			o.stale_days = strtol(argv[++i], &end, 10);
			if (*end || o.stale_days < 1)
				return usage_error(u);
		} else if (strcmp(argv[i], "--now") == 0) { /* tests: a fixed clock */
			if (!rfc3339_parse(argv[++i], &o.now))
				return usage_error(u);
		} else {
			return usage_error(u);
		}
	}
	if (!o.year || !o.format ||
	    (strcmp(o.format, "csv") && strcmp(o.format, "html") && strcmp(o.format, "json")))
		return usage_error(u);
	if (!strcmp(o.format, "csv") && !o.out) {
		fprintf(stderr, "hostaudit-collector: report --format csv writes several tables: "
				"give --out DIRECTORY\n");
		return 2;
	}
	store *s = open_store(c);
	if (!s)
		return 1;
	char err[600];
	int rc = annual_report(s, &o, err, sizeof err);
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "hostaudit-collector: report: %s\n", err);
		return 1;
	}
	return 0;
}

static int cmd_export(const collector_config *c, int argc, char **argv)
{
	if (argc != 2)
		return usage_error("export REPORT_ID");
	store *s = open_store(c);
	if (!s)
		return 1;
	char *body, err[600];
	size_t len;
	int found = store_export(s, argv[1], &body, &len, err, sizeof err);
	int rc = 1;
	if (found == 1) {
		rc = fwrite(body, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : 1;
		free(body);
	} else if (found == 0) {
		fprintf(stderr, "hostaudit-collector: no report %s\n", argv[1]);
	} else if (found == 2) {
		fprintf(stderr, "hostaudit-collector: report %s: its body was removed by retention "
				"(retention_days); its SHA-256 and summary remain\n", argv[1]);
	} else {
		fprintf(stderr, "hostaudit-collector: export: %s\n", err);
	}
	store_close(s);
	return rc;
}

/* Retention now (serve also does it hourly). --now: tests, a fixed clock. */
static int cmd_prune(const collector_config *c, int argc, char **argv)
{
	int64_t now = (int64_t)time(NULL);
	if (argc == 3 && strcmp(argv[1], "--now") == 0) {
		if (!rfc3339_parse(argv[2], &now))
			return usage_error("prune");
	} else if (argc != 1) {
		return usage_error("prune");
	}
	store *s = open_store(c);
	if (!s)
		return 1;
	char err[600];
	long n = store_prune_bodies(s, now - c->retention_days * 86400, err, sizeof err);
	store_close(s);
	if (n < 0) {
		fprintf(stderr, "hostaudit-collector: prune: %s\n", err);
		return 1;
	}
	fprintf(stderr, "hostaudit-collector: prune: %ld report bodies older than %ld days "
			"removed (their summaries and SHA-256 stay)\n", n, c->retention_days);
	return 0;
}

/* The configured store copied into another, every report verified. */
static int cmd_migrate(const collector_config *c, int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "--to") != 0)
		return usage_error("migrate --to DATABASE");
	if (strcmp(argv[2], c->database) == 0) {
		fprintf(stderr, "hostaudit-collector: migrate: --to names the configured "
				"database itself\n");
		return 2;
	}
	store *src = open_store(c);
	if (!src)
		return 1;
	char err[600];
	store *dst = store_open(argv[2], err, sizeof err);
	if (!dst) {
		fprintf(stderr, "hostaudit-collector: migrate: %s\n", err);
		store_close(src);
		return 1;
	}
	long hosts = 0, reports = 0;
	int rc = store_copy(src, dst, &hosts, &reports, err, sizeof err);
	store_close(dst);
	store_close(src);
	if (rc != 0) {
		fprintf(stderr, "hostaudit-collector: migrate: %s\n", err);
		return 1;
	}
	fprintf(stderr, "hostaudit-collector: migrate: %ld hosts and %ld reports copied to the "
			"%s store, every report's SHA-256 verified; point database: at it\n",
		hosts, reports, strncmp(argv[2], "postgres", 8) == 0 ? "PostgreSQL" : "SQLite");
	return 0;
}

static const cmd commands[] = {
	{"serve", cmd_serve, "serve [--port-file FILE]"},
	{"enroll", cmd_enroll, "enroll HOST"},
	{"inventory", cmd_inventory, "inventory import FILE.csv"},
	{"report", cmd_report, "report --year YYYY --format csv|html|json [--out PATH]"},
	{"export", cmd_export, "export REPORT_ID"},
	{"migrate", cmd_migrate, "migrate --to DATABASE"},
	{"prune", cmd_prune, "prune"},
};

int main(int argc, char **argv)
{
	const char *config = COLLECTOR_DEFAULT_CONFIG;
	umask(077); /* the database, its WAL, reports written: the owner's only */
	int i = 1;
	if (i + 1 < argc && strcmp(argv[i], "-c") == 0) {
		config = argv[i + 1];
		i += 2;
	}
	bool help = i < argc && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"));
	if (i < argc && (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V"))) {
		printf("hostaudit-collector %s\n", HOSTAUDIT_VERSION);
		return 0;
	}
	if (i >= argc || help) {
		FILE *out = help ? stdout : stderr;
		fprintf(out, "usage: hostaudit-collector [-c CONFIG] COMMAND ...\n"
			     "(default config %s; see docs/collector.md)\ncommands:\n",
			COLLECTOR_DEFAULT_CONFIG);
		for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
			fprintf(out, "  %s\n", commands[k].usage);
		return help ? 0 : 2;
	}
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(argv[i], commands[k].name) != 0)
			continue;
		collector_config c;
		char err[1100];
		if (ccfg_load(&c, config, err, sizeof err) != 0) {
			fprintf(stderr, "hostaudit-collector: %s\n", err);
			ccfg_free(&c);
			return 2;
		}
		int rc = commands[k].run(&c, argc - i, argv + i);
		ccfg_free(&c);
		return rc;
	}
	fprintf(stderr, "hostaudit-collector: unknown command '%s'\n", argv[i]);
	return 2;
}
