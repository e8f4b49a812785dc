/* SPDX-License-Identifier: Apache-2.0 */
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
#include "hostaudit/report.h"
#include "i18n.h"
#include "textwrap.h"
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
	{'c', "config", true, N_("site config file (default /etc/hostaudit/hostaudit.yaml)")},
	{'r', "rules", true, N_("rule pack file or directory, instead of the config's (repeatable)")},
	{'R', "root", true, N_("audit the system mounted at DIR (a fixture or an offline disk)")},
	{'n', "now", true, N_("judge ages as of this time (YYYY-MM-DD or RFC 3339; for tests)")},
	{'f', "format", true, N_("text, json, csv, html or junit")},
	{'o', "output", true, N_("write to FILE (mode 0600, atomically) instead of stdout")},
	{'l', "lang", true, N_("en or ja (default: the config, then the locale)")},
	{'C', "catalog", false, N_("print the fact catalogue instead of observing")},
	{'u', "upload", false, N_("send the report to the collector (also: upload: enabled: true)")},
	{'s', "secret-file", true, N_("the enrollment secret, in a file of mode 0600")},
	{'F', "force", false, N_("replace an existing token_file")},
};

#define N_OPTIONS (sizeof option_table / sizeof option_table[0])

/* "  -c, --config ARG     site config file ...", the help wrapped under
 * itself so it fits the terminal. */
static void help_line(char letter, const char *name, bool arg, const char *help, size_t width)
{
	char left[40];
	snprintf(left, sizeof left, "  -%c, --%s%s", letter, name, arg ? " ARG" : "");
	enum { HELP_COL = 25 };
	text_pad(stdout, left, HELP_COL);
	text_wrap(stdout, help, HELP_COL, HELP_COL, width);
}

static void command_help(const command *cmd)
{
	size_t width = text_columns(stdout);
	char *head = xasprintf(_("usage: hostaudit %s [OPTIONS] %s"), cmd->name, cmd->usage);
	text_wrap(stdout, head, 0, 4, width);
	free(head);
	text_wrap(stdout, _(cmd->summary), 0, 0, width);
	printf("\n%s\n", _("options (before or after the operands):"));
	for (size_t i = 0; i < N_OPTIONS; i++)
		if (strchr(cmd->options, option_table[i].letter))
			help_line(option_table[i].letter, option_table[i].name, option_table[i].arg,
				  _(option_table[i].help), width);
	help_line('h', "help", false, _("this help"), width);
	help_line('V', "version", false, _("the version"), width);
}

/* Whether the option at argv[i] takes its value from argv[i + 1]. Long
 * options may be abbreviated, as getopt_long allows. */
static bool takes_next(const command *cmd, const char *a)
{
	if (a[1] == '-') {
		const char *name = a + 2;
		if (strchr(name, '='))
			return false;
		size_t len = strlen(name);
		for (size_t i = 0; i < N_OPTIONS; i++)
			if (strchr(cmd->options, option_table[i].letter) &&
			    !strncmp(option_table[i].name, name, len))
				return option_table[i].arg;
		return false;
	}
	/* a cluster "-vf json": the first letter that takes a value ends it */
	for (const char *p = a + 1; *p; p++)
		for (size_t i = 0; i < N_OPTIONS; i++)
			if (option_table[i].letter == *p && strchr(cmd->options, *p) &&
			    option_table[i].arg)
				return p[1] == '\0';
	return false;
}

/* Moves the options before the operands (GNU-style permutation, done here
 * because the Windows C library's getopt does not permute), so
 * `explain RULE --lang ja` means what it says. "--" ends the options. */
static void permute(const command *cmd, int argc, char **argv)
{
	char **opts = xcalloc((size_t)argc + 1, sizeof *opts);
	char **operands = xcalloc((size_t)argc + 1, sizeof *operands);
	int no = 0, nr = 0, i = 1;
	char *dashes = NULL;
	for (; i < argc; i++) {
		char *a = argv[i];
		if (!strcmp(a, "--")) {
			dashes = a;
			i++;
			break;
		}
		if (a[0] != '-' || !a[1]) {
			operands[nr++] = a;
			continue;
		}
		opts[no++] = a;
		if (takes_next(cmd, a) && i + 1 < argc)
			opts[no++] = argv[++i];
	}
	int k = 1;
	for (int j = 0; j < no; j++)
		argv[k++] = opts[j];
	if (dashes) /* kept, so operands after it stay operands */
		argv[k++] = dashes;
	for (int j = 0; j < nr; j++)
		argv[k++] = operands[j];
	for (; i < argc; i++)
		argv[k++] = argv[i];
	free(opts);
	free(operands);
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
	permute(cmd, argc, argv);
	int c;
	/* --help after the other options: `explain --help --lang ja` is in
	 * Japanese, so it is shown once they are read. */
	bool want_help = false;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		switch (c) {
		case 'h': want_help = true; break;
		case 'V': printf("hostaudit %s\n", HOSTAUDIT_VERSION); return 1;
		case 'c': o->config = optarg; break;
		case 'r':
			if (o->rule_count == CLI_MAX_RULES) {
				cli_error(_("at most %d --rules"), CLI_MAX_RULES);
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
		case 's': o->secret_file = optarg; break;
		case 'F': o->force = true; break;
		default:
			if (want_help)
				break; /* help wins over a mistyped option */
			if (optopt)
				cli_error(strchr(shorts, optopt) ? _("%s: option -%c needs a value")
								 : _("%s: option -%c is not known"),
					  cmd->name, optopt);
			else
				cli_error(_("%s: option '%s' is not known or needs a value"), cmd->name,
					  argv[optind - 1]);
			fprintf(stderr, _("try 'hostaudit %s --help'\n"), cmd->name);
			return EXIT_USAGE;
		}
	}
	o->args = argv + optind;
	o->arg_count = argc - optind;
	if (o->lang && strcmp(o->lang, "en") && strcmp(o->lang, "ja")) {
		cli_error(_("--lang must be en or ja, not '%s'"), o->lang);
		return EXIT_USAGE;
	}
	if (o->lang)
		i18n_set_lang(o->lang);
	if (want_help) {
		command_help(cmd);
		return 1;
	}
	if (o->format && !render_find(o->format)) {
		cli_error(_("--format must be one of %s, not '%s'"), RENDER_FORMATS, o->format);
		return EXIT_USAGE;
	}
	/* "... [FILE]": the command checks its own operands. */
	bool wants_args = cmd->usage[0] != '\0' && !strchr(cmd->usage, '[');
	if (!cmd->usage[0] && o->arg_count > 0) {
		cli_error(_("%s: unexpected argument '%s'"), cmd->name, o->args[0]);
		return EXIT_USAGE;
	}
	if (wants_args && o->arg_count == 0) {
		cli_error(_("%s: needs %s"), cmd->name, cmd->usage);
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

static int load_audit(const cli_options *o, audit *a, bool with_packs, bool with_policy)
{
	memset(a, 0, sizeof *a);
	host_init_live(&a->h);
	if (o->root) {
		host_stat st;
		host probe_root = {.root = ""};
		if (host_stat_path(&probe_root, o->root, &st) != 0 || !st.is_dir) {
			cli_error(_("--root %s: not a directory"), o->root);
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
		cli_error(_("--now '%s': use YYYY-MM-DD, RFC 3339 or @EPOCH"), o->now);
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
	policy_provenance pv = {.source = "local"};
	char dir[4200] = "";
	if (with_policy) {
		config local;
		if (config_load(&local, o->config, ao.strict_perms, &d) != 0) {
			fprintf(stderr, "%s\n", d.msg);
			return EXIT_USAGE;
		}
		int rc = local.policy.pubkey_file
				 ? policy_obtain(&local, &ao, &pv, dir, sizeof dir, &d)
				 : 0;
		config_free(&local);
		if (rc != 0) {
			fprintf(stderr, "%s\n", d.msg);
			return EXIT_USAGE;
		}
		ao.policy_dir = dir[0] ? dir : NULL;
	}
	if (audit_load(a, &ao, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		return EXIT_USAGE;
	}
	a->policy = pv;
	i18n_set_lang(cli_lang(o, &a->cfg));
	if (pv.refused[0])
		cli_error(_("policy refused: %s"), pv.refused);
	if (pv.note[0])
		cli_error(_("policy: %s"), pv.note);
	if (with_policy && a->cfg.policy.pubkey_file) {
		if (pv.version)
			fprintf(stderr, _("hostaudit: policy version %lld%s%s from %s\n"),
				pv.version, pv.group[0] ? _(", group ") : "", pv.group, pv.source);
		else
			fprintf(stderr, "%s\n",
				_("hostaudit: no central policy yet: the local config is used"));
	}
	return 0;
}

int cli_load_audit(const cli_options *o, audit *a, bool with_packs)
{
	return load_audit(o, a, with_packs, false);
}

int cli_load_audit_policy(const cli_options *o, audit *a)
{
	return load_audit(o, a, true, true);
}

const char *cli_lang(const cli_options *o, const config *cfg)
{
	if (o->lang)
		return o->lang;
	if (cfg && cfg->lang)
		return cfg->lang;
	return i18n_lang_from_env();
}

int cli_emit(const cli_options *o, const char *data, size_t len)
{
	if (o->output) {
		int rc = platform_write_file_atomic(o->output, data, len);
		if (rc != 0) {
			cli_error(_("%s: cannot write: %s"), o->output, strerror(-rc));
			return EXIT_USAGE;
		}
		return 0;
	}
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
		cli_error("%s", _("cannot write to standard output"));
		return EXIT_USAGE;
	}
	return 0;
}
