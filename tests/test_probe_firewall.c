/* SPDX-License-Identifier: Apache-2.0 */
/* The firewall probe on fixture hosts and on this machine. */
#include "factcheck.h"

#include "hostaudit/probe.h"

extern const probe probe_firewall;

static fact_set *on(const char *scenario)
{
	host h = fixture_host(scenario, TEST_NOW);
	return run_probe(&probe_firewall, &h);
}

static void ufw_enabled(void **state)
{
	(void)state;
	fact_set *fs = on("firewall-ufw");
	check_string(fs, "firewall.product", "ufw", "/etc/ufw/ufw.conf:5 ENABLED=yes");
	check_bool(fs, "firewall.enabled_at_boot", true,
		    "/etc/systemd/system/multi-user.target.wants/ufw.service");
	check_state(fs, "firewall.active", FACT_UNKNOWN, "not to --root");
	fact_set_free(fs);
}

static void nftables_drop_policy(void **state)
{
	(void)state;
	fact_set *fs = on("firewall-nftables");
	check_string(fs, "firewall.product", "nftables", NULL);
	check_bool(fs, "firewall.enabled_at_boot", true,
		    "/etc/nftables.conf: 3 input rule(s), input policy drop");
	fact_set_free(fs);
}

static void iptables_persistent(void **state)
{
	(void)state;
	fact_set *fs = on("firewall-iptables");
	check_string(fs, "firewall.product", "iptables", NULL);
	/* The nat table's rule does not count as filtering. */
	check_bool(fs, "firewall.enabled_at_boot", true,
		    "/etc/iptables/rules.v4: 3 input rule(s), input policy drop; "
		    "/etc/systemd/system/multi-user.target.wants/netfilter-persistent.service");
	fact_set_free(fs);
}

static void everything_off(void **state)
{
	(void)state;
	fact_set *fs = on("firewall-off");
	/* ufw is listed first when nothing starts at boot. */
	check_string(fs, "firewall.product", "ufw", "/etc/ufw/ufw.conf:1 ENABLED=no");
	check_bool(fs, "firewall.enabled_at_boot", false,
		    "/etc/systemd/system/firewalld.service is masked");
	check_bool(fs, "firewall.enabled_at_boot", false,
		    "/etc/nftables.conf: 0 input rule(s), input policy accept, nothing dropped; "
		    "no unit file nftables.service");
	fact_set_free(fs);
}

static void nothing_configured(void **state)
{
	(void)state;
	fact_set *fs = on("bare-host");
	check_string(fs, "firewall.product", "none", "/etc/ufw/ufw.conf");
	check_bool(fs, "firewall.enabled_at_boot", false, NULL);
	fact_set_free(fs);
}

static void missing_root_is_unknown_not_crash(void **state)
{
	(void)state;
	fact_set *fs = on("does-not-exist");
	check_string(fs, "firewall.product", "none", NULL);
	check_state(fs, "firewall.active", FACT_UNKNOWN, NULL);
	fact_set_free(fs);
}

static void live_machine(void **state)
{
	(void)state;
	host h;
	host_init_live(&h);
	fact_set *fs = run_probe(&probe_firewall, &h);
	check_known_or_reason(fs, "firewall.product");
	check_known_or_reason(fs, "firewall.enabled_at_boot");
	check_known_or_reason(fs, "firewall.active");
	fact_set_free(fs);
}

/* Issue 10: every form nft -f accepts, and what the input chain really
 * drops. */
static void nft_include_and_one_line_chains(void **state)
{
	(void)state;
	fact_set *fs = on("firewall-nft-include");
	check_string(fs, "firewall.product", "nftables", NULL);
	check_bool(fs, "firewall.enabled_at_boot", true,
		   "/etc/nftables.conf: 2 input rule(s), input policy drop;");
	fact_set_free(fs);
}

static void nft_add_commands(void **state)
{
	(void)state;
	fact_set *fs = on("firewall-nft-commands");
	check_bool(fs, "firewall.enabled_at_boot", true,
		   "/etc/nftables.conf: 2 input rule(s), input policy drop;");
	fact_set_free(fs);
}

static void nft_accept_everything_first(void **state)
{
	(void)state;
	fact_set *fs = on("firewall-nft-acceptall");
	check_bool(fs, "firewall.enabled_at_boot", false, "nothing dropped");
	check_bool(fs, "firewall.enabled_at_boot", false,
		   "/etc/nftables.conf:6 accepts every packet");
	fact_set_free(fs);
	fs = on("firewall-nft-acceptonly");
	check_bool(fs, "firewall.enabled_at_boot", false,
		   "2 input rule(s), input policy accept, nothing dropped");
	fact_set_free(fs);
}

static void nft_missing_include_loads_nothing(void **state)
{
	(void)state;
	fact_set *fs = on("firewall-nft-badinclude");
	check_bool(fs, "firewall.enabled_at_boot", false,
		   "cannot read include /etc/nftables.d/site.nft");
	fact_set_free(fs);
}

/* "{ ... } }" on one line: nft (1.0.6 of Debian 12, 1.1.3 of Debian 13)
 * refuses the file, so the boot unit loads nothing. */
static void nft_chain_and_table_closed_together(void **state)
{
	(void)state;
	fact_set *fs = on("firewall-nft-close");
	check_bool(fs, "firewall.enabled_at_boot", false,
		   "the table's '}', which nft refuses");
	fact_set_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ufw_enabled),
		cmocka_unit_test(nftables_drop_policy),
		cmocka_unit_test(nft_include_and_one_line_chains),
		cmocka_unit_test(nft_chain_and_table_closed_together),
		cmocka_unit_test(nft_add_commands),
		cmocka_unit_test(nft_accept_everything_first),
		cmocka_unit_test(nft_missing_include_loads_nothing),
		cmocka_unit_test(iptables_persistent),
		cmocka_unit_test(everything_off),
		cmocka_unit_test(nothing_configured),
		cmocka_unit_test(missing_root_is_unknown_not_crash),
		cmocka_unit_test(live_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
