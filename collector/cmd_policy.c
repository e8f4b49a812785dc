/* SPDX-License-Identifier: Apache-2.0 */
/* `hostaudit-collector policy ...` and `hosts set-group` (docs/policy.md):
 * the administrator's side of the signed central policy. A bundle is
 * checked with the agent's own code (policy_validate_dir) before it is
 * signed or stored, signed with Ed25519 (OpenSSL), and stored as a new
 * version that is never rewritten (policy_store.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "collector.h"
#include "hostaudit/policy.h"
#include "policy_org.h"
#include "signkey.h"
#include "i18n.h"

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("hostaudit-collector: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 1;
}

static int usage(const char *u)
{
	fprintf(stderr, _("usage: hostaudit-collector [-c CONFIG] %s\n"), u);
	return 2;
}

static char *pub_path(const collector_config *c)
{
	char *p;
	return asprintf(&p, "%s.pub", c->policy_signing_key) < 0 ? NULL : p;
}

/* ---- keygen ---- */

static int keygen(const collector_config *c)
{
	if (!c->policy_signing_key)
		return fail(_("policy keygen: set policy_signing_key: in %s first"), c->path);
	char *pub = pub_path(c), err[600];
	int rc = pub ? signkey_generate(c->policy_signing_key, pub, SIGNKEY_PUB_TAGGED_HEX,
					POLICY_PUBKEY_TAG, err, sizeof err)
		     : -1;
	if (rc != 0)
		fail(_("policy keygen: %s"), pub ? err : _("out of memory"));
	else
		fprintf(stderr,
			_("hostaudit-collector: policy signing key %s (keep it secret, ideally\n"
			  "offline); give every agent %s as policy.pubkey_file\n"),
			c->policy_signing_key, pub);
	free(pub);
	return rc == 0 ? 0 : 1;
}

/* ---- signing and checking ---- */

static char *sign_payload(const collector_config *c, const char *payload)
{
	if (!c->policy_signing_key) {
		fail(_("no policy_signing_key: in %s"), c->path);
		return NULL;
	}
	char err[600];
	EVP_PKEY *k = signkey_load(c->policy_signing_key, err, sizeof err);
	if (!k) {
		fail(_("%s (policy keygen makes one)"), err);
		return NULL;
	}
	size_t cl = strlen(POLICY_SIGN_CONTEXT), pl = strlen(payload);
	unsigned char *msg = malloc(cl + pl), sig[64];
	size_t sl = sizeof sig;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	char *env = NULL;
	if (msg && ctx) {
		memcpy(msg, POLICY_SIGN_CONTEXT, cl);
		memcpy(msg + cl, payload, pl);
		if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) == 1 &&
		    EVP_DigestSign(ctx, sig, &sl, msg, cl + pl) == 1 && sl == 64)
			env = policy_envelope_build(payload, sig);
	}
	if (!env)
		fail(_("cannot sign with %s"), c->policy_signing_key);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	free(msg);
	return env;
}

/* Opens an envelope with the public key beside the signing key. */
static int open_envelope(const collector_config *c, const char *env, policy_bundle *b)
{
	if (!c->policy_signing_key)
		return fail(_("no policy_signing_key: in %s (its .pub checks bundles)"), c->path);
	char *pub = pub_path(c);
	unsigned char key[32];
	diag d;
	int rc = policy_pubkey_load(pub, key, &d) ||
		 policy_envelope_open(env, strlen(env), key, b, &d);
	if (rc)
		fail("%s", d.msg);
	free(pub);
	return rc ? 1 : 0;
}

static void rm_bundle_dir(const char *dir, const policy_bundle *b)
{
	for (size_t i = 0; i < b->file_count; i++) {
		char *p;
		if (asprintf(&p, "%s/%s", dir, b->files[i].name) >= 0) {
			unlink(p);
			free(p);
		}
	}
	char *r;
	if (asprintf(&r, "%s/rules", dir) >= 0) {
		rmdir(r);
		free(r);
	}
	rmdir(dir);
}

/* Loads the bundle as the agent will: files resolved, written to a
 * private temporary directory, checked by the agent's code. label names
 * it in the messages instead of that directory. */
static int validate_bundle(const policy_bundle *b, const char *label)
{
	char tmp[] = "/tmp/hostaudit-policy-XXXXXX";
	if (!mkdtemp(tmp))
		return fail(_("mkdtemp: %s"), strerror(errno));
	diag d;
	int rc = policy_materialize(b, tmp, &d) || policy_validate_dir(tmp, &d);
	if (rc) {
		char *at = strstr(d.msg, tmp);
		if (at)
			fail("%.*s%s%s", (int)(at - d.msg), d.msg, label, at + strlen(tmp));
		else
			fail("%s", d.msg);
	}
	rm_bundle_dir(tmp, b);
	return rc ? 1 : 0;
}

static int load_version(const collector_config *c, long long v, policy_bundle *b)
{
	char err[700];
	char *env = pstore_read(c->policy_dir, v, err, sizeof err);
	if (!env)
		return fail("%s", err);
	int rc = open_envelope(c, env, b);
	free(env);
	return rc;
}

/* The policy bundle b would put in force, checked: a group's over the
 * newest base; a base under each group's newest as well. */
static int validate_in_context(const collector_config *c, const policy_bundle *b,
			       const char *label)
{
	char err[700], lab[600];
	if (b->group) {
		pstore_entry be;
		int f = pstore_latest(c->policy_dir, "", &be, err, sizeof err);
		if (f < 0)
			return fail("%s", err);
		if (f == 0)
			return fail(_("group '%s': publish a base policy first (a group's policy "
				    "overlays it)"), b->group);
		policy_bundle base, r;
		if (load_version(c, be.version, &base))
			return 1;
		policy_resolve(&base, b, &r);
		snprintf(lab, sizeof lab, "%s (over base version %lld)", label, be.version);
		int rc = validate_bundle(&r, lab);
		policy_bundle_free(&r);
		policy_bundle_free(&base);
		return rc;
	}
	if (validate_bundle(b, label))
		return 1;
	pstore_entry *all;
	size_t n;
	if (pstore_list(c->policy_dir, &all, &n, err, sizeof err))
		return fail("%s", err);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		bool newest = all[i].group[0];
		for (size_t k = i + 1; k < n && newest; k++)
			newest = strcmp(all[k].group, all[i].group) != 0;
		if (!newest)
			continue;
		policy_bundle g, r;
		if ((rc = load_version(c, all[i].version, &g)))
			break;
		policy_resolve(b, &g, &r);
		snprintf(lab, sizeof lab, "%s with group '%s' version %lld", label, all[i].group,
			 all[i].version);
		rc = validate_bundle(&r, lab);
		policy_bundle_free(&r);
		policy_bundle_free(&g);
	}
	free(all);
	return rc;
}

static long long next_version(const collector_config *c)
{
	pstore_entry *all;
	size_t n;
	char err[700];
	if (pstore_list(c->policy_dir, &all, &n, err, sizeof err)) {
		fail("%s", err);
		return -1;
	}
	long long v = n ? all[n - 1].version + 1 : 1;
	free(all);
	return v;
}

static bool group_ok(const char *g)
{
	size_t n = strlen(g);
	if (n == 0 || n > 64 || g[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
			    g[i]))
			return false;
	return true;
}

/* A signed envelope of dir's files as version v; with_org, the
 * organisation's answers added (policy_org.h). */
static char *sign_dir(const collector_config *c, const char *dir, const char *group,
		      long long v, bool with_org, policy_bundle *b)
{
	diag d;
	memset(b, 0, sizeof *b);
	if (policy_read_dir(dir, b, &d)) {
		fail("%s", d.msg);
		return NULL;
	}
	if (!group) {
		/* the base is checked in place first: its messages name dir */
		if (policy_validate_dir(dir, &d)) {
			fail("%s", d.msg);
			return NULL;
		}
	}
	char err[700];
	if (with_org && policy_add_org_answers(c, dir, b, err, sizeof err)) {
		fail("%s", err);
		return NULL;
	}
	b->version = v;
	b->group = group ? strdup(group) : NULL;
	char created[21];
	rfc3339_format((int64_t)time(NULL), created);
	b->created = strdup(created);
	if (validate_in_context(c, b, dir))
		return NULL;
	char *payload = policy_payload_build(b);
	char *env = payload ? sign_payload(c, payload) : NULL;
	free(payload);
	return env;
}

static int publish_envelope(const collector_config *c, const char *env, const char *from)
{
	policy_bundle b;
	if (open_envelope(c, env, &b))
		return 2; /* bad input: nothing stored */
	long long next = next_version(c);
	int rc = 1;
	char err[700] = "";
	if (next < 0) {
	} else if (b.version < next) {
		rc = 2;
		fail(_("%s: version %lld is not newer than every published one (next: %lld); "
		     "agents would refuse it as a rollback"), from, b.version, next);
	} else if (validate_in_context(c, &b, from)) {
		rc = 2;
	} else if (pstore_add(c->policy_dir, b.version, env, err, sizeof err) == 0) {
		printf("%lld\n", b.version);
		if (b.group)
			fprintf(stderr, _("hostaudit-collector: published policy version %lld "
					  "(group %s), sha256 %s\n"), b.version, b.group, b.sha256);
		else
			fprintf(stderr, _("hostaudit-collector: published policy version %lld "
					  "(base), sha256 %s\n"), b.version, b.sha256);
		rc = 0;
	} else if (err[0]) {
		fail("%s", err);
	}
	policy_bundle_free(&b);
	return rc;
}

/* ---- the sub-commands ---- */

static int cmd_sign(const collector_config *c, int argc, char **argv)
{
	const char *u = "policy sign DIR --version N [--group G] [--out BUNDLE] "
			"[--with-org-answers]";
	const char *dir = NULL, *group = NULL, *out = NULL;
	long long v = 0;
	bool with_org = false;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--with-org-answers")) {
			with_org = true;
		} else if (!strcmp(argv[i], "--version") && i + 1 < argc) {
			char *end;
			v = strtoll(argv[++i], &end, 10);
			if (*end || v < 1)
				return usage(u);
		} else if (!strcmp(argv[i], "--group") && i + 1 < argc) {
			group = argv[++i];
		} else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			out = argv[++i];
		} else if (!dir && argv[i][0] != '-') {
			dir = argv[i];
		} else {
			return usage(u);
		}
	}
	if (!dir || !v)
		return usage(u);
	if (group && !group_ok(group))
		return fail(_("'%s' is not a group name (letters, digits, '_', '-')"), group);
	policy_bundle b;
	char *env = sign_dir(c, dir, group, v, with_org, &b);
	policy_bundle_free(&b);
	if (!env)
		return 2; /* the bundle or the key: nothing signed */
	int rc = 0;
	if (out) {
		FILE *f = fopen(out, "wxe");
		if (!f || fputs(env, f) < 0 || fclose(f) != 0)
			rc = fail("%s: %s", out, strerror(errno));
	} else {
		puts(env);
	}
	free(env);
	return rc;
}

static int cmd_publish(const collector_config *c, int argc, char **argv)
{
	const char *u = "policy publish DIR [--group G] [--with-org-answers] | "
			"policy publish --signed BUNDLE";
	bool with_org = false;
	for (int i = 2; i < argc; i++) /* anywhere: taken out of the words */
		if (!strcmp(argv[i], "--with-org-answers")) {
			with_org = true;
			memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof *argv);
			argc--;
			break;
		}
	if (argc == 4 && !strcmp(argv[2], "--signed") && !with_org) {
		char err[700];
		int fd = open(argv[3], O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) ||
		    st.st_size > POLICY_MAX_BYTES) {
			if (fd >= 0)
				close(fd);
			return fail(_("%s: not a readable bundle"), argv[3]);
		}
		char *env = calloc(1, (size_t)st.st_size + 1);
		ssize_t r = env ? read(fd, env, (size_t)st.st_size) : -1;
		close(fd);
		if (r != st.st_size) {
			free(env);
			return fail(_("%s: short read"), argv[3]);
		}
		env[strcspn(env, "\n")] = '\0';
		(void)err;
		int rc = publish_envelope(c, env, argv[3]);
		free(env);
		return rc;
	}
	const char *group = NULL;
	if (argc == 5 && !strcmp(argv[3], "--group"))
		group = argv[4];
	else if (argc != 3)
		return usage(u);
	if (group && !group_ok(group))
		return fail(_("'%s' is not a group name (letters, digits, '_', '-')"), group);
	long long v = next_version(c);
	if (v < 0)
		return 1;
	policy_bundle b;
	char *env = sign_dir(c, argv[2], group, v, with_org, &b);
	policy_bundle_free(&b);
	if (!env)
		return 2; /* the bundle or the key: nothing stored */
	int rc = publish_envelope(c, env, argv[2]);
	free(env);
	return rc;
}

static int cmd_list(const collector_config *c)
{
	pstore_entry *all;
	size_t n;
	char err[700];
	if (pstore_list(c->policy_dir, &all, &n, err, sizeof err))
		return fail("%s", err);
	printf("%-8s %-16s %-20s %5s %s\n", "version", "group", "created", "files", "sha256");
	for (size_t i = 0; i < n; i++)
		printf("%-8lld %-16s %-20s %5zu %.16s\n", all[i].version,
		       all[i].group[0] ? all[i].group : "(base)", all[i].created, all[i].files,
		       all[i].sha256);
	free(all);
	return 0;
}

static int parse_version(const char *s, long long *v)
{
	char *end;
	*v = strtoll(s, &end, 10);
	return *end || *v < 1 ? -1 : 0;
}

static int cmd_show(const collector_config *c, int argc, char **argv)
{
	long long v;
	if (argc != 3 || parse_version(argv[2], &v))
		return usage("policy show VERSION");
	policy_bundle b;
	if (load_version(c, v, &b))
		return 1;
	printf("version: %lld\ngroup: %s\ncreated: %s\nsha256: %s\nsignature: good\n",
	       b.version, b.group ? b.group : "(base)", b.created, b.sha256);
	for (size_t i = 0; i < b.file_count; i++) {
		printf("--- %s\n", b.files[i].name);
		fwrite(b.files[i].data, 1, b.files[i].len, stdout);
		if (b.files[i].len && b.files[i].data[b.files[i].len - 1] != '\n')
			putchar('\n');
	}
	policy_bundle_free(&b);
	return 0;
}

/* The lines of s (pointers into a copy). */
static size_t split_lines(char *s, char ***out)
{
	size_t n = 0;
	*out = NULL;
	for (char *p = s; *p;) {
		char *nl = strchr(p, '\n');
		char **o = realloc(*out, (n + 1) * sizeof *o);
		if (!o)
			break;
		*out = o;
		o[n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return n;
}

/* A line diff (longest common subsequence): "-" old, "+" new. */
static void diff_text(const char *a, const char *b)
{
	char *ca = strdup(a), *cb = strdup(b), **la, **lb;
	size_t na = split_lines(ca, &la), nb = split_lines(cb, &lb);
	if (na > 4000 || nb > 4000) {
		printf(_("(too long to show line by line)\n"));
	} else {
		unsigned *t = calloc((na + 1) * (nb + 1), sizeof *t);
#define T(i, j) t[(i) * (nb + 1) + (j)]
		for (size_t i = na; t && i-- > 0;)
			for (size_t j = nb; j-- > 0;)
				T(i, j) = !strcmp(la[i], lb[j]) ? T(i + 1, j + 1) + 1
					  : T(i + 1, j) > T(i, j + 1) ? T(i + 1, j)
								      : T(i, j + 1);
		size_t i = 0, j = 0;
		while (t && (i < na || j < nb)) {
			if (i < na && j < nb && !strcmp(la[i], lb[j])) {
				i++;
				j++;
			} else if (i < na && (j == nb || T(i + 1, j) >= T(i, j + 1))) {
				printf("-%s\n", la[i++]);
			} else {
				printf("+%s\n", lb[j++]);
			}
		}
#undef T
		free(t);
	}
	free(la);
	free(lb);
	free(ca);
	free(cb);
}

static const policy_file *find_file(const policy_bundle *b, const char *name)
{
	for (size_t i = 0; i < b->file_count; i++)
		if (!strcmp(b->files[i].name, name))
			return &b->files[i];
	return NULL;
}

static int cmd_diff(const collector_config *c, int argc, char **argv)
{
	long long v1, v2;
	if (argc != 4 || parse_version(argv[2], &v1) || parse_version(argv[3], &v2))
		return usage("policy diff V1 V2");
	policy_bundle a, b;
	if (load_version(c, v1, &a))
		return 1;
	if (load_version(c, v2, &b)) {
		policy_bundle_free(&a);
		return 1;
	}
	printf(_("version %lld (%s) -> version %lld (%s)\n"), v1, a.group ? a.group : "base", v2,
	       b.group ? b.group : "base");
	for (size_t i = 0; i < a.file_count; i++) {
		const policy_file *o = &a.files[i], *n = find_file(&b, o->name);
		if (!n)
			printf(_("removed: %s\n"), o->name);
		else if (o->len != n->len || memcmp(o->data, n->data, o->len)) {
			printf(_("changed: %s\n"), o->name);
			diff_text(o->data, n->data);
		}
	}
	for (size_t i = 0; i < b.file_count; i++)
		if (!find_file(&a, b.files[i].name)) {
			printf(_("added: %s\n"), b.files[i].name);
			diff_text("", b.files[i].data);
		}
	policy_bundle_free(&a);
	policy_bundle_free(&b);
	return 0;
}

/* What a report says of its policy (its "policy" object), read from its
 * stored bytes through the store (whatever their encoding, either backend).
 * source NULL: no policy object (an older agent), or no body. */
typedef struct report_policy {
	char *source, *group;
	bool has_v, has_gv, refused;
	long long v, gv;
} report_policy;

static void report_policy_free(report_policy *p)
{
	free(p->source);
	free(p->group);
}

static bool jnum(const json_t *j, long long *out)
{
	if (json_is_integer(j))
		*out = (long long)json_integer_value(j);
	else if (json_is_real(j))
		*out = (long long)json_real_value(j);
	else
		return false;
	return true;
}

/* 1 read (p filled), 0 its body was removed by retention, -1 error. */
static int read_report_policy(store *s, int64_t org, const char *report_id, report_policy *p,
			      char *err, size_t err_size)
{
	memset(p, 0, sizeof *p);
	char *body;
	size_t len;
	int found = store_export(s, org, report_id, &body, &len, err, err_size);
	if (found != 1) {
		if (found == 0)
			snprintf(err, err_size, _("report %s: not found"), report_id);
		return found == 2 ? 0 : -1;
	}
	json_error_t je;
	json_t *root = json_loadb(body, len, 0, &je);
	free(body);
	if (!root) {
		snprintf(err, err_size, _("report %s: stored body is not JSON: %s"), report_id,
			 je.text);
		return -1;
	}
	json_t *pol = json_object_get(root, "policy");
	const char *src = json_string_value(json_object_get(pol, "source"));
	const char *g = json_string_value(json_object_get(pol, "group"));
	p->source = src ? strdup(src) : NULL;
	p->group = g ? strdup(g) : NULL;
	p->has_v = jnum(json_object_get(pol, "version"), &p->v);
	p->has_gv = jnum(json_object_get(pol, "group_version"), &p->gv);
	json_t *ref = json_object_get(pol, "refused");
	p->refused = ref && !json_is_null(ref);
	json_decref(root);
	if ((src && !p->source) || (g && !p->group)) {
		report_policy_free(p);
		snprintf(err, err_size, _("out of memory"));
		return -1;
	}
	return 1;
}

/* A list of (host, report_id) pairs, read first and then looked into: a
 * store iteration may hold its connection (PostgreSQL's row by row). */
typedef struct id_list {
	struct id_item {
		char *host, *report_id;
		int64_t host_id, finished_at;
	} *v;
	size_t n, cap;
} id_list;

static int id_add(id_list *l, const char *host, const char *report_id, int64_t host_id,
		  int64_t finished_at)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct id_item *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	struct id_item *it = &l->v[l->n];
	it->host = host ? strdup(host) : NULL;
	it->report_id = report_id ? strdup(report_id) : NULL;
	it->host_id = host_id;
	it->finished_at = finished_at;
	if ((host && !it->host) || (report_id && !it->report_id)) {
		free(it->host);
		free(it->report_id);
		return -1;
	}
	l->n++;
	return 0;
}

static void id_free(id_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].host);
		free(l->v[i].report_id);
	}
	free(l->v);
}

static int latest_cb(void *ctx, const char *host, const char *report_id)
{
	return id_add(ctx, host, report_id, 0, 0) ? 1 : 0;
}

/* Each enrolled host's newest report: which policy it ran with, against
 * the newest for its group; "old" counts what has not picked it up. */
static int cmd_hosts_status(const collector_config *c)
{
	char err[700];
	store *s = store_open(c->database, err, sizeof err);
	if (!s)
		return fail("%s", err);
	pstore_entry base;
	int hb = pstore_latest(c->policy_dir, "", &base, err, sizeof err);
	if (hb < 0) {
		store_close(s);
		return fail("%s", err);
	}
	id_list hosts = {0};
	err[0] = '\0';
	if (store_each_latest(s, c->org_id, latest_cb, &hosts, err, sizeof err) != 0) {
		id_free(&hosts);
		store_close(s);
		return fail("%s", err[0] ? err : _("out of memory"));
	}
	printf("%-24s %-9s %-8s %-12s %-8s %s\n", "host", "source", "version", "group",
	       "group_v", "state");
	long current = 0, old = 0, none = 0, refused = 0;
	int rc = 0;
	for (size_t i = 0; i < hosts.n; i++) {
		const char *host = hosts.v[i].host;
		report_policy p = {0};
		if (hosts.v[i].report_id &&
		    read_report_policy(s, c->org_id, hosts.v[i].report_id, &p, err, sizeof err) < 0) {
			rc = fail("%s", err);
			break;
		}
		const char *src = p.source;
		long long v = p.has_v ? p.v : 0, gv = p.has_gv ? p.gv : 0;
		bool ref = p.refused;
		char group[256] = "";
		if (host_policy_group(s, c->org_id, host, group, sizeof group) < 0)
			group[0] = '\0';
		pstore_entry ge;
		int hg = group[0] ? pstore_latest(c->policy_dir, group, &ge, err, sizeof err) : 0;
		const char *state;
		if (!src) {
			state = "no report";
			none++;
		} else if (hb == 1 && (v < base.version || (hg == 1 && gv < ge.version))) {
			state = "old";
			old++;
		} else {
			state = "current";
			current++;
		}
		refused += ref;
		printf("%-24s %-9s %-8lld %-12s %-8lld %s%s\n", host, src ? src : "-", v,
		       group[0] ? group : "-", gv, state, ref ? ", refused a policy" : "");
		report_policy_free(&p);
	}
	id_free(&hosts);
	store_close(s);
	if (rc)
		return rc;
	printf("current %ld, old %ld, no report %ld, refused %ld\n", current, old, none, refused);
	return 0;
}

static int year_report_cb(void *ctx, const store_report *r)
{
	return id_add(ctx, NULL, r->report_id, r->host_id, r->finished_at) ? 1 : 0;
}

/* One row of `policy history`: the reports that ran one policy. */
typedef struct history_row {
	report_policy p;
	int64_t first, last;
	long hosts, reports;
	int64_t last_host;  /* the reports come host by host: counts each once */
} history_row;

/* NULL (no value) sorts first, as SQL's ORDER BY does. */
static int cmp_num(bool ha, long long a, bool hb, long long b)
{
	if (ha != hb)
		return ha ? 1 : -1;
	return !ha ? 0 : a < b ? -1 : a > b;
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* ORDER BY version, group, group_version, source */
static int history_cmp(const void *x, const void *y)
{
	const report_policy *a = &((const history_row *)x)->p, *b = &((const history_row *)y)->p;
	int c = cmp_num(a->has_v, a->v, b->has_v, b->v);
	if (!c)
		c = cmp_str(a->group, b->group);
	if (!c)
		c = cmp_num(a->has_gv, a->gv, b->has_gv, b->gv);
	if (!c)
		c = cmp_str(a->source, b->source);
	return c;
}

/* Which policy versions were in force in a year, from when to when, on
 * how many hosts: CSV, for the auditor beside the annual report. */
static int cmd_history(const collector_config *c, int argc, char **argv)
{
	char *end;
	long year = argc == 4 && !strcmp(argv[2], "--year") ? strtol(argv[3], &end, 10) : 0;
	if (year < 1970 || year > 9999 || *end)
		return usage("policy history --year YYYY");
	struct tm a = {.tm_year = (int)year - 1900, .tm_mday = 1};
	struct tm b = {.tm_year = (int)year + 1 - 1900, .tm_mday = 1};
	int64_t from = (int64_t)timegm(&a), to = (int64_t)timegm(&b);
	char err[700] = "";
	store *s = store_open(c->database, err, sizeof err);
	if (!s)
		return fail("%s", err);
	id_list reps = {0};
	history_row *rows = NULL;
	size_t nrows = 0, cap = 0;
	int rc = 0;
	if (store_each_report(s, c->org_id, from, to, year_report_cb, &reps, err, sizeof err) != 0) {
		rc = fail("%s", err[0] ? err : _("out of memory"));
		goto out;
	}
	for (size_t i = 0; i < reps.n; i++) {
		report_policy p;
		int got = read_report_policy(s, c->org_id, reps.v[i].report_id, &p, err, sizeof err);
		if (got < 0) {
			rc = fail("%s", err);
			goto out;
		}
		if (got == 0) /* body removed by retention: what it ran is unknown */
			continue;
		size_t k = 0;
		while (k < nrows && history_cmp(&rows[k], &(history_row){.p = p}) != 0)
			k++;
		if (k == nrows) {
			if (nrows == cap) {
				size_t nc = cap ? cap * 2 : 16;
				history_row *nr = realloc(rows, nc * sizeof *nr);
				if (!nr) {
					report_policy_free(&p);
					rc = fail(_("out of memory"));
					goto out;
				}
				rows = nr;
				cap = nc;
			}
			rows[nrows++] = (history_row){.p = p, .first = reps.v[i].finished_at,
						      .last = reps.v[i].finished_at,
						      .last_host = reps.v[i].host_id - 1};
		} else {
			report_policy_free(&p);
		}
		history_row *h = &rows[k];
		if (reps.v[i].finished_at < h->first)
			h->first = reps.v[i].finished_at;
		if (reps.v[i].finished_at > h->last)
			h->last = reps.v[i].finished_at;
		if (h->last_host != reps.v[i].host_id || h->reports == 0) {
			h->hosts++;
			h->last_host = reps.v[i].host_id;
		}
		h->reports++;
	}
	qsort(rows, nrows, sizeof *rows, history_cmp);
	printf("version,group,group_version,source,first,last,hosts,reports\n");
	for (size_t k = 0; k < nrows; k++) {
		const history_row *h = &rows[k];
		char first[21], last[21];
		rfc3339_format(h->first, first);
		rfc3339_format(h->last, last);
		char v[24] = "", gv[24] = "";
		if (h->p.has_v)
			snprintf(v, sizeof v, "%lld", h->p.v);
		if (h->p.has_gv)
			snprintf(gv, sizeof gv, "%lld", h->p.gv);
		/* group names are [A-Za-z0-9_-]: nothing to quote in CSV */
		printf("%s,%s,%s,%s,%s,%s,%ld,%ld\n", v, h->p.group ? h->p.group : "", gv,
		       h->p.source ? h->p.source : "none (older agent)", first, last, h->hosts,
		       h->reports);
	}
out:
	for (size_t k = 0; k < nrows; k++)
		report_policy_free(&rows[k].p);
	free(rows);
	id_free(&reps);
	store_close(s);
	return rc;
}

int cmd_policy(const collector_config *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	if (!strcmp(sub, "keygen") && argc == 2)
		return keygen(c);
	if (!strcmp(sub, "sign"))
		return cmd_sign(c, argc, argv);
	if (!strcmp(sub, "publish"))
		return cmd_publish(c, argc, argv);
	if (!strcmp(sub, "list") && argc == 2)
		return cmd_list(c);
	if (!strcmp(sub, "show"))
		return cmd_show(c, argc, argv);
	if (!strcmp(sub, "diff"))
		return cmd_diff(c, argc, argv);
	if (!strcmp(sub, "hosts") && argc == 2)
		return cmd_hosts_status(c);
	if (!strcmp(sub, "history"))
		return cmd_history(c, argc, argv);
	return usage("policy keygen|sign|publish|list|show|diff|hosts|history ...");
}

int cmd_hosts(const collector_config *c, int argc, char **argv)
{
	if (argc >= 2 && cmd_hosts_lifecycle_owns(argv[1])) /* api */
		return cmd_hosts_lifecycle(c, argc, argv);
	if (argc != 4 || strcmp(argv[1], "set-group") ||
	    (argv[3][0] && !group_ok(argv[3])))
		return usage(_("hosts set-group HOST GROUP   (GROUP \"\" clears)"));
	char err[600];
	store *s = store_open(c->database, err, sizeof err);
	if (!s)
		return fail("%s", err);
	int rc = host_set_policy_group(s, c->org_id, argv[2], argv[3], err, sizeof err);
	store_close(s);
	if (rc)
		return fail(_("hosts set-group: %s"), err);
	fprintf(stderr, _("hostaudit-collector: %s is in policy group %s\n"), argv[2],
		argv[3][0] ? argv[3] : _("(none: the base policy)"));
	return 0;
}
