/* SPDX-License-Identifier: Apache-2.0 */
/* Local password policy on Windows (checklist article 2):
 *  - NetUserModalsGet level 0: minimum length, maximum age, history;
 *  - NetUserModalsGet level 3: lockout threshold;
 *  - NetUserEnum level 20: the people's accounts and "password never
 *    expires", which overrides the maximum age for that account;
 *  - complexity ("must meet complexity requirements") has no API: it is
 *    read from `secedit /export`, which needs an elevated token.
 * Domain policy (GPO) is what these report on a domain member too: the
 * local SAM carries the effective values. */
#include <errno.h>
#include <windows.h>
#include <lm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/platform.h"
#include "hostaudit/probe.h"
#include "util.h"
#include "windecode.h"
#include "winutil.h"

static void net_error(fact_set *fs, const char *fact_name, const char *call, NET_API_STATUS st)
{
	char why[300];
	win_hresult_text(st >= 2100 && st < 2999 ? (HRESULT)st : HRESULT_FROM_WIN32(st), why,
			 sizeof why);
	fact_set_unknown(fs, fact_name, "%s failed: %s", call, why);
}

/* Enabled people's accounts; whether any has "password never expires". */
static NET_API_STATUS human_accounts(fact_list *humans, fact_list *never_expire)
{
	DWORD_PTR resume = 0;
	NET_API_STATUS st;
	do {
		USER_INFO_20 *ui = NULL;
		DWORD read = 0, total = 0;
		st = NetUserEnum(NULL, 20, FILTER_NORMAL_ACCOUNT, (BYTE **)&ui, MAX_PREFERRED_LENGTH,
				 &read, &total, (DWORD *)&resume);
		if (st != NERR_Success && st != ERROR_MORE_DATA)
			return st;
		for (DWORD i = 0; i < read; i++) {
			if (!win_account_is_human(ui[i].usri20_flags, ui[i].usri20_user_id))
				continue;
			char *name = win_utf8(ui[i].usri20_name);
			fact_list_push(humans, name);
			if (ui[i].usri20_flags & WIN_UF_DONT_EXPIRE_PASSWD)
				fact_list_push(never_expire, name);
			free(name);
		}
		NetApiBufferFree(ui);
	} while (st == ERROR_MORE_DATA);
	return NERR_Success;
}

static void modals0(fact_set *fs, const fact_list *never_expire, bool accounts_known)
{
	USER_MODALS_INFO_0 *m0 = NULL;
	NET_API_STATUS st = NetUserModalsGet(NULL, 0, (BYTE **)&m0);
	if (st != NERR_Success) {
		net_error(fs, "password.min_length", "NetUserModalsGet level 0", st);
		net_error(fs, "password.history_length", "NetUserModalsGet level 0", st);
		net_error(fs, "password.max_age_days", "NetUserModalsGet level 0", st);
		return;
	}
	fact_set_int(fs, "password.min_length", m0->usrmod0_min_passwd_len,
		     "NetUserModalsGet level 0 usrmod0_min_passwd_len");
	fact_set_int(fs, "password.history_length", m0->usrmod0_password_hist_len,
		     "NetUserModalsGet level 0 usrmod0_password_hist_len");
	int64_t days = netmodals_max_age_days(m0->usrmod0_max_passwd_age);
	if (!accounts_known)
		fact_set_unknown(fs, "password.max_age_days",
				 "policy maximum age is %lld days, but the accounts with 'password "
				 "never expires' could not be listed", (long long)days);
	else if (never_expire->count > 0)
		fact_set_int(fs, "password.max_age_days", 99999,
			     "NetUserEnum level 20: 'password never expires' on %s (policy maximum "
			     "age %lld days)", never_expire->items[0], (long long)days);
	else
		fact_set_int(fs, "password.max_age_days", days,
			     "NetUserModalsGet level 0 usrmod0_max_passwd_age = %lu s",
			     (unsigned long)m0->usrmod0_max_passwd_age);
	NetApiBufferFree(m0);
}

static void modals3(fact_set *fs)
{
	USER_MODALS_INFO_3 *m3 = NULL;
	NET_API_STATUS st = NetUserModalsGet(NULL, 3, (BYTE **)&m3);
	if (st != NERR_Success) {
		net_error(fs, "password.lockout.enabled", "NetUserModalsGet level 3", st);
		net_error(fs, "password.lockout.deny", "NetUserModalsGet level 3", st);
		return;
	}
	DWORD t = m3->usrmod3_lockout_threshold;
	fact_set_bool(fs, "password.lockout.enabled", t > 0,
		      "NetUserModalsGet level 3 usrmod3_lockout_threshold = %lu", (unsigned long)t);
	if (t > 0)
		fact_set_int(fs, "password.lockout.deny", t,
			     "NetUserModalsGet level 3 usrmod3_lockout_threshold");
	else
		fact_set_not_applicable(fs, "password.lockout.deny",
					"account lockout is off (threshold 0)");
	NetApiBufferFree(m3);
}

/* secedit /export into a fresh file under the system's temp directory. */
static int secedit_export(const host *h, char **inf, char *why, size_t why_size)
{
	wchar_t sysdir[MAX_PATH], tmpdir[MAX_PATH];
	if (!GetSystemDirectoryW(sysdir, MAX_PATH) || !GetTempPathW(MAX_PATH, tmpdir)) {
		snprintf(why, why_size, "no system or temp directory");
		return -1;
	}
	unsigned char r[8];
	platform_random_bytes(r, sizeof r);
	char *sys = win_utf8(sysdir), *tmp = win_utf8(tmpdir);
	char *exe = xasprintf("%s\\secedit.exe", sys);
	char *cfg = xasprintf("%shostaudit-secedit-%02x%02x%02x%02x%02x%02x%02x%02x.inf", tmp,
			      r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
	free(sys), free(tmp);
	const char *argv[] = {exe, "/export", "/cfg", cfg, "/areas", "SECURITYPOLICY", "/quiet", NULL};
	int status = 0, rc = host_run(h, argv, 30000, 65536, NULL, NULL, &status);
	int result = -1;
	if (rc != 0) {
		snprintf(why, why_size, "cannot run %s: %s", exe, strerror(-rc));
	} else if (status != 0) {
		snprintf(why, why_size, "%s /export exited with status %d", exe, status);
	} else {
		wchar_t *wcfg = win_wide(cfg);
		HANDLE fh = CreateFileW(wcfg, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
					FILE_FLAG_DELETE_ON_CLOSE, NULL);
		free(wcfg);
		DWORD size = fh == INVALID_HANDLE_VALUE ? 0 : GetFileSize(fh, NULL), got = 0;
		if (fh != INVALID_HANDLE_VALUE && size >= 2 && size < 1048576) {
			/* secedit writes UTF-16LE with a byte-order mark. */
			wchar_t *w = xcalloc(size / 2 + 1, sizeof *w);
			if (ReadFile(fh, w, size, &got, NULL)) {
				*inf = win_utf8(w[0] == 0xFEFF ? w + 1 : w);
				result = 0;
			}
			free(w);
		}
		if (fh != INVALID_HANDLE_VALUE)
			CloseHandle(fh);
		if (result != 0)
			snprintf(why, why_size, "cannot read the output of secedit /export (%s)", cfg);
	}
	free(exe), free(cfg);
	return result;
}

static void complexity(const host *h, fact_set *fs)
{
	if (!h->privileged) {
		fact_set_unknown(fs, "password.quality_enforced",
				 "the complexity setting is only readable with secedit /export, "
				 "which needs an elevated (administrator) run");
		fact_set_unknown(fs, "password.min_classes", "see password.quality_enforced");
		return;
	}
	char *inf = NULL, why[400];
	int64_t v;
	if (secedit_export(h, &inf, why, sizeof why) != 0) {
		fact_set_unknown(fs, "password.quality_enforced", "%s", why);
		fact_set_unknown(fs, "password.min_classes", "%s", why);
		return;
	}
	if (!secedit_value(inf, "PasswordComplexity", &v)) {
		fact_set_unknown(fs, "password.quality_enforced",
				 "no PasswordComplexity in [System Access] of secedit /export");
		fact_set_unknown(fs, "password.min_classes", "see password.quality_enforced");
	} else {
		fact_set_bool(fs, "password.quality_enforced", v == 1,
			      "secedit /export: PasswordComplexity = %lld", (long long)v);
		/* "Meets complexity requirements": 3 of the 4 (5) categories. */
		fact_set_int(fs, "password.min_classes", v == 1 ? 3 : 1,
			     "secedit /export: PasswordComplexity = %lld", (long long)v);
	}
	free(inf);
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	if (h->root && h->root[0]) {
		fact_set_unset_prefix(fs, "password.", FACT_UNKNOWN,
				      "--root: the SAM of a mounted disk is not read");
		return 0;
	}
	fact_list humans = {0}, never = {0};
	NET_API_STATUS st = human_accounts(&humans, &never);
	if (st == NERR_Success) {
		fact_set_list(fs, "password.human_accounts", &humans,
			      "NetUserEnum level 20: enabled normal accounts, RID 500 or >= 1000");
	} else {
		fact_list_free(&humans);
		net_error(fs, "password.human_accounts", "NetUserEnum level 20", st);
	}
	modals0(fs, &never, st == NERR_Success);
	fact_list_free(&never);
	modals3(fs);
	complexity(h, fs);
	fact_set_unknown(fs, "password.empty_accounts",
			 "Windows does not reveal whether a password is empty");
	return 0;
}

const probe probe_password = {"password", "password.", run};
