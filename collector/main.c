/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit-collector: sub-commands, one row each (and its options, one
 * row each, for `hostaudit-collector COMMAND --help`).
 *
 *   hostaudit-collector [-c CONFIG] serve [--port-file FILE]
 *   hostaudit-collector [-c CONFIG] enroll HOST
 *   hostaudit-collector [-c CONFIG] inventory import FILE.csv
 *   hostaudit-collector [-c CONFIG] report --year YYYY --format csv|html|json
 *                                          [--out PATH] [--stale-days N]
 *   hostaudit-collector [-c CONFIG] export REPORT_ID
 *   hostaudit-collector [-c CONFIG] org attest|show ...   (org.c)
 *   hostaudit-collector [-c CONFIG] migrate --to DATABASE
 *   hostaudit-collector [-c CONFIG] prune
 *   hostaudit-collector [-c CONFIG] tenant add|list|show|remove ...  (tenant.c)
 *
 * The commands of tenant_commands[] act in one organisation: the default
 * one, or the one `--tenant NAME` names (tenant_scope()).
 *   hostaudit-collector [-c CONFIG] alerts list|test   (alerts/cmd_alerts.c)
 *   hostaudit-collector [-c CONFIG] keygen | verify ...   (cmd_evidence.c)
 *
 * Exit status: 0 done, 1 failed, 2 usage or configuration error. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "collector.h"
#include "alerts/alerts.h"
#include "org.h"
#include "report_manifest.h"
#include "report_sign.h"
#include "principal.h"
#include "hostaudit/version.h"
#include "i18n.h"

/* One line of a command's --help: the option as typed, what it does. */
typedef struct cmd_option {
	const char *flag;
	const char *help;
} cmd_option;

typedef struct cmd {
	const char *name;
	int (*run)(const collector_config *c, int argc, char **argv);
	const char *usage;
	/* For COMMAND --help. Every row names both (NULL prints the usage
	 * only): -Wextra rejects a row that leaves them out. */
	const char *summary;
	const cmd_option *options; /* ends with {NULL, NULL} */
} cmd;

static int usage_error(const char *u)
{
	fprintf(stderr, _("usage: hostaudit-collector [-c CONFIG] %s\n"), u);
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
	int rc = store_enroll(s, c->org_id, argv[1], token, err, sizeof err);
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, _("hostaudit-collector: enroll %s: %s\n"), argv[1], err);
		return 1;
	}
	/* The only time the token exists outside the host: the store keeps its
	 * SHA-256. */
	printf("%s\n", token);
	fprintf(stderr,
		_("hostaudit-collector: enrolled %s; put the token above in the host's\n"
		  "token_file (mode 0600). It is not shown again.\n"),
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
	long n = store_inventory_import(s, c->org_id, argv[2], err, sizeof err);
	store_close(s);
	if (n < 0) {
		fprintf(stderr, _("hostaudit-collector: inventory import: %s\n"), err);
		return 1;
	}
	fprintf(stderr, _("hostaudit-collector: inventory: %ld hosts imported from %s\n"), n,
		argv[2]);
	return 0;
}

static int cmd_report(const collector_config *c, int argc, char **argv)
{
	const char *u = "report --year YYYY --format csv|html|json|xlsx [--out PATH] [--lang en|ja]"
			" [--department D] [--organisation NAME] [--rules DIR] [--stale-days N]";
	annual_options o = {.year = 0, .format = NULL, .out = NULL, .stale_days = c->stale_days,
			    .now = (int64_t)time(NULL), .lang = i18n_lang(),
			    .policy_dir = c->policy_dir, .org_id = c->org_id};
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
		} else if (strcmp(argv[i], "--lang") == 0) {
			o.lang = argv[++i];
			if (strcmp(o.lang, "en") && strcmp(o.lang, "ja"))
				return usage_error(u);
		} else if (strcmp(argv[i], "--department") == 0) {
			o.department = argv[++i];
		} else if (strcmp(argv[i], "--organisation") == 0) {
			o.organisation_name = argv[++i];
		} else if (strcmp(argv[i], "--rules") == 0) {
			o.rules_dir = argv[++i];
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
	    (strcmp(o.format, "csv") && strcmp(o.format, "html") && strcmp(o.format, "json") &&
	     strcmp(o.format, "xlsx")))
		return usage_error(u);
	if ((!strcmp(o.format, "csv") || !strcmp(o.format, "xlsx")) && !o.out) {
		fprintf(stderr, "hostaudit-collector: %s\n",
			!strcmp(o.format, "csv")
				? _("report --format csv writes several tables: give --out DIRECTORY")
				: _("report --format xlsx writes a workbook: give --out FILE"));
		return 2;
	}
	store *s = open_store(c);
	if (!s)
		return 1;
	json_t *placement = org_store_load_placement(c, o.year);
	json_t *prev = org_store_load_placement(c, o.year - 1);
	o.organisation = placement;
	o.organisation_prev = prev;
	if (!o.organisation_name)
		o.organisation_name = json_string_value(json_object_get(placement, "organisation"));
	char err[600];
	int rc = annual_report(s, &o, err, sizeof err);
	json_decref(placement);
	json_decref(prev);
	store_close(s);
	/* evidence: a key configured, the file written is signed (FILE.sig);
	 * a CSV directory through its MANIFEST (report_manifest.h) */
	if (rc == 0 && c->report_signing_key && o.out && strcmp(o.format, "csv") != 0)
		rc = report_sign_file(c->report_signing_key, o.out, err, sizeof err);
	if (rc == 0 && c->report_signing_key && o.out && !strcmp(o.format, "csv"))
		rc = report_manifest_sign(c->report_signing_key, o.out, err, sizeof err);
	if (rc != 0) {
		fprintf(stderr, _("hostaudit-collector: report: %s\n"), err);
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
	int found = store_export(s, c->org_id, argv[1], &body, &len, err, sizeof err);
	int rc = 1;
	if (found == 1) {
		rc = fwrite(body, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : 1;
		free(body);
	} else if (found == 0) {
		if (c->org_id == ORG_DEFAULT)
			fprintf(stderr, _("hostaudit-collector: no report %s\n"), argv[1]);
		else
			fprintf(stderr, _("hostaudit-collector: no report %s in this organisation\n"),
				argv[1]);
	} else if (found == 2) {
		fprintf(stderr, _("hostaudit-collector: report %s: its body was removed by retention "
				"(retention_days); its SHA-256 and summary remain\n"), argv[1]);
	} else {
		fprintf(stderr, _("hostaudit-collector: export: %s\n"), err);
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
		fprintf(stderr, _("hostaudit-collector: prune: %s\n"), err);
		return 1;
	}
	fprintf(stderr, _("hostaudit-collector: prune: %ld report bodies older than %ld days "
			  "removed\n(their summaries and SHA-256 stay)\n"), n, c->retention_days);
	return 0;
}

/* The configured store copied into another, every report verified. */
static int cmd_migrate(const collector_config *c, int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "--to") != 0)
		return usage_error("migrate --to DATABASE");
	if (strcmp(argv[2], c->database) == 0) {
		fprintf(stderr, _("hostaudit-collector: migrate: --to names the configured "
				"database itself\n"));
		return 2;
	}
	store *src = open_store(c);
	if (!src)
		return 1;
	char err[600];
	store *dst = store_open(argv[2], err, sizeof err);
	if (!dst) {
		fprintf(stderr, _("hostaudit-collector: migrate: %s\n"), err);
		store_close(src);
		return 1;
	}
	long hosts = 0, reports = 0;
	int rc = store_copy(src, dst, &hosts, &reports, err, sizeof err);
	store_close(dst);
	store_close(src);
	if (rc != 0) {
		fprintf(stderr, _("hostaudit-collector: migrate: %s\n"), err);
		return 1;
	}
	fprintf(stderr, _("hostaudit-collector: migrate: %ld hosts and %ld reports copied to the "
			  "%s\nstore, every report's SHA-256 verified; point database: at it\n"),
		hosts, reports, strncmp(argv[2], "postgres", 8) == 0 ? "PostgreSQL" : "SQLite");
	return 0;
}

/* Each help text fits one line after its flag: 57 columns (28 in Japanese). */
static const cmd_option serve_options[] = {
	{"--port-file FILE", N_("write the port listened on to FILE")},
	{NULL, NULL},
};
static const cmd_option enroll_options[] = {
	{"HOST", N_("the host's name; enrolling it again replaces its token")},
	{"--tenant NAME", N_("act in organisation NAME (default: the default one)")},
	{NULL, NULL},
};
static const cmd_option inventory_options[] = {
	{"import FILE.csv", N_("replace the inventory with FILE.csv ('hostname' column)")},
	{"--tenant NAME", N_("act in organisation NAME (default: the default one)")},
	{NULL, NULL},
};
static const cmd_option report_options[] = {
	{"--year YYYY", N_("the calendar year to report (required)")},
	{"--format FORMAT", N_("csv, html, json or xlsx (required)")},
	{"--out PATH", N_("write to PATH; for csv a directory (required there)")},
	{"--lang en|ja", N_("the report's language (default: the locale)")},
	{"--department D", N_("only the inventory hosts whose department is D")},
	{"--organisation NAME", N_("the organisation's name on the title page")},
	{"--rules DIR", N_("rule packs for the rules' titles (default: installed)")},
	{"--stale-days N", N_("hosts silent over N days are stale (default: config)")},
	{"--tenant NAME", N_("act in organisation NAME (default: the default one)")},
	{NULL, NULL},
};
static const cmd_option export_options[] = {
	{"REPORT_ID", N_("a stored report's report_id; prints it as received")},
	{"--tenant NAME", N_("act in organisation NAME (default: the default one)")},
	{NULL, NULL},
};
static const cmd_option policy_options[] = {
	{"keygen", N_("write the signing key (policy_signing_key) and its .pub")},
	{"sign DIR BUNDLE", N_("validate and sign DIR offline into BUNDLE")},
	{"publish DIR", N_("validate, sign and publish the next version")},
	{"publish --signed B", N_("publish a bundle signed offline")},
	{"--group G", N_("publish: for the hosts of group G only")},
	{"--with-org-answers", N_("publish, sign: with the answers of org attest")},
	{"list | show V", N_("the versions kept; one version")},
	{"diff V1 V2", N_("two versions compared")},
	{"hosts|history", N_("hosts per version; versions in force (--year Y)")},
	{"--tenant NAME", N_("act in organisation NAME (default: the default one)")},
	{NULL, NULL},
};
static const cmd_option hosts_options[] = {
	{"set-group HOST GROUP", N_("the group whose policy HOST gets ('' for none)")},
	{"list [--format F]", N_("every host: state, last report, score (text, json)")},
	{"show HOST", N_("one host: inventory, state, failing rules (JSON)")},
	{"revoke HOST", N_("kill its token now: its next upload gets 401")},
	{"rename OLD NEW", N_("give a host a new name, keeping its history")},
	{"retire HOST", N_("no longer expected; history kept, token revoked")},
	{"--tenant NAME", N_("act in organisation NAME (default: the default one)")},
	{NULL, NULL},
};
static const cmd_option token_options[] = {
	{"create", N_("make a read-API token and print it, once")},
	{"--role ROLE", N_("create: auditor (reads /v1/...) or metrics (/metrics)")},
	{"--name NAME", N_("create: the token's name, for list and revoke")},
	{"list", N_("the tokens: name, role, when made")},
	{"revoke NAME", N_("the token stops working at once")},
	{"--tenant NAME", N_("act in organisation NAME (default: the default one)")},
	{NULL, NULL},
};
static const cmd_option migrate_options[] = {
	{"--to DATABASE", N_("a SQLite path or a postgresql:// URI to copy into")},
	{NULL, NULL},
};
static const cmd_option prune_options[] = {
	{"--now T", N_("judge ages as of this date (for tests)")},
	{NULL, NULL},
};
static const cmd_option org_options[] = {
	{"attest|show", N_("answer the open questions, or show the category")},
	{"export", N_("print the answers file (for a policy: docs/policy.md)")},
	{"--format text|json", N_("show: text (default) or json")},
	{"--lang en|ja", N_("en or ja (default: the locale)")},
	{"--now T", N_("judge ages as of this date (for tests)")},
	{"--questions FILE", N_("the questionnaire instead of the installed one")},
	{"--window-days N", N_("show: count the reports of the last N days (365)")},
	{"--tenant NAME", N_("act in organisation NAME (default: the default one)")},
	{NULL, NULL},
};

static const cmd_option tenant_options[] = {
	{"add NAME", N_("a new organisation (a customer of a service provider)")},
	{"--enroll-secret-file", N_("add: FILE, its agents' enrollment secret (0600)")},
	{"list | show NAME", N_("every organisation; one, with its hosts")},
	{"remove NAME", N_("remove an organisation that holds nothing")},
	{NULL, NULL},
};
static const cmd_option alerts_options[] = {
	{"list [--since T]", N_("who was told what, when (default: the last 7 days)")},
	{"test", N_("send a test message to each receiver now")},
	{"--tenant NAME", N_("act in organisation NAME (default: the default one)")},
	{NULL, NULL},
};

static const cmd_option keygen_options[] = {
	{"(no arguments)", N_("write report_signing_key (0600) and its .pub, once")},
	{NULL, NULL},
};

static const cmd_option verify_options[] = {
	{"(no options)", N_("recompute the store's hash chain and hash its bodies")},
	{"--report FILE", N_("check a report file against its signature instead")},
	{"--report DIR/MANIFEST", N_("a CSV report: its signature, then each file's SHA-256")},
	{"--sig FILE.sig", N_("the detached signature (report --out writes it)")},
	{"--pubkey P", N_("the public key (default: report_signing_key.pub)")},
	{NULL, NULL},
};

static const cmd_option user_options[] = {
	{"add NAME", N_("a console user; needs --role and --password-file")},
	{"--role R", N_("admin (also changes things) or auditor (reads)")},
	{"--password-file F", N_("the password's file, mode 0600 (first line)")},
	{"--lang en|ja", N_("the console's language for them (default: browser)")},
	{"list | remove NAME", N_("the users; remove one and end its sessions")},
	{"passwd NAME", N_("a new password (--password-file); ends its sessions")},
	{"--tenant NAME", N_("act in organisation NAME (default: the default one)")},
	{NULL, NULL},
};

static const cmd commands[] = {
	{"serve", cmd_serve, "serve [--port-file FILE]",
	 N_("receive the fleet's reports over HTTPS (what the service runs)"), serve_options},
	{"enroll", cmd_enroll, "enroll HOST", N_("register a host and print its upload token, once"),
	 enroll_options},
	{"inventory", cmd_inventory, "inventory import FILE.csv",
	 N_("import the list of hosts that should report"), inventory_options},
	{"report", cmd_report,
	 "report --year YYYY --format csv|html|json|xlsx [--out PATH] [--stale-days N]",
	 N_("write the fleet's annual audit report"), report_options},
	{"export", cmd_export, "export REPORT_ID",
	 N_("print one stored report as received, to check its SHA-256"), export_options},
	{"org", org_command, "org attest|show|export [--format text|json] [--lang en|ja]",
	 N_("the organisation's self-assessment: answer, or see the category"), org_options},
	{"policy", cmd_policy, "policy keygen|sign|publish|list|show|diff|hosts|history ...",
	 N_("the signed central policy for every PC (docs/policy.md)"), policy_options},
	{"hosts", cmd_hosts,
	 "hosts set-group|list|show|revoke|rename|retire ...",
	 N_("a host's policy group and lifecycle"), hosts_options},
	{"token", cmd_token, "token create --role R --name N | list | revoke N",
	 N_("the read API's tokens (/v1/..., /metrics)"), token_options},
	{"migrate", cmd_migrate, "migrate --to DATABASE",
	 N_("copy the store into another database, every report verified"), migrate_options},
	{"user", cmd_user, "user add|list|remove|passwd ...",
	 N_("the people who may log in to the console (/ui/)"), user_options},
	{"prune", cmd_prune, "prune [--now T]",
	 N_("remove report bodies older than retention_days now"), prune_options},
	{"tenant", cmd_tenant, "tenant add NAME [--enroll-secret-file F] | list | show | remove",
	 N_("the organisations served (a service provider's customers)"), tenant_options},
	{"alerts", cmd_alerts, "alerts list [--since T] | alerts test",
	 N_("the alerts sent (webhooks, mail), or a test message"), alerts_options},
	{"keygen", cmd_keygen, "keygen",
	 N_("make the key that signs the annual report files"), keygen_options},
	{"verify", cmd_verify, "verify [--report FILE --sig FILE.sig [--pubkey P]]",
	 N_("check the store's hash chain, or a report file's signature"), verify_options},
};

/* The commands that act on one organisation's data: they take --tenant. */
static const char *const tenant_commands[] = {
	"enroll", "inventory", "report", "export", "org", "policy", "hosts", "token", "user",
	"verify", "alerts",
};

static bool tenant_scoped(const char *name)
{
	for (size_t i = 0; i < sizeof tenant_commands / sizeof tenant_commands[0]; i++)
		if (strcmp(name, tenant_commands[i]) == 0)
			return true;
	return false;
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/* PREFIX then WORDS (the usage, ASCII), broken at spaces to fit 80
 * columns, continuation lines indented. PREFIX is counted in bytes, which
 * a translated one exceeds in columns: it wraps early, never late. */
static void print_wrapped(const char *prefix, const char *words)
{
	size_t col = strlen(prefix);
	fputs(prefix, stdout);
	const char *w = words;
	while (*w) {
		size_t n = strcspn(w, " ");
		if (col + 1 + n > 79 && col > 8) {
			fputs("\n       ", stdout);
			col = 7;
		}
		printf(" %.*s", (int)n, w);
		col += 1 + n;
		w += n;
		w += strspn(w, " ");
	}
	putchar('\n');
}

/* hostaudit-collector COMMAND --help: usage, summary, then the option table
 * (flags stay as typed; what they do is translated). */
static void command_help(const cmd *k)
{
	print_wrapped(_("usage: hostaudit-collector [-c CONFIG]"), k->usage);
	if (k->summary)
		printf("%s\n", _(k->summary));
	printf("\n%s\n", _("arguments and options:"));
	for (const cmd_option *o = k->options; o && o->flag; o++)
		printf("  %-20s %s\n", o->flag, _(o->help));
	printf("  %-20s %s\n", "-h, --help", _("this help"));
}

int main(int argc, char **argv)
{
	const char *config = COLLECTOR_DEFAULT_CONFIG;
	umask(077); /* the database, its WAL, reports written: the owner's only */
	i18n_set_lang(i18n_lang_from_env());
	int i = 1;
	if (i + 1 < argc && strcmp(argv[i], "-c") == 0) {
		config = argv[i + 1];
		i += 2;
	}
	bool help = i < argc && is_help(argv[i]);
	if (i < argc && (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V"))) {
		printf("hostaudit-collector %s\n", HOSTAUDIT_VERSION);
		return 0;
	}
	if (i >= argc || help) {
		FILE *out = help ? stdout : stderr;
		fprintf(out,
			_("usage: hostaudit-collector [-c CONFIG] COMMAND ...\n"
			  "(default config %s; see docs/collector.md)\ncommands:\n"),
			COLLECTOR_DEFAULT_CONFIG);
		for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
			fprintf(out, "  %s\n", commands[k].usage);
		fprintf(out, "%s", _("\n'hostaudit-collector COMMAND --help' for a command's "
				     "options;\nhostaudit-collector(8) for everything.\n"));
		return help ? 0 : 2;
	}
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(argv[i], commands[k].name) != 0)
			continue;
		/* Before the config: help works without one (a new install). */
		for (int a = i + 1; a < argc; a++)
			if (is_help(argv[a])) {
				command_help(&commands[k]);
				return 0;
			}
		collector_config c;
		char err[1100];
		if (ccfg_load(&c, config, err, sizeof err) != 0) {
			fprintf(stderr, "hostaudit-collector: %s\n", err);
			ccfg_free(&c);
			return 2;
		}
		int sub_argc = argc - i;
		int rc = tenant_scoped(commands[k].name) ? tenant_scope(&c, &sub_argc, argv + i) : 0;
		if (rc == 0)
			rc = commands[k].run(&c, sub_argc, argv + i);
		ccfg_free(&c);
		return rc;
	}
	fprintf(stderr, _("hostaudit-collector: unknown command '%s'\n"), argv[i]);
	return 2;
}
