/* Backup recency on Windows (checklist article 7):
 *  - Windows Server Backup: the newest event 4 ("the backup operation has
 *    finished successfully") in the Microsoft-Windows-Backup log, read
 *    with the event log API (EvtQuery), not `wbadmin get versions`, whose
 *    output is translated;
 *  - File History: whether it is configured for some user (fhsvc
 *    Parameters\Configs). Its last backup time is not read yet (see
 *    docs/windows.md), so it is evidence of a setup, not of a backup.
 * Site-defined evidence (the `backup:` config section of the Linux probe)
 * is a next step once that section is on main. */
#include <windows.h>
#include <winevt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/probe.h"
#include "util.h"
#include "windecode.h"
#include "winutil.h"

/* Time of the newest successful Windows Server Backup, 0 if none. */
static DWORD wsb_last_success(int64_t *when)
{
	*when = 0;
	EVT_HANDLE q = EvtQuery(NULL, L"Microsoft-Windows-Backup", L"*[System[(EventID=4)]]",
				EvtQueryChannelPath | EvtQueryReverseDirection);
	if (!q)
		return GetLastError();
	EVT_HANDLE ev = NULL, ctx = EvtCreateRenderContext(0, NULL, EvtRenderContextSystem);
	DWORD got = 0, err = 0;
	if (ctx && EvtNext(q, 1, &ev, 5000, 0, &got) && got == 1) {
		EVT_VARIANT vals[EvtSystemPropertyIdEND];
		DWORD used = 0, count = 0;
		if (EvtRender(ctx, ev, EvtRenderEventValues, sizeof vals, vals, &used, &count) &&
		    vals[EvtSystemTimeCreated].Type == EvtVarTypeFileTime)
			*when = win_filetime_to_epoch(vals[EvtSystemTimeCreated].FileTimeVal);
		else
			err = GetLastError();
		EvtClose(ev);
	} else if (GetLastError() != ERROR_NO_MORE_ITEMS) {
		err = GetLastError();
	}
	if (ctx)
		EvtClose(ctx);
	EvtClose(q);
	return err;
}

/* Number of File History configurations registered with fhsvc. */
static DWORD file_history_configs(DWORD *n)
{
	HKEY k;
	*n = 0;
	LSTATUS st = RegOpenKeyExW(HKEY_LOCAL_MACHINE,
				   L"SYSTEM\\CurrentControlSet\\Services\\fhsvc\\Parameters\\Configs", 0,
				   KEY_READ | KEY_WOW64_64KEY, &k);
	if (st != ERROR_SUCCESS)
		return (DWORD)st;
	RegQueryInfoKeyW(k, NULL, NULL, NULL, NULL, NULL, NULL, n, NULL, NULL, NULL, NULL);
	RegCloseKey(k);
	return 0;
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	if (h->root && h->root[0]) {
		fact_set_unset_prefix(fs, "backup.", FACT_UNKNOWN,
				      "--root: the event log of a mounted disk is not read");
		return 0;
	}
	int64_t wsb = 0;
	DWORD wsb_err = wsb_last_success(&wsb), fh_n = 0;
	DWORD fh_err = file_history_configs(&fh_n);
	char wsb_why[300] = "", notes[600];
	if (wsb_err == ERROR_EVT_CHANNEL_NOT_FOUND)
		snprintf(wsb_why, sizeof wsb_why, "Windows Server Backup is not installed");
	else if (wsb_err)
		win_hresult_text(HRESULT_FROM_WIN32(wsb_err), wsb_why, sizeof wsb_why);
	snprintf(notes, sizeof notes, "Windows Server Backup: %s; File History: %s",
		 wsb ? "a successful backup" : wsb_why[0] ? wsb_why : "no successful backup logged",
		 fh_err == ERROR_FILE_NOT_FOUND ? "not configured"
		 : fh_err			? "cannot read fhsvc\\Parameters\\Configs"
		 : fh_n				? "configured (last backup time not read yet)"
						: "not configured");
	fact_list src = {0};
	if (wsb) {
		fact_list_push(&src, "wsb");
		fact_set_time(fs, "backup.last_success", wsb,
			      "event 4 in the Microsoft-Windows-Backup log (newest)");
		fact_set_bool(fs, "backup.evidence_found", true, "%s", notes);
		fact_set_list(fs, "backup.sources", &src, "%s", notes);
	} else if (fh_n > 0 || (wsb_err && wsb_err != ERROR_EVT_CHANNEL_NOT_FOUND)) {
		/* Something may back up, but we cannot see when it last did. */
		fact_list_free(&src);
		fact_set_unset_prefix(fs, "backup.", FACT_UNKNOWN, "%s", notes);
	} else {
		fact_set_bool(fs, "backup.evidence_found", false, "%s", notes);
		fact_set_list(fs, "backup.sources", &src, "%s", notes);
		fact_set_not_applicable(fs, "backup.last_success", "no backup evidence: %s", notes);
	}
	return 0;
}

const probe probe_backup = {"backup", "backup.", run};
