/* SPDX-License-Identifier: Apache-2.0 */
/* Backup recency on Windows (checklist article 7). The newest completed
 * backup any of these left evidence of:
 *  - Windows Server Backup: the newest event 4 ("the backup operation has
 *    finished successfully") in the Microsoft-Windows-Backup log, read
 *    with the event log API (EvtQuery), not `wbadmin get versions`, whose
 *    output is translated;
 *  - File History, for each configuration registered with fhsvc
 *    (Parameters\Configs names ...\FileHistory\Configuration\Config of
 *    each user who turned it on): Config1.xml/Config2.xml give the target
 *    (they hold no time of the last backup), and the catalog File History
 *    copies into the target's Configuration folder when a backup cycle
 *    reaches the target gives the time. The local catalog is not used: it
 *    changes also while copies wait in the local cache for an absent
 *    drive, which is no backup;
 *  - site evidence from the config's `backup:` section (file, dir, glob),
 *    as on Linux (agent/core/evidence_config.c).
 * The probe judges nothing. */
#include <windows.h>
#include <winevt.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/compiler.h"
#include "hostaudit/config.h"
#include "hostaudit/probe.h"
#include "util.h"
#include "windecode.h"
#include "winutil.h"

#define MAX_FH_CONFIGS 64

typedef struct backup_seen {
	bool found;
	int64_t newest;
	char newest_ev[1400];
	fact_list sources;  /* with a completed backup */
	char notes[1400];   /* what was looked at without a completed backup */
	bool blind;         /* something may back up, but we could not see when */
} backup_seen;

static void note(backup_seen *b, const char *fmt, ...) HOSTAUDIT_PRINTF(2, 3);
static void note(backup_seen *b, const char *fmt, ...)
{
	size_t n = strlen(b->notes);
	if (n + 3 >= sizeof b->notes)
		return;
	if (n)
		n += (size_t)snprintf(b->notes + n, sizeof b->notes - n, "; ");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->notes + n, sizeof b->notes - n, fmt, ap);
	va_end(ap);
}

static void saw(backup_seen *b, const char *source, int64_t when, const char *ev)
{
	bool listed = false;
	for (size_t i = 0; i < b->sources.count; i++)
		listed |= !strcmp(b->sources.items[i], source);
	if (!listed)
		fact_list_push(&b->sources, source);
	if (!b->found || when > b->newest) {
		b->found = true;
		b->newest = when;
		snprintf(b->newest_ev, sizeof b->newest_ev, "%s", ev);
	}
}

static void win_err_text(DWORD e, char *buf, size_t size)
{
	win_hresult_text(HRESULT_FROM_WIN32(e), buf, size);
}

/* Time of the newest successful Windows Server Backup, 0 if none. */
static DWORD wsb_last_success(int64_t *when)
{
	*when = 0;
	EVT_HANDLE q = EvtQuery(NULL, L"Microsoft-Windows-Backup", L"*[System[(EventID=4)]]",
				EvtQueryChannelPath | EvtQueryReverseDirection);
	if (!q)
		return GetLastError();
	EVT_HANDLE ev = NULL, ctx = EvtCreateRenderContext(0, NULL, EvtRenderContextSystem);
	DWORD got = 0, err = 0;
	if (ctx && EvtNext(q, 1, &ev, 5000, 0, &got) && got == 1) {
		EVT_VARIANT vals[EvtSystemPropertyIdEND];
		DWORD used = 0, count = 0;
		if (EvtRender(ctx, ev, EvtRenderEventValues, sizeof vals, vals, &used, &count) &&
		    vals[EvtSystemTimeCreated].Type == EvtVarTypeFileTime)
			*when = win_filetime_to_epoch(vals[EvtSystemTimeCreated].FileTimeVal);
		else
			err = GetLastError();
		EvtClose(ev);
	} else if (GetLastError() != ERROR_NO_MORE_ITEMS) {
		err = GetLastError();
	}
	if (ctx)
		EvtClose(ctx);
	EvtClose(q);
	return err;
}

/* Last-write time of a file, by its full path; 0 or the Win32 error. */
static DWORD file_mtime(const char *path, int64_t *t)
{
	wchar_t *w = win_wide(path);
	if (!w)
		return ERROR_NO_UNICODE_TRANSLATION;
	WIN32_FILE_ATTRIBUTE_DATA a;
	BOOL ok = GetFileAttributesExW(w, GetFileExInfoStandard, &a);
	free(w);
	if (!ok)
		return GetLastError();
	*t = win_filetime_to_epoch(((uint64_t)a.ftLastWriteTime.dwHighDateTime << 32) |
				   a.ftLastWriteTime.dwLowDateTime);
	return 0;
}

/* Config1.xml or Config2.xml, whichever File History wrote last (it
 * alternates between them), as UTF-8 text. */
static DWORD read_fh_config(const char *base, char **out, char *which, size_t size)
{
	int64_t best = -1;
	DWORD err = ERROR_FILE_NOT_FOUND;
	for (int i = 1; i <= 2; i++) {
		char path[700];
		int64_t t;
		snprintf(path, sizeof path, "%s%d.xml", base, i);
		DWORD e = file_mtime(path, &t);
		if (e) {
			if (err == ERROR_FILE_NOT_FOUND)
				err = e;
			continue;
		}
		if (t > best) {
			best = t;
			snprintf(which, size, "%s", path);
		}
	}
	if (best < 0)
		return err;
	wchar_t *w = win_wide(which);
	HANDLE fh = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
				OPEN_EXISTING, 0, NULL);
	free(w);
	if (fh == INVALID_HANDLE_VALUE)
		return GetLastError();
	enum { CAP = 256 * 1024 }; /* a configuration is a few KiB */
	char *buf = xmalloc(CAP);
	DWORD got = 0;
	BOOL ok = ReadFile(fh, buf, CAP - 2, &got, NULL);
	DWORD e = ok ? 0 : GetLastError();
	CloseHandle(fh);
	if (e) {
		free(buf);
		return e;
	}
	buf[got] = buf[got + 1] = '\0';
	if (got >= 2 && (unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE) {
		*out = win_utf8((const wchar_t *)(buf + 2)); /* UTF-16LE with a BOM */
		free(buf);
	} else {
		*out = buf;
	}
	return 0;
}

/* One user's File History: configured, on, and when its catalog last
 * reached the target. */
static void file_history_one(const char *base, backup_seen *b)
{
	char which[700] = "", *xml = NULL, why[400];
	DWORD e = read_fh_config(base, &xml, which, sizeof which);
	if (e) {
		win_err_text(e, why, sizeof why);
		note(b, "File History %s1.xml: %s%s", base, why,
		     e == ERROR_ACCESS_DENIED ? " (needs an elevated run)" : "");
		b->blind = true;
		return;
	}
	win_fh_config c;
	bool parsed = win_fh_config_parse(xml, &c);
	free(xml);
	if (!parsed) {
		note(b, "File History %s: not a File History configuration", which);
		b->blind = true;
		return;
	}
	if (!c.enabled) {
		note(b, "File History %s: turned off (DPStatus)", which);
		return;
	}
	char dir[700];
	if (!win_fh_target_config_dir(&c, dir, sizeof dir)) {
		note(b, "File History %s: on, but names no target drive", which);
		b->blind = true;
		return;
	}
	int64_t newest = 0;
	char newest_path[760] = "";
	DWORD last_err = 0;
	for (int i = 1; i <= 2; i++) {
		char path[760];
		int64_t t;
		snprintf(path, sizeof path, "%s\\Catalog%d.edb", dir, i);
		DWORD ce = file_mtime(path, &t);
		if (ce)
			last_err = ce;
		else if (t > newest) {
			newest = t;
			snprintf(newest_path, sizeof newest_path, "%s", path);
		}
	}
	if (newest) {
		char ev[1400];
		snprintf(ev, sizeof ev,
			 "File History (%s): last write of %s, the catalog copied to the target "
			 "when a backup cycle reaches it",
			 which, newest_path);
		saw(b, "file-history", newest, ev);
		return;
	}
	win_err_text(last_err, why, sizeof why);
	note(b, "File History (%s): on, target %s not readable (%s): the drive may be "
		"disconnected", which, dir, why);
	b->blind = true;
}

/* Every File History configuration registered with fhsvc. */
static void file_history(backup_seen *b)
{
	HKEY k;
	LSTATUS st = RegOpenKeyExW(HKEY_LOCAL_MACHINE,
				   L"SYSTEM\\CurrentControlSet\\Services\\fhsvc\\Parameters\\Configs", 0,
				   KEY_READ | KEY_WOW64_64KEY, &k);
	if (st == ERROR_FILE_NOT_FOUND) {
		note(b, "File History: not configured");
		return;
	}
	char why[400];
	if (st != ERROR_SUCCESS) {
		win_err_text((DWORD)st, why, sizeof why);
		note(b, "File History: cannot read fhsvc\\Parameters\\Configs: %s", why);
		b->blind = true;
		return;
	}
	DWORD i = 0;
	for (; i < MAX_FH_CONFIGS; i++) {
		wchar_t name[600];
		DWORD n = sizeof name / sizeof name[0];
		st = RegEnumValueW(k, i, name, &n, NULL, NULL, NULL, NULL);
		if (st != ERROR_SUCCESS)
			break;
		char base[700];
		win_utf8_buf(name, base, sizeof base);
		file_history_one(base, b);
	}
	RegCloseKey(k);
	if (i == 0)
		note(b, "File History: not configured");
}

/* The newest of the entries of dir (not recursive) whose names match
 * pattern (NULL: all). 0, or a negative errno. */
static int newest_in(const host *h, const char *dir, const char *pattern, int64_t *t,
		     char *name, size_t size, size_t *matches)
{
	char **names = NULL;
	size_t n = 0;
	int r = host_list_dir(h, dir, &names, &n);
	if (r < 0)
		return r;
	*t = 0;
	*matches = 0;
	for (size_t i = 0; i < n; i++) {
		if (pattern && !win_wildcard_match(pattern, names[i]))
			continue;
		char *p = xasprintf("%s\\%s", dir, names[i]);
		host_stat st;
		if (host_stat_path(h, p, &st) == 0) {
			if (!*matches || st.mtime > *t) {
				*t = st.mtime;
				snprintf(name, size, "%s", names[i]);
			}
			(*matches)++;
		}
		free(p);
	}
	host_names_free(names, n);
	return *matches ? 0 : -ENOENT;
}

/* A `backup: evidence:` entry of the site config, as on Linux. */
static void site_evidence(const host *h, const backup_evidence *e, bool from_policy,
			  backup_seen *b)
{
	char src[600], ev[1400], name[400];
	const char *label = e->name ? e->name : e->path;
	int64_t t = 0;
	int r;
	snprintf(src, sizeof src, "site:%.500s", label);
	if (from_policy && path_form_of(e->path) == PATH_POSIX) {
		/* A mixed fleet's policy: this evidence is for Linux PCs. Read
		 * here it would name a file on the current drive, and its absence
		 * proves nothing: the result is unknown, never a fail or a pass. */
		note(b, "site evidence %s: '%s' is a Linux path; this PC runs Windows, so it "
		     "was not read", label, e->path);
		b->blind = true;
		return;
	}
	if (e->kind == BACKUP_EV_FILE) {
		host_stat st = {0};
		r = host_stat_path(h, e->path, &st);
		t = st.mtime;
		snprintf(ev, sizeof ev, "site evidence %s: modification time of %s", label, e->path);
	} else {
		char dir[600];
		const char *pattern = NULL;
		size_t nm = 0;
		snprintf(dir, sizeof dir, "%s", e->path);
		if (e->kind == BACKUP_EV_GLOB) {
			char *sep = strrchr(dir, '\\');
			char *fs = strrchr(dir, '/');
			if (fs && (!sep || fs > sep))
				sep = fs;
			if (!sep) {
				note(b, "site evidence %s: the glob needs a directory", e->path);
				return;
			}
			*sep = '\0';
			pattern = sep + 1;
		}
		r = newest_in(h, dir, pattern, &t, name, sizeof name, &nm);
		if (pattern)
			snprintf(ev, sizeof ev, "site evidence %s: newest of %zu matches of %s is %s",
				 label, nm, e->path, name);
		else
			snprintf(ev, sizeof ev, "site evidence %s: newest entry %s\\%s", label,
				 e->path, name);
	}
	if (r == 0)
		saw(b, src, t, ev);
	else
		note(b, "site evidence %s: %s", e->path, strerror(-r));
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	backup_seen b = {0};
	if (h->root && h->root[0]) {
		note(&b, "--root: the event log and File History of a mounted disk are not read");
		b.blind = true;
	} else {
		int64_t wsb = 0;
		DWORD wsb_err = wsb_last_success(&wsb);
		char why[400];
		if (wsb)
			saw(&b, "wsb", wsb, "Windows Server Backup: event 4 in the "
			    "Microsoft-Windows-Backup log (newest)");
		else if (wsb_err == ERROR_EVT_CHANNEL_NOT_FOUND)
			note(&b, "Windows Server Backup: not installed");
		else if (wsb_err) {
			win_err_text(wsb_err, why, sizeof why);
			note(&b, "Windows Server Backup log: %s", why);
			b.blind = true;
		} else
			note(&b, "Windows Server Backup: no successful backup logged");
		file_history(&b);
	}
	if (cfg)
		for (size_t i = 0; i < cfg->backup.evidence_count; i++)
			site_evidence(h, &cfg->backup.evidence[i], cfg->from_policy, &b);
	fact_list_sort(&b.sources);
	if (b.found) {
		fact_set_bool(fs, "backup.evidence_found", true, "%s", b.newest_ev);
		if (b.notes[0])
			fact_set_time(fs, "backup.last_success", b.newest, "%s; also: %s",
				      b.newest_ev, b.notes);
		else
			fact_set_time(fs, "backup.last_success", b.newest, "%s", b.newest_ev);
		fact_set_list(fs, "backup.sources", &b.sources, "sources with a completed backup");
	} else if (b.blind) {
		/* Something may back up, but we cannot see when it last did. */
		fact_list_free(&b.sources);
		fact_set_unset_prefix(fs, "backup.", FACT_UNKNOWN, "%s", b.notes);
	} else {
		fact_set_bool(fs, "backup.evidence_found", false, "no completed backup found: %s",
			      b.notes);
		fact_set_list(fs, "backup.sources", &b.sources, "%s", b.notes);
		fact_set_unknown(fs, "backup.last_success", "no completed backup found: %s",
				 b.notes);
	}
	return 0;
}

const probe probe_backup = {"backup", "backup.", run};
