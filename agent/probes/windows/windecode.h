/* SPDX-License-Identifier: Apache-2.0 */
/* Decoding what Windows APIs return, as pure functions: no windows.h, so
 * the same code runs in the Linux unit tests (tests/test_windows_decode.c)
 * and in the Windows probes. Numbers are taken as the APIs document them;
 * where a layout is not documented by Microsoft (Security Center's
 * productState) the comment says so. */
#ifndef HOSTAUDIT_WINDECODE_H
#define HOSTAUDIT_WINDECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Symbolic name of an HRESULT or NERR/Win32 code hostaudit meets (COM,
 * WMI, Windows Update Agent, NetAPI), or NULL. */
const char *win_hresult_name(uint32_t hr);

/* --- SIDs and ACLs ------------------------------------------------------ */
#define SID_EVERYONE "S-1-1-0"
#define SID_ANONYMOUS "S-1-5-7"
#define SID_AUTHENTICATED_USERS "S-1-5-11"
#define SID_SYSTEM "S-1-5-18"
#define SID_ADMINISTRATORS "S-1-5-32-544"
#define SID_USERS "S-1-5-32-545"
#define SID_GUESTS "S-1-5-32-546"
#define SID_TRUSTED_INSTALLER "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"

/* Whether a SID may write hostaudit's own files (config, rules): SYSTEM,
 * Administrators, TrustedInstaller, or me (the SID this process runs as). */
bool win_sid_is_trusted_writer(const char *sid, const char *me);
/* Whether an access mask grants writing, deleting or changing the ACL. */
bool win_access_mask_writes(uint32_t mask);
/* Rights on a directory that let their holder take away or replace what
 * is already in it (delete or rename a child, or the directory itself;
 * change its ACL or owner). Creating new files is not among them. */
bool win_access_mask_replaces(uint32_t mask);
/* Whether an access mask lets its holder read the file's data, or give
 * themselves that right (WRITE_DAC, WRITE_OWNER): the test for a secret. */
bool win_access_mask_reads(uint32_t mask);
/* Whether a SID stands for anyone, with or without a password: Everyone,
 * Guests, Anonymous logon. Names are translated ("Everyone" is "Everyone"
 * only in English), SIDs are not. */
bool win_sid_is_public(const char *sid);
/* The relative identifier (last sub-authority) of a SID string; false if
 * it is not a SID. */
bool win_sid_rid(const char *sid, uint32_t *rid);
/* Whether a SID is the built-in Guest account: a machine or domain SID
 * (S-1-5-21-...) with RID 501. */
bool win_sid_is_guest_account(const char *sid);

/* --- Windows Security Center (root\SecurityCenter2 productState) -------- */
/* productState is not documented by Microsoft; this layout is the one
 * every vendor and inventory tool reads, confirmed on real systems:
 *   bits 12-13  scanner: 0 off, 1 on, 2 snoozed, 3 expired
 *   bits  8-11  owner: 1 Microsoft (Defender), 0 another vendor
 *   bits  4-7   signatures: 0 up to date, 1 out of date */
typedef enum { WSC_OFF, WSC_ON, WSC_SNOOZED, WSC_EXPIRED } wsc_scanner;
typedef struct wsc_state {
	wsc_scanner scanner;
	bool microsoft;       /* Microsoft Defender itself */
	bool signatures_current;
} wsc_state;
wsc_state wsc_decode_product_state(uint32_t product_state);
const char *wsc_scanner_name(wsc_scanner s);

/* Defender's MSFT_MpComputerStatus.AMRunningMode: "Normal", "Passive
 * Mode", "EDR Block Mode", "SxS Passive Mode". Passive: another product
 * protects the host and Defender only scans on demand - not a failure. */
bool defender_mode_is_passive(const char *am_running_mode);

/* --- Windows Update Agent ------------------------------------------------ */
/* IUpdateHistoryEntry::get_ResultCode (OperationResultCode). */
const char *wua_result_name(int code);
/* Only orcSucceeded (2) is a successful installation: orcSucceededWithErrors
 * (3) means some of the updates in the operation failed. */
bool wua_result_is_success(int code);
/* IUpdateHistoryEntry::get_Operation: uoInstallation is 1. */
bool wua_operation_is_install(int operation);
/* AutomaticUpdatesNotificationLevel (IAutomaticUpdates settings) or the
 * policy AUOptions value: whether updates install without a person.
 * aunlScheduledInstallation = 4 (policy AUOptions 4 too). Policy AUOptions
 * 5 lets the local administrator choose: not automatic by itself. */
bool wua_notification_level_installs(int level);
const char *wua_notification_level_name(int level);

/* OLE Automation DATE (days since 1899-12-30, fraction = time of day, UTC
 * as WUA returns it) to Unix seconds. */
int64_t win_ole_date_to_epoch(double date);
/* FILETIME (100 ns since 1601-01-01 UTC) to Unix seconds. */
int64_t win_filetime_to_epoch(uint64_t filetime);
/* WMI CIM_DATETIME "yyyymmddHHMMSS.mmmmmmsUUU" (UUU = minutes from UTC)
 * to Unix seconds; false if malformed. */
bool win_cim_datetime_to_epoch(const char *s, int64_t *epoch);

/* --- NetUserModalsGet ---------------------------------------------------- */
/* usrmod0_max_passwd_age (seconds, TIMEQ_FOREVER 0xFFFFFFFF = never) in
 * days, with "never" as 99999 like /etc/shadow. */
int64_t netmodals_max_age_days(uint32_t seconds);

/* --- Firewall -------------------------------------------------------------- */
/* NET_FW_PROFILE2_DOMAIN 1, PRIVATE 2, PUBLIC 4. */
const char *fw_profile_name(unsigned bit);

/* --- BitLocker (Win32_EncryptableVolume.ProtectionStatus) -------------- */
/* 0 unprotected, 1 protected, 2 unknown (the volume is locked). */
const char *bitlocker_protection_name(uint32_t status);

/* --- Screen saver (HKCU\Control Panel\Desktop, REG_SZ values) ------------ */
/* ScreenSaveActive / ScreenSaverIsSecure "1"/"0"; ScreenSaveTimeOut in
 * seconds as a decimal string. false if the text is not a number. */
bool win_reg_sz_int(const char *s, int64_t *out);

/* --- File History (Config1.xml / Config2.xml, UTF-8) --------------------- */
/* What a user's File History configuration says: the file has no time of
 * the last backup (docs/windows.md), only where the copies go. */
typedef struct win_fh_config {
	bool enabled;          /* <DPStatus>ENABLED</DPStatus> */
	char target_url[520];  /* <TargetUrl>E:\</TargetUrl>, or a \\server\share */
	char store_path[520];  /* <TargetBackupStorePath>user\PC\Data</...> */
} win_fh_config;
/* false when the text is not a File History configuration. */
bool win_fh_config_parse(const char *xml, win_fh_config *out);
/* The target's Configuration folder, beside the store's Data folder
 * ("E:\FileHistory\user\PC\Configuration"): File History copies its
 * catalog there when a backup cycle reaches the target. false when the
 * configuration names no target. */
bool win_fh_target_config_dir(const win_fh_config *c, char *out, size_t size);

/* Wildcards as Windows users write them: '*' any run, '?' one character,
 * ASCII letters compared without case. For site evidence globs. */
bool win_wildcard_match(const char *pattern, const char *name);

#endif

/* --- secedit /export (INF text, already converted to UTF-8) ------------- */
/* The integer value of KEY in the [System Access] section
 * ("PasswordComplexity = 1"); false if absent. */
bool secedit_value(const char *inf, const char *key, int64_t *out);

/* --- Local accounts (NetUserEnum level 20) ------------------------------- */
#define WIN_UF_ACCOUNTDISABLE 0x0002u
#define WIN_UF_PASSWD_NOTREQD 0x0020u
#define WIN_UF_NORMAL_ACCOUNT 0x0200u
#define WIN_UF_DONT_EXPIRE_PASSWD 0x10000u
/* An account a person logs in with: an enabled normal account, the
 * built-in Administrator (RID 500) or a created one (RID 1000 and up);
 * not Guest (501), DefaultAccount (503), WDAGUtilityAccount (504). */
bool win_account_is_human(uint32_t flags, uint32_t rid);
