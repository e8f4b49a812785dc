/* SPDX-License-Identifier: Apache-2.0 */
/* BitLocker on the system drive (checklist article 8; self-check 13),
 * from WMI ROOT\CIMV2\Security\MicrosoftVolumeEncryption
 * Win32_EncryptableVolume.ProtectionStatus (needs an elevated token).
 * User profiles live on the system drive unless moved, so the profile
 * directory's drive decides diskcrypt.home_encrypted. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "hostaudit/probe.h"
#include "regread.h"
#include "wincom.h"
#include "windecode.h"
#include "winutil.h"

/* ProtectionStatus of the volume with this drive letter ("C:"), or an
 * HRESULT failure. */
static HRESULT protection(IWbemServices *svc, const wchar_t *drive, uint32_t *status)
{
	wchar_t q[128];
	swprintf(q, 128, L"SELECT ProtectionStatus FROM Win32_EncryptableVolume WHERE DriveLetter='%ls'",
		 drive);
	IEnumWbemClassObject *it = NULL;
	HRESULT hr = wmi_query(svc, q, &it);
	if (FAILED(hr))
		return hr;
	IWbemClassObject *o = NULL;
	ULONG got = 0;
	hr = IEnumWbemClassObject_Next(it, 10000, 1, &o, &got);
	if (hr != S_OK || !got)
		hr = 0x80041002; /* WBEM_E_NOT_FOUND: no such volume */
	else if (!wmi_uint(o, L"ProtectionStatus", status))
		hr = E_UNEXPECTED;
	if (o)
		IWbemClassObject_Release(o);
	IEnumWbemClassObject_Release(it);
	return hr;
}

static void record(fact_set *fs, const char *name, IWbemServices *svc, const wchar_t *drive,
		   const char *what)
{
	uint32_t st = 0;
	char t[300];
	HRESULT hr = protection(svc, drive, &st);
	if (FAILED(hr)) {
		win_hresult_text(hr, t, sizeof t);
		if (hr == (HRESULT)0x80041003)
			fact_set_unknown(fs, name,
					 "Win32_EncryptableVolume for %ls (%s): %s (needs an elevated "
					 "run)",
					 drive, what, t);
		else
			fact_set_unknown(fs, name, "Win32_EncryptableVolume for %ls (%s): %s", drive,
					 what, t);
	} else if (st == 2) {
		fact_set_unknown(fs, name, "BitLocker status of %ls (%s): %s", drive, what,
				 bitlocker_protection_name(st));
	} else {
		fact_set_bool(fs, name, st == 1,
			      "Win32_EncryptableVolume %ls (%s) ProtectionStatus = %lu (%s)", drive, what,
			      (unsigned long)st, bitlocker_protection_name(st));
	}
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	if (h->root && h->root[0]) {
		fact_set_unset_prefix(fs, "diskcrypt.", FACT_UNKNOWN,
				      "--root: BitLocker is asked through WMI, not from a disk");
		return 0;
	}
	wchar_t windir[MAX_PATH], sysdrive[3] = L"C:", profdrive[3] = L"";
	if (GetSystemWindowsDirectoryW(windir, MAX_PATH) >= 2)
		wcsncpy(sysdrive, windir, 2);
	char prof[MAX_PATH] = "";
	if (reg_get_string(HKEY_LOCAL_MACHINE,
			   L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList",
			   L"ProfilesDirectory", prof, sizeof prof) == ERROR_SUCCESS &&
	    prof[0] && prof[1] == ':')
		profdrive[0] = (wchar_t)prof[0], profdrive[1] = L':', profdrive[2] = 0;
	else if (prof[0] == '%') /* %SystemDrive%\Users, the default */
		wcscpy(profdrive, sysdrive);
	if (profdrive[0])
		fact_set_bool(fs, "diskcrypt.home_separate", _wcsicmp(profdrive, sysdrive) != 0,
			      "ProfileList ProfilesDirectory on %ls, Windows on %ls", profdrive, sysdrive);
	else
		fact_set_unknown(fs, "diskcrypt.home_separate",
				 "ProfilesDirectory not readable: the profiles' drive is unknown");
	HRESULT hr = com_enter();
	char t[300];
	if (FAILED(hr)) {
		win_hresult_text(hr, t, sizeof t);
		fact_set_unset_prefix(fs, "diskcrypt.", FACT_UNKNOWN, "COM initialisation failed: %s", t);
		return 0;
	}
	IWbemServices *svc = NULL;
	hr = wmi_connect(L"ROOT\\CIMV2\\Security\\MicrosoftVolumeEncryption", &svc);
	if (FAILED(hr)) {
		win_hresult_text(hr, t, sizeof t);
		if (hr == (HRESULT)0x80041003)
			fact_set_unknown(fs, "diskcrypt.root_encrypted",
					 "WMI ROOT\\CIMV2\\Security\\MicrosoftVolumeEncryption: %s "
					 "(needs an elevated run)",
					 t);
		else if (hr == (HRESULT)0x8004100E)
			fact_set_unknown(fs, "diskcrypt.root_encrypted",
					 "WMI ROOT\\CIMV2\\Security\\MicrosoftVolumeEncryption: %s "
					 "(no BitLocker on this edition)",
					 t);
		else
			fact_set_unknown(fs, "diskcrypt.root_encrypted",
					 "WMI ROOT\\CIMV2\\Security\\MicrosoftVolumeEncryption: %s",
					 t);
		fact_set_unknown(fs, "diskcrypt.home_encrypted", "see diskcrypt.root_encrypted");
	} else {
		record(fs, "diskcrypt.root_encrypted", svc, sysdrive, "the system drive");
		if (profdrive[0])
			record(fs, "diskcrypt.home_encrypted", svc, profdrive,
			       "the drive of the user profiles");
		else
			fact_set_unknown(fs, "diskcrypt.home_encrypted",
					 "ProfilesDirectory not readable: the profiles' drive is unknown");
		IWbemServices_Release(svc);
	}
	fact_set_unknown(fs, "diskcrypt.swap_encrypted",
			 "the page file's volume is not checked on Windows yet");
	com_leave();
	return 0;
}

const probe probe_diskcrypt = {"diskcrypt", "diskcrypt.", run};
