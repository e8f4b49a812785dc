/* SPDX-License-Identifier: Apache-2.0 */
/* On a Debian-family machine with apt and downloaded lists, the updates
 * probe must report exactly what `apt list --upgradable` reports: the same
 * packages, and as many from security archives. Skipped elsewhere. The
 * machine may change between the two readings (someone installs a
 * package), so a mismatch is read again once before it fails. */
#include <stdlib.h>
#include <string.h>

#include "aptlive.h"

#include "hostaudit/probe.h"

extern const probe probe_updates;

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
