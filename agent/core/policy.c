/* SPDX-License-Identifier: Apache-2.0 */
/* The signed central policy's bundle (hostaudit/policy.h, docs/policy.md):
 * parsing, the signature check, the group overlay, writing it out and
 * loading it as the agent would. */
#include "hostaudit/policy.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "hostaudit/audit.h"
#include "hostaudit/config.h"
#include "hostaudit/platform.h"
#include "i18n.h"
#include "util.h"

/* ---- the local config's `policy:` section ---- */

int policy_settings_parse(yamlfile *yf, yaml_node_t *n, config *cfg, diag *d)
{
	static const char *const keys[] = {"pubkey_file", "state_dir", "timeout_s", NULL};
	policy_settings *s = &cfg->policy;
	if (yaml_want_map(yf, n, "policy", d) || yaml_check_keys(yf, n, keys, "policy", d))
		return -1;
	yaml_node_t *v;
	const char *str;
	if (!(v = yaml_get(yf, n, "pubkey_file")))
		return yaml_error(yf, n, d, _("policy needs pubkey_file: the key that signs it"));
	if (yaml_want_string(yf, v, "policy.pubkey_file", &str, d))
		return -1;
	s->pubkey_file = xstrdup(str);
	if ((v = yaml_get(yf, n, "state_dir"))) {
		if (yaml_want_string(yf, v, "policy.state_dir", &str, d))
			return -1;
		s->state_dir = xstrdup(str);
	}
	s->timeout_s = 10;
	if ((v = yaml_get(yf, n, "timeout_s"))) {
		int64_t t;
		if (yaml_want_int(yf, v, "policy.timeout_s", &t, d))
			return -1;
		if (t < 1 || t > 120)
			return yaml_error(yf, v, d, _("policy.timeout_s must be 1 to 120, not %lld"),
					  (long long)t);
		s->timeout_s = (long)t;
	}
	return 0;
}

void policy_settings_free(policy_settings *s)
{
	free(s->pubkey_file);
	free(s->state_dir);
	memset(s, 0, sizeof *s);
}

/* ---- the bundle ---- */

static bool name_part_ok(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

bool policy_file_name_ok(const char *name)
{
	size_t len = strlen(name);
	if (len < 6 || len > 200 || strcmp(name + len - 5, ".yaml"))
		return false;
	if (!strncmp(name, "rules/", 6))
		return name_part_ok(name + 6, len - 6);
	return name_part_ok(name, len);
}

void policy_bundle_free(policy_bundle *b)
{
	for (size_t i = 0; i < b->file_count; i++) {
		free(b->files[i].name);
		free(b->files[i].data);
	}
	free(b->files);
	free(b->group);
	free(b->created);
	memset(b, 0, sizeof *b);
}

static void add_file(policy_bundle *b, const char *name, const char *data, size_t len)
{
	for (size_t i = 0; i < b->file_count; i++)
		if (!strcmp(b->files[i].name, name)) {
			free(b->files[i].data);
			b->files[i].data = xstrndup(data, len);
			b->files[i].len = len;
			return;
		}
	b->files = xrealloc(b->files, (b->file_count + 1) * sizeof *b->files);
	b->files[b->file_count++] = (policy_file){xstrdup(name), xstrndup(data, len), len};
}

static bool group_name_ok(const char *g)
{
	size_t n = strlen(g);
	return n > 0 && n <= 64 && name_part_ok(g, n) && !strchr(g, '.');
}

int policy_payload_parse(const char *src, size_t len, policy_bundle *b, diag *d)
{
	memset(b, 0, sizeof *b);
	json_error_t je;
	json_t *p = json_loadb(src, len, JSON_REJECT_DUPLICATES, &je);
	json_t *files = p ? json_object_get(p, "files") : NULL;
	json_t *ver = p ? json_object_get(p, "version") : NULL;
	json_t *grp = p ? json_object_get(p, "group") : NULL;
	json_t *created = p ? json_object_get(p, "created") : NULL;
	const char *schema = p ? json_string_value(json_object_get(p, "schema")) : NULL;
	int rc = -1;
	if (!p)
		diag_set(d, _("the policy payload is not JSON: %s"), je.text);
	else if (!schema || strcmp(schema, POLICY_SCHEMA))
		diag_set(d, _("the policy payload's schema is not '%s'"), POLICY_SCHEMA);
	else if (!json_is_integer(ver) || json_integer_value(ver) < 1)
		diag_set(d, "%s", _("the policy has no version (a whole number from 1)"));
	else if (!(json_is_null(grp) || (json_is_string(grp) &&
					  group_name_ok(json_string_value(grp)))))
		diag_set(d, "%s", _("the policy's group is neither null nor a group name"));
	else if (!json_is_string(created) || !json_is_object(files) ||
		 json_object_size(files) > POLICY_MAX_FILES)
		diag_set(d, "%s", _("the policy needs 'created' and 'files'"));
	else
		rc = 0;
	const char *name;
	json_t *v;
	if (rc == 0)
		json_object_foreach(files, name, v) {
			if (!policy_file_name_ok(name) || !json_is_string(v)) {
				diag_set(d, _("the policy's file '%s' is not allowed (NAME.yaml or "
					      "rules/NAME.yaml)"), name);
				rc = -1;
				break;
			}
			add_file(b, name, json_string_value(v), json_string_length(v));
		}
	if (rc == 0) {
		b->version = json_integer_value(ver);
		b->group = json_is_string(grp) ? xstrdup(json_string_value(grp)) : NULL;
		b->created = xstrdup(json_string_value(created));
		unsigned char h[32];
		platform_sha256(src, len, h);
		for (int i = 0; i < 32; i++)
			snprintf(b->sha256 + 2 * i, 3, "%02x", h[i]);
	} else {
		policy_bundle_free(b);
	}
	json_decref(p);
	return rc;
}

char *policy_payload_build(const policy_bundle *b)
{
	json_t *files = json_object();
	for (size_t i = 0; i < b->file_count; i++)
		json_object_set_new(files, b->files[i].name,
				    json_stringn(b->files[i].data, b->files[i].len));
	json_t *p = json_pack("{s:s, s:I, s:o, s:s, s:o}", "schema", POLICY_SCHEMA, "version",
			      (json_int_t)b->version, "group",
			      b->group ? json_string(b->group) : json_null(), "created",
			      b->created ? b->created : "", "files", files);
	char *s = p ? json_dumps(p, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	json_decref(p);
	return s;
}

static int unhex(const char *s, unsigned char *out, size_t n)
{
	if (!s || strlen(s) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[2 * i + k];
			int x = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
			if (x < 0)
				return -1;
			v = v * 16 + x;
		}
		out[i] = (unsigned char)v;
	}
	return 0;
}

int policy_pubkey_load(const char *path, unsigned char pub[32], diag *d)
{
	char *data = NULL, err[512];
	size_t len;
	if (platform_read_regular_file(path, 4096, &data, &len, err, sizeof err)) {
		diag_set(d, _("policy.pubkey_file: %s"), err);
		return -1;
	}
	char hex[65] = "";
	size_t tag = strlen(POLICY_PUBKEY_TAG);
	int rc = -1;
	if (len >= tag + 65 && !strncmp(data, POLICY_PUBKEY_TAG, tag) && data[tag] == ' ') {
		memcpy(hex, data + tag + 1, 64);
		const char *rest = data + tag + 65;
		if (strspn(rest, "\r\n") == strlen(rest))
			rc = unhex(hex, pub, 32);
	}
	if (rc)
		diag_set(d, _("%s: not a policy public key (%s <64 hex digits>)"), path,
			 POLICY_PUBKEY_TAG);
	free(data);
	return rc;
}

int policy_envelope_open(const char *src, size_t len, const unsigned char pub[32],
			 policy_bundle *b, diag *d)
{
	json_error_t je;
	json_t *e = json_loadb(src, len, JSON_REJECT_DUPLICATES, &je);
	const char *schema = e ? json_string_value(json_object_get(e, "schema")) : NULL;
	json_t *payload = e ? json_object_get(e, "payload") : NULL;
	const char *sighex = e ? json_string_value(json_object_get(e, "signature")) : NULL;
	unsigned char sig[64];
	int rc = -1;
	if (!e || !schema || strcmp(schema, POLICY_SIGNED_SCHEMA) || !json_is_string(payload)) {
		diag_set(d, _("not a signed policy (%s)"), POLICY_SIGNED_SCHEMA);
	} else if (unhex(sighex, sig, 64)) {
		diag_set(d, "%s", _("the policy's signature is not 128 hex digits"));
	} else {
		size_t cl = strlen(POLICY_SIGN_CONTEXT), pl = json_string_length(payload);
		char *msg = xmalloc(cl + pl + 1);
		memcpy(msg, POLICY_SIGN_CONTEXT, cl);
		memcpy(msg + cl, json_string_value(payload), pl);
		int v = platform_ed25519_verify(pub, msg, cl + pl, sig);
		free(msg);
		if (v == -2) {
			diag_set(d, "%s", _("the policy's signature could not be checked (no "
					    "SHA-512 from the system): the policy is refused, "
					    "not taken unchecked"));
			rc = -2;
		} else if (v != 0) {
			diag_set(d, "%s", _("the policy's signature does not verify with "
					    "policy.pubkey_file"));
		} else {
			rc = policy_payload_parse(json_string_value(payload), pl, b, d);
		}
	}
	json_decref(e);
	return rc;
}

char *policy_envelope_build(const char *payload, const unsigned char sig[64])
{
	char hex[129];
	for (int i = 0; i < 64; i++)
		snprintf(hex + 2 * i, 3, "%02x", sig[i]);
	json_t *e = json_pack("{s:s, s:s, s:s}", "schema", POLICY_SIGNED_SCHEMA, "payload",
			      payload, "signature", hex);
	char *s = e ? json_dumps(e, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	json_decref(e);
	return s;
}

void policy_resolve(const policy_bundle *base, const policy_bundle *group, policy_bundle *out)
{
	memset(out, 0, sizeof *out);
	out->version = base->version;
	out->created = xstrdup(base->created ? base->created : "");
	for (size_t i = 0; i < base->file_count; i++)
		add_file(out, base->files[i].name, base->files[i].data, base->files[i].len);
	if (group) {
		out->group = xstrdup(group->group ? group->group : "");
		for (size_t i = 0; i < group->file_count; i++)
			add_file(out, group->files[i].name, group->files[i].data,
				 group->files[i].len);
	}
}

/* ---- on disk ---- */

static int remove_one(void *ctx, const char *name, uint64_t size)
{
	(void)size;
	char err[512];
	char *p = xasprintf("%s/%s", (const char *)ctx, name);
	int rc = platform_remove_durable(p, err, sizeof err);
	free(p);
	return rc ? -1 : 0;
}

int policy_materialize(const policy_bundle *b, const char *dir, diag *d)
{
	char err[600];
	char *rules = xasprintf("%s/rules", dir);
	int rc = 0;
	if (platform_mkdir_private(dir, err, sizeof err) ||
	    platform_mkdir_private(rules, err, sizeof err) ||
	    platform_list_files(dir, remove_one, (void *)dir, err, sizeof err) ||
	    platform_list_files(rules, remove_one, rules, err, sizeof err)) {
		diag_set(d, "%s", err);
		rc = -1;
	}
	for (size_t i = 0; i < b->file_count && !rc; i++) {
		char *p = xasprintf("%s/%s", dir, b->files[i].name);
		if (platform_write_file_durable(p, b->files[i].data, b->files[i].len, err,
						sizeof err)) {
			diag_set(d, "%s", err);
			rc = -1;
		}
		free(p);
	}
	free(rules);
	return rc;
}

static int read_into(policy_bundle *b, const char *dir, const char *prefix, diag *d)
{
	char *full = xasprintf("%s%s%s", dir, *prefix ? "/" : "", prefix);
	DIR *dh = opendir(full);
	if (!dh) {
		int missing = errno == ENOENT && *prefix;
		if (!missing)
			diag_set(d, _("%s: cannot read the directory"), full);
		free(full);
		return missing ? 0 : -1;
	}
	int rc = 0;
	struct dirent *e;
	while (!rc && (e = readdir(dh)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *name = xasprintf("%s%s%s", prefix, *prefix ? "/" : "", e->d_name);
		char *p = xasprintf("%s/%s", dir, name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && !*prefix &&
		    !strcmp(e->d_name, "rules")) {
			/* read below */
		} else if (!policy_file_name_ok(name)) {
			diag_set(d, _("%s: a policy holds only NAME.yaml files and rules/NAME.yaml"),
				 p);
			rc = -1;
		} else {
			char *data = NULL, err[600];
			size_t len;
			if (platform_read_regular_file(p, (size_t)POLICY_MAX_BYTES, &data, &len, err,
						       sizeof err)) {
				diag_set(d, "%s", err);
				rc = -1;
			} else if (b->file_count >= POLICY_MAX_FILES) {
				diag_set(d, _("%s: more than %d files"), dir, POLICY_MAX_FILES);
				rc = -1;
			} else {
				add_file(b, name, data, len);
			}
			free(data);
		}
		free(p);
		free(name);
	}
	closedir(dh);
	free(full);
	return rc;
}

int policy_read_dir(const char *dir, policy_bundle *b, diag *d)
{
	if (read_into(b, dir, "", d) || read_into(b, dir, "rules", d))
		return -1;
	return 0;
}

int policy_validate_dir(const char *dir, diag *d)
{
	audit a;
	memset(&a, 0, sizeof a);
	host_init_live(&a.h);
	audit_options o = {.policy_dir = dir, .no_local_config = true};
	if (audit_load(&a, &o, d))
		return -1;
	audit_free(&a);
	return 0;
}

static int open_member(json_t *doc, const char *key, const unsigned char pub[32],
		       policy_bundle *b, diag *d)
{
	char *src = json_dumps(json_object_get(doc, key), JSON_COMPACT);
	int rc = src ? policy_envelope_open(src, strlen(src), pub, b, d) : -1;
	if (!src)
		diag_set(d, _("the served policy has no '%s'"), key);
	free(src);
	return rc;
}

int policy_served_open(const char *src, size_t len, const unsigned char pub[32],
		       policy_bundle *base, policy_bundle *group, diag *d)
{
	memset(base, 0, sizeof *base);
	memset(group, 0, sizeof *group);
	json_t *doc = json_loadb(src, len, JSON_REJECT_DUPLICATES, NULL);
	const char *schema = doc ? json_string_value(json_object_get(doc, "schema")) : NULL;
	if (!schema || strcmp(schema, POLICY_SERVED_SCHEMA) ||
	    !json_is_object(json_object_get(doc, "base"))) {
		diag_set(d, _("the collector's answer is not a served policy (%s)"),
			 POLICY_SERVED_SCHEMA);
		json_decref(doc);
		return -1;
	}
	int rc = open_member(doc, "base", pub, base, d);
	if (rc == 0 && base->group) {
		diag_set(d, _("the base policy (version %lld) is signed for group '%s'"),
			 base->version, base->group);
		rc = -1;
	}
	json_t *g = json_object_get(doc, "group");
	if (rc == 0 && g && !json_is_null(g)) {
		rc = open_member(doc, "group", pub, group, d);
		if (rc == 0 && !group->group) {
			diag_set(d, _("the group policy (version %lld) is signed as a base policy"),
				 group->version);
			rc = -1;
		}
	}
	if (rc) {
		policy_bundle_free(base);
		policy_bundle_free(group);
	}
	json_decref(doc);
	return rc;
}
