/* SPDX-License-Identifier: Apache-2.0 */
/* Antivirus on Windows (checklist article 5):
 *  - Windows Security Center, WMI ROOT\SecurityCenter2 AntiVirusProduct
 *    (client editions only): every registered product, its scanner on or
 *    off and signatures current, decoded from productState (windecode.h);
 *    iwscapi.h is not in Debian's mingw-w64, so WMI it is;
 *  - Defender, ROOT\Microsoft\Windows\Defender MSFT_MpComputerStatus:
 *    real-time protection, signature time, running mode. Defender in
 *    passive mode beside another product is not a failure: the other
 *    product is the active one;
 *  - Windows Server has no Security Center: there only Defender is read,
 *    and the reason says so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/probe.h"
#include "util.h"
#include "wincom.h"
#include "windecode.h"
#include "winutil.h"

typedef struct av_seen {
	fact_list products;
	bool any_on, all_current, wsc_ok;
	char wsc_why[300], ev[600];
} av_seen;

static void security_center(av_seen *av)
{
	IWbemServices *svc = NULL;
	IEnumWbemClassObject *it = NULL;
	HRESULT hr = wmi_connect(L"ROOT\\SecurityCenter2", &svc);
	if (SUCCEEDED(hr))
		hr = wmi_query(svc, L"SELECT displayName, productState FROM AntiVirusProduct", &it);
	if (FAILED(hr)) {
		win_hresult_text(hr, av->wsc_why, sizeof av->wsc_why);
		if (svc)
			IWbemServices_Release(svc);
		return;
	}
	av->wsc_ok = true;
	av->all_current = true;
	size_t evn = 0;
	for (;;) {
		IWbemClassObject *o = NULL;
		ULONG got = 0;
		if (IEnumWbemClassObject_Next(it, 10000, 1, &o, &got) != S_OK || got == 0)
			break;
		char name[256] = "?";
		uint32_t state = 0;
		wmi_string(o, L"displayName", name, sizeof name);
		bool have_state = wmi_uint(o, L"productState", &state);
		wsc_state st = wsc_decode_product_state(state);
		fact_list_push(&av->products, name);
		if (have_state && st.scanner == WSC_ON) {
			av->any_on = true;
			av->all_current = av->all_current && st.signatures_current;
		}
		if (evn < sizeof av->ev)
			evn += (size_t)snprintf(av->ev + evn, sizeof av->ev - evn,
						"%s%s: productState 0x%06lx (%s, signatures %s)",
						evn ? "; " : "", name, (unsigned long)state,
						wsc_scanner_name(st.scanner),
						st.signatures_current ? "current" : "out of date");
		IWbemClassObject_Release(o);
	}
	IEnumWbemClassObject_Release(it);
	IWbemServices_Release(svc);
}

typedef struct defender {
	bool ok, rtp, passive;
	int64_t sig_time;
	char mode[64], why[300];
} defender;

static void defender_status(defender *d)
{
	IWbemServices *svc = NULL;
	IEnumWbemClassObject *it = NULL;
	HRESULT hr = wmi_connect(L"ROOT\\Microsoft\\Windows\\Defender", &svc);
	if (SUCCEEDED(hr))
		hr = wmi_query(svc, L"SELECT * FROM MSFT_MpComputerStatus", &it);
	IWbemClassObject *o = NULL;
	ULONG got = 0;
	if (SUCCEEDED(hr) && (IEnumWbemClassObject_Next(it, 10000, 1, &o, &got) != S_OK || !got))
		hr = 0x80041002; /* WBEM_E_NOT_FOUND: no instance */
	if (FAILED(hr)) {
		win_hresult_text(hr, d->why, sizeof d->why);
	} else {
		char t[64];
		d->ok = true;
		wmi_bool(o, L"RealTimeProtectionEnabled", &d->rtp);
		if (wmi_string(o, L"AMRunningMode", d->mode, sizeof d->mode))
			d->passive = defender_mode_is_passive(d->mode);
		if (wmi_string(o, L"AntivirusSignatureLastUpdated", t, sizeof t))
			win_cim_datetime_to_epoch(t, &d->sig_time);
		IWbemClassObject_Release(o);
	}
	if (it)
		IEnumWbemClassObject_Release(it);
	if (svc)
		IWbemServices_Release(svc);
}

static void record(fact_set *fs, av_seen *av, const defender *d)
{
	fact_set_unknown(fs, "antivirus.updater_active",
			 "Windows reports signature freshness, not the updater: see "
			 "antivirus.signatures_current");
	if (!av->wsc_ok && !d->ok) {
		fact_set_unset_prefix(fs, "antivirus.", FACT_UNKNOWN,
				      "Security Center (ROOT\\SecurityCenter2): %s; Defender "
				      "(MSFT_MpComputerStatus): %s",
				      av->wsc_why, d->why);
		fact_list_free(&av->products);
		return;
	}
	if (av->wsc_ok) {
		bool on = av->any_on;
		fact_set_bool(fs, "antivirus.active", on, "Security Center AntiVirusProduct: %s",
			      av->products.count ? av->ev : "no product registered");
		if (on)
			fact_set_bool(fs, "antivirus.signatures_current", av->all_current,
				      "Security Center: %s", av->ev);
		else
			fact_set_not_applicable(fs, "antivirus.signatures_current",
						"no antivirus scanner is on");
		fact_set_list(fs, "antivirus.products", &av->products,
			      "Security Center ROOT\\SecurityCenter2 AntiVirusProduct");
	} else {
		/* Windows Server: no Security Center, Defender is all we can see. */
		fact_list_free(&av->products);
		fact_list l = {0};
		fact_list_push(&l, "Microsoft Defender Antivirus");
		fact_set_list(fs, "antivirus.products", &l,
			      "no Security Center (%s: Windows Server has none); "
			      "MSFT_MpComputerStatus present", av->wsc_why);
		fact_set_bool(fs, "antivirus.active", d->rtp && !d->passive,
			      "no Security Center (Windows Server); Defender "
			      "RealTimeProtectionEnabled=%s AMRunningMode=%s",
			      d->rtp ? "true" : "false", d->mode[0] ? d->mode : "?");
		if (!d->rtp || d->passive)
			fact_set_unknown(fs, "antivirus.signatures_current",
					 "no Security Center on this edition, and Defender is not "
					 "the active scanner: another product's state is not visible");
	}
	/* The signature time is Defender's: it applies when Defender is the
	 * active scanner. In passive mode another product protects the host
	 * and Security Center's flag above speaks for it. */
	if (d->ok && d->sig_time > 0 && !d->passive)
		fact_set_time(fs, "antivirus.signatures_updated", d->sig_time,
			      "Defender MSFT_MpComputerStatus.AntivirusSignatureLastUpdated "
			      "(AMRunningMode %s)", d->mode[0] ? d->mode : "?");
	else if (d->ok && d->passive)
		fact_set_not_applicable(fs, "antivirus.signatures_updated",
					"Defender is in passive mode (%s): another product is active; "
					"see antivirus.signatures_current", d->mode);
	else
		fact_set_unknown(fs, "antivirus.signatures_updated",
				 "only Defender reports a signature time%s%s", d->ok ? "" : ": ",
				 d->ok ? "" : d->why);
	if (!av->wsc_ok && d->ok && d->rtp && !d->passive)
		fact_set_bool(fs, "antivirus.signatures_current", true,
			      "Defender is the active scanner; its signature time is in "
			      "antivirus.signatures_updated");
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	if (h->root && h->root[0]) {
		fact_set_unset_prefix(fs, "antivirus.", FACT_UNKNOWN,
				      "--root: Security Center is asked through WMI, not from a disk");
		return 0;
	}
	HRESULT hr = com_enter();
	if (FAILED(hr)) {
		char t[300];
		win_hresult_text(hr, t, sizeof t);
		fact_set_unset_prefix(fs, "antivirus.", FACT_UNKNOWN, "COM initialisation failed: %s", t);
		return 0;
	}
	av_seen av = {0};
	defender d = {0};
	security_center(&av);
	defender_status(&d);
	record(fs, &av, &d);
	com_leave();
	return 0;
}

const probe probe_antivirus = {"antivirus", "antivirus.", run};
