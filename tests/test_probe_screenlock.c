/* SPDX-License-Identifier: Apache-2.0 */
/* The screen-lock probe (GNOME dconf policy, KDE kscreenlockerrc, no
 * desktop) on fixture hosts and on this machine. */
#include "factcheck.h"
#include "probetest.h"

#include "hostaudit/probe.h"

extern const probe probe_screenlock;

static fact_set *on(const char *scenario)
{
	host h = fixture_host(scenario, TEST_NOW);
	return run_probe(&probe_screenlock, &h);
}

static void gnome_locked_policy(void **state)
{
	(void)state;
	fact_set *fs = on("screenlock-gnome-locked");
	/* Locked keys hold although taro's own database turns the lock off. */
	check_bool(fs, "screenlock.enabled", true,
		   "/org/gnome/desktop/screensaver/lock-enabled = 1 "
		   "(/etc/dconf/db/local (compiled), locked at /etc/dconf/db/local (.locks))");
	check_int(fs, "screenlock.idle_seconds", 300,
		  "/org/gnome/desktop/session/idle-delay = 300 "
		  "(/etc/dconf/db/local (compiled), locked at /etc/dconf/db/local (.locks))");
	check_bool(fs, "screenlock.enforced", true, NULL);
	fact_set_free(fs);
}

static void gnome_never_idles(void **state)
{
	(void)state;
	fact_set *fs = on("screenlock-gnome-weak");
	check_bool(fs, "screenlock.enabled", false,
		   "idle-delay = 0 (/etc/dconf/db/site (compiled), not locked)");
	check_bool(fs, "screenlock.enabled", false,
		   "no person has ~/.config/dconf/user: the values above apply");
	check_int(fs, "screenlock.idle_seconds", 0, NULL);
	check_bool(fs, "screenlock.enforced", false, NULL);
	fact_set_free(fs);
}

/* Issue 10: keyfiles without `dconf update` are not in force; the
 * compiled database is what GNOME reads. */
static void gnome_uncompiled_policy_is_not_in_force(void **state)
{
	(void)state;
	fact_set *fs = on("screenlock-gnome-uncompiled");
	check_bool(fs, "screenlock.enabled", false,
		   "/etc/dconf/db/local.d not compiled (no /etc/dconf/db/local: run `dconf "
		   "update`): its keyfiles are not in force");
	check_bool(fs, "screenlock.enforced", false, NULL);
	fact_set_free(fs);
}

static void gnome_stale_keyfile_compiled_value_applies(void **state)
{
	(void)state;
	host h = fixture_host("screenlock-gnome-stale", TEST_NOW);
	set_mtime(&h, "/etc/dconf/db/local", TEST_NOW - 86400);
	set_mtime(&h, "/etc/dconf/db/local.d", TEST_NOW - 3600);
	fact_set *fs = run_probe(&probe_screenlock, &h);
	check_int(fs, "screenlock.idle_seconds", 300,
		  "/etc/dconf/db/local.d changed after /etc/dconf/db/local was compiled");
	check_bool(fs, "screenlock.enforced", true, NULL);
	fact_set_free(fs);
}

static void gnome_user_values_over_system_defaults(void **state)
{
	(void)state;
	fact_set *fs = on("screenlock-gnome-userdb");
	/* taro: his idle-delay 900 beats the site default 600; his lock-delay
	 * 60 cannot beat the locked 0. hanako's idle-delay is an int32, which
	 * GSettings ignores: the site default applies. The weakest is taro. */
	check_int(fs, "screenlock.idle_seconds", 900,
		  "GNOME taro (/home/taro/.config/dconf/user): lock-enabled=1 (schema default), "
		  "idle-delay=900 (user), lock-delay=0 (locked system value), "
		  "idle-activation-enabled=1 (schema default)");
	check_bool(fs, "screenlock.enabled", true,
		   "GNOME hanako (/home/hanako/.config/dconf/user): lock-enabled=1 (schema "
		   "default), idle-delay=600 (system default), lock-delay=0 (locked system "
		   "value), idle-activation-enabled=1 (user)");
	check_bool(fs, "screenlock.enabled", true,
		   "/home/hanako/.config/dconf/user: /org/gnome/desktop/session/idle-delay has "
		   "type 'i', not 'u': GSettings ignores it");
	check_bool(fs, "screenlock.enforced", false, NULL);
	fact_set_free(fs);
}

static void gnome_person_turned_it_off(void **state)
{
	(void)state;
	fact_set *fs = on("screenlock-gnome-useroff");
	check_bool(fs, "screenlock.enabled", false,
		   "GNOME taro (/home/taro/.config/dconf/user): lock-enabled=0 (user), "
		   "idle-delay=600 (user)");
	check_int(fs, "screenlock.idle_seconds", 0, NULL);
	check_bool(fs, "screenlock.enforced", false,
		   "/etc/dconf/profile/user lists no system-db: no system policy");
	fact_set_free(fs);
}

static void gnome_corrupt_user_db_is_unknown(void **state)
{
	(void)state;
	fact_set *fs = on("screenlock-gnome-usercorrupt");
	check_state(fs, "screenlock.enabled", FACT_UNKNOWN,
		    "GNOME: /home/taro/.config/dconf/user is not a readable dconf database: "
		    "root table");
	check_state(fs, "screenlock.idle_seconds", FACT_UNKNOWN, "not a readable dconf database");
	check_bool(fs, "screenlock.enforced", false, NULL);
	fact_set_free(fs);
}

static void kde_immutable_system_setting(void **state)
{
	(void)state;
	fact_set *fs = on("screenlock-kde");
	/* ken's Timeout=30 cannot override the immutable 10; his LockGrace
	 * can: 10 min + 60 s is the weakest. */
	check_bool(fs, "screenlock.enabled", true, NULL);
	check_int(fs, "screenlock.idle_seconds", 660,
		  "ken: Autolock /etc/xdg/kscreenlockerrc:2 Autolock=true, Timeout "
		  "/etc/xdg/kscreenlockerrc:3 Timeout=10, LockGrace "
		  "/home/ken/.config/kscreenlockerrc:3 LockGrace=60");
	check_bool(fs, "screenlock.enforced", true, "immutable in /etc/xdg/kscreenlockerrc");
	fact_set_free(fs);
}

static void kde_person_turned_it_off(void **state)
{
	(void)state;
	fact_set *fs = on("screenlock-kde-off");
	check_bool(fs, "screenlock.enabled", false,
		   "ken: Autolock /home/ken/.config/kscreenlockerrc:2 Autolock=false");
	check_int(fs, "screenlock.idle_seconds", 0, NULL);
	check_bool(fs, "screenlock.enforced", false, NULL);
	fact_set_free(fs);
}

static void other_desktop_is_unknown(void **state)
{
	(void)state;
	fact_set *fs = on("screenlock-xfce");
	check_state(fs, "screenlock.enabled", FACT_UNKNOWN,
		    "/usr/share/xsessions/xfce.desktop) but only GNOME and KDE Plasma");
	fact_set_free(fs);
}

static void headless_is_not_applicable(void **state)
{
	(void)state;
	fact_set *fs = on("bare-host");
	check_state(fs, "screenlock.enabled", FACT_NOT_APPLICABLE, "no desktop");
	check_state(fs, "screenlock.idle_seconds", FACT_NOT_APPLICABLE, "no desktop");
	check_state(fs, "screenlock.enforced", FACT_NOT_APPLICABLE, "no desktop");
	fact_set_free(fs);
}

static void live_machine(void **state)
{
	(void)state;
	host h;
	host_init_live(&h);
	fact_set *fs = run_probe(&probe_screenlock, &h);
	check_known_or_reason(fs, "screenlock.enabled");
	check_known_or_reason(fs, "screenlock.idle_seconds");
	check_known_or_reason(fs, "screenlock.enforced");
	fact_set_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gnome_locked_policy),
		cmocka_unit_test(gnome_never_idles),
		cmocka_unit_test(gnome_uncompiled_policy_is_not_in_force),
		cmocka_unit_test(gnome_stale_keyfile_compiled_value_applies),
		cmocka_unit_test(gnome_user_values_over_system_defaults),
		cmocka_unit_test(gnome_person_turned_it_off),
		cmocka_unit_test(gnome_corrupt_user_db_is_unknown),
		cmocka_unit_test(kde_immutable_system_setting),
		cmocka_unit_test(kde_person_turned_it_off),
		cmocka_unit_test(other_desktop_is_unknown),
		cmocka_unit_test(headless_is_not_applicable),
		cmocka_unit_test(live_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
