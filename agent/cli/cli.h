/* SPDX-License-Identifier: Apache-2.0 */
/* The command line: a table of sub-commands (main.c), one file each, and
 * the options they share. */
#ifndef HOSTAUDIT_CLI_H
#define HOSTAUDIT_CLI_H

#include "hostaudit/compiler.h"
#include <stdbool.h>
#include <stddef.h>

#include "hostaudit/audit.h"

#define CLI_MAX_RULES 32

/* Exit statuses (hostaudit(8)). */
enum {
	EXIT_PASS = 0,    /* every applicable rule passed */
	EXIT_FAIL = 1,    /* some rule failed */
	EXIT_USAGE = 2,   /* usage, config or rule error */
	EXIT_OPEN = 3,    /* nothing failed, but some rule is unknown or errored */
	EXIT_UPLOAD_PENDING = 4, /* the report is spooled: a later run or flush sends it */
	EXIT_UPLOAD_REFUSED = 5, /* the collector refused a report: moved to quarantine */
	EXIT_POLICY_REFUSED = 6, /* the collector's policy was refused: audited with the last-good */
};

typedef struct cli_options {
	const char *config;
	const char *rules[CLI_MAX_RULES];
	size_t rule_count;
	const char *root;
	const char *now;
	const char *format;
	const char *output;
	const char *lang;
	bool catalog;       /* facts --catalog */
	bool upload;        /* run --upload */
	const char *secret_file; /* enroll --secret-file */
	bool force;         /* enroll --force */
	const char *sub;    /* a command's sub-command ("org attest"), before the options */
	char **args;        /* operands after the options */
	int arg_count;
} cli_options;

typedef struct command {
	const char *name;
	int (*run)(const cli_options *o);
	const char *summary;
	const char *usage;  /* operands, e.g. "RULE" */
	const char *options; /* which shared options apply, e.g. "crRnfol" */
} command;

/* Parses the options a command accepts. Returns 0, 1 when --help or
 * --version was handled (exit 0), or EXIT_USAGE after printing why. */
int cli_parse(const command *cmd, int argc, char **argv, cli_options *o);

/* Sets up the host (--root, --now) and loads the config and, when
 * with_packs, the rule packs. Returns 0
 * or EXIT_USAGE after printing the error. */
int cli_load_audit(const cli_options *o, audit *a, bool with_packs);
/* The same for `run`: first the central policy when the local config has
 * `policy:` (docs/policy.md), the audit then loaded with it; what was
 * used or refused is in a->policy and said on stderr. */
int cli_load_audit_policy(const cli_options *o, audit *a);

/* "en" or "ja": --lang, then the config, then the locale. */
const char *cli_lang(const cli_options *o, const config *cfg);

/* Writes data to --output (atomically, 0600) or stdout. 0 or EXIT_USAGE. */
int cli_emit(const cli_options *o, const char *data, size_t len);

/* Renders a report in --format (default text) and emits it. 0 or
 * EXIT_USAGE. */
#include <jansson.h>
int cli_render(const cli_options *o, const json_t *report, const char *lang);

void cli_error(const char *fmt, ...) HOSTAUDIT_PRINTF(1, 2);

int cmd_run(const cli_options *o);
int cmd_list(const cli_options *o);
int cmd_explain(const cli_options *o);
int cmd_facts(const cli_options *o);
int cmd_validate(const cli_options *o);
int cmd_flush(const cli_options *o);
int cmd_enroll(const cli_options *o);

/* Sends a finished report (and what the spool holds) to the collector and
 * prints what happened. Returns 0 when all was sent, else the exit status
 * (EXIT_UPLOAD_PENDING, EXIT_UPLOAD_REFUSED or EXIT_USAGE). */
int cli_upload(const config *cfg, const char *report_id, const char *json, size_t len);
int cli_upload_status(int flush_rc);
int cmd_render(const cli_options *o);
int cmd_attest(const cli_options *o);
int cmd_org(const cli_options *o);

#endif
