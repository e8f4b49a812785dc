/* SPDX-License-Identifier: Apache-2.0 */
/* Platform services on Windows: atomic files, ACL checks, the elevated
 * token, the console. */
#include "hostaudit/platform.h"

#include <aclapi.h>
#include <errno.h>
#include <io.h>
#include <sddl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "windecode.h"
#include "winutil.h"

/* Only SYSTEM, Administrators and the file's owner: the Windows form of
 * mode 0600. Protected (P): nothing inherited from the directory. */
static const wchar_t private_sddl[] = L"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;OW)";

/* 0 or the Win32 error code. */
static DWORD write_all(HANDLE fh, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		DWORD chunk = len > 0x40000000 ? 0x40000000 : (DWORD)len, w = 0;
		if (!WriteFile(fh, p, chunk, &w, NULL))
			return GetLastError();
		p += w;
		len -= w;
	}
	return 0;
}

int win_write_file_atomic(const char *path, const void *data, size_t len, DWORD *code)
{
	unsigned char rnd[6];
	*code = 0;
	if (platform_random_bytes(rnd, sizeof rnd) != 0) {
		*code = ERROR_GEN_FAILURE;
		return -1;
	}
	char *tmp = xasprintf("%s.tmp.%02x%02x%02x%02x%02x%02x", path, rnd[0], rnd[1], rnd[2],
			      rnd[3], rnd[4], rnd[5]);
	wchar_t *wtmp = win_wide(tmp), *wpath = win_wide(path);
	free(tmp);
	SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, FALSE};
	if (!wtmp || !wpath) {
		*code = ERROR_NO_UNICODE_TRANSLATION;
		goto out;
	}
	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(private_sddl, SDDL_REVISION_1,
								  &sa.lpSecurityDescriptor, NULL)) {
		*code = GetLastError();
		goto out;
	}
	HANDLE fh = CreateFileW(wtmp, GENERIC_WRITE, 0, &sa, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
	if (fh == INVALID_HANDLE_VALUE) {
		*code = GetLastError();
		goto out;
	}
	*code = write_all(fh, data, len);
	/* The data on disk before the name points at it. */
	if (!*code && !FlushFileBuffers(fh))
		*code = GetLastError();
	CloseHandle(fh);
	/* WRITE_THROUGH: returns once the rename itself is on disk, the
	 * counterpart of fsync on the directory (files.c says why that is
	 * enough on NTFS). */
	if (!*code && !MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
		*code = GetLastError();
	if (*code)
		DeleteFileW(wtmp);
out:
	if (sa.lpSecurityDescriptor)
		LocalFree(sa.lpSecurityDescriptor);
	free(wtmp), free(wpath);
	return *code ? -1 : 0;
}

int platform_write_file_atomic(const char *path, const void *data, size_t len)
{
	DWORD code;
	if (win_write_file_atomic(path, data, len, &code) != 0)
		return code == ERROR_NO_UNICODE_TRANSLATION ? -EILSEQ : win_errno(code);
	return 0;
}

static char *sid_string(PSID sid)
{
	wchar_t *w = NULL;
	if (!sid || !ConvertSidToStringSidW(sid, &w))
		return xstrdup("?");
	char *s = win_utf8(w);
	LocalFree(w);
	return s;
}

/* The SID of the user this process runs as, as a string. */
static char *current_user_sid(void)
{
	HANDLE tok;
	char *s = NULL;
	if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok)) {
		union {
			TOKEN_USER tu;
			char buf[256];
		} u;
		DWORD n;
		if (GetTokenInformation(tok, TokenUser, &u, sizeof u, &n))
			s = sid_string(u.tu.User.Sid);
		CloseHandle(tok);
	}
	return s ? s : xstrdup("");
}

/* Like the POSIX check (owner root or the caller, no group/other write),
 * but on the owner SID and the DACL: every ACE that grants a write right
 * (for a directory: a right to take away what is in it) must name
 * SYSTEM, Administrators, TrustedInstaller or the caller. */
static int sd_unsafe(PSID owner, PACL dacl, bool dir, char *why, size_t why_size)
{
	char *me = current_user_sid();
	int result = 0;
	char *os = sid_string(owner);
	if (!win_sid_is_trusted_writer(os, me)) {
		snprintf(why, why_size, "owned by %s", os);
		result = 1;
	}
	if (!result && !dacl) {
		snprintf(why, why_size, "no access control list: anyone may write it");
		result = 1;
	}
	for (DWORD i = 0; !result && dacl && i < dacl->AceCount; i++) {
		ACE_HEADER *ace;
		if (!GetAce(dacl, i, (void **)&ace) || ace->AceType != ACCESS_ALLOWED_ACE_TYPE ||
		    (ace->AceFlags & INHERIT_ONLY_ACE))
			continue;
		ACCESS_ALLOWED_ACE *a = (ACCESS_ALLOWED_ACE *)ace;
		if (dir ? !win_access_mask_replaces(a->Mask) : !win_access_mask_writes(a->Mask))
			continue;
		char *s = sid_string((PSID)&a->SidStart);
		if (!win_sid_is_trusted_writer(s, me)) {
			snprintf(why, why_size, "writable by %s (access mask 0x%08lx)", s,
				 (unsigned long)a->Mask);
			result = 1;
		}
		free(s);
	}
	free(os);
	free(me);
	return result;
}

int platform_file_writable_by_others(const char *path, char *why, size_t why_size)
{
	wchar_t *w = win_wide(path);
	if (!w)
		return -EILSEQ;
	PSID owner = NULL;
	PACL dacl = NULL;
	PSECURITY_DESCRIPTOR sd = NULL;
	DWORD rc = GetNamedSecurityInfoW(w, SE_FILE_OBJECT,
					 OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
					 &owner, NULL, &dacl, NULL, &sd);
	free(w);
	if (rc != ERROR_SUCCESS)
		return win_errno(rc);
	int result = sd_unsafe(owner, dacl, false, why, why_size);
	LocalFree(sd);
	return result;
}

int win_handle_unsafe(HANDLE h, bool dir, char *why, size_t why_size)
{
	PSID owner = NULL;
	PACL dacl = NULL;
	PSECURITY_DESCRIPTOR sd = NULL;
	DWORD rc = GetSecurityInfo(h, SE_FILE_OBJECT,
				   OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner,
				   NULL, &dacl, NULL, &sd);
	if (rc != ERROR_SUCCESS)
		return win_errno(rc);
	int result = sd_unsafe(owner, dacl, dir, why, why_size);
	LocalFree(sd);
	return result;
}

void platform_watchdog(unsigned seconds)
{
	(void)seconds; /* not yet: see platform.h */
}

bool platform_privileged(void)
{
	HANDLE tok;
	TOKEN_ELEVATION el = {0};
	DWORD n = 0;
	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return false;
	BOOL ok = GetTokenInformation(tok, TokenElevation, &el, sizeof el, &n);
	CloseHandle(tok);
	return ok && el.TokenIsElevated;
}

static bool vt_enabled[2];

/* UTF-8 output whatever the console's code page (cp932 on Japanese
 * Windows), and ANSI colours where the console understands them. */
void platform_console_init(void)
{
	SetConsoleOutputCP(CP_UTF8);
	DWORD ids[2] = {STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
	for (int i = 0; i < 2; i++) {
		HANDLE hd = GetStdHandle(ids[i]);
		DWORD mode;
		if (hd && hd != INVALID_HANDLE_VALUE && GetConsoleMode(hd, &mode))
			vt_enabled[i] = SetConsoleMode(hd, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0;
	}
}

/* "A terminal" here means a console that renders the colour codes the
 * text renderer sends; a pipe or file is not one. */
bool platform_isatty(FILE *f)
{
	int fd = _fileno(f);
	if (!_isatty(fd))
		return false;
	return fd == 1 ? vt_enabled[0] : fd == 2 ? vt_enabled[1] : false;
}

int platform_terminal_columns(FILE *f)
{
	int fd = _fileno(f);
	CONSOLE_SCREEN_BUFFER_INFO info;
	HANDLE h = fd == 1 ? GetStdHandle(STD_OUTPUT_HANDLE)
		   : fd == 2 ? GetStdHandle(STD_ERROR_HANDLE) : NULL;
	if (!h || h == INVALID_HANDLE_VALUE || !_isatty(fd) ||
	    !GetConsoleScreenBufferInfo(h, &info))
		return 0;
	return info.srWindow.Right - info.srWindow.Left + 1;
}

int64_t platform_now(void)
{
	return (int64_t)time(NULL);
}

void platform_hostname(char *buf, size_t size)
{
	wchar_t name[256];
	DWORD n = sizeof name / sizeof name[0];
	if (GetComputerNameExW(ComputerNameDnsHostname, name, &n) && n > 0)
		win_utf8_buf(name, buf, size);
	else
		snprintf(buf, size, "unknown");
}
