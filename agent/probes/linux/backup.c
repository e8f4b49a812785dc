/* SPDX-License-Identifier: Apache-2.0 */
/* Backup recency on Linux (checklist article 7): the time of the newest
 * completed backup any known tool left evidence of, read from the tools'
 * own on-disk metadata (never with their passwords, never by running them):
 *  - Timeshift: <snapshots>/<name>/info.json "created" (unix time),
 *    written when a snapshot completes;
 *  - rsnapshot: snapshot_root of /etc/rsnapshot.conf, mtime of <level>.0,
 *    which rsnapshot stamps at the end of each run;
 *  - restic (local repositories named in the config) and borg
 *    (repositories named in the config, and per user ~/.config/borg/
 *    security/<id>/): their backups are seen, but not when they were
 *    made: a restic snapshot's "time" and a borg archive's are inside
 *    encrypted objects (restic always encrypts; borg's manifest is in its
 *    segment files), and the agent never uses their passwords. File
 *    mtimes are no substitute (a copied repository has fresh ones, and
 *    borg's manifest-timestamp also moves on prune or delete), so these
 *    sources make the time unknown, never fresh;
 *  - Déjà Dup: last-backup in the GSettings keyfile (Flatpak installs and
 *    the keyfile backend); the binary dconf database is not read;
 *  - site evidence from the config: a file, a directory or a glob whose
 *    newest entry marks the last backup.
 * The probe judges nothing: no evidence at all is recorded as
 * backup.evidence_found = false, and the rule fails on it. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/config.h"
#include "hostaudit/facts.h"
#include "hostaudit/probe.h"

#include "probeutil.h"
#include "util.h"

#define MAX_HOMES 256

typedef struct backup_seen {
	bool found;
	int64_t newest;
	char newest_ev[1400];
	fact_list sources;  /* tools with evidence, completed or not */
	char notes[1024];   /* tools present without a completed backup */
	char untimed[1024]; /* backups seen whose time cannot be read */
	bool foreign;       /* site evidence with a Windows path, not read */
} backup_seen;

__attribute__((format(printf, 3, 4)))
static void backup_untimed(backup_seen *b, const char *source, const char *fmt, ...)
{
	va_list ap;

	fact_list_push(&b->sources, source);
	va_start(ap, fmt);
	fact_buf_vappend(b->untimed, sizeof b->untimed, "; ", fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 2, 3)))
static void backup_note(backup_seen *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fact_buf_vappend(b->notes, sizeof b->notes, "; ", fmt, ap);
	va_end(ap);
}

static void saw(backup_seen *b, const char *source, int64_t when, const char *ev)
{
	fact_list_push(&b->sources, source);
	if (!b->found || when > b->newest) {
		b->found = true;
		b->newest = when;
		snprintf(b->newest_ev, sizeof b->newest_ev, "%s", ev);
	}
}

/* "created" : "1716000000" in Timeshift's info.json. */
static int timeshift_created(const char *json, int64_t *t)
{
	const char *p = strstr(json, "\"created\"");
	if (!p)
		return -1;
	p += 9;
	while (*p == ' ' || *p == ':' || *p == '"' || *p == '\t')
		p++;
	char *end;
	long long v = strtoll(p, &end, 10);
	if (end == p || v <= 0)
		return -1;
	*t = v;
	return 0;
}

static void timeshift(const host *h, backup_seen *b)
{
	static const char *const dirs[] = {"/timeshift/snapshots",
					    "/run/timeshift/backup/timeshift/snapshots",
					    "/run/timeshift/backup/timeshift-btrfs/snapshots", NULL};
	bool any_dir = false;

	for (size_t d = 0; dirs[d]; d++) {
		char **names = NULL;
		size_t n = 0;
		int64_t best = 0;
		char best_name[256] = "";
		if (host_list_dir(h, dirs[d], &names, &n) < 0)
			continue;
		any_dir = true;
		for (size_t i = 0; i < n; i++) {
			char path[600], *json = NULL;
			size_t len;
			int64_t t;
			snprintf(path, sizeof path, "%s/%.255s/info.json", dirs[d], names[i]);
			if (host_read_file(h, path, 65536, &json, &len) < 0)
				continue; /* no info.json: an unfinished snapshot */
			if (timeshift_created(json, &t) == 0 && t > best) {
				best = t;
				snprintf(best_name, sizeof best_name, "%s", names[i]);
			}
			free(json);
		}
		host_names_free(names, n);
		if (best) {
			char src[300], ev[600];
			snprintf(src, sizeof src, "timeshift:%s", dirs[d]);
			fact_buf_set(ev, sizeof ev, "Timeshift snapshot %s (%s/%s/info.json \"created\")",
				 best_name, dirs[d], best_name);
			saw(b, src, best, ev);
			return;
		}
	}
	if (any_dir || host_exists(h, "/etc/timeshift/timeshift.json"))
		backup_note(b, "Timeshift configured but no completed snapshot is readable: is the backup "
			"device mounted?");
}

/* snapshot_root and the retain/interval levels of rsnapshot.conf
 * (tab-separated). */
static void rsnapshot(const host *h, backup_seen *b)
{
	char *conf = NULL, root[512] = "";
	size_t len;
	char levels[16][64];
	size_t nl = 0;

	if (host_read_file(h, "/etc/rsnapshot.conf", 1 << 20, &conf, &len) < 0)
		return;
	for (char *save = NULL, *l = strtok_r(conf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char key[32], val[512];
		if (l[0] == '#' || sscanf(l, "%31[^\t]\t%511[^\t\n]", key, val) != 2)
			continue;
		if (strcmp(key, "snapshot_root") == 0)
			snprintf(root, sizeof root, "%s", val);
		else if ((strcmp(key, "retain") == 0 || strcmp(key, "interval") == 0) && nl < 16)
			snprintf(levels[nl++], sizeof levels[0], "%.63s", val);
	}
	free(conf);
	if (!root[0])
		return;
	size_t rl = strlen(root);
	if (rl > 1 && root[rl - 1] == '/')
		root[rl - 1] = '\0';
	int64_t best = 0;
	char best_path[700] = "";
	for (size_t i = 0; i < nl; i++) {
		char path[700];
		host_stat st;
		snprintf(path, sizeof path, "%s/%s.0", root, levels[i]);
		if (host_stat_path(h, path, &st) == 0 && st.is_dir && st.mtime > best) {
			best = st.mtime;
			snprintf(best_path, sizeof best_path, "%s", path);
		}
	}
	if (best) {
		char src[600], ev[800];
		snprintf(src, sizeof src, "rsnapshot:%s", root);
		fact_buf_set(ev, sizeof ev, "rsnapshot: modification time of %s (/etc/rsnapshot.conf)",
			 best_path);
		saw(b, src, best, ev);
	} else {
		backup_note(b, "rsnapshot configured (snapshot_root %s) but no <level>.0 snapshot found", root);
	}
}

static void restic_repo(const host *h, const char *repo, backup_seen *b)
{
	char dir[600], src[600];
	char **names = NULL;
	size_t n = 0, snaps = 0;

	snprintf(dir, sizeof dir, "%s/snapshots", repo);
	if (host_list_dir(h, dir, &names, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			snaps += names[i][0] != '.';
		host_names_free(names, n);
	}
	snprintf(src, sizeof src, "restic:%s", repo);
	if (snaps)
		backup_untimed(b, src,
			"restic repository %s: %zu snapshot(s), whose times are encrypted (the "
			"repository password is never used)",
			repo, snaps);
	else
		backup_note(b, "restic repository %s has no snapshot", repo);
}

static void borg_repo(const host *h, const char *repo, backup_seen *b)
{
	char **names = NULL;
	size_t n = 0, index = 0;

	if (host_list_dir(h, repo, &names, &n) < 0) {
		backup_note(b, "borg repository %s cannot be read", repo);
		return;
	}
	for (size_t i = 0; i < n; i++)
		index += !strncmp(names[i], "index.", 6);
	host_names_free(names, n);
	char src[600];
	snprintf(src, sizeof src, "borg:%s", repo);
	if (index)
		backup_untimed(b, src,
			"borg repository %s: committed, but its archive times are in its "
			"manifest inside the segment files, which are not read",
			repo);
	else
		backup_note(b, "borg repository %s has no committed index", repo);
}

/* Per-user client state: ~/.config/borg/security/<id>/ says this user
 * works with a repository (its location file names it). Its
 * manifest-timestamp is when the archive list last changed, which prune
 * and delete do too: not the time of a backup. */
static void borg_security(const host *h, const char *home, backup_seen *b)
{
	char dir[600], **ids = NULL;
	size_t n = 0;

	snprintf(dir, sizeof dir, "%s/.config/borg/security", home);
	if (host_list_dir(h, dir, &ids, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char lpath[900], src[700], *loc = NULL;
		size_t len;
		snprintf(lpath, sizeof lpath, "%s/%.100s/location", dir, ids[i]);
		if (host_read_file(h, lpath, 4096, &loc, &len) == 0)
			loc[strcspn(loc, "\r\n")] = '\0';
		snprintf(src, sizeof src, "borg:%.600s", loc ? loc : ids[i]);
		backup_untimed(b, src,
			"borg client state %s/%.100s (repository %.300s): manifest-timestamp is the "
			"last change of the archive list (prune and delete change it too), not a "
			"backup time",
			dir, ids[i], loc ? loc : "unknown");
		free(loc);
	}
	host_names_free(ids, n);
}

/* last-backup='2024-05-01T10:00:00.123456Z' under [org/gnome/deja-dup]. */
static void dejadup_keyfile(const host *h, const char *path, backup_seen *b)
{
	char *kf = NULL;
	size_t len;

	if (host_read_file(h, path, 1 << 20, &kf, &len) < 0)
		return;
	char *sec = strstr(kf, "[org/gnome/deja-dup]");
	if (sec) {
		char *end = strstr(sec + 1, "\n[");
		if (end)
			*end = '\0';
		char *p = strstr(sec, "\nlast-backup=");
		int64_t t;
		if (p) {
			p += 13;
			while (*p == '\'' || *p == '"' || *p == ' ')
				p++;
			if (parse_iso8601(p, &t) == 0) {
				char ev[700];
				fact_buf_set(ev, sizeof ev, "Déjà Dup last-backup in %s", path);
				saw(b, "deja-dup", t, ev);
			}
		} else {
			backup_note(b, "Déjà Dup settings in %s record no completed backup", path);
		}
	}
	free(kf);
}

static void per_home(const host *h, const char *home, backup_seen *b)
{
	char path[600];

	borg_security(h, home, b);
	snprintf(path, sizeof path, "%s/.config/glib-2.0/settings/keyfile", home);
	dejadup_keyfile(h, path, b);
	snprintf(path, sizeof path,
		 "%s/.var/app/org.gnome.DejaDup/config/glib-2.0/settings/keyfile", home);
	dejadup_keyfile(h, path, b);
}

static void homes(const host *h, backup_seen *b)
{
	char **names = NULL;
	size_t n = 0;

	per_home(h, "/root", b);
	if (host_list_dir(h, "/home", &names, &n) < 0)
		return;
	for (size_t i = 0; i < n && i < MAX_HOMES; i++) {
		char home[300];
		snprintf(home, sizeof home, "/home/%.200s", names[i]);
		per_home(h, home, b);
	}
	host_names_free(names, n);
}

static void site_evidence(const host *h, const backup_evidence *e, backup_seen *b)
{
	char src[600], ev[1200], match[700];
	const char *label = e->name ? e->name : e->path;
	int64_t t = 0;
	int r;

	snprintf(src, sizeof src, "site:%.500s", label);
	if (path_form_of(e->path) == PATH_WINDOWS) {
		/* A policy for a mixed fleet: this evidence is for Windows PCs. A
		 * missing file here proves nothing, so it makes the result unknown. */
		b->foreign = true;
		backup_note(b, "site evidence %s: '%s' is a Windows path; this PC runs Linux, "
			    "so it was not read", label, e->path);
		return;
	}
	if (e->kind == BACKUP_EV_FILE) {
		host_stat st;
		r = host_stat_path(h, e->path, &st);
		if (r == 0) {
			t = st.mtime;
			fact_buf_set(ev, sizeof ev, "site evidence %s: modification time of %s", label,
				 e->path);
		}
	} else if (e->kind == BACKUP_EV_DIR) {
		char name[300];
		r = newest_entry(h, e->path, &t, name, sizeof name);
		if (r == 0)
			fact_buf_set(ev, sizeof ev, "site evidence %s: newest entry %s/%s", label, e->path,
				 name);
	} else {
		size_t nm;
		r = newest_glob(h, e->path, &t, match, sizeof match, &nm);
		if (r == 0)
			fact_buf_set(ev, sizeof ev, "site evidence %s: newest of %zu matches of %s is %s",
				 label, nm, e->path, match);
	}
	if (r == 0)
		saw(b, src, t, ev);
	else
		backup_note(b, "site evidence %s: %s", e->path, strerror(-r));
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	backup_seen b = {0};

	timeshift(h, &b);
	rsnapshot(h, &b);
	homes(h, &b);
	if (cfg) {
		for (size_t i = 0; i < cfg->backup.restic_count; i++)
			restic_repo(h, cfg->backup.restic[i], &b);
		for (size_t i = 0; i < cfg->backup.borg_count; i++)
			borg_repo(h, cfg->backup.borg[i], &b);
		for (size_t i = 0; i < cfg->backup.evidence_count; i++)
			site_evidence(h, &cfg->backup.evidence[i], &b);
	}
	/* Where it looked, written out in each message, so each translates whole. */
	if (b.found) {
		fact_set_bool(fs, "backup.evidence_found", true, "%s", b.newest_ev);
		fact_text ev = {0};
		fact_text_add(&ev, "%s", b.newest_ev);
		if (b.notes[0])
			fact_text_add(&ev, "also: %s", b.notes);
		if (b.untimed[0])
			fact_text_add(&ev, "time not readable: %s", b.untimed);
		fact_set_time(fs, "backup.last_success", b.newest, "%s", fact_text_str(&ev));
		fact_text_free(&ev);
	} else if (b.untimed[0]) {
		fact_set_bool(fs, "backup.evidence_found", true, "%s", b.untimed);
		fact_set_unknown(fs, "backup.last_success",
				 "backups exist, but the time of the last one is not readable: %s",
				 b.untimed);
	} else if (b.foreign) {
		fact_set_unknown(fs, "backup.evidence_found",
				 "no completed backup found, but the config names backup evidence "
				 "this PC cannot read: %s", b.notes);
		fact_set_unknown(fs, "backup.last_success",
				 "no completed backup found, but the config names backup evidence "
				 "this PC cannot read: %s", b.notes);
	} else {
		if (b.notes[0])
			fact_set_bool(fs, "backup.evidence_found", false,
				      "no completed backup found (Timeshift, rsnapshot, borg client "
				      "state, Déjà Dup keyfiles, and the config's backup: section): %s",
				      b.notes);
		else
			fact_set_bool(fs, "backup.evidence_found", false,
				      "no completed backup found (Timeshift, rsnapshot, borg client "
				      "state, Déjà Dup keyfiles, and the config's backup: section)");
		fact_set_unknown(fs, "backup.last_success", "no completed backup found (Timeshift, "
				 "rsnapshot, borg client state, Déjà Dup keyfiles, and the config's "
				 "backup: section)");
	}
	fact_list_sort(&b.sources);
	fact_set_list(fs, "backup.sources", &b.sources, "sources with a completed backup "
		      "(Timeshift, rsnapshot, borg client state, Déjà Dup keyfiles, and the config's "
		      "backup: section)");
	return 0;
}

const probe probe_backup = {"backup", "backup.", run};
