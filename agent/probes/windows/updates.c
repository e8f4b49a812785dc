/* SPDX-License-Identifier: Apache-2.0 */
/* Windows updates (checklist article 1), from the Windows Update Agent's
 * COM API, never from localised command output:
 *  - pending: IUpdateSearcher::Search("IsInstalled=0 and IsHidden=0")
 *    offline (put_Online(VARIANT_FALSE)): what the last scan found, fast
 *    and without network; security = the "Security Updates"
 *    classification, matched by its category ID, not its translated name;
 *  - last successful installation: the newest history entry that is an
 *    installation with orcSucceeded (IUpdateSearcher::QueryHistory; the
 *    registry's LastSuccessTime is known to go stale);
 *  - automatic updates: the AU policy key when set, else
 *    IAutomaticUpdates settings;
 *  - reboot required: ISystemInformation::get_RebootRequired. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "hostaudit/probe.h"
#include "regread.h"
#include "util.h"
#include "wincom.h"
#include "windecode.h"
#include "winutil.h"
#include <wuapi.h>

/* WSUS/Microsoft Update classification "Security Updates". */
static const wchar_t security_updates_id[] = L"0fa1201d-4330-4fa8-8ae9-b877473b6441";

static void unknown_hr(fact_set *fs, const char *fact_name, const char *what, HRESULT hr)
{
	char t[300];
	win_hresult_text(hr, t, sizeof t);
	fact_set_unknown(fs, fact_name, "%s failed: %s", what, t);
}

static bool is_security(IUpdate *u)
{
	ICategoryCollection *cats = NULL;
	LONG n = 0;
	bool sec = false;
	if (FAILED(IUpdate_get_Categories(u, &cats)) || !cats)
		return false;
	ICategoryCollection_get_Count(cats, &n);
	for (LONG i = 0; i < n && !sec; i++) {
		ICategory *c = NULL;
		BSTR id = NULL;
		if (SUCCEEDED(ICategoryCollection_get_Item(cats, i, &c)) && c &&
		    SUCCEEDED(ICategory_get_CategoryID(c, &id)) && id)
			sec = _wcsicmp(id, security_updates_id) == 0;
		SysFreeString(id);
		if (c)
			ICategory_Release(c);
	}
	ICategoryCollection_Release(cats);
	return sec;
}

static void pending(IUpdateSearcher *s, fact_set *fs)
{
	static const char *const facts[] = {"updates.pending", "updates.pending_count",
					    "updates.security_pending",
					    "updates.security_pending_count"};
	ISearchResult *res = NULL;
	IUpdateCollection *ups = NULL;
	HRESULT hr = IUpdateSearcher_put_Online(s, VARIANT_FALSE);
	BSTR crit = SysAllocString(L"IsInstalled=0 and IsHidden=0");
	if (SUCCEEDED(hr))
		hr = IUpdateSearcher_Search(s, crit, &res);
	SysFreeString(crit);
	if (SUCCEEDED(hr))
		hr = ISearchResult_get_Updates(res, &ups);
	if (FAILED(hr)) {
		for (size_t i = 0; i < 4; i++)
			unknown_hr(fs, facts[i], "IUpdateSearcher::Search (offline)", hr);
		if (res)
			ISearchResult_Release(res);
		return;
	}
	LONG n = 0;
	IUpdateCollection_get_Count(ups, &n);
	fact_list all = {0}, sec = {0};
	for (LONG i = 0; i < n; i++) {
		IUpdate *u = NULL;
		BSTR title = NULL;
		if (FAILED(IUpdateCollection_get_Item(ups, i, &u)) || !u)
			continue;
		IUpdate_get_Title(u, &title);
		char *t = win_utf8(title);
		fact_list_push(&all, t);
		if (is_security(u))
			fact_list_push(&sec, t);
		free(t);
		SysFreeString(title);
		IUpdate_Release(u);
	}
	const char *ev = "Windows Update Agent IUpdateSearcher::Search(\"IsInstalled=0 and "
			 "IsHidden=0\"), offline: the result of the last scan";
	fact_set_int(fs, "updates.pending_count", (int64_t)all.count, "%s", ev);
	fact_set_int(fs, "updates.security_pending_count", (int64_t)sec.count,
		     "%s, classification Security Updates", ev);
	fact_set_list(fs, "updates.pending", &all, "%s", ev);
	fact_set_list(fs, "updates.security_pending", &sec, "%s, classification Security Updates",
		      ev);
	IUpdateCollection_Release(ups);
	ISearchResult_Release(res);
}

static void last_install(IUpdateSearcher *s, fact_set *fs)
{
	LONG total = 0;
	HRESULT hr = IUpdateSearcher_GetTotalHistoryCount(s, &total);
	if (FAILED(hr)) {
		unknown_hr(fs, "updates.last_upgrade", "IUpdateSearcher::GetTotalHistoryCount", hr);
		return;
	}
	IUpdateHistoryEntryCollection *hist = NULL;
	LONG want = total > 1000 ? 1000 : total; /* newest first */
	if (want > 0 && FAILED(hr = IUpdateSearcher_QueryHistory(s, 0, want, &hist))) {
		unknown_hr(fs, "updates.last_upgrade", "IUpdateSearcher::QueryHistory", hr);
		return;
	}
	int64_t newest = 0;
	char title[256] = "";
	LONG n = 0;
	if (hist)
		IUpdateHistoryEntryCollection_get_Count(hist, &n);
	for (LONG i = 0; i < n; i++) {
		IUpdateHistoryEntry *e = NULL;
		OperationResultCode rc;
		UpdateOperation op;
		DATE d;
		if (FAILED(IUpdateHistoryEntryCollection_get_Item(hist, i, &e)) || !e)
			continue;
		if (SUCCEEDED(IUpdateHistoryEntry_get_ResultCode(e, &rc)) &&
		    SUCCEEDED(IUpdateHistoryEntry_get_Operation(e, &op)) &&
		    SUCCEEDED(IUpdateHistoryEntry_get_Date(e, &d)) && wua_result_is_success(rc) &&
		    wua_operation_is_install(op) && win_ole_date_to_epoch(d) > newest) {
			BSTR t = NULL;
			newest = win_ole_date_to_epoch(d);
			IUpdateHistoryEntry_get_Title(e, &t);
			win_utf8_buf(t, title, sizeof title);
			SysFreeString(t);
		}
		IUpdateHistoryEntry_Release(e);
	}
	if (hist)
		IUpdateHistoryEntryCollection_Release(hist);
	if (newest > 0)
		fact_set_time(fs, "updates.last_upgrade", newest,
			      "IUpdateSearcher::QueryHistory: newest installation with orcSucceeded "
			      "(%s) of %ld entries", title, (long)n);
	else
		fact_set_unknown(fs, "updates.last_upgrade",
				 "no successful installation in the %ld entries of the Windows Update "
				 "history", (long)n);
}

static void automatic(fact_set *fs)
{
	static const wchar_t au_policy[] = L"SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU";
	DWORD no_au = 0, opt = 0;
	if (reg_get_dword(HKEY_LOCAL_MACHINE, au_policy, L"NoAutoUpdate", &no_au) == ERROR_SUCCESS &&
	    no_au == 1) {
		fact_set_bool(fs, "updates.auto_enabled", false,
			      "policy HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU "
			      "NoAutoUpdate = 1");
		return;
	}
	if (reg_get_dword(HKEY_LOCAL_MACHINE, au_policy, L"AUOptions", &opt) == ERROR_SUCCESS) {
		fact_set_bool(fs, "updates.auto_enabled", wua_notification_level_installs((int)opt),
			      "policy HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU "
			      "AUOptions = %lu (%s)", (unsigned long)opt,
			      wua_notification_level_name((int)opt));
		return;
	}
	IAutomaticUpdates *au = NULL;
	IAutomaticUpdatesSettings *set = NULL;
	AutomaticUpdatesNotificationLevel lvl;
	HRESULT hr = CoCreateInstance(&CLSID_AutomaticUpdates, NULL, CLSCTX_ALL,
				      &IID_IAutomaticUpdates, (void **)&au);
	if (SUCCEEDED(hr))
		hr = IAutomaticUpdates_get_Settings(au, &set);
	if (SUCCEEDED(hr))
		hr = IAutomaticUpdatesSettings_get_NotificationLevel(set, &lvl);
	if (SUCCEEDED(hr))
		fact_set_bool(fs, "updates.auto_enabled", wua_notification_level_installs((int)lvl),
			      "no AU policy; IAutomaticUpdatesSettings::NotificationLevel = %d (%s)",
			      (int)lvl, wua_notification_level_name((int)lvl));
	else
		unknown_hr(fs, "updates.auto_enabled", "no AU policy, and IAutomaticUpdates", hr);
	if (set)
		IAutomaticUpdatesSettings_Release(set);
	if (au)
		IAutomaticUpdates_Release(au);
}

static void reboot(fact_set *fs)
{
	ISystemInformation *si = NULL;
	VARIANT_BOOL req = VARIANT_FALSE;
	HRESULT hr = CoCreateInstance(&CLSID_SystemInformation, NULL, CLSCTX_ALL,
				      &IID_ISystemInformation, (void **)&si);
	if (SUCCEEDED(hr))
		hr = ISystemInformation_get_RebootRequired(si, &req);
	if (SUCCEEDED(hr))
		fact_set_bool(fs, "updates.reboot_required", req != VARIANT_FALSE,
			      "ISystemInformation::get_RebootRequired");
	else
		unknown_hr(fs, "updates.reboot_required", "ISystemInformation::get_RebootRequired", hr);
	if (si)
		ISystemInformation_Release(si);
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	if (h->root && h->root[0]) {
		fact_set_unset_prefix(fs, "updates.", FACT_UNKNOWN,
				      "--root: Windows Update is asked through COM, not from a disk");
		return 0;
	}
	fact_set_string(fs, "updates.source", "wua", "Windows Update Agent (COM)");
	HRESULT hr = com_enter();
	if (FAILED(hr)) {
		char t[300];
		win_hresult_text(hr, t, sizeof t);
		fact_set_unset_prefix(fs, "updates.", FACT_UNKNOWN, "COM initialisation failed: %s", t);
		return 0;
	}
	IUpdateSession *session = NULL;
	IUpdateSearcher *searcher = NULL;
	hr = CoCreateInstance(&CLSID_UpdateSession, NULL, CLSCTX_ALL, &IID_IUpdateSession,
			      (void **)&session);
	if (SUCCEEDED(hr))
		hr = IUpdateSession_CreateUpdateSearcher(session, &searcher);
	if (SUCCEEDED(hr)) {
		pending(searcher, fs);
		last_install(searcher, fs);
		IUpdateSearcher_Release(searcher);
	} else {
		const char *f[] = {"updates.pending", "updates.pending_count", "updates.security_pending",
				   "updates.security_pending_count", "updates.last_upgrade"};
		for (size_t i = 0; i < 5; i++)
			unknown_hr(fs, f[i], "creating the Windows Update searcher", hr);
	}
	if (session)
		IUpdateSession_Release(session);
	automatic(fs);
	reboot(fs);
	fact_set_unknown(fs, "updates.lists_refreshed",
			 "the time of the last Windows Update scan is not read yet "
			 "(IAutomaticUpdatesResults is missing from mingw-w64's wuapi.h)");
	com_leave();
	return 0;
}

const probe probe_updates = {"updates", "updates.", run};
