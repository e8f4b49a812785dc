/* SPDX-License-Identifier: Apache-2.0 */
/* The shares probe (Samba, usershares, NFS) on fixture hosts and on this
 * machine. */
#include "factcheck.h"

#include "hostaudit/probe.h"

extern const probe probe_shares;

static fact_set *on(const char *scenario)
{
	host h = fixture_host(scenario, TEST_NOW);
	return run_probe(&probe_shares, &h);
}

static void open_shares(void **state)
{
	(void)state;
	fact_set *fs = on("shares-open");
	check_bool(fs, "shares.configured", true, "NFS: 6 export(s)");
	/* [disabled] is not available; [printers] says guest_ok = no. */
	check_list(fs, "shares.guest_open", "samba:Old Share,samba:public,usershare:Music",
		   "[public] at /etc/samba/smb.conf:8 is guest ok (/etc/samba/smb.conf:10)");
	check_list(fs, "shares.guest_open", "samba:Old Share,samba:public,usershare:Music",
		   "/var/lib/samba/usershares/music: guest_ok=y, allowed by "
		   "/etc/samba/smb.conf:5");
	check_list(fs, "shares.guest_open", "samba:Old Share,samba:public,usershare:Music",
		   "map to guest = bad user");
	check_list(fs, "shares.nfs_world",
		   "/srv/nfs/open,/srv/nfs/with space,/srv/nfs/cont,/srv/nfs/bare",
		   "/etc/exports:3 exports /srv/nfs/open to any host");
	check_list(fs, "shares.nfs_world",
		   "/srv/nfs/open,/srv/nfs/with space,/srv/nfs/cont,/srv/nfs/bare",
		   "/etc/exports:6 exports /srv/nfs/cont to any host");
	/* Line numbers stay right after a continuation line. */
	check_list(fs, "shares.nfs_world",
		   "/srv/nfs/open,/srv/nfs/with space,/srv/nfs/cont,/srv/nfs/bare",
		   "/etc/exports:8 exports /srv/nfs/bare to any host");
	fact_set_free(fs);
}

static void closed_shares(void **state)
{
	(void)state;
	fact_set *fs = on("shares-closed");
	check_bool(fs, "shares.configured", true, "/etc/samba/smb.conf: 2 share(s)");
	check_list(fs, "shares.guest_open", "", "map to guest = Never (default)");
	/* An exports file without an NFS server shares nothing. */
	check_list(fs, "shares.nfs_world", "", "NFS server not installed");
	fact_set_free(fs);
}

static void client_only(void **state)
{
	(void)state;
	fact_set *fs = on("shares-client-only");
	check_bool(fs, "shares.configured", false, "Samba server not installed");
	check_list(fs, "shares.guest_open", "", NULL);
	fact_set_free(fs);
}

static void nothing(void **state)
{
	(void)state;
	fact_set *fs = on("bare-host");
	check_bool(fs, "shares.configured", false, NULL);
	check_list(fs, "shares.guest_open", "", NULL);
	check_list(fs, "shares.nfs_world", "", NULL);
	fact_set_free(fs);
}

static void live_machine(void **state)
{
	(void)state;
	host h;
	host_init_live(&h);
	fact_set *fs = run_probe(&probe_shares, &h);
	check_known_or_reason(fs, "shares.configured");
	check_known_or_reason(fs, "shares.guest_open");
	check_known_or_reason(fs, "shares.nfs_world");
	fact_set_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_shares),
		cmocka_unit_test(closed_shares),
		cmocka_unit_test(client_only),
		cmocka_unit_test(nothing),
		cmocka_unit_test(live_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
