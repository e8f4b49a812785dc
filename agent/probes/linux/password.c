/* SPDX-License-Identifier: Apache-2.0 */
/* Password policy on Linux: the PAM stack (pam_pwquality, pam_faillock,
 * pam_tally2, pam_pwhistory, pam_unix), pwquality.conf(.d), faillock.conf,
 * pwhistory.conf, and the accounts in /etc/passwd and /etc/shadow. Reads
 * files only; docs/password-accounts.md says what each module needs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/probe.h"
#include "debver.h"
#include "linuxconf.h"
#include "pkgstatus.h"
#include "util.h"

#define PWQUALITY_DEFAULT_MINLEN 8   /* libpwquality's default */
#define PAM_UNIX_DEFAULT_MINLEN 6    /* pam_unix's default */
#define FAILLOCK_DEFAULT_DENY 3      /* pam_faillock's default */
#define PWHISTORY_DEFAULT_REMEMBER 10 /* pam_pwhistory's default */
#define SHADOW_NO_MAX_AGE 99999

/* A setting and where it came from. */
typedef struct setting {
	long value;
	char where[512];
	bool set;
} setting;

/* Debian keeps the shared stacks in common-*, Red Hat in system-auth and
 * password-auth. */
static const char *const pam_files[] = {"/etc/pam.d/common-password", "/etc/pam.d/common-auth",
					"/etc/pam.d/system-auth", "/etc/pam.d/password-auth", NULL};

typedef struct pam_view {
	bool any_file;
	char files[256];
	bool quality;      /* pam_pwquality in a password stack */
	bool unix_pw;      /* pam_unix in a password stack */
	bool lockout;      /* pam_faillock / pam_tally2 in an auth stack */
	char lockout_module[32];
	/* pam_faillock only counts failures on an "authfail" line; a lone
	 * "preauth" line checks a tally that nothing ever writes. */
	char preauth_at[300], authfail_at[300];
	bool nullok;       /* pam_unix nullok in an auth stack */
	char nullok_at[300];
	bool history;      /* pam_pwhistory in a password stack */
	setting minlen, minclass, deny, unix_minlen, enforcing, remember, unix_remember;
} pam_view;

/* A module's built-in value: "%s default" is a whole message, translated
 * when the report is rendered (docs/i18n.md), the module's name its
 * argument. */
static setting module_default(long value, const char *module)
{
	setting s = {value, "", true};
	fact_buf_set(s.where, sizeof s.where, "%s default", module);
	return s;
}

static void take_arg(const char *arg, const char *key, setting *s, const char *file, int line)
{
	size_t k = strlen(key);
	if (strncmp(arg, key, k) || arg[k] != '=')
		return;
	char *end;
	long v = strtol(arg + k + 1, &end, 10);
	if (*end || end == arg + k + 1)
		return;
	s->value = v;
	s->set = true;
	snprintf(s->where, sizeof s->where, "%s:%d argument %s", file, line, arg);
}

/* One PAM line: "type control module [args...]"; control may be a
 * bracketed list with spaces. */
static void pam_line(pam_view *pv, char *line, const char *file, int lineno)
{
	char *p = line + strspn(line, " \t");
	if (*p == '#' || *p == '\0' || *p == '@')
		return;
	char *type = strtok(p, " \t");
	if (!type)
		return;
	if (*type == '-')
		type++;
	char *control = strtok(NULL, " \t");
	if (control && control[0] == '[')
		while (control && !strchr(control, ']'))
			control = strtok(NULL, " \t");
	char *module = strtok(NULL, " \t");
	if (!module)
		return;
	const char *base = strrchr(module, '/') ? strrchr(module, '/') + 1 : module;
	bool password = !strcmp(type, "password"), auth = !strcmp(type, "auth");
	bool is_quality = password && !strcmp(base, "pam_pwquality.so");
	bool is_unix = password && !strcmp(base, "pam_unix.so");
	bool is_lock = auth && (!strcmp(base, "pam_faillock.so") || !strcmp(base, "pam_tally2.so"));
	bool is_faillock = is_lock && !strcmp(base, "pam_faillock.so");
	bool is_history = password && !strcmp(base, "pam_pwhistory.so");
	bool is_unix_auth = auth && !strcmp(base, "pam_unix.so");
	pv->quality |= is_quality;
	pv->unix_pw |= is_unix;
	pv->history |= is_history;
	if (is_lock) {
		pv->lockout = true;
		snprintf(pv->lockout_module, sizeof pv->lockout_module, "%s", base);
	}
	for (char *arg; (arg = strtok(NULL, " \t"));) {
		if (is_quality) {
			take_arg(arg, "minlen", &pv->minlen, file, lineno);
			take_arg(arg, "minclass", &pv->minclass, file, lineno);
			/* every pwquality.conf option is also a module argument */
			take_arg(arg, "enforcing", &pv->enforcing, file, lineno);
		}
		if (is_unix) {
			take_arg(arg, "minlen", &pv->unix_minlen, file, lineno);
			take_arg(arg, "remember", &pv->unix_remember, file, lineno);
		}
		if (is_history)
			take_arg(arg, "remember", &pv->remember, file, lineno);
		if (is_lock)
			take_arg(arg, "deny", &pv->deny, file, lineno);
		if (is_faillock && !strcmp(arg, "preauth") && !pv->preauth_at[0])
			snprintf(pv->preauth_at, sizeof pv->preauth_at, "%s:%d", file, lineno);
		if (is_faillock && !strcmp(arg, "authfail") && !pv->authfail_at[0])
			snprintf(pv->authfail_at, sizeof pv->authfail_at, "%s:%d", file, lineno);
		if (is_unix_auth && !strcmp(arg, "nullok") && !pv->nullok) {
			pv->nullok = true;
			snprintf(pv->nullok_at, sizeof pv->nullok_at, "%s:%d", file, lineno);
		}
	}
}

typedef struct pam_walk {
	pam_view *pv;
	const char *file;
} pam_walk;

static bool pam_each(char *line, int lineno, void *ctx)
{
	pam_walk *w = ctx;
	pam_line(w->pv, line, w->file, lineno);
	return true;
}

static void read_pam(const host *h, pam_view *pv)
{
	for (size_t i = 0; pam_files[i]; i++) {
		char *data;
		if (conf_read(h, pam_files[i], &data) != 0)
			continue;
		pv->any_file = true;
		conf_append(pv->files, sizeof pv->files, "%s", pam_files[i]);
		pam_walk w = {pv, pam_files[i]};
		conf_each_line(data, pam_each, &w);
		free(data);
	}
}

/* "key = value" files (pwquality.conf, faillock.conf): later files and
 * later lines override earlier ones, as the libraries read them. */
typedef struct kv_walk {
	const char *path, *key;
	setting *s;
} kv_walk;

static bool kv_each(char *line, int lineno, void *ctx)
{
	kv_walk *w = ctx;
	char *p = conf_trim(line);
	size_t k = strlen(w->key);
	if (*p == '#' || strncmp(p, w->key, k))
		return true;
	p = conf_trim(p + k);
	if (*p != '=')
		return true;
	p++;
	char *end;
	long v = strtol(p, &end, 10);
	if (end == p)
		return true;
	w->s->value = v;
	w->s->set = true;
	snprintf(w->s->where, sizeof w->s->where, "%s:%d", w->path, lineno);
	return true;
}

static void read_kv_file(const host *h, const char *path, const char *key, setting *s)
{
	char *data;
	if (conf_read(h, path, &data) != 0)
		return;
	kv_walk w = {path, key, s};
	conf_each_line(data, kv_each, &w);
	free(data);
}

static void read_pwquality(const host *h, const char *key, setting *s)
{
	/* libpwquality reads every *.conf in pwquality.conf.d, sorted, first,
	 * then pwquality.conf. */
	char **names;
	size_t n;
	if (host_list_dir(h, "/etc/security/pwquality.conf.d", &names, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(names[i]);
			if (len < 5 || strcmp(names[i] + len - 5, ".conf"))
				continue;
			char path[512];
			snprintf(path, sizeof path, "/etc/security/pwquality.conf.d/%s", names[i]);
			read_kv_file(h, path, key, s);
		}
		host_names_free(names, n);
	}
	read_kv_file(h, "/etc/security/pwquality.conf", key, s);
}

/* Strength as pam_unix alone checks it (its minlen, no classes): without
 * pam_pwquality, or (warn_only_where set) with one that only warns. Each
 * message is a whole sentence, so it translates whole. */
static void record_unix_strength(fact_set *fs, const pam_view *pv, const char *warn_only_where)
{
	setting minlen = module_default(PAM_UNIX_DEFAULT_MINLEN, "pam_unix");
	if (pv->unix_minlen.set)
		minlen = pv->unix_minlen;
	if (!warn_only_where) {
		fact_set_int(fs, "password.min_length", minlen.value,
			     "no password-quality module; pam_unix minlen from %s", minlen.where);
		fact_set_int(fs, "password.min_classes", 0,
			     "no password-quality module: no character classes required");
		return;
	}
	fact_set_int(fs, "password.min_length", minlen.value,
		     "pam_pwquality only warns (enforcing = 0 in %s); pam_unix minlen from %s",
		     warn_only_where, minlen.where);
	fact_set_int(fs, "password.min_classes", 0,
		     "pam_pwquality only warns (enforcing = 0 in %s): no character classes required",
		     warn_only_where);
}

static void record_quality(const host *h, fact_set *fs, const pam_view *pv)
{
	if (!pv->quality) {
		fact_set_bool(fs, "password.quality_enforced", false,
			      "pam_pwquality not found in the password stack of %s", pv->files);
		record_unix_strength(fs, pv, NULL);
		return;
	}
	/* enforcing = 0: pam_pwquality only warns and accepts any password. */
	setting enforcing = module_default(1, "libpwquality");
	read_pwquality(h, "enforcing", &enforcing);
	if (pv->enforcing.set)
		enforcing = pv->enforcing;
	if (enforcing.value == 0) {
		fact_set_bool(fs, "password.quality_enforced", false,
			      "pam_pwquality only warns (enforcing = 0 in %s); stack %s",
			      enforcing.where, pv->files);
		record_unix_strength(fs, pv, enforcing.where);
		return;
	}
	fact_set_bool(fs, "password.quality_enforced", true,
		      "pam_pwquality found in the password stack of %s", pv->files);
	/* Module arguments override the config files. */
	setting minlen = module_default(PWQUALITY_DEFAULT_MINLEN, "libpwquality");
	setting minclass = module_default(0, "libpwquality");
	read_pwquality(h, "minlen", &minlen);
	read_pwquality(h, "minclass", &minclass);
	if (pv->minlen.set)
		minlen = pv->minlen;
	if (pv->minclass.set)
		minclass = pv->minclass;
	fact_set_int(fs, "password.min_length", minlen.value, "pam_pwquality minlen from %s",
		     minlen.where);
	fact_set_int(fs, "password.min_classes", minclass.value, "pam_pwquality minclass from %s",
		     minclass.where);
}

static void record_lockout(const host *h, fact_set *fs, const pam_view *pv)
{
	if (!pv->lockout) {
		fact_set_bool(fs, "password.lockout.enabled", false,
			      "pam_faillock not found in the auth stack of %s", pv->files);
		fact_set_not_applicable(fs, "password.lockout.deny",
					"no lockout module in the auth stack");
		return;
	}
	bool faillock = !strcmp(pv->lockout_module, "pam_faillock.so");
	if (faillock && (!pv->preauth_at[0] || !pv->authfail_at[0])) {
		/* preauth refuses a locked account, authfail records a failure:
		 * without both nothing ever locks. */
		if (pv->authfail_at[0])
			fact_set_bool(fs, "password.lockout.enabled", false,
				      "pam_faillock in the auth stack of %s (preauth missing, authfail "
				      "%s): no 'preauth' line, so a locked account is not refused",
				      pv->files, pv->authfail_at);
		else if (pv->preauth_at[0])
			fact_set_bool(fs, "password.lockout.enabled", false,
				      "pam_faillock in the auth stack of %s (preauth %s, authfail "
				      "missing): no 'authfail' line, so failures are never recorded",
				      pv->files, pv->preauth_at);
		else
			fact_set_bool(fs, "password.lockout.enabled", false,
				      "pam_faillock in the auth stack of %s (preauth missing, authfail "
				      "missing): no 'authfail' line, so failures are never recorded",
				      pv->files);
		if (pv->authfail_at[0])
			fact_set_not_applicable(fs, "password.lockout.deny",
						"pam_faillock never locks: no 'preauth' line, so a "
						"locked account is not refused");
		else
			fact_set_not_applicable(fs, "password.lockout.deny",
						"pam_faillock never locks: no 'authfail' line, so "
						"failures are never recorded");
		return;
	}
	setting deny = module_default(FAILLOCK_DEFAULT_DENY, "pam_faillock");
	if (faillock) {
		read_kv_file(h, "/etc/security/faillock.conf", "deny", &deny);
	} else {
		deny = (setting){0, "", true};
		fact_buf_set(deny.where, sizeof deny.where, "%s default (never locks)", "pam_tally2");
	}
	if (pv->deny.set)
		deny = pv->deny;
	if (deny.value <= 0)
		fact_set_bool(fs, "password.lockout.enabled", false,
			      "%s in the auth stack of %s, but deny = %ld (%s) never locks",
			      pv->lockout_module, pv->files, deny.value, deny.where);
	else if (faillock)
		fact_set_bool(fs, "password.lockout.enabled", true,
			      "pam_faillock preauth at %s and authfail at %s", pv->preauth_at,
			      pv->authfail_at);
	else
		fact_set_bool(fs, "password.lockout.enabled", true, "%s found in the auth stack of %s",
			      pv->lockout_module, pv->files);
	fact_set_int(fs, "password.lockout.deny", deny.value, "%s deny from %s",
		     pv->lockout_module, deny.where);
}

/* pam_pwhistory reads /etc/security/pwhistory.conf from Linux-PAM 1.5.3
 * on; older modules ignore it. Without a dpkg status (rpm systems, whose
 * PAM backports it) the file is read when present. */
static bool pwhistory_reads_conf(const host *h)
{
	char ver[64];
	int r = dpkg_package_installed(h, "libpam-modules", NULL, 0, ver, sizeof ver);
	if (r == -ENOENT)
		return true;
	return r == 1 && debver_cmp_str(ver, "1.5.3") >= 0;
}

/* pam_pwhistory (remember=, default 10, or pwhistory.conf where the
 * installed PAM reads it) and pam_unix remember= both refuse reuse of
 * the passwords kept in /etc/security/opasswd; the larger one counts. */
static void record_history(const host *h, fact_set *fs, const pam_view *pv)
{
	setting hist = {0, "", false};
	if (pv->history) {
		hist = module_default(PWHISTORY_DEFAULT_REMEMBER, "pam_pwhistory");
		if (pwhistory_reads_conf(h))
			read_kv_file(h, "/etc/security/pwhistory.conf", "remember", &hist);
		if (pv->remember.set)
			hist = pv->remember;
	}
	const setting *best = hist.set ? &hist : NULL;
	const char *module = "pam_pwhistory";
	if (pv->unix_remember.set && (!best || pv->unix_remember.value > best->value)) {
		best = &pv->unix_remember;
		module = "pam_unix";
	}
	if (!best)
		fact_set_int(fs, "password.history_length", 0,
			     "neither pam_pwhistory nor pam_unix remember= in the password stack "
			     "of %s",
			     pv->files);
	else
		fact_set_int(fs, "password.history_length", best->value < 0 ? 0 : best->value,
			     "%s remember from %s", module, best->where);
}

static void record_policy(const host *h, fact_set *fs, pam_view *pv)
{
	if (!pv->any_file) {
		fact_set_unset_prefix(fs, "password.", FACT_UNKNOWN,
				      "no PAM stack found (/etc/pam.d/common-password or "
				      "/etc/pam.d/system-auth)");
		return;
	}
	record_quality(h, fs, pv);
	record_lockout(h, fs, pv);
	record_history(h, fs, pv);
}

/* Splits a colon-separated line in place; returns the field count. */
static int split_colons(char *line, char **fields, int max)
{
	int n = 0;
	fields[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == ':') {
			*p = '\0';
			fields[n++] = p + 1;
		}
	return n;
}

static void record_humans(const host *h, fact_set *fs, fact_list *humans)
{
	account *acc;
	size_t n;
	int rc = conf_human_accounts(h, &acc, &n);
	if (rc != 0) {
		fact_set_unknown(fs, "password.human_accounts", "cannot read /etc/passwd: %s",
				 strerror(-rc));
		return;
	}
	fact_list copy = {0};
	for (size_t i = 0; i < n; i++) {
		fact_list_push(humans, acc[i].name);
		fact_list_push(&copy, acc[i].name);
	}
	conf_accounts_free(acc, n);
	fact_set_list(fs, "password.human_accounts", &copy,
		      "/etc/passwd: the UID range of people (login.defs) with a login shell");
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* humans sorted (fact_list_sort): a binary search per shadow line, not a
 * walk of every account (20 000 accounts took 1.2 s that way). */
static bool in_sorted(const fact_list *l, const char *s)
{
	return l->count && bsearch(&s, l->items, l->count, sizeof *l->items, cmp_name) != NULL;
}

/* Accounts whose /etc/passwd password field is empty: pam_unix takes
 * that field as the hash (it looks at /etc/shadow only for "x"), so the
 * account has no password whatever /etc/shadow says. */
static int passwd_empty(const host *h, fact_list *out)
{
	char *data;
	int rc = conf_read(h, "/etc/passwd", &data);
	if (rc != 0)
		return rc;
	for (char *save = NULL, *line = strtok_r(data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[7];
		if (line[0] == '+' || line[0] == '-' || split_colons(line, f, 7) < 7)
			continue; /* NIS compat lines are not local accounts */
		if (f[0][0] && f[1][0] == '\0')
			fact_list_push(out, f[0]);
	}
	free(data);
	return 0;
}

static void joined(const fact_list *l, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < l->count; i++)
		conf_append(buf, size, "%s", l->items[i]);
}

static void record_empty(fact_set *fs, const pam_view *pv, fact_list *pw, fact_list *sh)
{
	char a[512], b[512];
	joined(pw, a, sizeof a);
	joined(sh, b, sizeof b);
	/* The union of both, sorted, each name once (sort, then drop repeats:
	 * linear after the sort, however many accounts). */
	fact_list all = {0}, empty = {0};
	for (size_t i = 0; i < pw->count; i++)
		fact_list_push(&all, pw->items[i]);
	for (size_t i = 0; i < sh->count; i++)
		fact_list_push(&all, sh->items[i]);
	fact_list_sort(&all);
	for (size_t i = 0; i < all.count; i++)
		if (i == 0 || strcmp(all.items[i], all.items[i - 1]))
			fact_list_push(&empty, all.items[i]);
	fact_list_free(&all);
	if (pv->nullok)
		fact_set_list(fs, "password.empty_accounts", &empty,
			      "/etc/passwd: empty password field (%s); /etc/shadow: empty hash "
			      "field (%s); pam_unix nullok at %s accepts an empty password",
			      a[0] ? a : "none", b[0] ? b : "none", pv->nullok_at);
	else
		fact_set_list(fs, "password.empty_accounts", &empty,
			      "/etc/passwd: empty password field (%s); /etc/shadow: empty hash "
			      "field (%s); no pam_unix nullok in the auth stack",
			      a[0] ? a : "none", b[0] ? b : "none");
}

static void record_shadow(const host *h, fact_set *fs, const fact_list *humans,
			  const pam_view *pv)
{
	fact_list pw = {0};
	int prc = passwd_empty(h, &pw);
	if (prc != 0) {
		fact_set_unknown(fs, "password.empty_accounts", "cannot read /etc/passwd: %s",
				 strerror(-prc));
	} else if (!h->privileged) {
		char a[512];
		joined(&pw, a, sizeof a);
		if (pw.count)
			fact_set_unknown(fs, "password.empty_accounts",
					 "needs root to read /etc/shadow (empty in /etc/passwd: %s)", a);
		else
			fact_set_unknown(fs, "password.empty_accounts",
					 "needs root to read /etc/shadow");
	}
	if (!h->privileged) {
		fact_set_unknown(fs, "password.max_age_days", "needs root to read /etc/shadow");
		fact_list_free(&pw);
		return;
	}
	char *data;
	size_t len;
	int rc = host_read_file(h, "/etc/shadow", 16 << 20, &data, &len);
	if (rc != 0) {
		if (prc == 0)
			fact_set_unknown(fs, "password.empty_accounts", "cannot read /etc/shadow: %s",
					 strerror(-rc));
		fact_set_unknown(fs, "password.max_age_days", "cannot read /etc/shadow: %s",
				 strerror(-rc));
		fact_list_free(&pw);
		return;
	}
	fact_list empty = {0};
	long longest = -1;
	char longest_who[64] = "";
	for (char *save = NULL, *line = strtok_r(data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[9];
		if (split_colons(line, f, 9) < 5)
			continue;
		if (f[1][0] == '\0')
			fact_list_push(&empty, f[0]);
		if (!in_sorted(humans, f[0]))
			continue;
		long max_age = f[4][0] ? strtol(f[4], NULL, 10) : SHADOW_NO_MAX_AGE;
		if (max_age < 0 || max_age > SHADOW_NO_MAX_AGE)
			max_age = SHADOW_NO_MAX_AGE;
		if (max_age > longest) {
			longest = max_age;
			snprintf(longest_who, sizeof longest_who, "%s", f[0]);
		}
	}
	memset(data, 0, len); /* hashes: do not leave them in freed memory */
	free(data);
	if (prc == 0)
		record_empty(fs, pv, &pw, &empty);
	fact_list_free(&pw);
	fact_list_free(&empty);
	if (longest < 0)
		fact_set_not_applicable(fs, "password.max_age_days",
					"no human accounts in /etc/passwd");
	else
		fact_set_int(fs, "password.max_age_days", longest,
			     "/etc/shadow: maximum age of %s's password%s", longest_who,
			     longest == SHADOW_NO_MAX_AGE ? " (never expires)" : "");
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	pam_view pv = {0};
	read_pam(h, &pv);
	record_policy(h, fs, &pv);
	fact_list humans = {0};
	record_humans(h, fs, &humans);
	fact_list_sort(&humans);
	record_shadow(h, fs, &humans, &pv);
	fact_list_free(&humans);
	return 0;
}

const probe probe_password = {"password", "password.", run};
