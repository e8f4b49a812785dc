/* SPDX-License-Identifier: Apache-2.0 */
/* The accounts probe (automatic login, guest, sshd) on fixture hosts and
 * on this machine. */
#include <sys/stat.h>
#include <unistd.h>

#include "factcheck.h"

#include "hostaudit/probe.h"

extern const probe probe_accounts;

static fact_set *on(const char *scenario)
{
	host h = fixture_host(scenario, TEST_NOW);
	return run_probe(&probe_accounts, &h);
}

static void hardened(void **state)
{
	(void)state;
	fact_set *fs = on("accounts-good");
	check_list(fs, "accounts.autologin_users", "",
		   "no automatic login in /etc/gdm3/daemon.conf");
	check_bool(fs, "accounts.guest_enabled", false, "no 'guest' account with a login shell");
	/* The drop-in is included before the main file's own lines: the first
	 * value wins, as in sshd. */
	check_string(fs, "accounts.ssh.permit_root_login", "no",
		     "PermitRootLogin no at /etc/ssh/sshd_config.d/50-hardening.conf:2");
	check_bool(fs, "accounts.ssh.password_authentication", false,
		   "PasswordAuthentication no at /etc/ssh/sshd_config.d/50-hardening.conf:3");
	check_bool(fs, "accounts.ssh.password_authentication", false,
		   "1 Match block(s) not modelled, first at /etc/ssh/sshd_config:15");
	check_bool(fs, "accounts.ssh.kbd_interactive_authentication", false,
		   "KbdInteractiveAuthentication no at /etc/ssh/sshd_config:9; "
		   "UsePAM yes at /etc/ssh/sshd_config:10");
	fact_set_free(fs);
}

/* Issue 10: sshd removes the quotes around a value; keywords are in any
 * case; the first value (here from a quoted Include) wins. */
static void quoted_values(void **state)
{
	(void)state;
	fact_set *fs = on("accounts-sshd-quoted");
	check_string(fs, "accounts.ssh.permit_root_login", "no",
		     "PermitRootLogin no at /etc/ssh/sshd_config.d/50-hardening.conf:2");
	check_bool(fs, "accounts.ssh.password_authentication", false,
		   "PasswordAuthentication no at /etc/ssh/sshd_config.d/50-hardening.conf:3");
	check_bool(fs, "accounts.ssh.kbd_interactive_authentication", false,
		   "KbdInteractiveAuthentication no at /etc/ssh/sshd_config.d/50-hardening.conf:4");
	fact_set_free(fs);
}

static void weak(void **state)
{
	(void)state;
	fact_set *fs = on("accounts-weak");
	check_list(fs, "accounts.autologin_users", "hanako,taro",
		   "GDM /etc/gdm3/custom.conf:2 AutomaticLoginEnable=True for taro; LightDM "
		   "/etc/lightdm/lightdm.conf.d/50-kiosk.conf:2 autologin-user=hanako");
	check_bool(fs, "accounts.guest_enabled", true,
		   "/etc/lightdm/lightdm.conf.d/50-kiosk.conf:4 allow-guest=true");
	/* Relative Include, lower-case keyword with '=', and the old name. */
	check_string(fs, "accounts.ssh.permit_root_login", "prohibit-password",
		     "PermitRootLogin without-password at "
		     "/etc/ssh/sshd_config.d/10-installer.conf:2");
	check_bool(fs, "accounts.ssh.password_authentication", true,
		   "PasswordAuthentication not set: OpenSSH default yes");
	check_bool(fs, "accounts.ssh.kbd_interactive_authentication", true,
		   "KbdInteractiveAuthentication not set: OpenSSH default yes; UsePAM yes at "
		   "/etc/ssh/sshd_config:2");
	fact_set_free(fs);
}

static void no_ssh_server(void **state)
{
	(void)state;
	fact_set *fs = on("bare-host");
	check_list(fs, "accounts.autologin_users", "",
		   "no GDM, LightDM or SDDM configuration found");
	check_bool(fs, "accounts.guest_enabled", false, "LightDM not installed");
	check_state(fs, "accounts.ssh.permit_root_login", FACT_NOT_APPLICABLE,
		    "/usr/sbin/sshd is not installed");
	check_state(fs, "accounts.ssh.password_authentication", FACT_NOT_APPLICABLE, NULL);
	check_state(fs, "accounts.ssh.kbd_interactive_authentication", FACT_NOT_APPLICABLE,
		    NULL);
	fact_set_free(fs);
}

static void sshd_without_config_is_unknown(void **state)
{
	(void)state;
	fact_set *fs = on("accounts-sshd-noconfig");
	check_state(fs, "accounts.ssh.permit_root_login", FACT_UNKNOWN,
		    "cannot read /etc/ssh/sshd_config");
	fact_set_free(fs);
}

static void live_machine(void **state)
{
	(void)state;
	host h;
	host_init_live(&h);
	fact_set *fs = run_probe(&probe_accounts, &h);
	check_known_or_reason(fs, "accounts.autologin_users");
	check_known_or_reason(fs, "accounts.guest_enabled");
	check_known_or_reason(fs, "accounts.ssh.permit_root_login");
	check_known_or_reason(fs, "accounts.ssh.password_authentication");
	check_known_or_reason(fs, "accounts.ssh.kbd_interactive_authentication");
	fact_set_free(fs);
}

/* Configuration files that include each other by a glob fan out without
 * end (4 files, 16 levels: 4^16 reads); the probe stops at a bound and
 * answers unknown. The alarm makes a regression fail, not hang. */
static void ssh_include_fan_out_is_bounded(void **state)
{
	(void)state;
	char root[256], dir[300], path[340];
	snprintf(root, sizeof root, "%s", make_temp_dir());
	snprintf(dir, sizeof dir, "%s/etc", root);
	mkdir(dir, 0755);
	snprintf(dir, sizeof dir, "%s/etc/ssh", root);
	mkdir(dir, 0755);
	snprintf(path, sizeof path, "%s/sshd_config", dir);
	FILE *f = fopen(path, "w");
	fputs("Include /etc/ssh/*.conf\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/usr", root);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/usr/sbin", root);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/usr/sbin/sshd", root);
	fclose(fopen(path, "w"));
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%d.conf", dir, i);
		f = fopen(path, "w");
		fputs("Include /etc/ssh/*.conf\nPermitRootLogin no\n", f);
		fclose(f);
	}
	host h = {.root = root, .now = TEST_NOW, .privileged = true, .os = "linux"};
	alarm(30);
	fact_set *fs = run_probe(&probe_accounts, &h);
	alarm(0);
	check_state(fs, "accounts.ssh.permit_root_login", FACT_UNKNOWN,
		    "Include");
	fact_set_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ssh_include_fan_out_is_bounded),
		cmocka_unit_test(hardened),
		cmocka_unit_test(quoted_values),
		cmocka_unit_test(weak),
		cmocka_unit_test(no_ssh_server),
		cmocka_unit_test(sshd_without_config_is_unknown),
		cmocka_unit_test(live_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
