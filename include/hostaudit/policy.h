/* SPDX-License-Identifier: Apache-2.0 */
/* The signed central policy (docs/policy.md): the bundle format, its
 * signature, how a group's bundle overlays the base one, and the check
 * that a policy loads exactly as the agent would load it. The agent
 * (agent/upload/policy_fetch.c) and the collector (collector/cmd_policy.c)
 * share this code.
 *
 * A bundle on the wire and on disk is an envelope:
 *   {"schema": "hostaudit/policy-signed/v1",
 *    "payload": "<the payload JSON, as a string>",
 *    "signature": "<Ed25519 over POLICY_SIGN_CONTEXT + payload, hex>"}
 * The payload: {"schema": "hostaudit/policy/v1", "version": N,
 *   "group": null | "NAME", "created": "RFC 3339",
 *   "files": {"hostaudit.yaml": "...", "rules/x.yaml": "...", ...}}
 * What the collector serves (GET /v1/policy) pairs the base bundle with
 * the host's group bundle: {"schema": "hostaudit/policy-served/v1",
 *   "base": ENVELOPE, "group": ENVELOPE | null}. */
#ifndef HOSTAUDIT_POLICY_H
#define HOSTAUDIT_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "hostaudit/yamlfile.h"

#define POLICY_SCHEMA "hostaudit/policy/v1"
#define POLICY_SIGNED_SCHEMA "hostaudit/policy-signed/v1"
#define POLICY_SERVED_SCHEMA "hostaudit/policy-served/v1"
/* Signed before the payload, so a policy signature means nothing else. */
#define POLICY_SIGN_CONTEXT "hostaudit policy v1\n"
#define POLICY_PUBKEY_TAG "hostaudit-policy-ed25519"
#define POLICY_MAX_BYTES (8L * 1024 * 1024)
#define POLICY_MAX_FILES 256

typedef struct policy_file {
	char *name; /* "hostaudit.yaml", "attest.yaml", "rules/x.yaml" */
	char *data;
	size_t len;
} policy_file;

typedef struct policy_bundle {
	long long version;
	char *group;     /* NULL: the base policy */
	char *created;
	policy_file *files;
	size_t file_count;
	char sha256[65]; /* of the payload */
} policy_bundle;

/* The local config's `policy:` section. */
typedef struct policy_settings {
	char *pubkey_file; /* NULL: no central policy */
	char *state_dir;   /* NULL: platform_default_path(PLATFORM_POLICY_DIR) */
	long timeout_s;    /* the whole fetch; default 10 */
} policy_settings;

/* Which policy an audit ran with: the report's `policy` object. */
typedef struct policy_provenance {
	const char *source;      /* "collector", "last-good", "local"; NULL: local */
	long long version;       /* the base bundle's; 0 with source local */
	char group[65];          /* "" none */
	long long group_version;
	char sha256[65];         /* of the served document ("" with local) */
	char refused[1200];      /* why a policy from the collector was refused, or "" */
	char note[1200];         /* why the collector was not asked or not reached */
} policy_provenance;

struct config;
/* The row of config.c's section table. */
int policy_settings_parse(yamlfile *yf, yaml_node_t *n, struct config *cfg, diag *d);
void policy_settings_free(policy_settings *s);

/* Whether name may be a file of a bundle: NAME.yaml or rules/NAME.yaml,
 * NAME of letters, digits, '.', '_', '-', not starting with '.'. */
bool policy_file_name_ok(const char *name);

/* Parses payload text into b (fresh). 0 or -1 with d set. */
int policy_payload_parse(const char *src, size_t len, policy_bundle *b, diag *d);
/* The payload text of b (its files, version, group, created), canonical
 * JSON; caller frees. */
char *policy_payload_build(const policy_bundle *b);
void policy_bundle_free(policy_bundle *b);

/* "hostaudit-policy-ed25519 <64 hex>" in path. 0 or -1 with d set. */
int policy_pubkey_load(const char *path, unsigned char pub[32], diag *d);

/* Checks an envelope's signature with pub and parses its payload into b.
 * 0; -1 bad (d says why: not an envelope, bad signature); -2 the signature
 * could not be checked (platform_ed25519_verify). */
int policy_envelope_open(const char *src, size_t len, const unsigned char pub[32],
			 policy_bundle *b, diag *d);
/* An envelope for payload and its 64-byte signature; caller frees. */
char *policy_envelope_build(const char *payload, const unsigned char sig[64]);

/* The files in force: base's, then group's replacing those of the same
 * name (group may be NULL). The result borrows nothing. */
void policy_resolve(const policy_bundle *base, const policy_bundle *group, policy_bundle *out);

/* Writes b's files into dir (created private; rules/ under it), removing
 * what an earlier policy left there. 0 or -1 with d set. */
int policy_materialize(const policy_bundle *b, const char *dir, diag *d);

/* Reads the bundle files in dir (NAME.yaml, and the same in rules/)
 * into b->files. 0 or -1 with d set. */
int policy_read_dir(const char *dir, policy_bundle *b, diag *d);

/* Loads dir as the agent would audit with it (the policy's config with
 * its forbidden keys refused, its packs or the default ones, the param
 * overrides and exceptions checked): 0, or -1 with d naming
 * file:line:column. */
int policy_validate_dir(const char *dir, diag *d);

/* Splits a served document into its verified base and group bundles
 * (group zeroed when none). 0, -1 refused (d says why), -2 a signature
 * could not be checked (policy_envelope_open). */
int policy_served_open(const char *src, size_t len, const unsigned char pub[32],
		       policy_bundle *base, policy_bundle *group, diag *d);

struct audit_options;
/* The agent's step before an audit (agent/upload/policy_fetch.c): with
 * `policy:` in the local config, asks the collector for its policy within
 * policy.timeout_s, checks signature, version (no rollback) and that it
 * loads (o, with the policy), keeps it as last-good and writes the policy
 * in force to dir (dir[0] = 0: none, audit with the local config). What
 * was used and what was refused go in *pv. 0, or -1 with d set on a local
 * error (the public key or the state directory). */
int policy_obtain(const struct config *local, const struct audit_options *o,
		  policy_provenance *pv, char *dir, size_t dir_size, diag *d);

#endif
