/* SPDX-License-Identifier: Apache-2.0 */
/* UTF-8/UTF-16 conversion, errno mapping and HRESULT text (winutil.h). */
#include "winutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "windecode.h"

wchar_t *win_wide(const char *utf8)
{
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, NULL, 0);
	if (n <= 0) {
		errno = EILSEQ;
		return NULL;
	}
	wchar_t *w = xmalloc((size_t)n * sizeof *w);
	MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, w, n);
	return w;
}

char *win_utf8(const wchar_t *w)
{
	if (!w)
		return xstrdup("");
	int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
	if (n <= 0)
		return xstrdup("");
	char *s = xmalloc((size_t)n);
	WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
	return s;
}

void win_utf8_buf(const wchar_t *w, char *buf, size_t size)
{
	char *s = win_utf8(w);
	size_t n = strlen(s);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* do not cut a character in half */
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	free(s);
}

int win_errno(DWORD err)
{
	switch (err) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_DRIVE:
	case ERROR_BAD_NETPATH:
	case ERROR_BAD_NET_NAME:
		return -ENOENT;
	case ERROR_ACCESS_DENIED:
	case ERROR_SHARING_VIOLATION:
	case ERROR_LOCK_VIOLATION:
	case ERROR_PRIVILEGE_NOT_HELD:
		return -EACCES;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
		return -ENOMEM;
	case ERROR_FILENAME_EXCED_RANGE:
		return -ENAMETOOLONG;
	case ERROR_DIRECTORY:
		return -ENOTDIR;
	case ERROR_ALREADY_EXISTS:
	case ERROR_FILE_EXISTS:
		return -EEXIST;
	case ERROR_DISK_FULL:
	case ERROR_HANDLE_DISK_FULL:
		return -ENOSPC;
	case ERROR_NOT_SUPPORTED:
	case ERROR_CALL_NOT_IMPLEMENTED:
		return -ENOSYS;
	default:
		return -EIO;
	}
}

void win_hresult_text(HRESULT hr, char *buf, size_t size)
{
	const char *name = win_hresult_name((uint32_t)hr);
	wchar_t *msg = NULL;
	DWORD n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
					 FORMAT_MESSAGE_IGNORE_INSERTS | FORMAT_MESSAGE_MAX_WIDTH_MASK,
				 NULL, (DWORD)hr, MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US),
				 (LPWSTR)&msg, 0, NULL);
	if (n == 0) /* no English text installed: the user's language then */
		n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
					   FORMAT_MESSAGE_IGNORE_INSERTS | FORMAT_MESSAGE_MAX_WIDTH_MASK,
				   NULL, (DWORD)hr, 0, (LPWSTR)&msg, 0, NULL);
	char text[512] = "";
	if (n > 0 && msg) {
		win_utf8_buf(msg, text, sizeof text);
		size_t len = strlen(text);
		while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\r' || text[len - 1] == '\n'))
			text[--len] = '\0';
	}
	if (msg)
		LocalFree(msg);
	snprintf(buf, size, "0x%08lx%s%s%s%s", (unsigned long)(uint32_t)hr, name ? " " : "",
		 name ? name : "", text[0] ? ": " : "", text);
}

wchar_t *win_host_path(const char *root, const char *path)
{
	char *joined = xasprintf("%s%s", root ? root : "", path);
	for (char *p = joined; *p; p++)
		if (*p == '/')
			*p = '\\';
	wchar_t *w = win_wide(joined);
	free(joined);
	return w;
}
