/* SPDX-License-Identifier: Apache-2.0 */
/* OS update status on Linux (checklist article 1): how many updates are
 * pending and how many of them are security fixes, how old the package
 * lists are, when updates were last installed, whether they install
 * themselves and whether a reboot is pending.
 *
 * Debian/Ubuntu are read natively (aptcache.c: dpkg status + apt lists);
 * RHEL/Fedora in part (dnf logs and timers); other distributions get
 * unknown facts that say so. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/facts.h"
#include "hostaudit/probe.h"

#include "aptcache.h"
#include "aptconf.h"
#include "aptpref.h"
#include "linuxconf.h"
#include "debver.h"
#include "dnfcache.h"
#include "pkgstatus.h"
#include "probeutil.h"
#include "zreader.h"

#define APT_LISTS "/var/lib/apt/lists"

/* What the preferences contributed, for the evidence. */
static void describe_prefs(const apt_cache *c, const apt_prefs *pr, fact_text *t)
{
	if (pr->default_release[0])
		fact_text_add(t, "APT::Default-Release \"%s\" (990)", pr->default_release);
	if (pr->files_read)
		fact_text_add(t,
			      "%zu pin record(s) in %zu file(s) of /etc/apt/preferences{,.d}; %zu "
			      "installed package(s) decided by a specific pin",
			      pr->records, pr->files_read, c->pinned);
	if (pr->warning[0])
		fact_text_add(t, "%s", pr->warning);
}

static void record_pending(const apt_cache *c, const apt_prefs *pr, const char *apt_version,
			   fact_set *fs)
{
	fact_list all = {0}, sec = {0};
	fact_text ev = {0};

	apt_cache_upgradable(c, false, &all);
	apt_cache_upgradable(c, true, &sec);
	fact_text_add(&ev,
		      "dpkg status (%zu installed, %s) + %zu package lists in /var/lib/apt/lists"
		      " (lz4 %zu, gzip %zu, xz %zu, plain %zu; %zu with NotAutomatic) and %zu "
		      "Release files",
		      c->count, c->native_arch, c->lists_read, c->lists_by_format[ZR_LZ4],
		      c->lists_by_format[ZR_GZIP], c->lists_by_format[ZR_XZ],
		      c->lists_by_format[ZR_PLAIN], c->lists_notauto, c->releases_read);
	describe_prefs(c, pr, &ev);
	if (pr->files_read && apt_version[0])
		fact_text_add(&ev, "preferences read as apt %s does", apt_version);
	else if (pr->files_read)
		fact_text_add(&ev, "preferences read as an apt before 2.9.10 does (apt is not "
				   "installed)");
	const char *text = fact_text_str(&ev);
	fact_set_int(fs, "updates.pending_count", (int64_t)all.count, "%s", text);
	fact_set_int(fs, "updates.security_pending_count", (int64_t)sec.count,
		     "%s; security = candidate from a *-security archive", text);
	fact_set_list(fs, "updates.pending", &all, "%s", text);
	fact_set_list(fs, "updates.security_pending", &sec, "%s", text);
	fact_text_free(&ev);
	fact_list detail = {0};
	apt_cache_upgradable_detail(c, true, &detail);
	fact_set_list(fs, "updates.security_packages", &detail,
		      "candidate versions and their suites in the package lists of %s", APT_LISTS);
}

static void pending_unknown(fact_set *fs, const char *why)
{
	static const char *const names[] = {"updates.pending_count",
					    "updates.security_pending_count", "updates.pending",
					    "updates.security_pending", "updates.security_packages", NULL};
	for (size_t i = 0; names[i]; i++)
		fact_set_unknown(fs, names[i], "%s", why);
}

/* When apt last refreshed its lists successfully. apt moves a fetched
 * file from lists/partial/ into lists/ only once it is complete and
 * verified, and touches update-success-stamp (APT::Update::Post-Invoke-
 * Success, where configured) only when the whole update succeeded. So the
 * newest Release/InRelease in lists/ or that stamp is the evidence; what
 * lies in partial/ (a failed or interrupted update) and the mtime of the
 * lists directory (changed by any run, even a failed one) are not. A
 * Release apt found unchanged keeps its older mtime: that errs towards
 * "stale", never towards "fresh". */
static void record_lists_refreshed(const host *h, fact_set *fs)
{
	static const char *const stamp = "/var/lib/apt/periodic/update-success-stamp";
	int64_t best = 0;
	char from[512] = "";
	host_stat st;

	if (host_stat_path(h, stamp, &st) == 0 && st.is_reg) {
		best = st.mtime;
		snprintf(from, sizeof from, "%s", stamp);
	}
	char **names = NULL;
	size_t n = 0;
	char path[512];
	if (host_list_dir(h, APT_LISTS, &names, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(names[i]);
			if (!(l > 8 && strcmp(names[i] + l - 8, "_Release") == 0) &&
			    !(l > 10 && strcmp(names[i] + l - 10, "_InRelease") == 0))
				continue;
			snprintf(path, sizeof path, APT_LISTS "/%.400s", names[i]);
			if (host_stat_path(h, path, &st) == 0 && st.is_reg && st.mtime > best) {
				best = st.mtime;
				snprintf(from, sizeof from, "%s", path);
			}
		}
		host_names_free(names, n);
	}
	size_t pending = 0;
	if (host_list_dir(h, APT_LISTS "/partial", &names, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			snprintf(path, sizeof path, APT_LISTS "/partial/%.400s", names[i]);
			if (host_stat_path(h, path, &st) == 0 && st.is_reg && st.mtime > best)
				pending++;
		}
		host_names_free(names, n);
	}
	fact_text t = {0};
	if (from[0])
		fact_text_add(&t,
			      "modification time of %s (newest Release/InRelease in "
			      "/var/lib/apt/lists or update-success-stamp)",
			      from);
	else
		fact_text_add(&t, "no Release or InRelease file in /var/lib/apt/lists and no "
				  "update-success-stamp: no apt update completed");
	if (pending)
		fact_text_add(&t,
			      "%zu newer file(s) in /var/lib/apt/lists/partial are an update that "
			      "did not complete, not counted",
			      pending);
	if (from[0])
		fact_set_time(fs, "updates.lists_refreshed", best, "%s", fact_text_str(&t));
	else
		fact_set_unknown(fs, "updates.lists_refreshed", "%s", fact_text_str(&t));
	fact_text_free(&t);
}

typedef struct last_upgrade {
	int64_t when;
	char cmd[160];
	char file[64];
} last_upgrade;

static void scan_history(const host *h, const char *path, const char *name, last_upgrade *lu)
{
	stanza_reader sr;
	const char *st, *v;
	size_t len, vl;
	char date[64];

	if (stanza_open(&sr, h, path) < 0)
		return;
	while (stanza_next(&sr, &st, &len) > 0) {
		int64_t t;
		if (!stanza_field(st, len, "Upgrade", &v, &vl) ||
		    stanza_field(st, len, "Error", &v, &vl) ||
		    !stanza_field(st, len, "End-Date", &v, &vl) || vl >= sizeof date)
			continue;
		memcpy(date, v, vl);
		date[vl] = '\0';
		if (parse_local_datetime(date, &t) < 0 || t <= lu->when)
			continue;
		lu->when = t;
		snprintf(lu->file, sizeof lu->file, "%.63s", name);
		lu->cmd[0] = '\0';
		if (stanza_field(st, len, "Commandline", &v, &vl))
			snprintf(lu->cmd, sizeof lu->cmd, "%.*s", (int)(vl < 150 ? vl : 150), v);
	}
	stanza_close(&sr);
}

/* The newest history entry that upgraded packages and ended without an
 * error, over history.log and its rotations (history.log.1, .2.gz ...). */
static void record_last_upgrade(const host *h, fact_set *fs)
{
	char **names = NULL;
	size_t n = 0, files = 0;
	char path[512];
	last_upgrade lu = {0};

	if (host_list_dir(h, "/var/log/apt", &names, &n) < 0) {
		fact_set_unknown(fs, "updates.last_upgrade", "cannot list /var/log/apt");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (strncmp(names[i], "history.log", 11) != 0)
			continue;
		snprintf(path, sizeof path, "/var/log/apt/%.400s", names[i]);
		scan_history(h, path, names[i], &lu);
		files++;
	}
	host_names_free(names, n);
	if (lu.when)
		fact_set_time(fs, "updates.last_upgrade", lu.when,
			      "End-Date of the newest upgrade in /var/log/apt/%s (%s), %zu history "
			      "file(s) read",
			      lu.file, lu.cmd[0] ? lu.cmd : "no command line", files);
	else
		fact_set_unknown(fs, "updates.last_upgrade",
				 "no completed upgrade in %zu /var/log/apt/history.log* file(s)", files);
}

static bool nonzero_setting(const char *v)
{
	/* "1", "always", or an interval like "1d": anything but 0 / empty. */
	return v[0] && strcmp(v, "0") != 0 && strcasecmp(v, "false") != 0 &&
	       strcasecmp(v, "no") != 0;
}

/* What starts apt.systemd.daily's install step: apt-daily-upgrade.timer
 * under systemd (masked or disabled, nothing runs: /etc/cron.daily/
 * apt-compat exits when systemd runs), or that cron job without systemd.
 * 1 it runs, 0 not; where says why. */
static int apt_daily_runs(const host *h, char *where, size_t size)
{
	int t = conf_unit_enabled(h, "apt-daily-upgrade.timer", where, size);
	if (t != 0 || !strstr(where, "no unit file"))
		return t == 1;
	if (host_exists(h, "/etc/cron.daily/apt-compat")) {
		snprintf(where, size, "no apt-daily-upgrade.timer; /etc/cron.daily/apt-compat runs it");
		return 1;
	}
	snprintf(where, size,
		 "neither apt-daily-upgrade.timer nor /etc/cron.daily/apt-compat: nothing starts it");
	return 0;
}

static void record_auto_apt(const host *h, const apt_cache *c, fact_set *fs)
{
	char val[64] = "", where[512] = "", en[64] = "", enwhere[512] = "", pkg[256];
	(void)c;
	/* dpkg's "installed", not a removed package's leftover stanza. */
	bool installed =
		dpkg_package_installed(h, "unattended-upgrades", pkg, sizeof pkg, NULL, 0) == 1;
	int set = aptconf_lookup(h, "APT::Periodic::Unattended-Upgrade", val, sizeof val, where,
				 sizeof where);

	if (aptconf_lookup(h, "APT::Periodic::Enable", en, sizeof en, enwhere, sizeof enwhere) &&
	    !nonzero_setting(en)) {
		fact_set_bool(fs, "updates.auto_enabled", false,
			      "APT::Periodic::Enable \"%s\" in %s", en, enwhere);
		return;
	}
	char timer[512];
	if (!installed)
		fact_set_bool(fs, "updates.auto_enabled", false,
			      "unattended-upgrades is not installed (%s)", pkg);
	else if (!set)
		fact_set_bool(fs, "updates.auto_enabled", false,
			      "unattended-upgrades installed, but APT::Periodic::Unattended-Upgrade is "
			      "not set in /etc/apt/apt.conf{,.d}");
	else if (!nonzero_setting(val))
		fact_set_bool(fs, "updates.auto_enabled", false,
			      "unattended-upgrades installed; APT::Periodic::Unattended-Upgrade \"%s\" "
			      "in %s",
			      val, where);
	else
		fact_set_bool(fs, "updates.auto_enabled", apt_daily_runs(h, timer, sizeof timer),
			      "unattended-upgrades installed; APT::Periodic::Unattended-Upgrade \"%s\" "
			      "in %s; %s",
			      val, where, timer);
}

/* The newest kernel installed in /boot against the running one. */
static int kernel_mismatch(const host *h, char *running, size_t rsize, char *newest,
			   size_t nsize)
{
	char *rel = NULL;
	size_t len = 0;
	char **names = NULL;
	size_t n = 0;

	newest[0] = '\0';
	if (host_read_file(h, "/proc/sys/kernel/osrelease", 256, &rel, &len) < 0)
		return -1;
	rel[strcspn(rel, "\n")] = '\0';
	snprintf(running, rsize, "%s", rel);
	free(rel);
	if (host_list_dir(h, "/boot", &names, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (strncmp(names[i], "vmlinuz-", 8) != 0)
			continue;
		const char *v = names[i] + 8;
		if (!newest[0] || debver_cmp_str(v, newest) > 0)
			snprintf(newest, nsize, "%s", v);
	}
	host_names_free(names, n);
	if (!newest[0])
		return -1; /* no kernel in /boot: a container, or /boot not mounted */
	return strcmp(newest, running) != 0;
}

static void record_reboot(const host *h, fact_set *fs)
{
	static const char *const flags[] = {"/run/reboot-required", "/var/run/reboot-required",
					    NULL};
	char running[128], newest[256];

	for (size_t i = 0; flags[i]; i++) {
		if (host_exists(h, flags[i])) {
			fact_set_bool(fs, "updates.reboot_required", true,
				      "%s exists (a package asked for a reboot)", flags[i]);
			return;
		}
	}
	int k = kernel_mismatch(h, running, sizeof running, newest, sizeof newest);
	if (k == 1)
		fact_set_bool(fs, "updates.reboot_required", true,
			      "kernel %s is installed in /boot but %s is running", newest, running);
	else if (k == 0)
		fact_set_bool(fs, "updates.reboot_required", false,
			      "no /run/reboot-required; the running kernel %s is the newest in /boot",
			      running);
	else
		fact_set_bool(fs, "updates.reboot_required", false,
			      "no /run/reboot-required (no kernel in /boot to compare with the "
			      "running one)");
}

/* apt 2.9.10 (apt 3.0, Debian 13) added "Pin: source-version"; older apt
 * skips such records. The audited system's apt decides. */
#define APT_SOURCE_VERSION_PINS "2.9.10"

/* The pins apt would apply: its preferences files and Default-Release. */
static int read_prefs(const host *h, apt_prefs *pr, char *apt_version, size_t vsize, char *err,
		      size_t size)
{
	char rel[128] = "", where[512];
	if (dpkg_package_installed(h, "apt", NULL, 0, apt_version, vsize) == 1)
		pr->source_version = debver_cmp_str(apt_version, APT_SOURCE_VERSION_PINS) >= 0;
	else
		apt_version[0] = '\0';
	int r = apt_prefs_read(pr, h, err, size);

	if (r < 0)
		return r;
	if (aptconf_lookup(h, "APT::Default-Release", rel, sizeof rel, where, sizeof where) &&
	    rel[0])
		return apt_prefs_default_release(pr, rel);
	return 0;
}

static void read_pending(apt_cache *c, const host *h, fact_set *fs)
{
	apt_prefs pr = {0};
	char err[512] = "", apt_version[64] = "";

	if (read_prefs(h, &pr, apt_version, sizeof apt_version, err, sizeof err) < 0) {
		pending_unknown(fs, err[0] ? err : "cannot read the apt preferences");
	} else {
		apt_cache_set_prefs(c, &pr);
		if (apt_cache_read_lists(c, h, APT_LISTS) < 0 || apt_cache_resolve(c) < 0)
			pending_unknown(fs, fact_text_str(&c->why));
		else
			record_pending(c, &pr, apt_version, fs);
		apt_cache_set_prefs(c, NULL);
	}
	apt_prefs_free(&pr);
}

static int run_apt(const host *h, fact_set *fs)
{
	apt_cache c = {0};

	fact_set_string(fs, "updates.source", "apt", "/var/lib/dpkg/status exists");
	if (apt_cache_read_status(&c, h) < 0) {
		pending_unknown(fs, fact_text_str(&c.why));
		fact_set_unknown(fs, "updates.auto_enabled", "%s", fact_text_str(&c.why));
	} else {
		read_pending(&c, h, fs);
		record_auto_apt(h, &c, fs);
	}
	apt_cache_free(&c);
	record_lists_refreshed(h, fs);
	record_last_upgrade(h, fs);
	record_reboot(h, fs);
	return 0;
}

/* dnf: "2024-05-01T10:00:00+0000 SUBDEBUG Upgraded: bash-5.2..." lines. */
static void record_last_upgrade_dnf(const host *h, fact_set *fs)
{
	char **names = NULL;
	size_t n = 0;
	int64_t best = 0;
	char from[128] = "";

	if (host_list_dir(h, "/var/log", &names, &n) < 0) {
		fact_set_unknown(fs, "updates.last_upgrade", "cannot list /var/log");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char path[512], line[1024];
		if (strncmp(names[i], "dnf.rpm.log", 11) != 0)
			continue;
		snprintf(path, sizeof path, "/var/log/%.400s", names[i]);
		FILE *f = host_fopen(h, path);
		if (!f)
			continue;
		while (fgets(line, sizeof line, f)) {
			int64_t t;
			if (!strstr(line, " Upgrade:") && !strstr(line, " Upgraded:"))
				continue;
			if (parse_iso8601(line, &t) == 0 && t > best) {
				best = t;
				snprintf(from, sizeof from, "/var/log/%.100s", names[i]);
			}
		}
		fclose(f);
	}
	host_names_free(names, n);
	if (best)
		fact_set_time(fs, "updates.last_upgrade", best, "newest Upgrade line in %s", from);
	else
		fact_set_unknown(fs, "updates.last_upgrade",
				 "no Upgrade line in /var/log/dnf.rpm.log* (dnf history database not "
				 "read)");
}

static void record_auto_dnf(const host *h, fact_set *fs)
{
	static const char *const units[] = {"dnf-automatic-install.timer", "dnf-automatic.timer",
					    "dnf5-automatic.timer", NULL};
	char where[512];

	for (size_t i = 0; units[i]; i++) {
		if (!systemd_unit_enabled(h, units[i], where, sizeof where))
			continue;
		if (i == 0) {
			fact_set_bool(fs, "updates.auto_enabled", true, "%s enabled (%s)", units[i],
				      where);
			return;
		}
		/* dnf-automatic.timer installs only with apply_updates = yes. */
		char *conf = NULL;
		size_t len = 0;
		bool apply = false;
		if (host_read_file(h, "/etc/dnf/automatic.conf", 65536, &conf, &len) == 0) {
			for (char *l = strtok(conf, "\n"); l; l = strtok(NULL, "\n")) {
				char key[32], val[32];
				if (sscanf(l, " %31[a-z_] = %31s", key, val) == 2 &&
				    strcmp(key, "apply_updates") == 0)
					apply = strcasecmp(val, "yes") == 0 || strcmp(val, "1") == 0 ||
						strcasecmp(val, "true") == 0;
			}
		}
		free(conf);
		fact_set_bool(fs, "updates.auto_enabled", apply,
			      "%s enabled (%s); apply_updates %s in /etc/dnf/automatic.conf",
			      units[i], where, apply ? "yes" : "not yes");
		return;
	}
	fact_set_bool(fs, "updates.auto_enabled", false,
		      "no dnf-automatic timer enabled under /etc/systemd/system");
}

static void read_pending_dnf(const host *h, fact_set *fs)
{
	dnf_cache c = {0};

	if (dnf_read_rpmdb(&c, h) < 0 || dnf_read_repos(&c, h) < 0) {
		pending_unknown(fs, fact_text_str(&c.why));
		dnf_cache_free(&c);
		return;
	}
	fact_list all = {0}, sec = {0};
	dnf_cache_pending(&c, false, &all);
	dnf_cache_pending(&c, true, &sec);
	fact_text ev = {0};
	fact_text_add(&ev,
		      "%s (%zu installed) + dnf's cached metadata of %zu enabled repositories (%s: "
		      "primary.xml of %zu, updateinfo of %zu, %zu security advisories) under "
		      "/var/cache/dnf",
		      c.rpmdb, c.count, c.repos, c.repo_names, c.primaries_xml, c.updateinfos,
		      c.advisories);
	const char *text = fact_text_str(&ev);
	fact_set_int(fs, "updates.pending_count", (int64_t)all.count, "%s", text);
	fact_set_int(fs, "updates.security_pending_count", (int64_t)sec.count,
		     "%s; security = named newer in a security advisory", text);
	fact_set_list(fs, "updates.pending", &all, "%s", text);
	fact_set_list(fs, "updates.security_pending", &sec, "%s", text);
	fact_text_free(&ev);
	fact_set_unknown(fs, "updates.security_packages",
			 "versions and repositories of dnf updates are not read yet: see "
			 "updates.security_pending");
	dnf_cache_free(&c);
}

static int run_dnf(const host *h, fact_set *fs)
{
	host_stat st;

	fact_set_string(fs, "updates.source", "dnf", "/etc/dnf exists, no dpkg status");
	read_pending_dnf(h, fs);
	if (host_stat_path(h, "/var/cache/dnf/last_makecache", &st) == 0)
		fact_set_time(fs, "updates.lists_refreshed", st.mtime,
			      "modification time of /var/cache/dnf/last_makecache");
	else
		fact_set_unknown(fs, "updates.lists_refreshed", "no /var/cache/dnf/last_makecache");
	record_last_upgrade_dnf(h, fs);
	record_auto_dnf(h, fs);
	record_reboot(h, fs);
	return 0;
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	if (host_exists(h, "/var/lib/dpkg/status"))
		return run_apt(h, fs);
	if (host_exists(h, "/etc/dnf") || host_exists(h, "/etc/yum.repos.d"))
		return run_dnf(h, fs);
	fact_set_unset_prefix(fs, "updates.", FACT_UNKNOWN,
			      "neither dpkg (/var/lib/dpkg/status) nor dnf (/etc/dnf) found: "
			      "updates on this distribution are not supported yet");
	return 0;
}

const probe probe_updates = {"updates", "updates.", run};
