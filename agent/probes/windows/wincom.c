/* SPDX-License-Identifier: Apache-2.0 */
/* COM apartment and WMI helpers (wincom.h). */
#include "wincom.h"

#include <stdlib.h>

#include "winutil.h"

HRESULT com_enter(void)
{
	static bool secured;
	HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
	if (FAILED(hr))
		return hr;
	if (!secured) {
		HRESULT s = CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
						 RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, NULL);
		/* RPC_E_TOO_LATE: someone in this process already chose. */
		if (FAILED(s) && s != RPC_E_TOO_LATE) {
			CoUninitialize();
			return s;
		}
		secured = true;
	}
	return S_OK;
}

void com_leave(void)
{
	CoUninitialize();
}

HRESULT wmi_connect(const wchar_t *ns, IWbemServices **svc)
{
	IWbemLocator *loc = NULL;
	*svc = NULL;
	HRESULT hr = CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER,
				      &IID_IWbemLocator, (void **)&loc);
	if (FAILED(hr))
		return hr;
	BSTR bns = SysAllocString(ns);
	hr = IWbemLocator_ConnectServer(loc, bns, NULL, NULL, NULL, 0, NULL, NULL, svc);
	SysFreeString(bns);
	IWbemLocator_Release(loc);
	if (FAILED(hr))
		return hr;
	hr = CoSetProxyBlanket((IUnknown *)*svc, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
			       RPC_C_AUTHN_LEVEL_CALL, RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE);
	if (FAILED(hr)) {
		IWbemServices_Release(*svc);
		*svc = NULL;
	}
	return hr;
}

HRESULT wmi_query(IWbemServices *svc, const wchar_t *wql, IEnumWbemClassObject **it)
{
	BSTR lang = SysAllocString(L"WQL"), q = SysAllocString(wql);
	HRESULT hr = IWbemServices_ExecQuery(svc, lang, q,
					     WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY,
					     NULL, it);
	SysFreeString(lang);
	SysFreeString(q);
	return hr;
}

static bool get(IWbemClassObject *o, const wchar_t *prop, VARIANT *v)
{
	VariantInit(v);
	if (FAILED(IWbemClassObject_Get(o, prop, 0, v, NULL, NULL)))
		return false;
	if (V_VT(v) == VT_NULL || V_VT(v) == VT_EMPTY) {
		VariantClear(v);
		return false;
	}
	return true;
}

bool wmi_string(IWbemClassObject *o, const wchar_t *prop, char *out, size_t size)
{
	VARIANT v;
	if (!get(o, prop, &v))
		return false;
	bool ok = V_VT(&v) == VT_BSTR;
	if (ok)
		win_utf8_buf(V_BSTR(&v), out, size);
	VariantClear(&v);
	return ok;
}

bool wmi_uint(IWbemClassObject *o, const wchar_t *prop, uint32_t *out)
{
	VARIANT v;
	if (!get(o, prop, &v))
		return false;
	bool ok = SUCCEEDED(VariantChangeType(&v, &v, 0, VT_UI4));
	if (ok)
		*out = V_UI4(&v);
	VariantClear(&v);
	return ok;
}

bool wmi_bool(IWbemClassObject *o, const wchar_t *prop, bool *out)
{
	VARIANT v;
	if (!get(o, prop, &v))
		return false;
	bool ok = V_VT(&v) == VT_BOOL;
	if (ok)
		*out = V_BOOL(&v) != VARIANT_FALSE;
	VariantClear(&v);
	return ok;
}
