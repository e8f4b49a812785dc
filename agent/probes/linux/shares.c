/* SPDX-License-Identifier: Apache-2.0 */
/* Shared folders on Linux (IPA 5 articles, art. 4 "review sharing"):
 * Samba shares a guest can use without a password (smb.conf and
 * usershares) and NFS exports open to any host (/etc/exports and
 * /etc/exports.d/NAME.exports). A configuration only counts when its server
 * is installed: samba-common ships an smb.conf on hosts that serve
 * nothing. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hostaudit/probe.h"
#include "linuxconf.h"
#include "util.h"

#define MAX_SHARES 256

/* ---- Samba ---- */

typedef struct smb_share {
	char name[128];
	int line;
	int guest;     /* -1 unset (inherits [global]), 0 no, 1 yes */
	char guest_where[128];
	bool unavailable;
} smb_share;

typedef struct smb_view {
	smb_share shares[MAX_SHARES];
	size_t count;
	smb_share global;
	char map_to_guest[64];
	bool usershare_guests; /* [global] usershare allow guests */
	char usershare_guests_where[128];
	bool includes; /* include = ... lines, not followed */
} smb_view;

/* Samba parameter names ignore case, blanks and underscores. */
static void smb_key(const char *in, char *out, size_t size)
{
	size_t n = 0;
	for (; *in && n + 1 < size; in++)
		if (*in != ' ' && *in != '\t' && *in != '_')
			out[n++] = (char)tolower((unsigned char)*in);
	out[n] = '\0';
}

static smb_share *smb_section(smb_view *v, const char *section, int lineno)
{
	if (!strcasecmp(section, "global"))
		return &v->global;
	for (size_t i = 0; i < v->count; i++)
		if (!strcasecmp(v->shares[i].name, section))
			return &v->shares[i];
	if (v->count == MAX_SHARES)
		return NULL;
	smb_share *s = &v->shares[v->count++];
	snprintf(s->name, sizeof s->name, "%s", section);
	s->line = lineno;
	s->guest = -1;
	return s;
}

static void smb_kv(const char *section, const char *key, const char *value, int lineno,
		   void *ctx)
{
	smb_view *v = ctx;
	if (!section[0])
		return;
	smb_share *s = smb_section(v, section, lineno);
	if (!s)
		return;
	char k[64];
	smb_key(key, k, sizeof k);
	bool b;
	if ((!strcmp(k, "guestok") || !strcmp(k, "public")) && conf_parse_bool(value, &b)) {
		s->guest = b;
		snprintf(s->guest_where, sizeof s->guest_where, "/etc/samba/smb.conf:%d", lineno);
	} else if (!strcmp(k, "available") && conf_parse_bool(value, &b)) {
		s->unavailable = !b;
	} else if (s == &v->global && !strcmp(k, "maptoguest")) {
		snprintf(v->map_to_guest, sizeof v->map_to_guest, "%s", value);
	} else if (s == &v->global && !strcmp(k, "usershareallowguests") &&
		   conf_parse_bool(value, &b)) {
		v->usershare_guests = b;
		snprintf(v->usershare_guests_where, sizeof v->usershare_guests_where,
			 "/etc/samba/smb.conf:%d", lineno);
	} else if (!strcmp(k, "include")) {
		v->includes = true;
	}
}

/* Section headers need their own line pass: conf_each_ini only reports
 * keys, and an empty share still shares. */
static bool smb_header(char *line, int lineno, void *ctx)
{
	char *p = conf_trim(line);
	if (*p != '[')
		return true;
	char *end = strchr(p, ']');
	if (!end)
		return true;
	*end = '\0';
	smb_section(ctx, p + 1, lineno);
	return true;
}

typedef struct shares_result {
	fact_list guest;
	bool configured;
	char ev[4096];
	bool guest_unknown;
	char guest_unknown_why[512];
} shares_result;

static void samba_conf(const host *h, shares_result *r, smb_view *v)
{
	char *data;
	int rc = conf_read(h, "/etc/samba/smb.conf", &data);
	if (rc != 0) {
		conf_append(r->ev, sizeof r->ev, "no /etc/samba/smb.conf");
		return;
	}
	char *copy = xstrdup(data);
	conf_each_line(copy, smb_header, v);
	free(copy);
	conf_each_ini(data, smb_kv, v);
	free(data);
	int shared = 0;
	for (size_t i = 0; i < v->count; i++) {
		const smb_share *s = &v->shares[i];
		if (s->unavailable)
			continue;
		shared++;
		int guest = s->guest >= 0 ? s->guest : v->global.guest;
		if (guest == 1) {
			char item[160];
			snprintf(item, sizeof item, "samba:%s", s->name);
			fact_list_push(&r->guest, item);
			if (s->guest >= 0)
				conf_append(r->ev, sizeof r->ev,
					    "[%s] at /etc/samba/smb.conf:%d is guest ok (%s)", s->name,
					    s->line, s->guest_where);
			else
				conf_append(r->ev, sizeof r->ev,
					    "[%s] at /etc/samba/smb.conf:%d is guest ok ([global] %s)",
					    s->name, s->line, v->global.guest_where);
		}
	}
	r->configured |= shared > 0;
	if (v->map_to_guest[0])
		conf_append(r->ev, sizeof r->ev, "/etc/samba/smb.conf: %d share(s), map to guest = %s",
			    shared, v->map_to_guest);
	else
		conf_append(r->ev, sizeof r->ev,
			    "/etc/samba/smb.conf: %d share(s), map to guest = Never (default)", shared);
	if (v->includes)
		conf_append(r->ev, sizeof r->ev, "include= lines not followed");
}

typedef struct usershare {
	bool guest;
	char name[128];
} usershare;

static bool usershare_line(char *line, int lineno, void *ctx)
{
	(void)lineno;
	usershare *u = ctx;
	if (!strncmp(line, "guest_ok=", 9))
		u->guest = line[9] == 'y' || line[9] == 'Y';
	else if (!strncmp(line, "sharename=", 10))
		snprintf(u->name, sizeof u->name, "%s", line + 10);
	return true;
}

static void samba_usershares(const host *h, shares_result *r, const smb_view *v)
{
	static const char dir[] = "/var/lib/samba/usershares";
	char **names;
	size_t n;
	int rc = host_list_dir(h, dir, &names, &n);
	if (rc == -ENOENT)
		return;
	if (rc != 0) {
		r->guest_unknown = true;
		if (rc == -EACCES)
			fact_buf_set(r->guest_unknown_why, sizeof r->guest_unknown_why,
				     "cannot list %s: %s (needs root)", dir, strerror(-rc));
		else
			fact_buf_set(r->guest_unknown_why, sizeof r->guest_unknown_why,
				     "cannot list %s: %s", dir, strerror(-rc));
		return;
	}
	int count = 0;
	for (size_t i = 0; i < n; i++) {
		if (names[i][0] == '.')
			continue;
		char path[512], *data;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (conf_read(h, path, &data) != 0)
			continue;
		usershare u = {0};
		snprintf(u.name, sizeof u.name, "%s", names[i]);
		conf_each_line(data, usershare_line, &u);
		free(data);
		count++;
		/* smbd refuses guest access to usershares unless [global]
		 * allows it. */
		if (u.guest && v->usershare_guests) {
			char item[160];
			snprintf(item, sizeof item, "usershare:%s", u.name);
			fact_list_push(&r->guest, item);
			conf_append(r->ev, sizeof r->ev, "%s: guest_ok=y, allowed by %s", path,
				    v->usershare_guests_where);
		} else if (u.guest) {
			conf_append(r->ev, sizeof r->ev,
				    "%s: guest_ok=y but usershare allow guests is off", path);
		}
	}
	host_names_free(names, n);
	r->configured |= count > 0;
	conf_append(r->ev, sizeof r->ev, "%s: %d usershare(s)", dir, count);
}

/* ---- NFS ---- */

typedef struct nfs_view {
	const char *file;
	fact_list world;
	int exports;
	char ev[2048];
} nfs_view;

static bool world_client(const char *client)
{
	size_t k = strcspn(client, "(");
	return k == 0 || (k == 1 && client[0] == '*') || !strncmp(client, "0.0.0.0/0", k) ||
	       !strncmp(client, "::/0", k);
}

/* "/path [-defaults] client(opts) client(opts)"; a path followed by "(opts)"
 * after a blank, or by nothing, is exported to the world. Paths may be
 * quoted. */
static bool exports_line(char *line, int lineno, void *ctx)
{
	nfs_view *v = ctx;
	char *p = conf_trim(line);
	if (*p == '#' || *p == '\0')
		return true;
	char path[1024];
	if (*p == '"') {
		char *end = strchr(p + 1, '"');
		if (!end)
			return true;
		snprintf(path, sizeof path, "%.*s", (int)(end - p - 1), p + 1);
		p = end + 1;
	} else {
		size_t k = strcspn(p, " \t");
		snprintf(path, sizeof path, "%.*s", (int)k, p);
		p += k;
	}
	v->exports++;
	bool world = false, any_client = false;
	for (char *save = NULL, *tok = strtok_r(p, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (tok[0] == '-')
			continue; /* default options for the line */
		any_client = true;
		world |= world_client(tok);
	}
	if (world || !any_client) {
		fact_list_push(&v->world, path);
		conf_append(v->ev, sizeof v->ev, "%s:%d exports %s to any host", v->file, lineno,
			    path);
	}
	return true;
}

/* Continuation lines ("\" at the end) are joined so each export is one
 * logical line, numbered by its first physical line. */
typedef struct joiner {
	nfs_view *v;
	char logical[8192];
	int first;
} joiner;

static bool join_line(char *line, int lineno, void *ctx)
{
	joiner *j = ctx;
	size_t n = strlen(line);
	bool more = n && line[n - 1] == '\\';
	if (more)
		line[n - 1] = ' ';
	size_t used = strlen(j->logical);
	if (!used)
		j->first = lineno;
	snprintf(j->logical + used, sizeof j->logical - used, "%s", line);
	if (!more) {
		exports_line(j->logical, j->first, j->v);
		j->logical[0] = '\0';
	}
	return true;
}

static void nfs_file(const host *h, const char *path, nfs_view *v)
{
	char *data;
	if (conf_read(h, path, &data) != 0)
		return;
	v->file = path;
	joiner *j = xcalloc(1, sizeof *j);
	j->v = v;
	conf_each_line(data, join_line, j);
	if (j->logical[0])
		exports_line(j->logical, j->first, v);
	free(j);
	free(data);
}

static void nfs_exports(const host *h, nfs_view *v)
{
	nfs_file(h, "/etc/exports", v);
	char **names;
	size_t n;
	if (host_list_dir(h, "/etc/exports.d", &names, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		if (len < 9 || strcmp(names[i] + len - 8, ".exports"))
			continue;
		char path[512];
		snprintf(path, sizeof path, "/etc/exports.d/%s", names[i]);
		nfs_file(h, path, v);
	}
	host_names_free(names, n);
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	shares_result r = {0};
	smb_view *v = xcalloc(1, sizeof *v);
	v->global.guest = -1;
	if (host_exists(h, "/usr/sbin/smbd")) {
		samba_conf(h, &r, v);
		samba_usershares(h, &r, v);
	} else {
		conf_append(r.ev, sizeof r.ev, "Samba server not installed (no /usr/sbin/smbd)");
	}
	free(v);

	nfs_view nfs = {0};
	bool nfsd = host_exists(h, "/usr/sbin/rpc.nfsd") || host_exists(h, "/usr/sbin/exportfs");
	if (nfsd)
		nfs_exports(h, &nfs);
	char nfs_ev[2300] = "";
	if (!nfsd)
		fact_buf_set(nfs_ev, sizeof nfs_ev,
			     "NFS server not installed (no /usr/sbin/rpc.nfsd or exportfs)");
	else if (!nfs.ev[0])
		fact_buf_set(nfs_ev, sizeof nfs_ev,
			     "/etc/exports, /etc/exports.d: no export open to any host");
	else
		fact_buf_set(nfs_ev, sizeof nfs_ev, "%s", nfs.ev);
	r.configured |= nfs.exports > 0;

	if (r.guest_unknown && !r.configured)
		fact_set_unknown(fs, "shares.configured", "%s", r.guest_unknown_why);
	else if (nfsd)
		fact_set_bool(fs, "shares.configured", r.configured,
			      "%s; NFS server installed; NFS: %d export(s)", r.ev, nfs.exports);
	else
		fact_set_bool(fs, "shares.configured", r.configured,
			      "%s; no NFS server; NFS: %d export(s)", r.ev, nfs.exports);
	if (r.guest_unknown) {
		fact_set_unknown(fs, "shares.guest_open", "%s", r.guest_unknown_why);
		fact_list_free(&r.guest);
	} else {
		fact_list_sort(&r.guest);
		fact_set_list(fs, "shares.guest_open", &r.guest, "%s", r.ev);
	}
	fact_set_list(fs, "shares.nfs_world", &nfs.world, "%s", nfs_ev);
	return 0;
}

const probe probe_shares = {"shares", "shares.", run};
