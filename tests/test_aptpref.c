/* SPDX-License-Identifier: Apache-2.0 */
/* apt preferences: parsing, the pin matchers, and the candidate choice
 * over hand-built caches, table-driven, with the cases apt_preferences(5)
 * and apt's policy.cc / versionmatch.cc document. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "aptcache.h"
#include "aptpref.h"

static apt_prefs parse_ok(const char *text)
{
	apt_prefs p = {0};
	char err[256] = "";
	if (apt_prefs_parse(&p, text, "prefs", err, sizeof err) != 0)
		fail_msg("refused: %s\n%s", err, text);
	return p;
}

static void test_parse(void **state)
{
	(void)state;
	apt_prefs p = parse_ok("# comment\n\nExplanation: why\nPackage: perl gnome* /kde/\n"
			       " src:apt:any\nPin: version 5.32*\nPin-Priority: 1001\n\n"
			       "Package: *\n# comment inside\nPin: release a=unstable\n"
			       "Pin-Priority: 50\n\n"
			       "Package: foo\nPin: source-version 1\nPin-Priority: 600\n\n"
			       "Package: *\nPin: origin \"\"\nPin-Priority: never\n");
	assert_int_equal(p.count, 6); /* 4 names, 2 general; source-version skipped */
	assert_string_equal(p.pins[0].name, "perl");
	assert_true(p.pins[0].prefix);
	assert_string_equal(p.pins[0].ver, "5.32");
	assert_true(p.pins[1].name_pattern);
	assert_non_null(p.pins[2].name_re);
	assert_true(p.pins[3].source);
	assert_string_equal(p.pins[3].name, "apt");
	assert_string_equal(p.pins[3].arch, "any");
	assert_null(p.pins[4].name);
	assert_string_equal(p.pins[4].archive, "unstable");
	assert_string_equal(p.pins[4].where, "prefs:9");
	assert_int_equal(p.pins[5].prio, APT_PIN_NEVER);
	assert_string_equal(p.pins[5].site, "");
	assert_true(p.high);
	assert_true(p.source_pins);
	assert_non_null(strstr(p.warning, "source-version"));
	apt_prefs_free(&p);

	/* What apt refuses to run with. */
	static const char *const bad[] = {
		"Pin: release a=x\nPin-Priority: 1\n",                   /* no Package */
		"Package: foo\nPin: release a=x\n",                      /* no priority */
		"Package: foo\nPin: release a=x\nPin-Priority: 0\n",     /* zero */
		"Package: foo\nPin: release a=x\nPin-Priority: high\n",  /* not a number */
		"Package: foo\nPin: release a=x\nPin-Priority: 40000\n", /* beyond a short */
		"Package: foo\nPin: release a=x\nPin-Priority: never\n", /* never, specific */
		NULL};
	for (size_t i = 0; bad[i]; i++) {
		apt_prefs q = {0};
		char err[256] = "";
		assert_int_not_equal(apt_prefs_parse(&q, bad[i], "f", err, sizeof err), 0);
		assert_true(err[0] != '\0');
		apt_prefs_free(&q);
	}
	/* A Package with no Pin is skipped; -32768 written out is not never. */
	p = parse_ok("Package: foo\nPin-Priority: 5\n\nPackage: *\nPin: release *\n"
		     "Pin-Priority: -32768\n");
	assert_int_equal(p.count, 1);
	assert_int_equal(p.pins[0].prio, APT_PIN_NEVER + 1);
	apt_prefs_free(&p);
	/* "version" in the general form is not understood: skipped. */
	p = parse_ok("Package: *\nPin: version 1.0\nPin-Priority: 600\n");
	assert_int_equal(p.count, 0);
	apt_prefs_free(&p);
}

static void test_expressions(void **state)
{
	(void)state;
	static const struct {
		const char *pattern, *s;
		bool match;
	} t[] = {
		{"bookworm*", "bookworm-security", true},
		{"bookworm", "bookworm-security", false},
		{"BOOKWORM", "bookworm", true},        /* globs ignore case */
		{"/-secur/", "bookworm-security", true}, /* regex, unanchored */
		{"/^secur/", "bookworm-security", false},
		{"/KDE/", "libkde4", true},
		{"*", NULL, false},                    /* an absent field never matches */
		{"", "", true},
		{"", "deb.debian.org", false},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (apt_expression_matches(t[i].pattern, t[i].s) != t[i].match)
			fail_msg("'%s' vs '%s': want %d", t[i].pattern, t[i].s ? t[i].s : "(null)",
				 t[i].match);
}

static const apt_file_info SECURITY = {
	.has_release = true, .archive = "stable-security", .codename = "bookworm-security",
	.version = "12", .origin = "Debian", .label = "Debian-Security", .component = "main",
	.arch = "amd64", .site = "deb.debian.org"};
static const apt_file_info MAIN = {
	.has_release = true, .archive = "stable", .codename = "bookworm", .version = "12.8",
	.origin = "Debian", .label = "Debian", .component = "contrib", .arch = "amd64",
	.site = "deb.debian.org"};
static const apt_file_info STATUS = {.component = "now"};
static const apt_file_info LOCAL = {.has_release = true, .archive = "local",
				    .component = "main", .arch = "all", .site = ""};

static void test_file_match(void **state)
{
	(void)state;
	static const struct {
		const char *pin;
		const apt_file_info *file;
		bool match;
	} t[] = {
		{"release a=stable", &MAIN, true},
		{"release a=stable", &SECURITY, false},
		{"release a=stable*", &SECURITY, true},
		{"release n=bookworm, a=stable", &MAIN, true},
		{"release n=bookworm, a=testing", &MAIN, false},     /* all must match */
		{"release a=testing, a=stable", &MAIN, true},        /* the last of a kind */
		{"release bookworm", &MAIN, true},                    /* archive or codename */
		{"release stable", &MAIN, true},
		{"release 12", &MAIN, false},                         /* a number is v=, exact */
		{"release 12*", &MAIN, true},                         /* ... or a prefix */
		{"release v=12", &SECURITY, true},
		{"release o=Debian,l=Debian-Security", &SECURITY, true},
		{"release l=debian-security", &SECURITY, true},      /* case ignored */
		{"release c=main", &SECURITY, true},
		{"release c=main", &MAIN, false},
		{"release b=amd64", &MAIN, true},
		{"release b=i386", &MAIN, false},
		{"release *", &MAIN, true},
		{"release *", &STATUS, true},
		{"release a=now", &STATUS, true},                     /* the installed versions */
		{"release a=now", &MAIN, false},
		{"release o=Debian", &STATUS, false},
		{"release", &MAIN, false},                            /* nothing to match */
		{"release x", &LOCAL, false},
		{"release /^stable(-security)?$/", &SECURITY, true},
		{"origin deb.debian.org", &MAIN, true},
		{"origin \"deb.debian.org\"", &MAIN, true},
		{"origin \"\"", &LOCAL, true},                        /* local: no host */
		{"origin \"\"", &MAIN, false},
		{"origin *.debian.org", &MAIN, true},
		{"origin deb.debian.org", &STATUS, false},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char text[256];
		snprintf(text, sizeof text, "Package: *\nPin: %s\nPin-Priority: 1\n", t[i].pin);
		apt_prefs p = parse_ok(text);
		assert_int_equal(p.count, 1);
		if (apt_pin_file_matches(&p.pins[0], t[i].file) != t[i].match)
			fail_msg("row %zu, Pin: %s: want %d", i, t[i].pin, t[i].match);
		apt_prefs_free(&p);
	}
}

static void test_names_and_versions(void **state)
{
	(void)state;
	static const struct {
		const char *package, *name, *arch, *source;
		bool match;
	} n[] = {
		{"perl", "perl", "amd64", "perl", true},
		{"perl", "perl", "i386", "perl", false},  /* native architecture only */
		{"perl:i386", "perl", "i386", "perl", true},
		{"perl:any", "perl", "i386", "perl", true},
		{"perl", "perl-base", "amd64", "perl", false},
		{"perl*", "perl-base", "amd64", "perl", true},
		{"PERL*", "perl-base", "amd64", "perl", true},
		{"/^lib.*ssl/", "libssl3", "amd64", "openssl", true},
		{"/ssl$/", "libssl3", "amd64", "openssl", false},
		{"src:openssl", "libssl3", "amd64", "openssl", true},
		{"src:openssl", "openssl", "amd64", "openssl", true},
		{"src:open*", "libssl3", "amd64", "openssl", true},
		{"src:libssl3", "libssl3", "amd64", "openssl", false},
		{"lib?sl3", "libssl3", "amd64", "openssl", true},
	};
	for (size_t i = 0; i < sizeof n / sizeof n[0]; i++) {
		char text[256];
		snprintf(text, sizeof text, "Package: %s\nPin: version 1\nPin-Priority: 1\n",
			 n[i].package);
		apt_prefs p = parse_ok(text);
		if (apt_pin_names(&p.pins[0], n[i].name, n[i].arch, "amd64", n[i].source) !=
		    n[i].match)
			fail_msg("Package: %s vs %s:%s: want %d", n[i].package, n[i].name, n[i].arch,
				 n[i].match);
		apt_prefs_free(&p);
	}
	static const struct {
		const char *pin, *ver;
		bool match;
	} v[] = {
		{"5.32*", "5.32.1-4", true},        /* trailing '*': a prefix */
		{"5.32*", "5.3", false},
		{"5.32.1-4", "5.32.1-4", true},
		{"5.32.1-4", "5.32.1-4+b1", false}, /* exact otherwise */
		{"5.*-4", "5.32.1-4", true},        /* a glob */
		{"2.6.1-A", "2.6.1-a", true},       /* case ignored */
		{"/^1\\.[0-9]+~/", "1.22~rc1", true},
		{"*", "0", true},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char text[256];
		snprintf(text, sizeof text, "Package: perl\nPin: version %s\nPin-Priority: 1\n",
			 v[i].pin);
		apt_prefs p = parse_ok(text);
		if (apt_pin_version_matches(&p.pins[0], v[i].ver) != v[i].match)
			fail_msg("Pin: version %s vs %s: want %d", v[i].pin, v[i].ver, v[i].match);
		apt_prefs_free(&p);
	}
}

/* One package "pkg" installed at 2.0 from MAIN; versions in files. */
typedef struct cand_case {
	const char *what;
	const char *prefs;            /* preferences text, NULL for none */
	const char *default_release;  /* APT::Default-Release or NULL */
	const char *seen[4][2];       /* {version, "main"|"security"|"experimental"|"backports"} */
	const char *want;             /* candidate; NULL none */
	bool upgradable;
} cand_case;

static const cand_case CASES[] = {
	{"newest of equal priority", NULL, NULL,
	 {{"2.0", "main"}, {"2.1", "security"}, {"2.2", "main"}}, "2.2", true},
	{"experimental (1) never over installed", NULL, NULL,
	 {{"2.0", "main"}, {"3.0", "experimental"}}, "2.0", false},
	{"backports (100) tie goes to the newer", NULL, NULL,
	 {{"2.0", "backports"}, {"2.5", "backports"}}, "2.5", true},
	{"backports (100) do not replace a version from main (500)", NULL, NULL,
	 {{"2.0", "main"}, {"2.5", "backports"}}, "2.0", false},
	{"a pin below 100 holds", "Package: pkg\nPin: version 2.1\nPin-Priority: 99\n", NULL,
	 {{"2.0", "main"}, {"2.1", "security"}}, "2.0", false},
	{"a negative pin prevents", "Package: *\nPin: release l=Debian-Security\nPin-Priority: -1\n",
	 NULL, {{"2.0", "main"}, {"2.1", "security"}}, "2.0", false},
	{"1001 downgrades (not an upgrade)",
	 "Package: pkg\nPin: version 1.*\nPin-Priority: 1001\n", NULL,
	 {{"2.0", "main"}, {"1.9", "main"}, {"2.1", "security"}}, "1.9", false},
	{"990 does not downgrade", "Package: pkg\nPin: version 1.9\nPin-Priority: 990\n", NULL,
	 {{"2.0", "main"}, {"1.9", "main"}, {"2.1", "security"}}, "2.1", true},
	{"first specific pin wins",
	 "Package: pkg\nPin: version 2.1\nPin-Priority: 50\n\n"
	 "Package: pkg\nPin: release l=Debian-Security\nPin-Priority: 900\n",
	 NULL, {{"2.0", "main"}, {"2.1", "security"}}, "2.0", false},
	{"a specific pin beats a general one",
	 "Package: *\nPin: release l=Debian-Security\nPin-Priority: 50\n\n"
	 "Package: pkg\nPin: version 2.1\nPin-Priority: 600\n",
	 NULL, {{"2.0", "main"}, {"2.1", "security"}}, "2.1", true},
	{"first general pin per file wins",
	 "Package: *\nPin: release l=Debian-Security\nPin-Priority: 50\n\n"
	 "Package: *\nPin: origin deb.debian.org\nPin-Priority: 600\n",
	 NULL, {{"2.0", "main"}, {"2.1", "security"}}, "2.0", false},
	{"a version's priority is its best file's",
	 "Package: *\nPin: release l=Debian-Security\nPin-Priority: 50\n", NULL,
	 {{"2.0", "main"}, {"2.1", "security"}, {"2.1", "main"}}, "2.1", true},
	{"never overrides an earlier general pin",
	 "Package: *\nPin: release l=Debian-Security\nPin-Priority: 600\n\n"
	 "Package: *\nPin: release l=Debian-Security\nPin-Priority: never\n",
	 NULL, {{"2.0", "main"}, {"2.1", "security"}}, "2.0", false},
	{"a specific pin does not lift a never file",
	 "Package: *\nPin: release l=Debian-Security\nPin-Priority: never\n\n"
	 "Package: pkg\nPin: version 2.1\nPin-Priority: 600\n",
	 NULL, {{"2.0", "main"}, {"2.1", "security"}}, "2.0", false},
	{"Default-Release 990 over 500", NULL, "stable",
	 {{"2.0", "main"}, {"2.1", "security"}}, "2.0", false},
	{"Default-Release, newer in it", NULL, "stable",
	 {{"2.0", "main"}, {"2.1", "security"}, {"2.0.1", "main"}}, "2.0.1", true},
	{"Default-Release before general pins",
	 "Package: *\nPin: release a=stable\nPin-Priority: 100\n", "stable*",
	 {{"2.0", "main"}, {"2.1", "security"}}, "2.1", true},
	{"hold the installed version (a=now)",
	 "Package: pkg\nPin: release a=now\nPin-Priority: 1001\n", NULL,
	 {{"2.0", "main"}, {"2.1", "security"}}, "2.0", false},
	{"nothing above zero: no candidate",
	 "Package: *\nPin: release *\nPin-Priority: -5\n", NULL,
	 {{"2.0", "main"}, {"2.1", "security"}}, NULL, false},
};

static void test_candidates(void **state)
{
	(void)state;
	static const apt_file_info EXPERIMENTAL = {
		.has_release = true, .archive = "experimental", .codename = "rc-buggy",
		.origin = "Debian", .label = "Debian", .component = "main", .arch = "amd64",
		.site = "deb.debian.org"};
	static const apt_file_info BACKPORTS = {
		.has_release = true, .archive = "stable-backports", .codename = "bookworm-backports",
		.origin = "Debian", .label = "Debian Backports", .component = "main",
		.arch = "amd64", .site = "deb.debian.org"};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		const cand_case *t = &CASES[i];
		apt_prefs p = t->prefs ? parse_ok(t->prefs) : (apt_prefs){0};
		apt_cache c = {0};
		if (t->default_release)
			assert_int_equal(apt_prefs_default_release(&p, t->default_release), 0);
		snprintf(c.native_arch, sizeof c.native_arch, "amd64");
		assert_int_equal(apt_cache_add_installed(&c, "pkg", "amd64", "2.0", NULL), 0);
		assert_int_equal(apt_cache_index(&c), 0);
		apt_cache_set_prefs(&c, &p);
		int main_f = apt_cache_add_file(&c, "main", &MAIN, 500, false);
		int sec_f = apt_cache_add_file(&c, "security", &SECURITY, 500, true);
		int exp_f = apt_cache_add_file(&c, "experimental", &EXPERIMENTAL, 1, false);
		int bpo_f = apt_cache_add_file(&c, "backports", &BACKPORTS, 100, false);
		for (size_t k = 0; k < 4 && t->seen[k][0]; k++) {
			const char *v = t->seen[k][0], *f = t->seen[k][1];
			int file = strcmp(f, "main") == 0           ? main_f
				   : strcmp(f, "security") == 0     ? sec_f
				   : strcmp(f, "experimental") == 0 ? exp_f
								    : bpo_f;
			assert_int_equal(apt_cache_observe(&c, "pkg", 3, "amd64", 5, v, strlen(v), NULL,
							   0, (unsigned)file),
					 0);
		}
		assert_int_equal(apt_cache_resolve(&c), 0);
		const char *cand = apt_cache_candidate(&c, "pkg");
		fact_list up = {0};
		apt_cache_upgradable(&c, false, &up);
		if ((cand == NULL) != (t->want == NULL) || (cand && strcmp(cand, t->want) != 0) ||
		    (up.count == 1) != t->upgradable)
			fail_msg("%s: candidate %s (want %s), upgradable %zu", t->what,
				 cand ? cand : "none", t->want ? t->want : "none", up.count);
		fact_list_free(&up);
		apt_cache_free(&c);
		apt_prefs_free(&p);
	}
}

static void test_default_release_unknown(void **state)
{
	(void)state;
	apt_prefs p = {0};
	apt_cache c = {0};
	snprintf(c.native_arch, sizeof c.native_arch, "amd64");
	assert_int_equal(apt_prefs_default_release(&p, "trixie"), 0);
	assert_int_equal(apt_cache_add_installed(&c, "pkg", "amd64", "2.0", NULL), 0);
	assert_int_equal(apt_cache_index(&c), 0);
	apt_cache_set_prefs(&c, &p);
	apt_cache_add_file(&c, "main", &MAIN, 500, false);
	assert_int_not_equal(apt_cache_resolve(&c), 0);
	assert_non_null(strstr(c.error, "trixie"));
	apt_cache_free(&c);
	apt_prefs_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_file_match),
		cmocka_unit_test(test_names_and_versions),
		cmocka_unit_test(test_candidates),
		cmocka_unit_test(test_default_release_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
