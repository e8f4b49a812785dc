/* Options shared by the sub-commands, and the steps they share. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/platform.h"
#include "hostaudit/version.h"
#include "util.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("hostaudit: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static const struct {
	char letter;
	const char *name;
	bool arg;
	const char *help;
} option_table[] = {
	{'c', "config", true, "site config file (default " CONFIG_DEFAULT_PATH ")"},
	{'r', "rules", true, "rule pack file or directory, instead of the config's (repeatable)"},
	{'R', "root", true, "audit the system mounted at DIR (a fixture or an offline disk)"},
	{'n', "now", true, "judge ages as of this time (YYYY-MM-DD or RFC 3339; for tests)"},
	{'f', "format", true, "text or json"},
	{'o', "output", true, "write to FILE (mode 0600, atomically) instead of stdout"},
	{'l', "lang", true, "en or ja (default: the config, then the locale)"},
	{'C', "catalog", false, "print the fact catalogue instead of observing"},
	{'u', "upload", false, "send the report to the collector (also: upload: enabled: true)"},
};

#define N_OPTIONS (sizeof option_table / sizeof option_table[0])

static void command_help(const command *cmd)
{
	printf("usage: hostaudit %s [OPTIONS] %s\n%s\n\noptions:\n", cmd->name, cmd->usage,
	       cmd->summary);
	for (size_t i = 0; i < N_OPTIONS; i++) {
		if (!strchr(cmd->options, option_table[i].letter))
			continue;
		char left[32];
		snprintf(left, sizeof left, "--%s%s", option_table[i].name,
			 option_table[i].arg ? " ARG" : "");
		printf("  -%c, %-16s %s\n", option_table[i].letter, left, option_table[i].help);
	}
	printf("  -h, --help             this help\n  -V, --version          the version\n");
}

int cli_parse(const command *cmd, int argc, char **argv, cli_options *o)
{
	memset(o, 0, sizeof *o);
	struct option longs[N_OPTIONS + 3];
	char shorts[3 * N_OPTIONS + 4] = "+hV";
	size_t n = 0;
	for (size_t i = 0; i < N_OPTIONS; i++) {
		if (!strchr(cmd->options, option_table[i].letter))
			continue;
		longs[n++] = (struct option){option_table[i].name,
					     option_table[i].arg ? required_argument : no_argument,
					     NULL, option_table[i].letter};
		size_t l = strlen(shorts);
		shorts[l] = option_table[i].letter;
		shorts[l + 1] = option_table[i].arg ? ':' : '\0';
		shorts[l + 2] = '\0';
	}
	longs[n++] = (struct option){"help", no_argument, NULL, 'h'};
	longs[n++] = (struct option){"version", no_argument, NULL, 'V'};
	longs[n] = (struct option){0};
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		switch (c) {
		case 'h': command_help(cmd); return 1;
		case 'V': printf("hostaudit %s\n", HOSTAUDIT_VERSION); return 1;
		case 'c': o->config = optarg; break;
		case 'r':
			if (o->rule_count == CLI_MAX_RULES) {
				cli_error("at most %d --rules", CLI_MAX_RULES);
				return EXIT_USAGE;
			}
			o->rules[o->rule_count++] = optarg;
			break;
		case 'R': o->root = optarg; break;
		case 'n': o->now = optarg; break;
		case 'f': o->format = optarg; break;
		case 'o': o->output = optarg; break;
		case 'l': o->lang = optarg; break;
		case 'C': o->catalog = true; break;
		case 'u': o->upload = true; break;
		default:
			if (optopt)
				cli_error("%s: option -%c %s", cmd->name, optopt,
					  strchr(shorts, optopt) ? "needs a value" : "is not known");
			else
				cli_error("%s: option '%s' is not known or needs a value", cmd->name,
					  argv[optind - 1]);
			fprintf(stderr, "try 'hostaudit %s --help'\n", cmd->name);
			return EXIT_USAGE;
		}
	}
	o->args = argv + optind;
	o->arg_count = argc - optind;
	if (o->format && strcmp(o->format, "text") && strcmp(o->format, "json")) {
		cli_error("--format must be text or json, not '%s'", o->format);
		return EXIT_USAGE;
	}
	if (o->lang && strcmp(o->lang, "en") && strcmp(o->lang, "ja")) {
		cli_error("--lang must be en or ja, not '%s'", o->lang);
		return EXIT_USAGE;
	}
	bool wants_args = cmd->usage[0] != '\0';
	if (!wants_args && o->arg_count > 0) {
		cli_error("%s: unexpected argument '%s'", cmd->name, o->args[0]);
		return EXIT_USAGE;
	}
	if (wants_args && o->arg_count == 0) {
		cli_error("%s: needs %s", cmd->name, cmd->usage);
		return EXIT_USAGE;
	}
	return 0;
}

static int parse_now(const char *s, int64_t *out)
{
	long long t;
	if (s[0] == '@') {
		char *end;
		errno = 0;
		t = strtoll(s + 1, &end, 10);
		if (errno || *end || end == s + 1)
			return -1;
	} else if (parse_time_utc(s, &t) != 0) {
		return -1;
	}
	*out = t;
	return 0;
}

int cli_load_audit(const cli_options *o, audit *a, bool with_packs)
{
	memset(a, 0, sizeof *a);
	host_init_live(&a->h);
	if (o->root) {
		host_stat st;
		host probe_root = {.root = ""};
		if (host_stat_path(&probe_root, o->root, &st) != 0 || !st.is_dir) {
			cli_error("--root %s: not a directory", o->root);
			return EXIT_USAGE;
		}
		/* "/" means the live system; strip trailing slashes so paths join. */
		static char root[4096];
		snprintf(root, sizeof root, "%s", o->root);
		size_t len = strlen(root);
		while (len > 0 && root[len - 1] == '/')
			root[--len] = '\0';
		a->h.root = root;
	}
	if (o->now && parse_now(o->now, &a->h.now) != 0) {
		cli_error("--now '%s': use YYYY-MM-DD, RFC 3339 or @EPOCH", o->now);
		return EXIT_USAGE;
	}
	audit_options ao = {
		.config_path = o->config,
		.rule_paths = (const char **)o->rules,
		.rule_path_count = o->rule_count,
		.strict_perms = platform_privileged(),
		.skip_packs = !with_packs,
	};
	diag d;
	if (audit_load(a, &ao, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		return EXIT_USAGE;
	}
	return 0;
}

const char *cli_lang(const cli_options *o, const config *cfg)
{
	if (o->lang)
		return o->lang;
	if (cfg && cfg->lang)
		return cfg->lang;
	const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "ja", 2) == 0 ? "ja" : "en";
	}
	return "en";
}

int cli_emit(const cli_options *o, const char *data, size_t len)
{
	if (o->output) {
		int rc = platform_write_file_atomic(o->output, data, len);
		if (rc != 0) {
			cli_error("%s: cannot write: %s", o->output, strerror(-rc));
			return EXIT_USAGE;
		}
		return 0;
	}
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
		cli_error("cannot write to standard output");
		return EXIT_USAGE;
	}
	return 0;
}
