/* SPDX-License-Identifier: Apache-2.0 */
/* The agent's side of the central policy (hostaudit/policy.h,
 * docs/policy.md): GET <upload.url's sibling /policy> with the host's
 * token and the upload's TLS rules, If-None-Match the last-good one;
 * what comes back must verify with policy.pubkey_file, be no older than
 * the last accepted (no rollback) and load as the agent loads it.
 * Accepted, it becomes the last-good (state_dir/last-good.json, private,
 * written atomically). Anything else: the last-good is used, and the
 * refusal goes into the report, so the collector is told. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "hostaudit/audit.h"
#include "hostaudit/config.h"
#include "hostaudit/platform.h"
#include "hostaudit/policy.h"
#include "i18n.h"
#include "upload_http.h"
#include "util.h"

#define TOKEN_MAX 4096

typedef struct body {
	char *data;
	size_t len;
	bool too_big;
} body;

static size_t keep_body(char *p, size_t size, size_t nmemb, void *ctx)
{
	body *b = ctx;
	size_t n = size * nmemb;
	if (b->len + n > (size_t)POLICY_MAX_BYTES * 2) {
		b->too_big = true;
		return 0;
	}
	char *nd = realloc(b->data, b->len + n + 1);
	if (!nd)
		return 0;
	memcpy(nd + b->len, p, n);
	b->data = nd;
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

static void sha_hex(const char *data, size_t len, char out[65])
{
	unsigned char h[32];
	platform_sha256(data, len, h);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* GETs the policy: *code 200 (b filled), 304, another status, or 0 when
 * there was no answer (why in note). */
static void fetch(const config *cfg, const char *etag, body *b, long *code, char *note,
		  size_t note_size)
{
	*code = 0;
	const upload_config *uc = &cfg->upload;
	char *url = NULL;
	if (!uc->url || upload_sibling_url(uc->url, "/policy", &url) != 0) {
		snprintf(note, note_size, "%s", _("no upload.url to ask for the policy"));
		return;
	}
	char token[TOKEN_MAX], auth[TOKEN_MAX + 32] = "", inm[80] = "";
	if (uc->token_file) {
		if (upload_read_secret(uc->token_file, "token_file", token, sizeof token, note,
				       note_size) != 0) {
			curl_free(url);
			return;
		}
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		platform_wipe(token, sizeof token);
	}
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *c = upload_curl_handle(uc, url, errbuf);
	if (!c) {
		snprintf(note, note_size, "%s", _("out of memory"));
		curl_free(url);
		return;
	}
	struct curl_slist *hd = NULL;
	if (auth[0])
		hd = curl_slist_append(hd, auth);
	if (etag) {
		snprintf(inm, sizeof inm, "If-None-Match: \"%s\"", etag);
		hd = curl_slist_append(hd, inm);
	}
	curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	/* a short bound: the audit must not wait on a slow collector */
	curl_easy_setopt(c, CURLOPT_TIMEOUT, cfg->policy.timeout_s);
	if (uc->connect_timeout_s > cfg->policy.timeout_s)
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, cfg->policy.timeout_s);
	CURLcode rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	else if (b->too_big)
		snprintf(note, note_size, _("%s: the policy is over %ld bytes"), url,
			 POLICY_MAX_BYTES * 2);
	else
		snprintf(note, note_size, "%s: %s", url,
			 errbuf[0] ? errbuf : curl_easy_strerror(rc));
	curl_slist_free_all(hd);
	platform_wipe(auth, sizeof auth);
	curl_easy_cleanup(c);
	curl_free(url);
}

/* Refuses new when it is older than the last accepted (old). */
static int check_rollback(const policy_bundle *ob, const policy_bundle *og,
			  const policy_bundle *nb, const policy_bundle *ng, diag *d)
{
	if (nb->version < ob->version) {
		diag_set(d, _("rollback: the collector offers base policy version %lld, older than "
			      "version %lld already accepted"), nb->version, ob->version);
		return -1;
	}
	if (nb->version == ob->version && strcmp(nb->sha256, ob->sha256)) {
		diag_set(d, _("base policy version %lld differs from the one accepted before"),
			 nb->version);
		return -1;
	}
	if (og->group && ng->group && !strcmp(og->group, ng->group)) {
		if (ng->version < og->version) {
			diag_set(d, _("rollback: the collector offers group '%s' policy version "
				      "%lld, older than version %lld already accepted"),
				 ng->group, ng->version, og->version);
			return -1;
		}
		if (ng->version == og->version && strcmp(ng->sha256, og->sha256)) {
			diag_set(d, _("group '%s' policy version %lld differs from the one "
				      "accepted before"), ng->group, ng->version);
			return -1;
		}
	}
	return 0;
}

static void set_versions(policy_provenance *pv, const policy_bundle *base,
			 const policy_bundle *group, const char *doc, size_t len)
{
	pv->version = base->version;
	snprintf(pv->group, sizeof pv->group, "%s", group->group ? group->group : "");
	pv->group_version = group->group ? group->version : 0;
	sha_hex(doc, len, pv->sha256);
}

/* Writes the resolved policy to dir and loads it as the audit will. */
static int stage(const policy_bundle *base, const policy_bundle *group,
		 const audit_options *o, const char *dir, diag *d)
{
	policy_bundle r;
	policy_resolve(base, group->group ? group : NULL, &r);
	int rc = policy_materialize(&r, dir, d);
	policy_bundle_free(&r);
	if (rc)
		return -1;
	audit_options vo = *o;
	vo.policy_dir = dir;
	vo.no_local_config = false;
	audit a;
	memset(&a, 0, sizeof a);
	host_init_live(&a.h);
	if (audit_load(&a, &vo, d))
		return -1;
	audit_free(&a);
	return 0;
}

int policy_obtain(const config *local, const audit_options *o, policy_provenance *pv,
		  char *dir, size_t dir_size, diag *d)
{
	memset(pv, 0, sizeof *pv);
	pv->source = "local";
	dir[0] = '\0';
	unsigned char pub[32];
	if (policy_pubkey_load(local->policy.pubkey_file, pub, d))
		return -1;
	const char *state = local->policy.state_dir ? local->policy.state_dir
						    : platform_default_path(PLATFORM_POLICY_DIR);
	char err[600];
	if (platform_mkdir_private(state, err, sizeof err)) {
		diag_set(d, "policy.state_dir: %s", err);
		return -1;
	}
	char *lg_path = xasprintf("%s/last-good.json", state);
	char *staged = xasprintf("%s/staged", state);
	char *current = xasprintf("%s/current", state);

	/* The last-good, checked again: the state directory is ours, but a
	 * signature costs nothing next to an audit. */
	char *lg = NULL;
	size_t lg_len = 0;
	policy_bundle ob = {0}, og = {0};
	bool have_lg = false;
	char lg_etag[65] = "";
	diag ld;
	if (platform_read_regular_file(lg_path, (size_t)POLICY_MAX_BYTES * 2, &lg, &lg_len, err,
				       sizeof err) == 0) {
		if (policy_served_open(lg, lg_len, pub, &ob, &og, &ld) == 0) {
			have_lg = true;
			sha_hex(lg, lg_len, lg_etag);
		} else {
			snprintf(pv->note, sizeof pv->note, _("the last-good policy is unusable: %s"),
				 ld.msg);
		}
	}

	body b = {0};
	long code = 0;
	char note[400] = "";
	fetch(local, have_lg ? lg_etag : NULL, &b, &code, note, sizeof note);
	bool accepted = false, confirmed = code == 304 && have_lg;
	if (code == 200) {
		policy_bundle nb, ng;
		diag rd;
		int v = policy_served_open(b.data ? b.data : "", b.len, pub, &nb, &ng, &rd);
		bool opened = v == 0;
		if (v == 0 && have_lg && check_rollback(&ob, &og, &nb, &ng, &rd))
			v = -1;
		if (v == 0 && stage(&nb, &ng, o, staged, &rd))
			v = -1;
		if (v == 0 &&
		    platform_write_file_durable(lg_path, b.data, b.len, err, sizeof err)) {
			/* taken for this audit, but it could not be kept */
			snprintf(pv->note, sizeof pv->note, "%s", err);
		}
		if (v == 0) {
			accepted = true;
			pv->source = "collector";
			set_versions(pv, &nb, &ng, b.data, b.len);
			snprintf(dir, dir_size, "%s", staged);
		} else {
			snprintf(pv->refused, sizeof pv->refused, "%s", rd.msg);
		}
		if (opened) {
			policy_bundle_free(&nb);
			policy_bundle_free(&ng);
		}
	} else if (code == 304 && !have_lg) {
		snprintf(pv->note, sizeof pv->note, "%s",
			 _("the collector answered 304 but there is no last-good policy"));
	} else if (code != 304) {
		if (code)
			snprintf(note, sizeof note, _("the collector answered HTTP %ld to GET "
						      "/v1/policy"), code);
		snprintf(pv->note, sizeof pv->note, "%s", note);
	}
	if (!accepted && have_lg) {
		policy_bundle r;
		policy_resolve(&ob, og.group ? &og : NULL, &r);
		diag md;
		if (policy_materialize(&r, current, &md) == 0) {
			pv->source = confirmed ? "collector" : "last-good";
			set_versions(pv, &ob, &og, lg, lg_len);
			snprintf(dir, dir_size, "%s", current);
		} else {
			snprintf(pv->note, sizeof pv->note, "%s", md.msg);
		}
		policy_bundle_free(&r);
	}
	policy_bundle_free(&ob);
	policy_bundle_free(&og);
	free(b.data);
	free(lg);
	free(lg_path);
	free(staged);
	free(current);
	return 0;
}
