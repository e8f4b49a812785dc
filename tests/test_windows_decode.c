/* SPDX-License-Identifier: Apache-2.0 */
/* Decoders of Windows API values (agent/probes/windows/decode.c) and
 * command-line quoting (agent/platform/windows/wincmdline.c): pure code,
 * tested on Linux and, cross-built, under wine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wincmdline.h"
#include "windecode.h"

static void hresult_names(void **state)
{
	(void)state;
	assert_string_equal(win_hresult_name(0x80004001), "E_NOTIMPL");
	assert_string_equal(win_hresult_name(0x8004100E), "WBEM_E_INVALID_NAMESPACE");
	assert_string_equal(win_hresult_name(2140), "NERR_InternalError");
	/* HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED) */
	assert_string_equal(win_hresult_name(0x80070032), "ERROR_NOT_SUPPORTED");
	assert_null(win_hresult_name(0x12345678));
}

static void sids(void **state)
{
	(void)state;
	assert_true(win_sid_is_public("S-1-1-0"));
	assert_true(win_sid_is_public("S-1-5-32-546"));
	assert_true(win_sid_is_public("S-1-5-7"));
	assert_false(win_sid_is_public("S-1-5-11")); /* Authenticated Users need a password */
	assert_false(win_sid_is_public("S-1-5-32-545"));
	assert_true(win_sid_is_guest_account("S-1-5-21-1111-2222-3333-501"));
	assert_false(win_sid_is_guest_account("S-1-5-21-1111-2222-3333-500"));
	assert_false(win_sid_is_guest_account("S-1-5-32-501"));
	assert_false(win_sid_is_guest_account("S-1-5-21-1111-2222-3333-5010"));
	uint32_t rid;
	assert_false(win_sid_rid("not a sid", &rid));
	assert_false(win_sid_rid("S-1-5-21-", &rid));
	assert_true(win_sid_rid("S-1-5-21-1-2-3-1001", &rid));
	assert_int_equal(rid, 1001);
	assert_true(win_sid_is_trusted_writer(SID_SYSTEM, NULL));
	assert_true(win_sid_is_trusted_writer(SID_ADMINISTRATORS, ""));
	assert_true(win_sid_is_trusted_writer("S-1-5-21-9-9-9-1001", "S-1-5-21-9-9-9-1001"));
	assert_false(win_sid_is_trusted_writer(SID_USERS, "S-1-5-21-9-9-9-1001"));
	assert_false(win_sid_is_trusted_writer(SID_EVERYONE, ""));
	assert_true(win_access_mask_writes(0x001F01FF));  /* FILE_ALL_ACCESS */
	assert_true(win_access_mask_writes(0x40000000));  /* GENERIC_WRITE */
	assert_true(win_access_mask_reads(0x00120089));   /* FILE_GENERIC_READ */
	assert_true(win_access_mask_reads(0x80000000));   /* GENERIC_READ */
	assert_true(win_access_mask_reads(0x00040000));   /* WRITE_DAC: can grant itself read */
	assert_false(win_access_mask_reads(0x00100000));  /* SYNCHRONIZE only */
	assert_false(win_access_mask_reads(0x00000080));  /* FILE_READ_ATTRIBUTES */
	assert_true(win_access_mask_writes(0x00000116));  /* modify-ish */
	assert_false(win_access_mask_writes(0x001200A9)); /* read and execute */
	/* On a directory: what lets one move a child away, not add one. */
	assert_true(win_access_mask_replaces(0x00000040));  /* FILE_DELETE_CHILD */
	assert_true(win_access_mask_replaces(0x001301BF));  /* modify: DELETE */
	assert_true(win_access_mask_replaces(0x10000000));  /* GENERIC_ALL */
	assert_false(win_access_mask_replaces(0x00000006)); /* ProgramData's Users: add files */
	assert_false(win_access_mask_replaces(0x001200A9)); /* read and execute */
}

static void security_center(void **state)
{
	(void)state;
	/* Values seen on real systems (documented only by the community). */
	wsc_state s = wsc_decode_product_state(397568); /* 0x061100 Defender on, current */
	assert_int_equal(s.scanner, WSC_ON);
	assert_true(s.microsoft);
	assert_true(s.signatures_current);
	s = wsc_decode_product_state(393472); /* 0x060100 Defender off */
	assert_int_equal(s.scanner, WSC_OFF);
	assert_true(s.microsoft);
	s = wsc_decode_product_state(266256); /* 0x041010 third party on, out of date */
	assert_int_equal(s.scanner, WSC_ON);
	assert_false(s.microsoft);
	assert_false(s.signatures_current);
	s = wsc_decode_product_state(0x062100); /* snoozed */
	assert_int_equal(s.scanner, WSC_SNOOZED);
	assert_string_equal(wsc_scanner_name(WSC_EXPIRED), "expired");
	assert_true(defender_mode_is_passive("Passive Mode"));
	assert_true(defender_mode_is_passive("SxS Passive Mode"));
	assert_false(defender_mode_is_passive("Normal"));
	assert_false(defender_mode_is_passive(NULL));
}

static void windows_update(void **state)
{
	(void)state;
	assert_string_equal(wua_result_name(2), "orcSucceeded");
	assert_string_equal(wua_result_name(4), "orcFailed");
	assert_string_equal(wua_result_name(9), "unknown result code");
	assert_true(wua_result_is_success(2));
	assert_false(wua_result_is_success(3)); /* orcSucceededWithErrors */
	assert_false(wua_result_is_success(4));
	assert_true(wua_operation_is_install(1));
	assert_false(wua_operation_is_install(2));
	assert_true(wua_notification_level_installs(4));
	assert_false(wua_notification_level_installs(3));
	assert_false(wua_notification_level_installs(5));
	assert_string_equal(wua_notification_level_name(1), "disabled");
}

static void times(void **state)
{
	(void)state;
	assert_int_equal(win_ole_date_to_epoch(25569.0), 0);
	assert_int_equal(win_ole_date_to_epoch(25569.5), 43200);
	/* 2026-11-26T00:00:00Z = OLE 46352 */
	assert_int_equal(win_ole_date_to_epoch(46352.0), 1795651200LL);
	assert_int_equal(win_filetime_to_epoch(116444736000000000ULL), 0);
	int64_t t;
	assert_true(win_cim_datetime_to_epoch("20261126090000.000000+540", &t));
	assert_int_equal(t, 1795651200LL); /* 09:00 JST = 00:00 UTC */
	assert_true(win_cim_datetime_to_epoch("20261125230000.000000-060", &t));
	assert_int_equal(t, 1795651200LL);
	assert_false(win_cim_datetime_to_epoch("2026112609000", &t));
	assert_false(win_cim_datetime_to_epoch("20261326090000.000000+540", &t));
}

static void net_modals(void **state)
{
	(void)state;
	assert_int_equal(netmodals_max_age_days(0xFFFFFFFFu), 99999);
	assert_int_equal(netmodals_max_age_days(42 * 86400u), 42);
	assert_int_equal(netmodals_max_age_days(0), 0);
	assert_true(win_account_is_human(WIN_UF_NORMAL_ACCOUNT, 1001));
	assert_true(win_account_is_human(WIN_UF_NORMAL_ACCOUNT, 500));
	assert_false(win_account_is_human(WIN_UF_NORMAL_ACCOUNT, 501));
	assert_false(win_account_is_human(WIN_UF_NORMAL_ACCOUNT, 503));
	assert_false(win_account_is_human(WIN_UF_NORMAL_ACCOUNT | WIN_UF_ACCOUNTDISABLE, 1001));
}

static void secedit(void **state)
{
	(void)state;
	const char *inf = "[Unicode]\r\nUnicode=yes\r\n[System Access]\r\nMinimumPasswordAge = 0\r\n"
			  "PasswordComplexity = 1\r\nPasswordHistorySize = 24\r\n[Event Audit]\r\n"
			  "PasswordComplexity = 0\r\n";
	int64_t v;
	assert_true(secedit_value(inf, "PasswordComplexity", &v));
	assert_int_equal(v, 1);
	assert_true(secedit_value(inf, "PasswordHistorySize", &v));
	assert_int_equal(v, 24);
	assert_false(secedit_value(inf, "LockoutBadCount", &v));
	assert_false(secedit_value("[Event Audit]\nPasswordComplexity = 1\n", "PasswordComplexity", &v));
}

static void small_tables(void **state)
{
	(void)state;
	assert_string_equal(fw_profile_name(1), "domain");
	assert_string_equal(fw_profile_name(4), "public");
	assert_string_equal(bitlocker_protection_name(1), "protection on");
	int64_t v;
	assert_true(win_reg_sz_int("600", &v));
	assert_int_equal(v, 600);
	assert_true(win_reg_sz_int(" 1 ", &v));
	assert_false(win_reg_sz_int("", &v));
	assert_false(win_reg_sz_int("10m", &v));
	assert_false(win_reg_sz_int(NULL, &v));
}

static void check_join(const char *const argv[], const char *want)
{
	char *s = win_cmdline_join(argv);
	assert_string_equal(s, want);
	free(s);
}

static void command_lines(void **state)
{
	(void)state;
	check_join((const char *[]){"C:\\Windows\\System32\\secedit.exe", "/export", NULL},
		   "C:\\Windows\\System32\\secedit.exe /export");
	check_join((const char *[]){"C:\\Program Files\\x.exe", "a b", "", NULL},
		   "\"C:\\Program Files\\x.exe\" \"a b\" \"\"");
	check_join((const char *[]){"x", "say \"hi\"", NULL}, "x \"say \\\"hi\\\"\"");
	/* Backslashes are literal unless they precede a quote. */
	check_join((const char *[]){"x", "C:\\dir\\", NULL}, "x C:\\dir\\");
	check_join((const char *[]){"x", "C:\\my dir\\", NULL}, "x \"C:\\my dir\\\\\"");
	check_join((const char *[]){"x", "a\\\"b", NULL}, "x \"a\\\\\\\"b\"");
}

/* A File History configuration, shaped like the ones Windows 10/11 write. */
static const char fh_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<DataProtectionUserConfig SchemaVersion=\"1\">\n"
	"  <UserName>taro</UserName>\n  <PCName>PC-042</PCName>\n"
	"  <UserFolder>C:\\Users\\taro\\Documents</UserFolder>\n"
	"  <DPFrequency>3600</DPFrequency>\n  <DPStatus>ENABLED</DPStatus>\n"
	"  <Target>\n    <TargetName>USB &amp; co</TargetName>\n"
	"    <TargetUrl>E:\\</TargetUrl>\n    <TargetDriveType>REMOVABLE</TargetDriveType>\n"
	"    <TargetBackupStorePath>taro\\PC-042\\Data</TargetBackupStorePath>\n"
	"  </Target>\n</DataProtectionUserConfig>\n";

static void file_history(void **state)
{
	(void)state;
	win_fh_config c;
	char dir[600];
	assert_true(win_fh_config_parse(fh_xml, &c));
	assert_true(c.enabled);
	assert_string_equal(c.target_url, "E:\\");
	assert_string_equal(c.store_path, "taro\\PC-042\\Data");
	assert_true(win_fh_target_config_dir(&c, dir, sizeof dir));
	assert_string_equal(dir, "E:\\taro\\PC-042\\Configuration");
	/* a network target without a trailing backslash */
	snprintf(c.target_url, sizeof c.target_url, "\\\\nas\\fh");
	assert_true(win_fh_target_config_dir(&c, dir, sizeof dir));
	assert_string_equal(dir, "\\\\nas\\fh\\taro\\PC-042\\Configuration");
	/* turned off; no target; not a configuration at all */
	char off[sizeof fh_xml];
	snprintf(off, sizeof off, "%s", fh_xml);
	memcpy(strstr(off, "ENABLED"), "DISABLE", 7);
	assert_true(win_fh_config_parse(off, &c));
	assert_false(c.enabled);
	assert_true(win_fh_config_parse("<DataProtectionUserConfig></DataProtectionUserConfig>", &c));
	assert_false(c.enabled);
	assert_false(win_fh_target_config_dir(&c, dir, sizeof dir));
	assert_false(win_fh_config_parse("<html/>", &c));
	/* site evidence wildcards */
	assert_true(win_wildcard_match("db-*.sql.gz", "DB-2026-11-25.sql.gz"));
	assert_true(win_wildcard_match("*.ok", "nightly.ok"));
	assert_true(win_wildcard_match("backup-??.zip", "backup-07.zip"));
	assert_false(win_wildcard_match("backup-??.zip", "backup-7.zip"));
	assert_false(win_wildcard_match("*.ok", "nightly.ok.tmp"));
	assert_true(win_wildcard_match("*", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hresult_names), cmocka_unit_test(sids),
		cmocka_unit_test(security_center), cmocka_unit_test(windows_update),
		cmocka_unit_test(times), cmocka_unit_test(net_modals),
		cmocka_unit_test(secedit), cmocka_unit_test(small_tables),
		cmocka_unit_test(command_lines), cmocka_unit_test(file_history),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
