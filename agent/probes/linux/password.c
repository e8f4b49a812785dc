/* Password policy on Linux: the PAM stack (pam_pwquality, pam_faillock),
 * pwquality.conf(.d), faillock.conf, and the accounts in /etc/passwd and
 * /etc/shadow. Reads files only. */
#include <stdlib.h>
#include <string.h>

#include "hostaudit/probe.h"
#include "linuxconf.h"
#include "util.h"

#define PWQUALITY_DEFAULT_MINLEN 8   /* libpwquality's default */
#define PAM_UNIX_DEFAULT_MINLEN 6    /* pam_unix's default */
#define FAILLOCK_DEFAULT_DENY 3      /* pam_faillock's default */
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
	setting minlen, minclass, deny, unix_minlen;
} pam_view;

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
	pv->quality |= is_quality;
	pv->unix_pw |= is_unix;
	if (is_lock) {
		pv->lockout = true;
		snprintf(pv->lockout_module, sizeof pv->lockout_module, "%s", base);
	}
	for (char *arg; (arg = strtok(NULL, " \t"));) {
		if (is_quality) {
			take_arg(arg, "minlen", &pv->minlen, file, lineno);
			take_arg(arg, "minclass", &pv->minclass, file, lineno);
		}
		if (is_unix)
			take_arg(arg, "minlen", &pv->unix_minlen, file, lineno);
		if (is_lock)
			take_arg(arg, "deny", &pv->deny, file, lineno);
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

static void record_policy(const host *h, fact_set *fs, pam_view *pv)
{
	if (!pv->any_file) {
		fact_set_unset_prefix(fs, "password.", FACT_UNKNOWN,
				      "no PAM stack found (/etc/pam.d/common-password or "
				      "/etc/pam.d/system-auth)");
		return;
	}
	fact_set_bool(fs, "password.quality_enforced", pv->quality,
		      "pam_pwquality %s in the password stack of %s",
		      pv->quality ? "found" : "not found", pv->files);
	if (pv->quality) {
		/* Module arguments override the config files. */
		setting minlen = {PWQUALITY_DEFAULT_MINLEN, "libpwquality default", true};
		setting minclass = {0, "libpwquality default", true};
		read_pwquality(h, "minlen", &minlen);
		read_pwquality(h, "minclass", &minclass);
		if (pv->minlen.set)
			minlen = pv->minlen;
		if (pv->minclass.set)
			minclass = pv->minclass;
		fact_set_int(fs, "password.min_length", minlen.value, "pam_pwquality minlen from %s",
			     minlen.where);
		fact_set_int(fs, "password.min_classes", minclass.value,
			     "pam_pwquality minclass from %s", minclass.where);
	} else {
		setting minlen = {PAM_UNIX_DEFAULT_MINLEN, "pam_unix default", true};
		if (pv->unix_minlen.set)
			minlen = pv->unix_minlen;
		fact_set_int(fs, "password.min_length", minlen.value,
			     "no password-quality module; pam_unix minlen from %s", minlen.where);
		fact_set_int(fs, "password.min_classes", 0,
			     "no password-quality module: no character classes required");
	}
	fact_set_bool(fs, "password.lockout.enabled", pv->lockout, "%s %s in the auth stack of %s",
		      pv->lockout ? pv->lockout_module : "pam_faillock",
		      pv->lockout ? "found" : "not found", pv->files);
	if (!pv->lockout) {
		fact_set_not_applicable(fs, "password.lockout.deny",
					"no lockout module in the auth stack");
		return;
	}
	setting deny = {FAILLOCK_DEFAULT_DENY, "pam_faillock default", true};
	if (!strcmp(pv->lockout_module, "pam_faillock.so"))
		read_kv_file(h, "/etc/security/faillock.conf", "deny", &deny);
	else
		deny = (setting){0, "pam_tally2 default (never locks)", true};
	if (pv->deny.set)
		deny = pv->deny;
	fact_set_int(fs, "password.lockout.deny", deny.value, "%s deny from %s",
		     pv->lockout_module, deny.where);
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

static void record_shadow(const host *h, fact_set *fs, const fact_list *humans)
{
	if (!h->privileged) {
		fact_set_unknown(fs, "password.empty_accounts", "needs root to read /etc/shadow");
		fact_set_unknown(fs, "password.max_age_days", "needs root to read /etc/shadow");
		return;
	}
	char *data;
	size_t len;
	int rc = host_read_file(h, "/etc/shadow", 16 << 20, &data, &len);
	if (rc != 0) {
		fact_set_unknown(fs, "password.empty_accounts", "cannot read /etc/shadow: %s",
				 strerror(-rc));
		fact_set_unknown(fs, "password.max_age_days", "cannot read /etc/shadow: %s",
				 strerror(-rc));
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
	fact_list_sort(&empty);
	fact_set_list(fs, "password.empty_accounts", &empty, "/etc/shadow: empty hash field");
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
	record_shadow(h, fs, &humans);
	fact_list_free(&humans);
	/* Recorded on Windows (NetUserModalsGet); pam_pwhistory is not read yet. */
	fact_set_unknown(fs, "password.history_length",
			 "pam_pwhistory 'remember' is not read on Linux yet");
	return 0;
}

const probe probe_password = {"password", "password.", run};
