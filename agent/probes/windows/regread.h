/* SPDX-License-Identifier: Apache-2.0 */
/* Reading the registry from the probes: UTF-8 out, the 64-bit view always
 * (hostaudit.exe is 64-bit, but be explicit), status codes kept for the
 * reasons of unknown facts. */
#ifndef HOSTAUDIT_REGREAD_H
#define HOSTAUDIT_REGREAD_H

#include <windows.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A REG_SZ / REG_EXPAND_SZ value (not expanded) as UTF-8. ERROR_SUCCESS,
 * ERROR_FILE_NOT_FOUND (key or value absent), or another error. */
LSTATUS reg_get_string(HKEY root, const wchar_t *subkey, const wchar_t *name, char *out,
		       size_t size);
/* A REG_DWORD value. */
LSTATUS reg_get_dword(HKEY root, const wchar_t *subkey, const wchar_t *name, DWORD *out);
/* Text for a registry status: "absent" or the system's message. */
void reg_status_text(LSTATUS st, char *buf, size_t size);

#endif
