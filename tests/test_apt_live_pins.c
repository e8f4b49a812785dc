/* SPDX-License-Identifier: Apache-2.0 */
/* Pinning checked against the real apt: for each scenario, a temporary
 * root holds a preferences set (and maybe APT::Default-Release) beside
 * hard links (or copies) of this machine's dpkg status, apt lists and
 * apt.conf.d (not symbolic links: under --root those resolve inside the
 * root, as they must); apt reads the same preferences through
 * -o Dir::Etc::Preferences / PreferencesParts, and `apt list
 * --upgradable` must agree with the probe run over that root: the same
 * packages, as many from security. Package names and versions are taken
 * from this machine's own pending updates, so the pins do bite. Skipped
 * without apt, lists or pending updates. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aptlive.h"

#include "hostaudit/probe.h"

extern const probe probe_updates;

typedef struct machine {
	host live;
	char native[64];
	char codename[64];
	char sec[128], sec_ver[128]; /* a package pending from security, installed version */
	char other[128];             /* another pending package */
} machine;

static void put(const char *root, const char *path, const char *text)
{
	char full[1024];
	snprintf(full, sizeof full, "%s%s", root, path);
	FILE *f = fopen(full, "w");
	if (!f)
		fail_msg("cannot write %s", full);
	fputs(text, f);
	fclose(f);
}

static void mkdirs(const char *root, const char *const dirs[])
{
	char full[1024];
	for (size_t i = 0; dirs[i]; i++) {
		snprintf(full, sizeof full, "%s%s", root, dirs[i]);
		if (mkdir(full, 0755) != 0 && errno != EEXIST)
			fail_msg("cannot create %s", full);
	}
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	char buf[65536];
	size_t n;
	if (!in || !out)
		fail_msg("cannot copy %s to %s", from, to);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			fail_msg("cannot write %s", to);
	fclose(in);
	if (fclose(out) != 0)
		fail_msg("cannot write %s", to);
}

/* The regular files of this machine's dir (one level) into root+dir:
 * hard links where the file system allows, else copies. */
static void mirror_dir(const char *root, const char *dir)
{
	char full[1024], from[1024], to[1280];
	snprintf(full, sizeof full, "%s%s", root, dir);
	if (mkdir(full, 0755) != 0 && errno != EEXIST)
		fail_msg("cannot create %s", full);
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		struct stat st;
		snprintf(from, sizeof from, "%s/%s", dir, e->d_name);
		if (stat(from, &st) != 0 || !S_ISREG(st.st_mode) || !strcmp(e->d_name, "lock"))
			continue;
		snprintf(to, sizeof to, "%s/%s", full, e->d_name);
		if (link(from, to) != 0)
			copy_file(from, to);
	}
	closedir(d);
}

/* A root with this machine's package state and no preferences yet. */
static const char *make_root(const char *name)
{
	static char root[512];
	static const char *const dirs[] = {"/var", "/var/lib", "/var/lib/apt", "/etc", "/etc/apt",
					   "/etc/apt/preferences.d", NULL};
	snprintf(root, sizeof root, "%s/%s", make_temp_dir(), name);
	if (mkdir(root, 0755) != 0)
		fail_msg("cannot create %s", root);
	mkdirs(root, dirs);
	mirror_dir(root, "/var/lib/dpkg");
	mirror_dir(root, "/var/lib/apt/lists");
	mirror_dir(root, "/etc/apt/apt.conf.d");
	return root;
}

/* apt list --upgradable with the root's preferences. Returns its output
 * (NULL when apt refused to run) . */
static char *apt_upgradable(const machine *m, const char *root, const char *default_release)
{
	char pref[600], parts[600], rel[200];
	snprintf(pref, sizeof pref, "Dir::Etc::Preferences=%s/etc/apt/preferences", root);
	snprintf(parts, sizeof parts, "Dir::Etc::PreferencesParts=%s/etc/apt/preferences.d", root);
	snprintf(rel, sizeof rel, "APT::Default-Release=%s", default_release ? default_release : "");
	const char *argv[] = {"/usr/bin/apt", "-o", pref, "-o", parts, "list", "--upgradable",
			      NULL, NULL, NULL};
	if (default_release) {
		argv[5] = "-o";
		argv[6] = rel;
		argv[7] = "list";
		argv[8] = "--upgradable";
	}
	char *out = NULL;
	size_t len = 0;
	int status = 0;
	if (host_run(&m->live, argv, 60000, 16 << 20, &out, &len, &status) != 0)
		fail_msg("cannot run apt");
	if (status != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static bool compare(const machine *m, const char *root, const char *default_release,
		    char *why, size_t size, size_t *count)
{
	host h = {.root = root, .now = m->live.now, .privileged = true, .os = "linux"};
	fact_set *fs = run_probe(&probe_updates, &h);
	char *out = apt_upgradable(m, root, default_release);
	bool ok;

	if (!out) {
		const fact *f = fact_get(fs, "updates.pending_count");
		ok = f && f->state == FACT_UNKNOWN;
		if (!ok)
			snprintf(why, size, "apt refused to run, the probe did not say unknown");
		*count = 0;
		fact_set_free(fs);
		return ok;
	}
	fact_list apt = {0};
	size_t security;
	parse_apt(out, m->native, &apt, &security);
	const fact *f = want_fact(fs, "updates.pending", FACT_KNOWN);
	const fact *s = want_fact(fs, "updates.security_pending_count", FACT_KNOWN);
	ok = same(f, &apt, why, size);
	if (ok && (size_t)s->v.i != security) {
		snprintf(why, size, "security: probe %lld, apt %zu", (long long)s->v.i, security);
		ok = false;
	}
	*count = apt.count;
	fact_list_free(&apt);
	free(out);
	fact_set_free(fs);
	return ok;
}

/* One scenario: files as (path, text) pairs ending with NULL. */
static size_t check(const machine *m, const char *name, const char *default_release, ...)
{
	const char *root = make_root(name);
	va_list ap;
	va_start(ap, default_release);
	for (const char *path; (path = va_arg(ap, const char *));)
		put(root, path, va_arg(ap, const char *));
	va_end(ap);
	if (default_release) {
		char conf[200];
		snprintf(conf, sizeof conf, "APT::Default-Release \"%s\";\n", default_release);
		put(root, "/etc/apt/apt.conf", conf);
	}
	char why[256] = "";
	size_t count = 0;
	for (int attempt = 0; attempt < 2; attempt++)
		if (compare(m, root, default_release, why, sizeof why, &count)) {
			print_message("%-16s apt and the probe agree: %zu pending\n", name, count);
			return count;
		}
	fail_msg("%s (%s): differs from apt: %s", name, root, why);
	return 0;
}

/* This machine's architecture, codename, and two pending packages. */
static bool probe_machine(machine *m)
{
	host_init_live(&m->live);
	if (!host_exists(&m->live, "/usr/bin/apt") || !have_lists())
		return false;
	const char *const arch_argv[] = {"/usr/bin/dpkg", "--print-architecture", NULL};
	char *a = run(&m->live, arch_argv);
	snprintf(m->native, sizeof m->native, "%.*s", (int)strcspn(a, "\n"), a);
	free(a);
	char *osr = NULL;
	size_t len;
	if (host_read_file(&m->live, "/etc/os-release", 65536, &osr, &len) < 0)
		return false;
	const char *cn = strstr(osr, "VERSION_CODENAME=");
	if (cn)
		snprintf(m->codename, sizeof m->codename, "%.*s", (int)strcspn(cn + 17, "\n\""),
			 cn + 17);
	free(osr);
	const char *const argv[] = {"/usr/bin/apt", "list", "--upgradable", NULL};
	char *out = run(&m->live, argv);
	char *save = NULL;
	for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char name[128], suites[256], ver[128], arch[64], from[128];
		if (sscanf(l, "%127[^/]/%255s %127s %63s [upgradable from: %127[^]]", name, suites,
			   ver, arch, from) != 5 || strcmp(arch, m->native) != 0)
			continue;
		if (!m->sec[0] && strstr(suites, "-security")) {
			snprintf(m->sec, sizeof m->sec, "%s", name);
			snprintf(m->sec_ver, sizeof m->sec_ver, "%s", from);
		} else if (!m->other[0]) {
			snprintf(m->other, sizeof m->other, "%s", name);
		}
	}
	free(out);
	return m->codename[0] && m->sec[0] && m->other[0];
}

static void test_pins_match_apt(void **state)
{
	(void)state;
	machine m = {0};
	char text[4][1024];

	if (!probe_machine(&m))
		skip();
	size_t base = check(&m, "no-pins", NULL, NULL);

	/* General form, first match per file: security at 50 (below the
	 * installed 100), although the origin pin after it says 600. */
	size_t low = check(&m, "security-low", NULL, "/etc/apt/preferences.d/50low.pref",
			   "Explanation: security below the installed versions\n"
			   "Package: *\nPin: release l=Debian-Security\nPin-Priority: 50\n\n"
			   "# a comment between records\n"
			   "Package: *\nPin: origin \"deb.debian.org\"\nPin-Priority: 600\n",
			   NULL);
	assert_true(low < base);

	/* The target release at 990 beats the security archive's 500. */
	check(&m, "default-release", m.codename, NULL);

	/* Specific form: the file before the directory; the first pin that
	 * matches a version decides; globs, regex, :any, src:, version
	 * globs; badly named parts are not read. */
	snprintf(text[0], sizeof text[0],
		 "Package: %s\nPin: version %s\nPin-Priority: 1001\n", m.sec, m.sec_ver);
	snprintf(text[1], sizeof text[1],
		 "Package: %s\nPin: version *\nPin-Priority: 600\n\n"
		 "Package: lib* /^python3/\nPin: release n=%s-security\nPin-Priority: -1\n\n"
		 "Package: %s:any\nPin: release a=now\nPin-Priority: 1001\n",
		 m.sec, m.codename, m.other);
	snprintf(text[2], sizeof text[2],
		 "Package: src:openssl src:glibc\nPin: origin deb.debian.org\nPin-Priority: 99\n");
	check(&m, "specific", NULL, "/etc/apt/preferences", text[0],
	      "/etc/apt/preferences.d/10-globs", text[1], "/etc/apt/preferences.d/20src.pref",
	      text[2], "/etc/apt/preferences.d/30-ignored.conf",
	      "Package: *\nPin: release *\nPin-Priority: -1\n",
	      "/etc/apt/preferences.d/40.dpkg-old", "Package: *\nPin: release *\nPin-Priority: -1\n",
	      NULL);

	/* Up and down: the plain release at 1001 for lib* (downgrades are
	 * not upgrades), "never" for the updates suite even after a pin that
	 * matched it first. */
	snprintf(text[3], sizeof text[3],
		 "Package: lib*\nPin: release n=%s\nPin-Priority: 1001\n\n"
		 "Package: *\nPin: release n=%s-updates\nPin-Priority: 700\n\n"
		 "Package: *\nPin: release n=%s-updates\nPin-Priority: never\n",
		 m.codename, m.codename, m.codename);
	check(&m, "up-down-never", NULL, "/etc/apt/preferences.d/pins", text[3], NULL);

	/* A record apt refuses (priority 0): no answer, and the probe says
	 * unknown rather than guessing. */
	check(&m, "refused", NULL, "/etc/apt/preferences.d/bad",
	      "Package: *\nPin: release *\nPin-Priority: 0\n", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pins_match_apt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
