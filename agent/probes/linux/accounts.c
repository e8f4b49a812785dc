/* SPDX-License-Identifier: Apache-2.0 */
/* Accounts on Linux: automatic login in the display managers (GDM,
 * LightDM, SDDM), a guest login, and how sshd lets people in
 * (PermitRootLogin, PasswordAuthentication, keyboard-interactive).
 *
 * sshd_config is read the way sshd reads it: keywords in any case, the
 * first value obtained wins, Include takes globs (relative to /etc/ssh)
 * and is expanded in place. Match blocks apply only to some connections;
 * their settings are not folded into the global answer, and the evidence
 * says how many there were. */
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hostaudit/probe.h"
#include "linuxconf.h"
#include "util.h"

#define SSHD_INCLUDE_DEPTH 16
/* A glob that includes itself fans out: 4 files 16 deep are 4^16 reads.
 * No real configuration reads more than a handful. */
#define SSHD_MAX_FILES 256

/* ---- display managers ---- */

typedef struct autologin {
	/* The last value wins, file by file, as the display managers read
	 * their configuration. */
	char gdm_user[2][128], gdm_where[2][300]; /* [0] automatic, [1] timed */
	bool gdm_on[2];
	char lightdm_user[128], lightdm_where[300];
	int allow_guest; /* -1 unset, 0 false, 1 true */
	char guest_where[300];
	char sddm_user[128], sddm_where[300];
	const char *file;
	char read[1024]; /* files read */
} autologin;

/* GDM logs someone in with no password typed under AutomaticLogin and,
 * after a delay, under TimedLogin. */
static void gdm_kv(const char *section, const char *key, const char *value, int lineno,
		   void *ctx)
{
	autologin *a = ctx;
	if (strcmp(section, "daemon"))
		return;
	bool timed = !strncmp(key, "Timed", 5);
	int k = timed ? 1 : 0;
	bool b;
	if ((!strcmp(key, "AutomaticLoginEnable") || !strcmp(key, "TimedLoginEnable")) &&
	    conf_parse_bool(value, &b)) {
		a->gdm_on[k] = b;
		snprintf(a->gdm_where[k], sizeof a->gdm_where[k], "%s:%d %s=%s", a->file, lineno,
			 key, value);
	} else if (!strcmp(key, "AutomaticLogin") || !strcmp(key, "TimedLogin")) {
		snprintf(a->gdm_user[k], sizeof a->gdm_user[k], "%s", value);
	}
}

static void lightdm_kv(const char *section, const char *key, const char *value, int lineno,
		       void *ctx)
{
	autologin *a = ctx;
	if (strncmp(section, "Seat:", 5) && strcmp(section, "SeatDefaults"))
		return;
	if (!strcmp(key, "autologin-user")) {
		snprintf(a->lightdm_user, sizeof a->lightdm_user, "%s", value);
		snprintf(a->lightdm_where, sizeof a->lightdm_where, "%s:%d autologin-user=%s",
			 a->file, lineno, value);
	}
	bool b;
	if (!strcmp(key, "allow-guest") && conf_parse_bool(value, &b)) {
		a->allow_guest = b;
		snprintf(a->guest_where, sizeof a->guest_where, "%s:%d allow-guest=%s", a->file,
			 lineno, value);
	}
}

static void sddm_kv(const char *section, const char *key, const char *value, int lineno,
		    void *ctx)
{
	autologin *a = ctx;
	if (!strcmp(section, "Autologin") && !strcmp(key, "User")) {
		snprintf(a->sddm_user, sizeof a->sddm_user, "%s", value);
		snprintf(a->sddm_where, sizeof a->sddm_where, "%s:%d User=%s", a->file, lineno,
			 value);
	}
}

static void read_ini(const host *h, const char *path, ini_fn fn, autologin *a)
{
	char *data;
	if (conf_read(h, path, &data) != 0)
		return;
	a->file = path;
	conf_append(a->read, sizeof a->read, "%s", path);
	conf_each_ini(data, fn, a);
	free(data);
}

/* Every *.conf in dir, in name order. */
static void read_ini_dir(const host *h, const char *dir, ini_fn fn, autologin *a)
{
	char **names;
	size_t n;
	if (host_list_dir(h, dir, &names, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		if (len < 6 || strcmp(names[i] + len - 5, ".conf"))
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		read_ini(h, path, fn, a);
	}
	host_names_free(names, n);
}

/* A 'guest' account with a login shell, from /etc/passwd. */
static bool guest_account(const host *h, char *where, size_t size)
{
	char *data;
	if (conf_read(h, "/etc/passwd", &data) != 0)
		return false;
	bool found = false;
	int lineno = 0;
	for (char *p = data; p && *p && !found; lineno++) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		const char *shell = strrchr(p, ':');
		if (!strncmp(p, "guest:", 6) && shell && conf_login_shell(shell + 1)) {
			fact_buf_set(where, size, "/etc/passwd:%d account guest with shell %s",
				     lineno + 1, shell + 1);
			found = true;
		}
		p = nl ? nl + 1 : NULL;
	}
	free(data);
	return found;
}

static void record_display_managers(const host *h, fact_set *fs)
{
	autologin a = {.allow_guest = -1};
	static const char *const gdm[] = {"/etc/gdm3/daemon.conf", "/etc/gdm3/custom.conf",
					  "/etc/gdm/custom.conf", NULL};
	for (size_t i = 0; gdm[i]; i++)
		read_ini(h, gdm[i], gdm_kv, &a);
	/* LightDM: the packaged defaults, then the administrator's files. */
	read_ini_dir(h, "/usr/share/lightdm/lightdm.conf.d", lightdm_kv, &a);
	read_ini_dir(h, "/etc/lightdm/lightdm.conf.d", lightdm_kv, &a);
	read_ini(h, "/etc/lightdm/lightdm.conf", lightdm_kv, &a);
	read_ini_dir(h, "/usr/lib/sddm/sddm.conf.d", sddm_kv, &a);
	read_ini_dir(h, "/etc/sddm.conf.d", sddm_kv, &a);
	read_ini(h, "/etc/sddm.conf", sddm_kv, &a);

	fact_list users = {0};
	char ev[2048] = "";
	for (int k = 0; k < 2; k++)
		if (a.gdm_on[k] && a.gdm_user[k][0]) {
			fact_list_push(&users, a.gdm_user[k]);
			conf_append(ev, sizeof ev, "GDM %s for %s", a.gdm_where[k], a.gdm_user[k]);
		}
	if (a.lightdm_user[0]) {
		fact_list_push(&users, a.lightdm_user);
		conf_append(ev, sizeof ev, "LightDM %s", a.lightdm_where);
	}
	if (a.sddm_user[0]) {
		fact_list_push(&users, a.sddm_user);
		conf_append(ev, sizeof ev, "SDDM %s", a.sddm_where);
	}
	if (!users.count && a.read[0])
		conf_append(ev, sizeof ev, "no automatic login in %s", a.read);
	else if (!users.count)
		conf_append(ev, sizeof ev, "no GDM, LightDM or SDDM configuration found");
	fact_list_sort(&users);
	fact_set_list(fs, "accounts.autologin_users", &users, "%s", ev);

	char gw[300];
	bool lightdm = host_exists(h, "/usr/sbin/lightdm");
	/* LightDM's built-in default is allow-guest=true, but the guest
	 * session only works with its guest-account script installed. */
	bool script = host_exists(h, "/usr/sbin/guest-account") ||
		      host_exists(h, "/usr/share/lightdm/guest-session/setup.sh");
	if (a.allow_guest == 1)
		fact_set_bool(fs, "accounts.guest_enabled", true, "LightDM %s", a.guest_where);
	else if (lightdm && a.allow_guest == -1 && script)
		fact_set_bool(fs, "accounts.guest_enabled", true,
			      "LightDM installed, allow-guest unset (default true) and the "
			      "guest-account script is present");
	else if (guest_account(h, gw, sizeof gw))
		fact_set_bool(fs, "accounts.guest_enabled", true, "%s", gw);
	else if (a.allow_guest == 0)
		fact_set_bool(fs, "accounts.guest_enabled", false,
			      "no 'guest' account with a login shell in /etc/passwd; %s",
			      a.guest_where);
	else if (lightdm)
		fact_set_bool(fs, "accounts.guest_enabled", false,
			      "no 'guest' account with a login shell in /etc/passwd; LightDM has no "
			      "guest-account script");
	else
		fact_set_bool(fs, "accounts.guest_enabled", false,
			      "no 'guest' account with a login shell in /etc/passwd; LightDM not "
			      "installed");
}

/* ---- sshd ---- */

typedef struct sshd_setting {
	char value[64];
	char where[512];
} sshd_setting;

typedef struct sshd_view {
	sshd_setting root_login, password, kbd, use_pam;
	int match_blocks;
	int files; /* read so far, through Include */
	char first_match[512];
	char errors[512];
} sshd_view;

static void sshd_file(const host *h, const char *path, sshd_view *v, int depth);

/* The next word of a configuration line as sshd splits it: blanks
 * separate words, a double or single quote groups up to the same quote
 * (quotes are not part of the word), a backslash escapes a quote, a
 * backslash or (outside quotes) a space, and a word starting with '#'
 * begins a comment. 1 with the word in out, 0 at the end of the line, -1
 * for an unterminated quote (sshd refuses the file). */
static int sshd_word(const char **line, char *out, size_t size)
{
	const char *p = *line + strspn(*line, " \t");
	size_t n = 0;
	char quote = 0;
	if (*p == '\0' || *p == '#')
		return 0;
	for (; *p; p++) {
		if (*p == '\\' && (p[1] == '\'' || p[1] == '"' || p[1] == '\\' ||
				     (!quote && p[1] == ' '))) {
			p++;
		} else if (!quote && (*p == ' ' || *p == '\t')) {
			break;
		} else if (!quote && (*p == '"' || *p == '\'')) {
			quote = *p;
			continue;
		} else if (quote && *p == quote) {
			quote = 0;
			continue;
		}
		if (n + 1 < size)
			out[n++] = *p;
	}
	out[n] = '\0';
	*line = p;
	return quote ? -1 : 1;
}

static void take_first(sshd_setting *s, const char *value, const char *path, int lineno,
		       const char *key)
{
	if (s->value[0])
		return; /* sshd: the first value obtained wins */
	snprintf(s->value, sizeof s->value, "%s", value);
	fact_buf_set(s->where, sizeof s->where, "%s %s at %s:%d", key, value, path, lineno);
}

static void sshd_include(const host *h, const char *pattern, sshd_view *v, int depth)
{
	char rel[1024], full[4096];
	if (pattern[0] == '/')
		snprintf(rel, sizeof rel, "%s", pattern);
	else
		snprintf(rel, sizeof rel, "/etc/ssh/%s", pattern);
	if (!host_path(h, rel, full, sizeof full))
		return;
	glob_t g;
	if (glob(full, 0, NULL, &g) != 0)
		return; /* no match is not an error for sshd either */
	size_t root_len = h->root ? strlen(h->root) : 0;
	for (size_t i = 0; i < g.gl_pathc; i++)
		sshd_file(h, g.gl_pathv[i] + root_len, v, depth + 1);
	globfree(&g);
}

static void sshd_file(const host *h, const char *path, sshd_view *v, int depth)
{
	if (depth > SSHD_INCLUDE_DEPTH) {
		conf_append(v->errors, sizeof v->errors, "Include nested too deep at %s", path);
		return;
	}
	if (++v->files > SSHD_MAX_FILES) {
		if (v->files == SSHD_MAX_FILES + 1)
			conf_append(v->errors, sizeof v->errors,
				    "more than %d files through Include, at %s", SSHD_MAX_FILES,
				    path);
		return;
	}
	char *data;
	int rc = conf_read(h, path, &data);
	if (rc != 0) {
		if (depth == 0)
			conf_append(v->errors, sizeof v->errors, "cannot read %s: %s", path,
				    strerror(-rc));
		return;
	}
	bool in_match = false; /* a Match block runs to the next Match or the file's end */
	int lineno = 0;
	for (char *p = data; p && *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		char *line = conf_trim(p);
		p = nl ? nl + 1 : NULL;
		if (*line == '#' || *line == '\0')
			continue;
		size_t klen = strcspn(line, " \t=");
		char key[64];
		snprintf(key, sizeof key, "%.*s", (int)klen, line);
		char *val = line + klen;
		val += strspn(val, " \t");
		if (*val == '=')
			val++;
		val = conf_trim(val);
		char first[64];
		const char *rest = val;
		if (sshd_word(&rest, first, sizeof first) < 0) {
			conf_append(v->errors, sizeof v->errors,
				    "%s:%d: unterminated quote (sshd would refuse this file)", path,
				    lineno);
			break;
		}
		if (!strcasecmp(key, "Match")) {
			in_match = strcasecmp(first, "all") != 0;
			if (in_match && !v->match_blocks++)
				snprintf(v->first_match, sizeof v->first_match, "%s:%d", path,
					 lineno);
			continue;
		}
		if (in_match)
			continue;
		if (!strcasecmp(key, "Include")) {
			char pat[900];
			for (const char *w = val; sshd_word(&w, pat, sizeof pat) > 0;)
				sshd_include(h, pat, v, depth);
		} else if (!strcasecmp(key, "PermitRootLogin")) {
			take_first(&v->root_login, first, path, lineno, "PermitRootLogin");
		} else if (!strcasecmp(key, "PasswordAuthentication")) {
			take_first(&v->password, first, path, lineno, "PasswordAuthentication");
		} else if (!strcasecmp(key, "KbdInteractiveAuthentication") ||
			   !strcasecmp(key, "ChallengeResponseAuthentication")) {
			take_first(&v->kbd, first, path, lineno, key);
		} else if (!strcasecmp(key, "UsePAM")) {
			take_first(&v->use_pam, first, path, lineno, "UsePAM");
		}
	}
	free(data);
}

static bool yes(const sshd_setting *s, bool dflt)
{
	bool b;
	return s->value[0] && conf_parse_bool(s->value, &b) ? b : dflt;
}

static void match_note(const sshd_view *v, fact_text *ev)
{
	if (v->match_blocks)
		fact_text_add(ev,
			      "%d Match block(s) not modelled, first at %s: they may change this "
			      "for some connections",
			      v->match_blocks, v->first_match);
}

static void record_sshd(const host *h, fact_set *fs)
{
	if (!host_exists(h, "/usr/sbin/sshd")) {
		fact_set_unset_prefix(fs, "accounts.ssh.", FACT_NOT_APPLICABLE,
				      "no SSH server: /usr/sbin/sshd is not installed");
		return;
	}
	sshd_view v = {0};
	sshd_file(h, "/etc/ssh/sshd_config", &v, 0);
	if (v.errors[0]) {
		fact_set_unset_prefix(fs, "accounts.ssh.", FACT_UNKNOWN, "%s", v.errors);
		return;
	}
	/* Each fact's evidence: where its value came from, then the Match note. */
	fact_text ev = {0};
	char root[64];
	snprintf(root, sizeof root, "%s", v.root_login.value[0] ? v.root_login.value
								: "prohibit-password");
	for (char *c = root; *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
	if (!strcmp(root, "without-password")) /* the old name, same meaning */
		snprintf(root, sizeof root, "prohibit-password");
	if (v.root_login.value[0])
		fact_text_add(&ev, "%s", v.root_login.where);
	else
		fact_text_add(&ev, "PermitRootLogin not set: OpenSSH default prohibit-password");
	match_note(&v, &ev);
	fact_set_string(fs, "accounts.ssh.permit_root_login", root, "%s", fact_text_str(&ev));
	fact_text_free(&ev);

	if (v.password.value[0])
		fact_text_add(&ev, "%s", v.password.where);
	else
		fact_text_add(&ev, "PasswordAuthentication not set: OpenSSH default yes");
	match_note(&v, &ev);
	fact_set_bool(fs, "accounts.ssh.password_authentication", yes(&v.password, true), "%s",
		      fact_text_str(&ev));
	fact_text_free(&ev);

	bool kbd = yes(&v.kbd, true), pam = yes(&v.use_pam, false);
	if (v.kbd.value[0])
		fact_text_add(&ev, "%s", v.kbd.where);
	else
		fact_text_add(&ev, "KbdInteractiveAuthentication not set: OpenSSH default yes");
	if (v.use_pam.value[0])
		fact_text_add(&ev, "%s", v.use_pam.where);
	else
		fact_text_add(&ev, "UsePAM not set: OpenSSH default no");
	match_note(&v, &ev);
	fact_set_bool(fs, "accounts.ssh.kbd_interactive_authentication", kbd && pam, "%s",
		      fact_text_str(&ev));
	fact_text_free(&ev);
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	record_display_managers(h, fs);
	record_sshd(h, fs);
	return 0;
}

const probe probe_accounts = {"accounts", "accounts.", run};
