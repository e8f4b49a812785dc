/* On a Debian-family machine with apt and downloaded lists, the updates
 * probe must report exactly what `apt list --upgradable` reports: the same
 * packages, and as many from security archives. Skipped elsewhere. The
 * machine may change between the two readings (someone installs a
 * package), so a mismatch is read again once before it fails. */
#include <stdlib.h>
#include <string.h>

#include "probetest.h"

#include "hostaudit/probe.h"

extern const probe probe_updates;

static bool have_lists(void)
{
	char **names = NULL;
	size_t n = 0;
	bool found = false;
	host h;

	host_init_live(&h);
	if (host_list_dir(&h, "/var/lib/apt/lists", &names, &n) < 0)
		return false;
	for (size_t i = 0; i < n; i++)
		found |= strstr(names[i], "_Packages") != NULL;
	host_names_free(names, n);
	return found;
}

static char *run(const host *h, const char *const argv[])
{
	char *out = NULL;
	size_t len = 0;
	int status = 0;
	if (host_run(h, argv, 60000, 16 << 20, &out, &len, &status) != 0 || status != 0)
		fail_msg("%s failed (status %d)", argv[0], status);
	return out;
}

/* "name/suite[,suite] version arch [upgradable from: v]" -> "name" or
 * "name:arch" for a foreign architecture, as the probe names them. */
static void parse_apt(const char *out, const char *native, fact_list *all, size_t *security)
{
	char *copy = strdup(out), *save = NULL;
	*security = 0;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char name[256], suites[512], ver[256], arch[64], item[330];
		if (sscanf(l, "%255[^/]/%511s %255s %63s", name, suites, ver, arch) != 4)
			continue; /* "Listing..." */
		if (strcmp(arch, native) && strcmp(arch, "all"))
			snprintf(item, sizeof item, "%s:%s", name, arch);
		else
			snprintf(item, sizeof item, "%s", name);
		fact_list_push(all, item);
		*security += strstr(suites, "-security") != NULL;
	}
	fact_list_sort(all);
	free(copy);
}

static bool same(const fact *f, const fact_list *apt, char *why, size_t size)
{
	if (f->v.list.count != apt->count) {
		snprintf(why, size, "probe %zu packages, apt %zu", f->v.list.count, apt->count);
		return false;
	}
	for (size_t i = 0; i < apt->count; i++)
		if (strcmp(f->v.list.items[i], apt->items[i])) {
			snprintf(why, size, "probe has %s where apt has %s", f->v.list.items[i],
				 apt->items[i]);
			return false;
		}
	return true;
}

static void test_matches_apt(void **state)
{
	(void)state;
	host h;
	host_init_live(&h);
	if (!host_exists(&h, "/usr/bin/apt") || !have_lists())
		skip();
	const char *const arch_argv[] = {"/usr/bin/dpkg", "--print-architecture", NULL};
	char *native = run(&h, arch_argv);
	native[strcspn(native, "\n")] = '\0';

	char why[256] = "";
	for (int attempt = 0; attempt < 2; attempt++) {
		fact_set *fs = run_probe(&probe_updates, &h);
		const char *const argv[] = {"/usr/bin/apt", "list", "--upgradable", NULL};
		char *out = run(&h, argv);
		fact_list apt = {0};
		size_t security;
		parse_apt(out, native, &apt, &security);
		const fact *f = want_fact(fs, "updates.pending", FACT_KNOWN);
		const fact *s = want_fact(fs, "updates.security_pending_count", FACT_KNOWN);
		bool ok = same(f, &apt, why, sizeof why);
		if (ok && (size_t)s->v.i != security) {
			snprintf(why, sizeof why, "security: probe %lld, apt %zu", (long long)s->v.i,
				 security);
			ok = false;
		}
		if (ok)
			print_message("apt list --upgradable: %zu packages, %zu from security: same\n",
				      apt.count, security);
		fact_list_free(&apt);
		free(out);
		fact_set_free(fs);
		if (ok) {
			free(native);
			return;
		}
	}
	free(native);
	fail_msg("differs from apt list --upgradable: %s", why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_apt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
