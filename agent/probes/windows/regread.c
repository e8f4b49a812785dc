/* SPDX-License-Identifier: Apache-2.0 */
/* Registry reading for the probes (winreg.h). */
#include "regread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winutil.h"

LSTATUS reg_get_string(HKEY root, const wchar_t *subkey, const wchar_t *name, char *out,
		       size_t size)
{
	wchar_t buf[1024];
	DWORD n = sizeof buf - sizeof buf[0];
	LSTATUS st = RegGetValueW(root, subkey, name,
				  RRF_RT_REG_SZ | RRF_RT_REG_EXPAND_SZ | RRF_NOEXPAND |
					  RRF_SUBKEY_WOW6464KEY,
				  NULL, buf, &n);
	if (st != ERROR_SUCCESS)
		return st;
	buf[sizeof buf / sizeof buf[0] - 1] = L'\0';
	win_utf8_buf(buf, out, size);
	return ERROR_SUCCESS;
}

LSTATUS reg_get_dword(HKEY root, const wchar_t *subkey, const wchar_t *name, DWORD *out)
{
	DWORD n = sizeof *out;
	return RegGetValueW(root, subkey, name, RRF_RT_REG_DWORD | RRF_SUBKEY_WOW6464KEY, NULL, out,
			    &n);
}

void reg_status_text(LSTATUS st, char *buf, size_t size)
{
	if (st == ERROR_FILE_NOT_FOUND)
		snprintf(buf, size, "not set");
	else
		win_hresult_text(HRESULT_FROM_WIN32((DWORD)st), buf, size);
}
