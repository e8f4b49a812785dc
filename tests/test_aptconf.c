/* SPDX-License-Identifier: Apache-2.0 */
/* apt.conf syntax: flat and nested options, comments, last one wins. */
#include <string.h>

#include "testutil.h"

#include "aptconf.h"

static void test_forms(void **state)
{
	(void)state;
	char v[64];
	const char *conf = "// comment\n# also a comment\n/* block\n comment */\n"
			   "APT::Periodic::Update-Package-Lists \"1\";\n"
			   "APT { Periodic { Unattended-Upgrade \"1\"; }; };\n"
			   "#include \"/etc/other\";\n"
			   "apt::periodic::unattended-upgrade \"0\";\n"
			   "Unattended-Upgrade::Origins-Pattern { \"origin=Debian\"; };\n";
	assert_int_equal(aptconf_lookup_text(conf, "APT::Periodic::Unattended-Upgrade", v, sizeof v), 1);
	assert_string_equal(v, "0"); /* last one wins; keys ignore case */
	assert_int_equal(aptconf_lookup_text(conf, "APT::Periodic::Update-Package-Lists", v, sizeof v), 1);
	assert_string_equal(v, "1");
	assert_int_equal(aptconf_lookup_text(conf, "APT::Periodic::Enable", v, sizeof v), 0);
	assert_int_equal(aptconf_lookup_text("APT { Periodic { Unattended-Upgrade \"1\"; };", 
					     "APT::Periodic::Unattended-Upgrade", v, sizeof v), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
