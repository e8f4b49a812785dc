/* SPDX-License-Identifier: Apache-2.0 */
/* Screen lock on Linux (9 articles, art. 8; self-check 14): whether an
 * unattended desktop locks itself, after how long, and whether users can
 * turn that off.
 *
 * GNOME reads dconf. The system policy is what GNOME reads: the compiled
 * GVDB /etc/dconf/db/NAME (values, and locks in its ".locks" table) of
 * each database /etc/dconf/profile/user lists; the keyfiles under
 * NAME.d/ are only the source `dconf update` compiles, not in force
 * before it. Each person's own settings live in
 * ~/.config/dconf/user, a binary GVDB file (gvdb.c). For each key the
 * effective value is the locked system value, else the person's value,
 * else the system default, else the schema default; the weakest person
 * decides. A person's file that cannot be read or parsed makes the answer
 * unknown, not a guess. KDE Plasma reads kscreenlockerrc, plain text, from
 * /etc/xdg (system, [$i] = immutable) and each person's ~/.config.
 * A host with no display manager and no session files has no screen to
 * lock: not applicable. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gvdb.h"
#include "hostaudit/probe.h"
#include "linuxconf.h"
#include "util.h"

/* GNOME's schema defaults (gsettings-desktop-schemas). */
#define GNOME_DEFAULT_IDLE_DELAY 300
#define GNOME_DEFAULT_LOCK_DELAY 0
/* kscreenlocker's defaults: minutes and seconds. */
#define KDE_DEFAULT_TIMEOUT_MIN 5
#define KDE_DEFAULT_GRACE_S 5

/* One desktop's answer. enabled/enforced: -1 unknown, 0, 1; idle -1
 * unknown, 0 never. */
typedef struct lockview {
	int enabled, enforced;
	long idle;
	char ev[3072];
	char why[3072];
} lockview;

/* ---- is there a desktop? ---- */

static void list_sessions(const host *h, const char *dir, char *out, size_t size)
{
	char **names;
	size_t n;
	if (host_list_dir(h, dir, &names, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		if (len > 8 && !strcmp(names[i] + len - 8, ".desktop"))
			conf_append(out, size, "%s/%s", dir, names[i]);
	}
	host_names_free(names, n);
}

static bool find_display_manager(const host *h, char *where, size_t size)
{
	static const char *const bins[] = {"/usr/sbin/gdm3", "/usr/sbin/gdm", "/usr/sbin/lightdm",
					    "/usr/bin/sddm", NULL};
	char target[512];
	if (conf_readlink(h, "/etc/systemd/system/display-manager.service", target,
			  sizeof target) == 0) {
		snprintf(where, size, "/etc/systemd/system/display-manager.service -> %s", target);
		return true;
	}
	for (size_t i = 0; bins[i]; i++)
		if (host_exists(h, bins[i])) {
			snprintf(where, size, "%s", bins[i]);
			return true;
		}
	return false;
}

/* ---- GNOME / dconf ---- */

enum { K_LOCK_ENABLED, K_LOCK_DELAY, K_IDLE_DELAY, K_IDLE_ACTIVATION, K_COUNT };
/* Where a value came from, for the evidence. */
enum { SRC_LOCKED, SRC_SYSTEM, SRC_SCHEMA, SRC_USER };
static const char *const gkey_path[K_COUNT] = {
	"/org/gnome/desktop/screensaver/lock-enabled",
	"/org/gnome/desktop/screensaver/lock-delay",
	"/org/gnome/desktop/session/idle-delay",
	"/org/gnome/desktop/screensaver/idle-activation-enabled",
};
static const long gkey_default[K_COUNT] = {1, GNOME_DEFAULT_LOCK_DELAY, GNOME_DEFAULT_IDLE_DELAY,
					   1};

typedef struct gsetting {
	long value;
	bool set, locked;
	char where[256], lock_where[256];
} gsetting;

typedef struct profile_walk {
	char dbs[8][128];
	int count;
	char user_db[128]; /* "" when the profile names none */
} profile_walk;

static bool profile_line(char *line, int lineno, void *ctx)
{
	(void)lineno;
	profile_walk *p = ctx;
	char *l = conf_trim(line);
	if (!strncmp(l, "system-db:", 10) && p->count < 8)
		snprintf(p->dbs[p->count++], sizeof p->dbs[0], "%s", l + 10);
	else if (!strncmp(l, "user-db:", 8) && !p->user_db[0])
		snprintf(p->user_db, sizeof p->user_db, "%s", l + 8);
	return true;
}

/* Reads one system database into s, keeping values set by databases
 * listed earlier in the profile. What GNOME reads is the compiled
 * /etc/dconf/db/NAME (GVDB), values and its ".locks" table; the keyfiles
 * of NAME.d are only the source `dconf update` compiles, not in force
 * until then. A compiled database that cannot be read makes the answer
 * unknown. */
static void read_system_db(const host *h, const char *db, gsetting *s, lockview *out)
{
	static const char *const want[K_COUNT] = {"b", "u", "u", "b"};
	char dir[512], bin[512];
	snprintf(dir, sizeof dir, "/etc/dconf/db/%s.d", db);
	snprintf(bin, sizeof bin, "/etc/dconf/db/%s", db);
	host_stat bst, dst;
	bool have_dir = host_stat_path(h, dir, &dst) == 0;
	if (host_stat_path(h, bin, &bst) != 0) {
		conf_append(out->ev, sizeof out->ev,
			    "%s not compiled (no %s: run `dconf update`): its keyfiles are not in "
			    "force",
			    have_dir ? dir : bin, bin);
		return;
	}
	if (have_dir && dst.mtime > bst.mtime)
		conf_append(out->ev, sizeof out->ev,
			    "%s changed after %s was compiled: the compiled values apply until "
			    "`dconf update`",
			    dir, bin);
	char *data, why[256];
	size_t len;
	int rc = host_read_file(h, bin, CONF_MAX_BYTES, &data, &len);
	if (rc != 0) {
		conf_append(out->why, sizeof out->why, "GNOME: cannot read %s: %s", bin,
			    strerror(-rc));
		return;
	}
	gvdb g, locks;
	rc = gvdb_open(&g, data, len, why, sizeof why);
	int lrc = rc == GVDB_FOUND ? gvdb_table(&g, ".locks", &locks, why, sizeof why) : rc;
	for (int k = 0; k < K_COUNT && rc != GVDB_CORRUPT && lrc != GVDB_CORRUPT; k++) {
		gvdb_value gv;
		rc = gvdb_lookup(&g, gkey_path[k], &gv, why, sizeof why);
		if (rc == GVDB_FOUND && !strcmp(gv.type, want[k]) && !s[k].set) {
			s[k].value = want[k][0] == 'b' ? (long)gv.b : (long)gv.u;
			s[k].set = true;
			fact_buf_set(s[k].where, sizeof s[k].where, "%s (compiled)", bin);
		}
		if (rc == GVDB_CORRUPT || lrc != GVDB_FOUND)
			continue;
		rc = gvdb_lookup(&locks, gkey_path[k], &gv, why, sizeof why);
		if (rc == GVDB_FOUND && !s[k].locked) {
			s[k].locked = true;
			fact_buf_set(s[k].lock_where, sizeof s[k].lock_where, "%s (.locks)", bin);
		}
	}
	free(data);
	if (rc == GVDB_CORRUPT || lrc == GVDB_CORRUPT)
		conf_append(out->why, sizeof out->why, "GNOME: %s is not a readable dconf database: %s",
			    bin, why);
}

/* What one person's session uses. enabled -1 unknown, else 0/1; idle in
 * seconds, 0 never, -1 unknown. */
typedef struct person_lock {
	int enabled;
	long idle;
} person_lock;

static person_lock person_from(const long v[K_COUNT])
{
	bool on = v[K_LOCK_ENABLED] && v[K_IDLE_ACTIVATION] && v[K_IDLE_DELAY] > 0;
	person_lock p = {on, on ? v[K_IDLE_DELAY] + v[K_LOCK_DELAY] : 0};
	return p;
}

/* The weakest of everyone: off beats unknown beats on; never (0) beats
 * unknown beats the longest delay. */
static void weakest(person_lock *all, person_lock one)
{
	if (all->enabled == 0 || one.enabled == 0)
		all->enabled = 0;
	else if (all->enabled < 0 || one.enabled < 0)
		all->enabled = -1;
	if (all->idle == 0 || one.idle == 0)
		all->idle = 0;
	else if (all->idle < 0 || one.idle < 0)
		all->idle = -1;
	else if (one.idle > all->idle)
		all->idle = one.idle;
}

static const char *key_name(int k)
{
	return strrchr(gkey_path[k], '/') + 1;
}

/* "name=value (where it came from)", one whole message per source. */
static void key_source(char *ev, size_t size, const char *sep, const char *key, long v, int src)
{
	switch (src) {
	case SRC_LOCKED: fact_buf_append(ev, size, sep, "%s=%ld (locked system value)", key, v); break;
	case SRC_SYSTEM: fact_buf_append(ev, size, sep, "%s=%ld (system default)", key, v); break;
	case SRC_SCHEMA: fact_buf_append(ev, size, sep, "%s=%ld (schema default)", key, v); break;
	default: fact_buf_append(ev, size, sep, "%s=%ld (user)", key, v); break;
	}
}

/* One person's database over the system values: a locked key keeps the
 * system value; otherwise a value of the schema's type in the person's
 * file wins (GSettings ignores one of another type). Returns the person's
 * lock, or enabled = -1 with the reason in why. */
static person_lock user_db_view(const host *h, const char *who, const char *path,
				const gsetting *s, lockview *out)
{
	static const char *const want[K_COUNT] = {"b", "u", "u", "b"};
	person_lock unknown = {-1, -1};
	char *data;
	size_t len;
	int rc = host_read_file(h, path, CONF_MAX_BYTES, &data, &len);
	if (rc != 0) {
		if (rc == -EACCES)
			conf_append(out->why, sizeof out->why, "GNOME: cannot read %s: %s (needs root)",
				    path, strerror(-rc));
		else
			conf_append(out->why, sizeof out->why, "GNOME: cannot read %s: %s", path,
				    strerror(-rc));
		return unknown;
	}
	gvdb db;
	char why[256];
	long v[K_COUNT];
	int src[K_COUNT];
	rc = gvdb_open(&db, data, len, why, sizeof why);
	for (int k = 0; k < K_COUNT && rc != GVDB_CORRUPT; k++) {
		v[k] = s[k].value;
		src[k] = s[k].locked ? SRC_LOCKED : s[k].set ? SRC_SYSTEM : SRC_SCHEMA;
		if (s[k].locked)
			continue;
		gvdb_value gv;
		rc = gvdb_lookup(&db, gkey_path[k], &gv, why, sizeof why);
		if (rc != GVDB_FOUND)
			continue;
		if (strcmp(gv.type, want[k])) {
			conf_append(out->ev, sizeof out->ev,
				    "%s: %s has type '%s', not '%s': GSettings ignores it", path,
				    gkey_path[k], gv.type, want[k]);
			continue;
		}
		v[k] = want[k][0] == 'b' ? (long)gv.b : (long)gv.u;
		src[k] = SRC_USER;
	}
	free(data);
	if (rc == GVDB_CORRUPT) {
		conf_append(out->why, sizeof out->why, "GNOME: %s is not a readable dconf database: %s",
			    path, why);
		return unknown;
	}
	conf_append(out->ev, sizeof out->ev, "GNOME %s (%s):", who, path);
	static const int order[] = {K_LOCK_ENABLED, K_IDLE_DELAY, K_LOCK_DELAY, K_IDLE_ACTIVATION};
	for (size_t i = 0; i < 4; i++)
		key_source(out->ev, sizeof out->ev, i ? ", " : " ", key_name(order[i]), v[order[i]],
			   src[order[i]]);
	return person_from(v);
}

/* Everyone's lock: each person's ~/.config/dconf/<user-db> over the
 * system values, the weakest deciding. */
static person_lock people_view(const host *h, const char *user_db, const gsetting *s,
			       lockview *out)
{
	long sys[K_COUNT];
	for (int k = 0; k < K_COUNT; k++)
		sys[k] = s[k].value;
	person_lock all = person_from(sys);
	account *acc;
	size_t n;
	int rc = conf_human_accounts(h, &acc, &n);
	if (rc != 0) {
		conf_append(out->why, sizeof out->why,
			    "GNOME: cannot read /etc/passwd to find per-user dconf databases: %s",
			    strerror(-rc));
		return (person_lock){-1, -1};
	}
	int files = 0;
	for (size_t i = 0; i < n; i++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/.config/dconf/%s", acc[i].home, user_db);
		host_stat st;
		if (host_stat_path(h, path, &st) == -ENOENT)
			continue;
		files++;
		weakest(&all, user_db_view(h, acc[i].name, path, s, out));
	}
	conf_accounts_free(acc, n);
	if (!files)
		conf_append(out->ev, sizeof out->ev,
			    "no person has ~/.config/dconf/%s: the values above apply", user_db);
	return all;
}

static void gnome_view(const host *h, lockview *out)
{
	gsetting s[K_COUNT] = {0};
	char *data;
	profile_walk prof = {0};
	bool have_profile = conf_read(h, "/etc/dconf/profile/user", &data) == 0;
	if (have_profile) {
		conf_each_line(data, profile_line, &prof);
		free(data);
	} else {
		/* dconf's built-in profile: the user database only. */
		snprintf(prof.user_db, sizeof prof.user_db, "user");
	}
	if (!prof.count)
		conf_append(out->ev, sizeof out->ev,
			    "GNOME: /etc/dconf/profile/user lists no system-db: no system policy");
	for (int i = 0; i < prof.count; i++)
		read_system_db(h, prof.dbs[i], s, out);

	bool all_locked = true;
	for (int k = 0; k < K_COUNT; k++) {
		if (!s[k].set)
			s[k].value = gkey_default[k];
		if (s[k].locked && s[k].set)
			conf_append(out->ev, sizeof out->ev, "GNOME %s = %ld (%s, locked at %s)",
				    gkey_path[k], s[k].value, s[k].where, s[k].lock_where);
		else if (s[k].locked)
			conf_append(out->ev, sizeof out->ev,
				    "GNOME %s = %ld (schema default, locked at %s)", gkey_path[k],
				    s[k].value, s[k].lock_where);
		else if (s[k].set)
			conf_append(out->ev, sizeof out->ev, "GNOME %s = %ld (%s, not locked)",
				    gkey_path[k], s[k].value, s[k].where);
		else
			conf_append(out->ev, sizeof out->ev,
				    "GNOME %s = %ld (schema default, not locked)", gkey_path[k],
				    s[k].value);
		/* idle-activation only matters when set; lock-delay is a bonus. */
		if (k != K_IDLE_ACTIVATION && !s[k].locked)
			all_locked = false;
	}
	out->enforced = all_locked;
	person_lock p;
	if (all_locked || !prof.user_db[0]) {
		long sys[K_COUNT];
		for (int k = 0; k < K_COUNT; k++)
			sys[k] = s[k].value;
		p = person_from(sys);
		if (!all_locked)
			conf_append(out->ev, sizeof out->ev,
				    "/etc/dconf/profile/user has no user-db: people cannot "
				    "override the values above");
	} else {
		p = people_view(h, prof.user_db, s, out);
	}
	out->enabled = p.enabled;
	out->idle = p.idle;
}

/* ---- KDE Plasma ---- */

typedef struct kde_conf {
	long autolock, timeout, grace;
	bool immutable[3];
	char where[3][256];
	const char *file;
} kde_conf;

static void kde_kv(const char *section, const char *key, const char *value, int lineno,
		   void *ctx)
{
	kde_conf *c = ctx;
	/* "[Daemon][$i]" reaches us as "Daemon][$i": the group is immutable. */
	bool group_immutable = strstr(section, "[$i") != NULL;
	if (strncmp(section, "Daemon", 6) || (section[6] && section[6] != ']'))
		return;
	static const char *const keys[3] = {"Autolock", "Timeout", "LockGrace"};
	long *vals[3] = {&c->autolock, &c->timeout, &c->grace};
	for (int k = 0; k < 3; k++) {
		size_t kl = strlen(keys[k]);
		if (strncmp(key, keys[k], kl) || (key[kl] && strcmp(key + kl, "[$i]")))
			continue;
		if (c->immutable[k])
			return; /* an immutable entry cannot be overridden */
		bool b;
		long v;
		char *end;
		if (k == 0 && conf_parse_bool(value, &b))
			v = b;
		else if (k > 0 && (v = strtol(value, &end, 10), end != value && !*end))
			;
		else
			return;
		*vals[k] = v;
		c->immutable[k] = group_immutable || key[kl];
		snprintf(c->where[k], sizeof c->where[k], "%s:%d %s=%s", c->file, lineno, key,
			 value);
	}
}

static void kde_read(const host *h, const char *path, kde_conf *c)
{
	char *data;
	if (conf_read(h, path, &data) != 0)
		return;
	c->file = path;
	conf_each_ini(data, kde_kv, c);
	free(data);
}

/* "who: Autolock where, Timeout where, LockGrace where"; a key nobody
 * set is "default". */
static void kde_where(char *buf, size_t size, const char *who, const kde_conf *c)
{
	static const char *const keys[] = {"Autolock", "Timeout", "LockGrace"};
	if (who)
		fact_buf_set(buf, size, "%s:", who);
	else
		fact_buf_set(buf, size, "system:");
	for (size_t k = 0; k < 3; k++)
		if (c->where[k][0])
			fact_buf_append(buf, size, k ? ", " : " ", "%s %s", keys[k], c->where[k]);
		else
			fact_buf_append(buf, size, k ? ", " : " ", "%s default", keys[k]);
}

static void kde_view(const host *h, lockview *out)
{
	kde_conf sys = {.autolock = 1,
			.timeout = KDE_DEFAULT_TIMEOUT_MIN,
			.grace = KDE_DEFAULT_GRACE_S,
			.where = {"", "", ""}};
	kde_read(h, "/etc/xdg/kscreenlockerrc", &sys);
	out->enforced = sys.immutable[0] && sys.immutable[1];
	account *acc;
	size_t n;
	int rc = conf_human_accounts(h, &acc, &n);
	if (rc != 0) {
		out->enabled = out->idle = -1;
		fact_buf_set(out->why, sizeof out->why, "KDE: cannot read /etc/passwd: %s",
			     strerror(-rc));
		return;
	}
	/* The weakest person decides. */
	int enabled = 1;
	long worst = -1;
	char worst_where[1200] = "";
	for (size_t i = 0; i <= n; i++) {
		kde_conf c = sys;
		char path[1024] = "/etc/xdg/kscreenlockerrc";
		if (i < n) {
			snprintf(path, sizeof path, "%s/.config/kscreenlockerrc", acc[i].home);
			char *probe_data;
			int r = conf_read(h, path, &probe_data);
			if (r == -EACCES) {
				out->enabled = out->idle = -1;
				fact_buf_set(out->why, sizeof out->why,
					     "KDE: cannot read %s (needs root)", path);
				conf_accounts_free(acc, n);
				return;
			}
			if (r != 0)
				continue;
			free(probe_data);
			kde_read(h, path, &c);
		}
		long idle = c.autolock && c.timeout > 0 ? c.timeout * 60 + c.grace : 0;
		if (!c.autolock || c.timeout <= 0)
			enabled = 0;
		if (worst < 0 || idle == 0 || (worst > 0 && idle > worst)) {
			worst = idle;
			kde_where(worst_where, sizeof worst_where, i < n ? acc[i].name : NULL, &c);
		}
	}
	conf_accounts_free(acc, n);
	out->enabled = enabled;
	out->idle = worst;
	conf_append(out->ev, sizeof out->ev, "KDE (weakest of system and each person) %s",
		    worst_where);
	if (out->enforced)
		conf_append(out->ev, sizeof out->ev, "immutable in /etc/xdg/kscreenlockerrc");
}

/* ---- putting it together ---- */

static void merge(lockview *all, const lockview *one)
{
	if (all->enabled == 0 || one->enabled == 0)
		all->enabled = 0;
	else if (all->enabled < 0 || one->enabled < 0)
		all->enabled = -1;
	if (all->enforced == 0 || one->enforced == 0)
		all->enforced = 0;
	if (all->idle < 0 || one->idle < 0)
		all->idle = -1;
	else if (all->idle == 0 || one->idle == 0)
		all->idle = 0;
	else if (one->idle > all->idle)
		all->idle = one->idle;
	conf_append(all->ev, sizeof all->ev, "%s", one->ev);
	if (one->why[0])
		conf_append(all->why, sizeof all->why, "%s", one->why);
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	char dm[600] = "", sessions[2048] = "";
	bool have_dm = find_display_manager(h, dm, sizeof dm);
	list_sessions(h, "/usr/share/xsessions", sessions, sizeof sessions);
	list_sessions(h, "/usr/share/wayland-sessions", sessions, sizeof sessions);
	if (!have_dm && !sessions[0]) {
		fact_set_unset_prefix(fs, "screenlock.", FACT_NOT_APPLICABLE,
				      "no desktop: no display manager (gdm3, lightdm, sddm) and no "
				      "session in /usr/share/xsessions or wayland-sessions");
		return 0;
	}
	bool gnome = strstr(sessions, "gnome") || strstr(sessions, "ubuntu") ||
		     host_exists(h, "/usr/bin/gnome-shell");
	bool kde = strstr(sessions, "plasma") || host_exists(h, "/usr/bin/plasmashell");
	if (!gnome && !kde) {
		fact_set_unset_prefix(fs, "screenlock.", FACT_UNKNOWN,
				      "desktop found (%s%s%s) but only GNOME and KDE Plasma screen "
				      "locks are modelled",
				      dm, dm[0] && sessions[0] ? "; " : "", sessions);
		return 0;
	}
	lockview all = {0}, g = {0}, k = {0};
	if (gnome) {
		gnome_view(h, &g);
		all = g;
	}
	if (kde) {
		kde_view(h, &k);
		if (gnome)
			merge(&all, &k);
		else
			all = k;
	}
	const char *why = all.why[0] ? all.why : "not determined";
	if (all.enabled < 0)
		fact_set_unknown(fs, "screenlock.enabled", "%s", why);
	else
		fact_set_bool(fs, "screenlock.enabled", all.enabled, "%s", all.ev);
	if (all.idle < 0)
		fact_set_unknown(fs, "screenlock.idle_seconds", "%s", why);
	else
		fact_set_int(fs, "screenlock.idle_seconds", all.idle, "%s", all.ev);
	fact_set_bool(fs, "screenlock.enforced", all.enforced, "%s", all.ev);
	return 0;
}

const probe probe_screenlock = {"screenlock", "screenlock.", run};
