/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit: the command table. Adding a command is a row and a file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/platform.h"
#include "hostaudit/version.h"
#include "i18n.h"
#include "textwrap.h"
#include "util.h"

static const command commands[] = {
	{"run", cmd_run, N_("audit this host and print the scored report (the default)"), "",
	 "crRnfolu"},
	{"list", cmd_list, N_("list the rules: id, article, severity, title"), "", "crfl"},
	{"explain", cmd_explain, N_("what a rule checks, the facts it reads, what was observed, "
	 "how to fix"), "RULE", "crRnl"},
	{"facts", cmd_facts, N_("every fact with value, state and evidence, as JSON"), "",
	 "cRnoCl"},
	{"validate", cmd_validate, N_("check rule packs and config files; no audit"), "FILE...",
	 ""},
	{"flush", cmd_flush, N_("send the reports waiting in the spool to the collector"), "",
	 "c"},
	{"enroll", cmd_enroll, N_("get this host's upload token from the collector, once, with "
	 "the enrollment secret"), "", "csF"},
	/* Reports people read, and what only people can vouch for. */
	{"render", cmd_render, N_("render a saved JSON report as text, csv, html or junit"),
	 "REPORT.json", "fol"},
	{"attest", cmd_attest, N_("answer the questions only a person can (attestations)"), "",
	 "cnlo"},
	{"org", cmd_org, N_("the organisation's self-assessment: org attest (answer), org show "
	 "(the category)"), "attest|show [ANSWERS.yaml]", "crRnfol"},
	/* (the sub-command is taken before the options: see main()) */
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
	size_t width = text_columns(out);
	fprintf(out, "%s", _("usage: hostaudit [COMMAND] [OPTIONS]\n\ncommands:\n"));
	for (size_t i = 0; i < N_COMMANDS; i++) {
		fprintf(out, "  %-9s ", commands[i].name);
		text_wrap(out, _(commands[i].summary), 12, 12, width);
	}
	char *tail = xstrdup(_("\n'hostaudit COMMAND --help' for a command's options; hostaudit(8) "
			       "for everything.\nexit status: 0 all applicable rules pass, 1 some "
			       "fail,\n2 usage/config/rule error, 3 none fail but some are unknown or "
			       "errored,\n4 upload pending (spooled), 5 upload refused (quarantined).\n"));
	size_t n = strlen(tail);
	if (n && tail[n - 1] == '\n')
		tail[n - 1] = '\0'; /* text_wrap ends the line */
	text_wrap(out, tail, 0, 0, width);
	free(tail);
}

int main(int argc, char **argv)
{
	platform_console_init();
	/* The environment's language until --lang or the config says else. */
	i18n_set_lang(i18n_lang_from_env());
	const command *cmd = &commands[0];
	int first = 1;
	if (argc > 1 && argv[1][0] != '-') {
		cmd = NULL;
		for (size_t i = 0; i < N_COMMANDS; i++)
			if (!strcmp(argv[1], commands[i].name))
				cmd = &commands[i];
		if (!cmd) {
			fprintf(stderr, _("hostaudit: unknown command '%s'\n"), argv[1]);
			usage(stderr);
			return EXIT_USAGE;
		}
		first = 2;
	} else if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		/* `hostaudit --help --lang ja`: the language is not ignored */
		for (int i = 2; i < argc; i++)
			if (!strncmp(argv[i], "--lang=", 7))
				i18n_set_lang(argv[i] + 7);
			else if ((!strcmp(argv[i], "--lang") || !strcmp(argv[i], "-l")) && i + 1 < argc)
				i18n_set_lang(argv[++i]);
		usage(stdout);
		return 0;
	}
	/* "hostaudit org attest --lang ja": the sub-command comes first. */
	const char *sub = NULL;
	if (cmd->run == cmd_org && first == 2 && argc > 2 && argv[2][0] != '-') {
		sub = argv[2];
		first = 3;
	}
	cli_options o;
	int rc = cli_parse(cmd, argc - first + 1, argv + first - 1, &o);
	o.sub = sub;
	if (rc == 1)
		return 0;
	if (rc)
		return rc;
	return cmd->run(&o);
}
