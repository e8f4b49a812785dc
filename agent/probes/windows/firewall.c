/* SPDX-License-Identifier: Apache-2.0 */
/* Windows Defender Firewall (IPA 5 articles, 4; self-check 4), from
 * INetFwPolicy2: enabled in each of the domain, private and public
 * profiles. firewall.active: on in every profile in force now;
 * firewall.enabled_at_boot: on in all three (the stored configuration). */
#include <stdio.h>
#include <string.h>

#include "hostaudit/probe.h"
#include "wincom.h"
#include "windecode.h"
#include "winutil.h"
#include <netfw.h>

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	if (h->root && h->root[0]) {
		fact_set_unset_prefix(fs, "firewall.", FACT_UNKNOWN,
				      "--root: the firewall is asked through COM, not from a disk");
		return 0;
	}
	HRESULT hr = com_enter();
	char t[300];
	if (FAILED(hr)) {
		win_hresult_text(hr, t, sizeof t);
		fact_set_unset_prefix(fs, "firewall.", FACT_UNKNOWN, "COM initialisation failed: %s", t);
		return 0;
	}
	INetFwPolicy2 *fw = NULL;
	long current = 0;
	hr = CoCreateInstance(&CLSID_NetFwPolicy2, NULL, CLSCTX_INPROC_SERVER, &IID_INetFwPolicy2,
			      (void **)&fw);
	if (SUCCEEDED(hr))
		hr = INetFwPolicy2_get_CurrentProfileTypes(fw, &current);
	bool all_on = true, current_on = true;
	char ev[300] = "INetFwPolicy2::get_FirewallEnabled:";
	for (unsigned bit = 1; SUCCEEDED(hr) && bit <= 4; bit <<= 1) {
		VARIANT_BOOL on = VARIANT_FALSE;
		hr = INetFwPolicy2_get_FirewallEnabled(fw, (NET_FW_PROFILE_TYPE2)bit, &on);
		if (FAILED(hr))
			break;
		all_on = all_on && on;
		if (current & (long)bit)
			current_on = current_on && on;
		size_t n = strlen(ev);
		snprintf(ev + n, sizeof ev - n, " %s=%s%s", fw_profile_name(bit), on ? "on" : "off",
			 (current & (long)bit) ? " (in force)" : "");
	}
	if (FAILED(hr)) {
		win_hresult_text(hr, t, sizeof t);
		fact_set_unset_prefix(fs, "firewall.", FACT_UNKNOWN, "INetFwPolicy2 failed: %s", t);
	} else {
		fact_set_string(fs, "firewall.product", "windows-firewall", "INetFwPolicy2");
		fact_set_bool(fs, "firewall.active", current_on, "%s", ev);
		fact_set_bool(fs, "firewall.enabled_at_boot", all_on, "%s", ev);
	}
	if (fw)
		INetFwPolicy2_Release(fw);
	com_leave();
	return 0;
}

const probe probe_firewall = {"firewall", "firewall.", run};
