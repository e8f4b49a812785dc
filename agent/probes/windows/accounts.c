/* SPDX-License-Identifier: Apache-2.0 */
/* Accounts anyone could use on Windows (IPA 5 articles, 4): the built-in
 * Guest account, found by its RID 501 (its name is translated: ゲスト on
 * Japanese Windows), and Winlogon automatic logon. */
#include <windows.h>
#include <lm.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/probe.h"
#include "regread.h"
#include "windecode.h"
#include "winutil.h"

static void guest(fact_set *fs)
{
	DWORD_PTR resume = 0;
	NET_API_STATUS st;
	do {
		USER_INFO_20 *ui = NULL;
		DWORD read = 0, total = 0;
		st = NetUserEnum(NULL, 20, FILTER_NORMAL_ACCOUNT, (BYTE **)&ui, MAX_PREFERRED_LENGTH,
				 &read, &total, (DWORD *)&resume);
		if (st != NERR_Success && st != ERROR_MORE_DATA)
			break;
		for (DWORD i = 0; i < read; i++) {
			if (ui[i].usri20_user_id != 501)
				continue;
			bool on = !(ui[i].usri20_flags & WIN_UF_ACCOUNTDISABLE);
			fact_set_bool(fs, "accounts.guest_enabled", on,
				      "NetUserEnum level 20: the account with RID 501 (%ls) is %s",
				      ui[i].usri20_name, on ? "enabled" : "disabled");
			NetApiBufferFree(ui);
			return;
		}
		NetApiBufferFree(ui);
	} while (st == ERROR_MORE_DATA);
	if (st == NERR_Success || st == ERROR_MORE_DATA) {
		fact_set_bool(fs, "accounts.guest_enabled", false,
			      "NetUserEnum level 20: no account with RID 501");
	} else {
		char t[300];
		win_hresult_text(HRESULT_FROM_WIN32(st), t, sizeof t);
		fact_set_unknown(fs, "accounts.guest_enabled", "NetUserEnum level 20 failed: %s", t);
	}
}

static void autologin(fact_set *fs)
{
	static const wchar_t key[] = L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon";
	char on[16] = "", user[256] = "";
	LSTATUS st = reg_get_string(HKEY_LOCAL_MACHINE, key, L"AutoAdminLogon", on, sizeof on);
	fact_list l = {0};
	if (st != ERROR_SUCCESS && st != ERROR_FILE_NOT_FOUND) {
		char t[300];
		reg_status_text(st, t, sizeof t);
		fact_set_unknown(fs, "accounts.autologin_users", "Winlogon AutoAdminLogon: %s", t);
		return;
	}
	if (!strcmp(on, "1")) {
		reg_get_string(HKEY_LOCAL_MACHINE, key, L"DefaultUserName", user, sizeof user);
		fact_list_push(&l, user[0] ? user : "?");
	}
	if (user[0])
		fact_set_list(fs, "accounts.autologin_users", &l,
			      "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon "
			      "AutoAdminLogon = '%s', DefaultUserName %s", on, user);
	else
		fact_set_list(fs, "accounts.autologin_users", &l,
			      "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon "
			      "AutoAdminLogon = '%s'", on);
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	if (h->root && h->root[0]) {
		fact_set_unset_prefix(fs, "accounts.", FACT_UNKNOWN,
				      "--root: the SAM and registry of a mounted disk are not read");
		return 0;
	}
	guest(fs);
	autologin(fs);
	fact_set_unset_prefix(fs, "accounts.ssh.", FACT_UNKNOWN,
			      "the OpenSSH Server settings (sshd_config under %%ProgramData%%\\ssh) are not read on Windows yet");
	return 0;
}

const probe probe_accounts = {"accounts", "accounts.", run};
