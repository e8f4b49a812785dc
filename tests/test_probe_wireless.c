/* SPDX-License-Identifier: Apache-2.0 */
/* The wireless probe (NetworkManager keyfiles, wpa_supplicant networks,
 * /sys/class/net) on fixture hosts and on this machine. */
#include "factcheck.h"

#include "hostaudit/probe.h"

extern const probe probe_wireless;

static fact_set *on(const char *scenario)
{
	host h = fixture_host(scenario, TEST_NOW);
	return run_probe(&probe_wireless, &h);
}

static void open_and_wep_networks(void **state)
{
	(void)state;
	fact_set *fs = on("wireless-mixed");
	check_bool(fs, "wireless.present", true, "wireless interfaces: wlp2s0");
	/* The ethernet profile and the editor backup Cafe.nmconnection~ are
	 * not networks. */
	check_list(fs, "wireless.profiles",
		   "FreeCafe_WiFi: open (no encryption),Guest: open (no encryption),"
		   "Home5G: WPA3-Personal,Lab: WPA-PSK WPA-EAP,Legacy: WEP,"
		   "Office: WPA/WPA2-Personal,warehouse: WEP",
		   "Lab: WPA-PSK WPA-EAP (/etc/wpa_supplicant/wpa_supplicant-wlp2s0.conf:16 no "
		   "key_mgmt: default WPA-PSK WPA-EAP)");
#define INSECURE                                                                        \
	"FreeCafe_WiFi: open (no encryption),Guest: open (no encryption),Legacy: WEP,"  \
	"warehouse: WEP"
	check_list(fs, "wireless.insecure_profiles", INSECURE,
		   "FreeCafe_WiFi: open (no encryption) "
		   "(/etc/NetworkManager/system-connections/Cafe.nmconnection: no [wifi-security] "
		   "section)");
	check_list(fs, "wireless.insecure_profiles", INSECURE,
		   "warehouse: WEP (/etc/NetworkManager/system-connections/OldAP.nmconnection:10 "
		   "key-mgmt=none)");
	check_list(fs, "wireless.insecure_profiles", INSECURE,
		   "Guest: open (no encryption) (/etc/wpa_supplicant/wpa_supplicant-wlp2s0.conf:4 "
		   "key_mgmt=NONE)");
	fact_set_free(fs);
}

static void only_encrypted_networks(void **state)
{
	(void)state;
	fact_set *fs = on("wireless-secure");
	check_list(fs, "wireless.profiles", "Office: WPA/WPA2-Personal",
		   "Office.nmconnection:12 key-mgmt=wpa-psk");
	check_list(fs, "wireless.insecure_profiles", "", NULL);
	check_bool(fs, "wireless.present", true, "wireless interfaces: wlan0");
	fact_set_free(fs);
}

static void interface_without_networks(void **state)
{
	(void)state;
	fact_set *fs = on("wireless-iface-only");
	check_bool(fs, "wireless.present", true, "wireless interfaces: wlan0");
	check_list(fs, "wireless.profiles", "", "no saved Wi-Fi network");
	check_list(fs, "wireless.insecure_profiles", "", NULL);
	fact_set_free(fs);
}

static void no_wireless_is_not_applicable(void **state)
{
	(void)state;
	fact_set *fs = on("wireless-wired-only");
	check_state(fs, "wireless.present", FACT_NOT_APPLICABLE,
		    "no wireless interface in /sys/class/net, and no saved Wi-Fi network");
	check_state(fs, "wireless.insecure_profiles", FACT_NOT_APPLICABLE, "no wireless");
	fact_set_free(fs);
	fs = on("bare-host");
	check_state(fs, "wireless.profiles", FACT_NOT_APPLICABLE, "no wireless");
	fact_set_free(fs);
}

static void live_machine(void **state)
{
	(void)state;
	host h;
	host_init_live(&h);
	fact_set *fs = run_probe(&probe_wireless, &h);
	check_known_or_reason(fs, "wireless.present");
	check_known_or_reason(fs, "wireless.profiles");
	check_known_or_reason(fs, "wireless.insecure_profiles");
	fact_set_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_and_wep_networks),
		cmocka_unit_test(only_encrypted_networks),
		cmocka_unit_test(interface_without_networks),
		cmocka_unit_test(no_wireless_is_not_applicable),
		cmocka_unit_test(live_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
