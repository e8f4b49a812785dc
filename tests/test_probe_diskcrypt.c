/* SPDX-License-Identifier: Apache-2.0 */
/* The disk-encryption probe on fixture hosts (fake /proc and /sys) and on
 * this machine. */
#include "factcheck.h"

#include "hostaudit/probe.h"

extern const probe probe_diskcrypt;

static fact_set *on(const char *scenario)
{
	host h = fixture_host(scenario, TEST_NOW);
	return run_probe(&probe_diskcrypt, &h);
}

static void lvm_on_luks(void **state)
{
	(void)state;
	fact_set *fs = on("diskcrypt-luks");
	check_bool(fs, "diskcrypt.root_encrypted", true,
		    "/ is mounted (ext4 from /dev/mapper/vg-root, device 253:1; "
		    "/proc/self/mountinfo:3)");
	check_bool(fs, "diskcrypt.root_encrypted", true,
		    "dm-1 (LVM) -> dm-0 (CRYPT-LUKS2); nvme0n1p3_crypt is /etc/crypttab:2");
	check_bool(fs, "diskcrypt.home_encrypted", true, "/home is mounted");
	check_bool(fs, "diskcrypt.home_encrypted", true, "dm-2 (LVM) -> dm-0 (CRYPT-LUKS2)");
	check_bool(fs, "diskcrypt.home_separate", true,
		   "/home is served by the mount at /home (/proc/self/mountinfo:5)");
	check_bool(fs, "diskcrypt.swap_encrypted", true,
		    "1 of 1 swap area(s) on dm-crypt: swap /dev/dm-3: dm-3 (CRYPT-PLAIN); "
		    "/dev/zram0: compressed RAM, never on disk; /etc/crypttab:3 cryptswap (swap)");
	fact_set_free(fs);
}

static void plain_partitions(void **state)
{
	(void)state;
	fact_set *fs = on("diskcrypt-plain");
	check_bool(fs, "diskcrypt.root_encrypted", false,
		    "/sys/dev/block/8:2: sda2 (no dm-crypt layer)");
	/* btrfs: anonymous device number, found by /dev/mapper name; one of
	 * the two physical volumes is not encrypted. */
	check_bool(fs, "diskcrypt.home_encrypted", false,
		    "(btrfs from /dev/mapper/data-home, device 0:45; /proc/self/mountinfo:3); "
		    "/sys/class/block/dm-1: dm-1 (LVM) -> dm-0 (CRYPT-LUKS2) -> sdc1 "
		    "(no dm-crypt layer)");
	check_bool(fs, "diskcrypt.swap_encrypted", false,
		    "0 of 2 swap area(s) on dm-crypt: swap /dev/sda3: sda3 (no dm-crypt layer); "
		    "swap file /swapfile on /: sda2 (no dm-crypt layer)");
	fact_set_free(fs);
}

static void offline_disk_is_unknown(void **state)
{
	(void)state;
	fact_set *fs = on("diskcrypt-offline");
	check_state(fs, "diskcrypt.root_encrypted", FACT_UNKNOWN,
		     "cannot read /proc/self/mountinfo under --root");
	check_state(fs, "diskcrypt.home_encrypted", FACT_UNKNOWN, NULL);
	check_state(fs, "diskcrypt.swap_encrypted", FACT_UNKNOWN, NULL);
	check_state(fs, "diskcrypt.home_separate", FACT_UNKNOWN, NULL);
	fact_set_free(fs);
}

static void live_machine(void **state)
{
	(void)state;
	host h;
	host_init_live(&h);
	fact_set *fs = run_probe(&probe_diskcrypt, &h);
	check_known_or_reason(fs, "diskcrypt.root_encrypted");
	check_known_or_reason(fs, "diskcrypt.home_encrypted");
	check_known_or_reason(fs, "diskcrypt.swap_encrypted");
	check_known_or_reason(fs, "diskcrypt.home_separate");
	fact_set_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lvm_on_luks),
		cmocka_unit_test(plain_partitions),
		cmocka_unit_test(offline_disk_is_unknown),
		cmocka_unit_test(live_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
