/* SPDX-License-Identifier: Apache-2.0 */
/* Screen lock on Windows (checklist article 8; self-check 14):
 *  - machine policy InactivityTimeoutSecs (HKLM\...\Policies\System):
 *    Windows locks every session after that many idle seconds;
 *  - per user, in each loaded user hive under HKEY_USERS: the screen
 *    saver (Control Panel\Desktop ScreenSaveActive, ScreenSaverIsSecure,
 *    ScreenSaveTimeOut), the user policy under Software\Policies first.
 * Only hives of users logged on (or with running processes) are loaded;
 * the evidence names the users seen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "hostaudit/probe.h"
#include "regread.h"
#include "util.h"
#include "windecode.h"
#include "winutil.h"

static const wchar_t desktop[] = L"Control Panel\\Desktop";
static const wchar_t desktop_policy[] = L"Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop";

/* A REG_SZ number from the policy key, else the user's own key. */
static bool user_value(HKEY hive, const wchar_t *name, int64_t *v, bool *by_policy)
{
	char s[32];
	if (reg_get_string(hive, desktop_policy, name, s, sizeof s) == ERROR_SUCCESS &&
	    win_reg_sz_int(s, v)) {
		*by_policy = true;
		return true;
	}
	*by_policy = false;
	return reg_get_string(hive, desktop, name, s, sizeof s) == ERROR_SUCCESS && win_reg_sz_int(s, v);
}

/* Seconds until this user's session locks (0 = never); whether policy set it. */
static int64_t user_lock_seconds(HKEY hive, bool *enforced)
{
	int64_t active = 0, secure = 0, timeout = 0;
	bool p1 = false, p2 = false, p3 = false;
	bool ok = user_value(hive, L"ScreenSaveActive", &active, &p1) &&
		  user_value(hive, L"ScreenSaverIsSecure", &secure, &p2) &&
		  user_value(hive, L"ScreenSaveTimeOut", &timeout, &p3);
	*enforced = p1 && p2 && p3;
	return ok && active == 1 && secure == 1 && timeout > 0 ? timeout : 0;
}

static bool is_user_sid(const wchar_t *name)
{
	return !wcsncmp(name, L"S-1-5-21-", 9) && !wcsstr(name, L"_Classes");
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	if (h->root && h->root[0]) {
		fact_set_unset_prefix(fs, "screenlock.", FACT_UNKNOWN,
				      "--root: the registry of a mounted disk is not read");
		return 0;
	}
	DWORD machine = 0;
	bool machine_set = reg_get_dword(HKEY_LOCAL_MACHINE,
					 L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System",
					 L"InactivityTimeoutSecs", &machine) == ERROR_SUCCESS &&
			   machine > 0;
	int64_t longest = 0;
	bool all_lock = true, all_enforced = true;
	size_t users = 0;
	char ev[700] = "";
	wchar_t name[256];
	for (DWORD i = 0;; i++) {
		DWORD n = 256;
		if (RegEnumKeyExW(HKEY_USERS, i, name, &n, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
			break;
		if (!is_user_sid(name))
			continue;
		HKEY hive;
		if (RegOpenKeyExW(HKEY_USERS, name, 0, KEY_READ, &hive) != ERROR_SUCCESS)
			continue;
		bool enforced;
		int64_t secs = user_lock_seconds(hive, &enforced);
		RegCloseKey(hive);
		if (machine_set && (secs == 0 || (int64_t)machine < secs))
			secs = machine;
		users++;
		all_lock = all_lock && secs > 0;
		all_enforced = all_enforced && (enforced || machine_set);
		if (secs > longest)
			longest = secs;
		/* a whole message each, so that each is translated */
		if (secs)
			fact_buf_append(ev, sizeof ev, "; ", "%ls: locks", name);
		else
			fact_buf_append(ev, sizeof ev, "; ", "%ls: does not lock", name);
	}
	const char *mp = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System "
			 "InactivityTimeoutSecs";
	if (users == 0) {
		if (machine_set) {
			fact_set_bool(fs, "screenlock.enabled", true, "%s = %lu", mp, (unsigned long)machine);
			fact_set_bool(fs, "screenlock.enforced", true, "%s = %lu", mp, (unsigned long)machine);
			fact_set_int(fs, "screenlock.idle_seconds", machine, "%s", mp);
		} else {
			fact_set_unset_prefix(fs, "screenlock.", FACT_UNKNOWN,
					      "no user is logged on (no user hive under HKEY_USERS) and "
					      "%s is not set", mp);
		}
		return 0;
	}
	if (!all_lock)
		longest = 0; /* someone's session never locks */
	if (machine_set)
		fact_set_bool(fs, "screenlock.enabled", all_lock, "%s; %s", ev, mp);
	else
		fact_set_bool(fs, "screenlock.enabled", all_lock, "%s", ev);
	if (machine_set)
		fact_set_bool(fs, "screenlock.enforced", all_enforced,
			      "%s set; user policy Software\\Policies\\...\\Control Panel\\Desktop "
			      "per user",
			      mp);
	else
		fact_set_bool(fs, "screenlock.enforced", all_enforced,
			      "%s not set; user policy Software\\Policies\\...\\Control Panel\\"
			      "Desktop per user",
			      mp);
	fact_set_int(fs, "screenlock.idle_seconds", longest,
		     "longest lock delay over %zu logged-on users (ScreenSaveTimeOut with "
		     "ScreenSaveActive and ScreenSaverIsSecure; %s)", users, mp);
	return 0;
}

const probe probe_screenlock = {"screenlock", "screenlock.", run};
