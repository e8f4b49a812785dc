/* SPDX-License-Identifier: Apache-2.0 */
/* Which system this is, from the registry: product name and build
 * (HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion), the machine GUID
 * (HKLM\SOFTWARE\Microsoft\Cryptography), and the DNS host name. */
#include <stdio.h>
#include <string.h>

#include "hostaudit/platform.h"
#include "hostaudit/probe.h"
#include "regread.h"

static const wchar_t cv_key[] = L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
#define CV_EVIDENCE "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"

static void string_fact(fact_set *fs, const char *name, const wchar_t *key, const wchar_t *value,
			const char *where)
{
	char v[256], why[256];
	LSTATUS st = reg_get_string(HKEY_LOCAL_MACHINE, key, value, v, sizeof v);
	if (st == ERROR_SUCCESS && v[0]) {
		fact_set_string(fs, name, v, "%s %ls", where, value);
	} else {
		reg_status_text(st, why, sizeof why);
		fact_set_unknown(fs, name, "%s %ls: %s", where, value, why);
	}
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	if (h->root && h->root[0]) {
		fact_set_unset_prefix(fs, "os.", FACT_UNKNOWN,
				      "--root: the Windows registry of a mounted disk is not read");
		return 0;
	}
	fact_set_string(fs, "os.id", "windows", "built for Windows");
	/* "Windows 10 Pro" even on Windows 11 (ProductName was never updated):
	 * the build number tells them apart (22000 and later is 11). */
	char name[256] = "", disp[64] = "", build[32] = "", ubr_s[32] = "";
	reg_get_string(HKEY_LOCAL_MACHINE, cv_key, L"ProductName", name, sizeof name);
	reg_get_string(HKEY_LOCAL_MACHINE, cv_key, L"DisplayVersion", disp, sizeof disp);
	LSTATUS st = reg_get_string(HKEY_LOCAL_MACHINE, cv_key, L"CurrentBuildNumber", build,
				    sizeof build);
	DWORD ubr = 0;
	if (reg_get_dword(HKEY_LOCAL_MACHINE, cv_key, L"UBR", &ubr) == ERROR_SUCCESS)
		snprintf(ubr_s, sizeof ubr_s, ".%lu", (unsigned long)ubr);
	if (st == ERROR_SUCCESS && build[0]) {
		char ver[64];
		snprintf(ver, sizeof ver, "10.0.%s%s", build, ubr_s);
		fact_set_string(fs, "os.version_id", ver,
				CV_EVIDENCE " CurrentBuildNumber, UBR");
	} else {
		char why[256];
		reg_status_text(st, why, sizeof why);
		fact_set_unknown(fs, "os.version_id", CV_EVIDENCE " CurrentBuildNumber: %s", why);
	}
	if (name[0]) {
		char pretty[400];
		snprintf(pretty, sizeof pretty, "%s%s%s (build %s%s)", name, disp[0] ? " " : "", disp,
			 build[0] ? build : "?", ubr_s);
		fact_set_string(fs, "os.pretty_name", pretty,
				CV_EVIDENCE " ProductName, DisplayVersion, CurrentBuildNumber");
	} else {
		fact_set_unknown(fs, "os.pretty_name", CV_EVIDENCE " ProductName: not set");
	}
	char host_name[256];
	platform_hostname(host_name, sizeof host_name);
	fact_set_string(fs, "host.name", host_name, "GetComputerNameEx(ComputerNameDnsHostname)");
	string_fact(fs, "host.machine_id", L"SOFTWARE\\Microsoft\\Cryptography", L"MachineGuid",
		    "HKLM\\SOFTWARE\\Microsoft\\Cryptography");
	return 0;
}

const probe probe_os = {"os", "os.", run};
