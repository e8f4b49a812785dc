/* SPDX-License-Identifier: Apache-2.0 */
/* `hostaudit-collector keygen` and `verify` (docs/collector.md
 * "Evidence"): the report-signing key, and the auditor's two checks: the
 * store's hash chain, and a report file against its signature. Exit
 * status: 0 it holds, 1 it does not (or cannot be checked), 2 usage. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector.h"
#include "i18n.h"
#include "principal.h"
#include "report_manifest.h"
#include "report_sign.h"
#include "signkey.h"

static int usage(const char *u)
{
	fprintf(stderr, _("usage: hostaudit-collector [-c CONFIG] %s\n"), u);
	return 2;
}

static char *pub_of(const char *key)
{
	char *p;
	return asprintf(&p, "%s.pub", key) < 0 ? NULL : p;
}

int cmd_keygen(const collector_config *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return usage("keygen");
	if (!c->report_signing_key) {
		fprintf(stderr, _("hostaudit-collector: keygen: set report_signing_key: in %s "
				  "first\n"), c->path);
		return 2;
	}
	char *pub = pub_of(c->report_signing_key), err[700];
	int rc = pub ? signkey_generate(c->report_signing_key, pub, SIGNKEY_PUB_PEM, NULL, err,
					sizeof err)
		     : -1;
	if (rc != 0)
		fprintf(stderr, _("hostaudit-collector: keygen: %s\n"), pub ? err : _("out of memory"));
	else
		fprintf(stderr, _("hostaudit-collector: report-signing key %s (keep it secret); "
				  "give the auditor %s to check the reports' signatures\n"),
			c->report_signing_key, pub);
	free(pub);
	return rc == 0 ? 0 : 1;
}

static void print_broken(void *ctx, const char *msg)
{
	long *shown = ctx;
	if ((*shown)++ < 20) /* the first ones; the count says the rest */
		printf(_("BROKEN: %s\n"), msg);
}

static int verify_chain(const collector_config *c)
{
	char err[700];
	store *s = store_open(c->database, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hostaudit-collector: %s\n", err);
		return 1;
	}
	chain_verdict v;
	long shown = 0;
	int rc = chain_verify(s, c->org_id, &v, print_broken, &shown, err, sizeof err);
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, _("hostaudit-collector: verify: %s\n"), err);
		return 1;
	}
	printf(_("chain: %ld links, %ld stored bodies hashed again, %ld removed by "
		 "retention\nhead: sequence %lld\n  %s\n"),
	       v.links, v.bodies, v.removed, (long long)v.head_seq, v.head);
	if (v.broken) {
		printf(_("verify: the chain is broken: %ld finding(s), the first one "
			 "above\n"), v.broken);
		return 1;
	}
	printf("%s", _("verify: the chain holds, and every stored body matches it\n"));
	return 0;
}

static int verify_report(const collector_config *c, const char *file, const char *sig,
			 const char *pub)
{
	char *own = NULL, err[1200];
	if (!pub) {
		if (!c->report_signing_key) {
			fprintf(stderr, "%s", _("hostaudit-collector: verify: give --pubkey, or "
						"set report_signing_key: (its .pub is used)\n"));
			return 2;
		}
		pub = own = pub_of(c->report_signing_key);
	}
	int rc = pub ? report_verify_file(pub, file, sig, err, sizeof err) : -1;
	/* a CSV report's MANIFEST: the signature covers the files it lists */
	bool manifest = rc == 1 && report_manifest_is(file);
	if (manifest)
		rc = report_manifest_check(file, err, sizeof err);
	if (rc == 1 && manifest)
		printf(_("verify: the signature is good, and every file the MANIFEST lists "
			 "matches it\n  report     %s\n  signature  %s\n  key        %s\n"),
		       file, sig, pub);
	else if (rc == 0 && manifest)
		printf(_("verify: A FILE WAS CHANGED: %s\n  report     %s\n  signature  %s "
			 "(good)\n  key        %s\n"), err, file, sig, pub);
	else if (rc == 1)
		printf(_("verify: the signature is good\n  report     %s\n  signature  %s\n"
			 "  key        %s\n"), file, sig, pub);
	else if (rc == 0)
		printf(_("verify: BAD SIGNATURE: %s\n  report     %s\n  signature  %s\n"
			 "  key        %s\n"), err, file, sig, pub);
	else
		fprintf(stderr, _("hostaudit-collector: verify: %s\n"), pub ? err : _("out of memory"));
	free(own);
	return rc == 1 ? 0 : 1;
}

int cmd_verify(const collector_config *c, int argc, char **argv)
{
	const char *u = "verify [--report FILE --sig FILE.sig [--pubkey P]]";
	const char *file = NULL, *sig = NULL, *pub = NULL;
	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			return usage(u);
		if (!strcmp(argv[i], "--report"))
			file = argv[++i];
		else if (!strcmp(argv[i], "--sig"))
			sig = argv[++i];
		else if (!strcmp(argv[i], "--pubkey"))
			pub = argv[++i];
		else
			return usage(u);
	}
	if (!file && !sig && !pub)
		return verify_chain(c);
	if (!file || !sig)
		return usage(u);
	return verify_report(c, file, sig, pub);
}
