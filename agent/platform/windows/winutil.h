/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the Windows platform layer and the Windows probes:
 * UTF-8 <-> UTF-16 (hostaudit speaks UTF-8; Win32 "W" calls take UTF-16),
 * Win32 errors as errno values, HRESULTs as text. */
#ifndef HOSTAUDIT_WINUTIL_H
#define HOSTAUDIT_WINUTIL_H

#include <windows.h>

#include <stdbool.h>
#include <stddef.h>

/* malloc'd UTF-16 copy of a UTF-8 string; NULL (errno EILSEQ) on bad UTF-8. */
wchar_t *win_wide(const char *utf8);
/* malloc'd UTF-8 copy of a UTF-16 string (never NULL: out of memory ends
 * the program); NULL in gives "". */
char *win_utf8(const wchar_t *w);
/* The same into a caller's buffer, truncated on a character boundary. */
void win_utf8_buf(const wchar_t *w, char *buf, size_t size);

/* A Win32 error code as a negative errno value, for the host_* contract. */
int win_errno(DWORD err);

/* "0x80070005 E_ACCESSDENIED: Access is denied." - the hex value always,
 * then the symbolic name where decode.c knows it, then the system's text
 * where FormatMessage has one. For Win32 codes, use HRESULT_FROM_WIN32. */
void win_hresult_text(HRESULT hr, char *buf, size_t size);

/* The atomic private write behind platform_write_file_atomic: 0, or -1
 * with the Win32 error code in *code. */
int win_write_file_atomic(const char *path, const void *data, size_t len, DWORD *code);

/* Whether others than SYSTEM, Administrators, TrustedInstaller and the
 * caller may change the open file (dir false: write it) or directory
 * (dir true: take away or replace what is in it), from the handle's own
 * owner and ACL. 0 safe, 1 unsafe (who in why), negative errno. */
int win_handle_unsafe(HANDLE h, bool dir, char *why, size_t why_size);

/* A UTF-16 path for root+path (root from --root), or NULL. */
wchar_t *win_host_path(const char *root, const char *path);

#endif
