/* SPDX-License-Identifier: Apache-2.0 */
/* COM and WMI for the probes: one apartment per probe run, one WMI query
 * helper, properties read as UTF-8. Every failure comes back as an
 * HRESULT for the probe to turn into an unknown fact with its text. */
#ifndef HOSTAUDIT_WINCOM_H
#define HOSTAUDIT_WINCOM_H

#define COBJMACROS
#include <windows.h>
#include <wbemidl.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CoInitializeEx (multithreaded) and, once per process, the default
 * security (packet privacy, impersonation) WMI needs. Pair with
 * com_leave() when com_enter() succeeded. */
HRESULT com_enter(void);
void com_leave(void);

/* Connects to a WMI namespace (L"ROOT\\SecurityCenter2"). */
HRESULT wmi_connect(const wchar_t *ns, IWbemServices **svc);
/* Runs a WQL query; iterate with IEnumWbemClassObject_Next. */
HRESULT wmi_query(IWbemServices *svc, const wchar_t *wql, IEnumWbemClassObject **it);
/* Property readers: false if absent, NULL or of another type. */
bool wmi_string(IWbemClassObject *o, const wchar_t *prop, char *out, size_t size);
bool wmi_uint(IWbemClassObject *o, const wchar_t *prop, uint32_t *out);
bool wmi_bool(IWbemClassObject *o, const wchar_t *prop, bool *out);

#endif
