/* SPDX-License-Identifier: Apache-2.0 */
/* The file operations the spool needs, on Windows (include/hostaudit/platform.h),
 * the default locations under %ProgramData%, and the WinHTTP proxy.
 *
 * Durability: FlushFileBuffers on the file before its rename, and
 * MoveFileExW(MOVEFILE_WRITE_THROUGH), which returns only once the rename
 * is on disk. There is no "fsync of a directory" on Windows and none is
 * needed on NTFS: names are metadata, and NTFS logs every metadata change
 * in its journal ($LogFile) before applying it, so after a crash a name
 * either points at the whole flushed file or is as it was. A delete is
 * journaled too but not forced to disk: if a crash loses one, the report is
 * sent again and the collector drops the duplicate by its report_id. */
#include "hostaudit/compiler.h"
#include "hostaudit/platform.h"

#include <windows.h>

#include <aclapi.h>
#include <errno.h>
#include <knownfolders.h>
#include <sddl.h>
#include <shlobj.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <winhttp.h>

#include "util.h"
#include "windecode.h"
#include "winutil.h"

/* SYSTEM, Administrators, the owner; nothing inherited from %ProgramData%
 * (where Users may create files). "OICI": files made inside inherit it. */
static const wchar_t private_dir_sddl[] =
	L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;OW)";

static int errf(char *err, size_t size, const char *fmt, ...) HOSTAUDIT_PRINTF(3, 4);
static int errf(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

/* "what path: 0x80070005 E_ACCESSDENIED: Access is denied." */
static int win_errf(char *err, size_t size, DWORD code, const char *what, const char *path)
{
	char t[400];
	win_hresult_text(HRESULT_FROM_WIN32(code), t, sizeof t);
	return errf(err, size, "%s %s: %s", what, path, t);
}

/* ---- default locations ---- */

static char *program_data_dir(void)
{
	wchar_t *w = NULL;
	char *dir = NULL;
	if (SUCCEEDED(SHGetKnownFolderPath(&FOLDERID_ProgramData, KF_FLAG_DEFAULT, NULL, &w)) && w)
		dir = win_utf8(w);
	CoTaskMemFree(w);
	if (!dir || !*dir) { /* not expected; the documented fallback variable */
		free(dir);
		const char *env = getenv("ProgramData");
		dir = xstrdup(env && *env ? env : "C:\\ProgramData");
	}
	return dir;
}

/* The folder hostaudit.exe was started from (UTF-8, no trailing '\\'),
 * found at run time so the install folder can be anywhere. */
static char *program_dir(void)
{
	wchar_t w[32768];
	DWORD n = GetModuleFileNameW(NULL, w, sizeof w / sizeof w[0]);
	if (n == 0 || n >= sizeof w / sizeof w[0])
		return xstrdup("."); /* not expected; then relative to the cwd */
	wchar_t *slash = wcsrchr(w, L'\\');
	if (slash)
		*slash = L'\0';
	char *dir = win_utf8(w);
	return dir ? dir : xstrdup(".");
}

const char *platform_default_path(platform_location which)
{
	static char *paths[6];
	static const char *const tails[6] = {"\\hostaudit\\hostaudit.yaml", "\\hostaudit\\rules",
					     "\\hostaudit\\spool", "\\share\\locale",
					     "\\hostaudit\\attestations.yaml", "\\hostaudit\\policy"};
	unsigned i = (unsigned)which;
	if (i >= 6)
		return "";
	if (!paths[i]) {
		char *base = which == PLATFORM_LOCALE_DIR ? program_dir() : program_data_dir();
		paths[i] = xasprintf("%s%s", base, tails[i]);
		free(base);
	}
	return paths[i];
}

/* ---- the spool ---- */

int platform_mkdir_private(const char *dir, char *err, size_t err_size)
{
	wchar_t *w = win_wide(dir);
	if (!w)
		return errf(err, err_size, "%s: not valid UTF-8", dir);
	SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, FALSE};
	int rc = 0;
	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(private_dir_sddl, SDDL_REVISION_1,
								  &sa.lpSecurityDescriptor, NULL)) {
		rc = win_errf(err, err_size, GetLastError(), "cannot build the ACL for", dir);
		goto out;
	}
	bool created = CreateDirectoryW(w, &sa) != 0;
	DWORD e = GetLastError();
	if (!created && e != ERROR_ALREADY_EXISTS) {
		rc = win_errf(err, err_size, e, "cannot create", dir);
		goto out;
	}
	DWORD attr = GetFileAttributesW(w);
	if (attr == INVALID_FILE_ATTRIBUTES || !(attr & FILE_ATTRIBUTE_DIRECTORY) ||
	    (attr & FILE_ATTRIBUTE_REPARSE_POINT)) {
		rc = errf(err, err_size, "%s is not a directory (or is a link or junction)", dir);
		goto out;
	}
	if (!created) {
		/* The chmod 0700 of an existing directory: set the protected DACL
		 * (fails unless we own it or are an administrator). */
		BOOL present = FALSE, defaulted = FALSE;
		PACL dacl = NULL;
		GetSecurityDescriptorDacl(sa.lpSecurityDescriptor, &present, &dacl, &defaulted);
		DWORD s = SetNamedSecurityInfoW(w, SE_FILE_OBJECT,
						DACL_SECURITY_INFORMATION |
							PROTECTED_DACL_SECURITY_INFORMATION,
						NULL, NULL, dacl, NULL);
		if (s != ERROR_SUCCESS)
			rc = win_errf(err, err_size, s, "cannot make private", dir);
	}
out:
	if (sa.lpSecurityDescriptor)
		LocalFree(sa.lpSecurityDescriptor);
	free(w);
	return rc;
}

int platform_list_files(const char *dir, int (*fn)(void *ctx, const char *name, uint64_t size),
			void *ctx, char *err, size_t err_size)
{
	char *pattern = xasprintf("%s\\*", dir);
	wchar_t *w = win_wide(pattern);
	free(pattern);
	if (!w)
		return errf(err, err_size, "%s: not valid UTF-8", dir);
	WIN32_FIND_DATAW fd;
	HANDLE h = FindFirstFileExW(w, FindExInfoBasic, &fd, FindExSearchNameMatch, NULL, 0);
	free(w);
	if (h == INVALID_HANDLE_VALUE) {
		DWORD e = GetLastError();
		if (e == ERROR_FILE_NOT_FOUND)
			return 0; /* empty (not even "." on some file systems) */
		return win_errf(err, err_size, e, "cannot read", dir);
	}
	int rc = 0;
	do {
		if (fd.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT |
					   FILE_ATTRIBUTE_DEVICE))
			continue;
		char name[MAX_PATH * 3 + 1];
		win_utf8_buf(fd.cFileName, name, sizeof name);
		rc = fn(ctx, name, ((uint64_t)fd.nFileSizeHigh << 32) | fd.nFileSizeLow);
	} while (rc == 0 && FindNextFileW(h, &fd));
	DWORD e = rc == 0 ? GetLastError() : ERROR_NO_MORE_FILES;
	FindClose(h);
	if (e != ERROR_NO_MORE_FILES)
		return win_errf(err, err_size, e, "cannot read", dir);
	return rc;
}

int platform_write_file_durable(const char *path, const void *data, size_t len, char *err,
				size_t err_size)
{
	DWORD code = 0;
	if (win_write_file_atomic(path, data, len, &code) != 0)
		return win_errf(err, err_size, code, "cannot write", path);
	return 0;
}

int platform_rename_durable(const char *from, const char *to, char *err, size_t err_size)
{
	wchar_t *wf = win_wide(from), *wt = win_wide(to);
	int rc = 0;
	if (!wf || !wt)
		rc = errf(err, err_size, "%s: not valid UTF-8", wf ? to : from);
	else if (!MoveFileExW(wf, wt, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
		rc = win_errf(err, err_size, GetLastError(), "cannot move to", to);
	free(wf);
	free(wt);
	return rc;
}

int platform_remove_durable(const char *path, char *err, size_t err_size)
{
	wchar_t *w = win_wide(path);
	if (!w)
		return errf(err, err_size, "%s: not valid UTF-8", path);
	int rc = 0;
	if (!DeleteFileW(w)) {
		DWORD e = GetLastError();
		if (e != ERROR_FILE_NOT_FOUND && e != ERROR_PATH_NOT_FOUND)
			rc = win_errf(err, err_size, e, "cannot remove", path);
	}
	free(w);
	return rc;
}

/* Whether an ACE lets someone other than SYSTEM, Administrators or the
 * owner read the file: the "mode 077" test of a secret. */
static int check_secret_acl(HANDLE h, const char *path, char *err, size_t err_size)
{
	PSID owner = NULL;
	PACL dacl = NULL;
	PSECURITY_DESCRIPTOR sd = NULL;
	DWORD s = GetSecurityInfo(h, SE_FILE_OBJECT,
				  OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner,
				  NULL, &dacl, NULL, &sd);
	if (s != ERROR_SUCCESS)
		return win_errf(err, err_size, s, "cannot read the ACL of", path);
	wchar_t *wo = NULL;
	char *os = NULL;
	if (owner && ConvertSidToStringSidW(owner, &wo)) {
		os = win_utf8(wo);
		LocalFree(wo);
	}
	int rc = 0;
	if (!dacl)
		rc = errf(err, err_size, "%s has no ACL: anyone may read it", path);
	for (DWORD i = 0; rc == 0 && dacl && i < dacl->AceCount; i++) {
		ACE_HEADER *ace;
		if (!GetAce(dacl, i, (void **)&ace) || ace->AceType != ACCESS_ALLOWED_ACE_TYPE ||
		    (ace->AceFlags & INHERIT_ONLY_ACE))
			continue;
		ACCESS_ALLOWED_ACE *a = (ACCESS_ALLOWED_ACE *)ace;
		if (!win_access_mask_reads(a->Mask))
			continue;
		wchar_t *ws = NULL;
		if (!ConvertSidToStringSidW((PSID)&a->SidStart, &ws))
			continue;
		char *sid = win_utf8(ws);
		LocalFree(ws);
		if (!win_sid_is_trusted_writer(sid, os ? os : ""))
			rc = errf(err, err_size,
				  "%s is readable by %s (access mask 0x%08lx); allow only SYSTEM "
				  "and Administrators (icacls \"%s\" /inheritance:r /grant:r "
				  "*S-1-5-18:F *S-1-5-32-544:F)",
				  path, sid, (unsigned long)a->Mask, path);
		free(sid);
	}
	free(os);
	LocalFree(sd);
	return rc;
}

/* OPEN_REPARSE_POINT: a link is opened as itself, and then refused.
 * FILE_SHARE_READ only: while it is open nobody writes, renames or
 * deletes it, so what was checked on the handle is what is read. */
static HANDLE open_input(const char *path)
{
	wchar_t *w = win_wide(path);
	if (!w) {
		SetLastError(ERROR_NO_UNICODE_TRANSLATION);
		return INVALID_HANDLE_VALUE;
	}
	HANDLE h = CreateFileW(w, GENERIC_READ | READ_CONTROL, FILE_SHARE_READ, NULL, OPEN_EXISTING,
			       FILE_FLAG_OPEN_REPARSE_POINT, NULL);
	free(w);
	return h;
}

/* Reads the open file whole and closes it. */
static int read_handle(HANDLE h, const char *path, size_t max, bool secret, char **data,
		       size_t *len, char *err, size_t err_size)
{
	int rc = 0;
	BY_HANDLE_FILE_INFORMATION bi;
	char *buf = NULL;
	if (!GetFileInformationByHandle(h, &bi)) {
		rc = win_errf(err, err_size, GetLastError(), "cannot inspect", path);
		goto out;
	}
	uint64_t size = ((uint64_t)bi.nFileSizeHigh << 32) | bi.nFileSizeLow;
	if (bi.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) {
		rc = errf(err, err_size, "%s is not a regular file", path);
		goto out;
	}
	if (size > max) {
		rc = errf(err, err_size, "%s is larger than %zu bytes", path, max);
		goto out;
	}
	if (secret && (rc = check_secret_acl(h, path, err, err_size)) != 0)
		goto out;
	buf = xmalloc((size_t)size + 1);
	size_t got = 0;
	while (got < size) {
		DWORD r = 0, want = size - got > 0x40000000 ? 0x40000000 : (DWORD)(size - got);
		if (!ReadFile(h, buf + got, want, &r, NULL)) {
			rc = win_errf(err, err_size, GetLastError(), "cannot read", path);
			goto out;
		}
		if (r == 0)
			break;
		got += r;
	}
	if (got != size) {
		rc = errf(err, err_size, "%s changed while being read", path);
		goto out;
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	buf = NULL;
out:
	free(buf);
	CloseHandle(h);
	return rc;
}

static int read_file(const char *path, size_t max, bool secret, char **data, size_t *len,
		     char *err, size_t err_size)
{
	HANDLE h = open_input(path);
	if (h == INVALID_HANDLE_VALUE)
		return win_errf(err, err_size, GetLastError(), "cannot open", path);
	return read_handle(h, path, max, secret, data, len, err, err_size);
}

int platform_read_regular_file(const char *path, size_t max, char **data, size_t *len,
			       char *err, size_t err_size)
{
	return read_file(path, max, false, data, len, err, err_size);
}

int platform_read_secret_file(const char *path, size_t max, char **data, size_t *len,
			      char *err, size_t err_size)
{
	return read_file(path, max, true, data, len, err, err_size);
}

/* The ACL by name, then the read: not yet one handle for both (the POSIX
 * side checks the descriptor). A link or reparse point is refused. */
/* Every directory above the open file, up to its volume's root, as the
 * file really lies (links and junctions on the way resolved): none may
 * let others take the file away or put another in its place (sshd's
 * check of authorized_keys' directories). 0, 1 unsafe (why), -errno. */
static int ancestors_unsafe(HANDLE file, char *why, size_t why_size)
{
	wchar_t full[4096];
	DWORD n = GetFinalPathNameByHandleW(file, full, sizeof full / sizeof full[0],
					    FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
	if (n == 0 || n >= sizeof full / sizeof full[0])
		return win_errno(n ? ERROR_BUFFER_OVERFLOW : GetLastError());
	for (;;) {
		wchar_t *slash = wcsrchr(full, L'\\');
		if (!slash)
			return 0;
		/* "\\?\C:\" is the root: keep its backslash, then stop. */
		bool root = slash > full && slash[-1] == L':';
		slash[root ? 1 : 0] = L'\0';
		HANDLE d = CreateFileW(full, READ_CONTROL,
				       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
				       OPEN_EXISTING,
				       FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
		if (d == INVALID_HANDLE_VALUE)
			return win_errno(GetLastError());
		char inner[300];
		int r = win_handle_unsafe(d, true, inner, sizeof inner);
		CloseHandle(d);
		if (r != 0) {
			if (r > 0) {
				char *dir = win_utf8(!wcsncmp(full, L"\\\\?\\", 4) ? full + 4 : full);
				snprintf(why, why_size, "in the directory %s %s", dir, inner);
				free(dir);
			}
			return r;
		}
		if (root)
			return 0;
	}
}

platform_input_status platform_read_input(const char *path, size_t max, bool strict,
					  char **data, size_t *len, int *err, char *why,
					  size_t why_size)
{
	*err = 0;
	why[0] = '\0';
	/* One open for the checks and the read (no path checked, then another
	 * opened): the ACL, the owner and the directories of this file. */
	HANDLE h = open_input(path);
	if (h == INVALID_HANDLE_VALUE) {
		*err = -win_errno(GetLastError());
		return PLATFORM_INPUT_CANNOT_OPEN;
	}
	if (strict) {
		int r = win_handle_unsafe(h, false, why, why_size);
		if (r == 0)
			r = ancestors_unsafe(h, why, why_size);
		if (r != 0) {
			CloseHandle(h);
			if (r > 0)
				return PLATFORM_INPUT_UNSAFE;
			*err = -r;
			return PLATFORM_INPUT_CANNOT_OPEN;
		}
	}
	if (read_handle(h, path, max, false, data, len, why, why_size) != 0) {
		*err = EIO;
		return PLATFORM_INPUT_CANNOT_READ;
	}
	return PLATFORM_INPUT_OK;
}

int platform_lock(const char *path, intptr_t *handle, char *err, size_t err_size)
{
	*handle = -1;
	wchar_t *w = win_wide(path);
	if (!w)
		return errf(err, err_size, "%s: not valid UTF-8", path);
	/* Shared open, exclusive byte-range lock: a second hostaudit opens
	 * the file and then waits in LockFileEx, like flock(LOCK_EX). */
	HANDLE h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
			       NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT,
			       NULL);
	free(w);
	if (h == INVALID_HANDLE_VALUE)
		return win_errf(err, err_size, GetLastError(), "cannot open", path);
	OVERLAPPED ov = {0};
	if (!LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, &ov)) {
		DWORD e = GetLastError();
		CloseHandle(h);
		return win_errf(err, err_size, e, "cannot lock", path);
	}
	*handle = (intptr_t)h;
	return 0;
}

void platform_unlock(intptr_t *handle)
{
	if (*handle != -1) {
		HANDLE h = (HANDLE)*handle;
		OVERLAPPED ov = {0};
		UnlockFileEx(h, 0, 1, 0, &ov);
		CloseHandle(h);
	}
	*handle = -1;
}

int64_t platform_monotonic_ms(void)
{
	return (int64_t)GetTickCount64();
}

void platform_sleep_ms(long ms)
{
	if (ms > 0)
		Sleep((DWORD)ms);
}

void platform_wipe(void *p, size_t n)
{
	SecureZeroMemory(p, n);
}

/* ---- the machine-wide proxy ---- */

int platform_system_proxy(char **list, char **bypass)
{
	*list = *bypass = NULL;
	WINHTTP_PROXY_INFO pi = {0};
	if (!WinHttpGetDefaultProxyConfiguration(&pi))
		return -1;
	if (pi.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY && pi.lpszProxy && *pi.lpszProxy) {
		*list = win_utf8(pi.lpszProxy);
		if (pi.lpszProxyBypass && *pi.lpszProxyBypass)
			*bypass = win_utf8(pi.lpszProxyBypass);
	}
	if (pi.lpszProxy)
		GlobalFree(pi.lpszProxy);
	if (pi.lpszProxyBypass)
		GlobalFree(pi.lpszProxyBypass);
	return 0;
}

/* FILETIME counts 100 ns since 1601-01-01. */
uint64_t platform_now_us(void)
{
	FILETIME ft;
	GetSystemTimePreciseAsFileTime(&ft);
	uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
	return t / 10u - 11644473600000000ull;
}
