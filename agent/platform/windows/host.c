/* SPDX-License-Identifier: Apache-2.0 */
/* The host context on Windows: UTF-8 paths to the wide ("W") Win32 calls,
 * programs through CreateProcessW in a job object. */
#include "hostaudit/host.h"

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/platform.h"
#include "util.h"
#include "wincmdline.h"
#include "winutil.h"

void host_init_live(host *h)
{
	h->root = "";
	h->now = platform_now();
	h->privileged = platform_privileged();
	h->os = "windows";
}

FILE *host_fopen(const host *h, const char *path)
{
	wchar_t *w = win_host_path(h->root, path);
	if (!w)
		return NULL;
	/* Share everything: an audit must never block the program that owns
	 * the file, nor fail because it has the file open. */
	HANDLE fh = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
				NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
	free(w);
	if (fh == INVALID_HANDLE_VALUE) {
		errno = -win_errno(GetLastError());
		return NULL;
	}
	BY_HANDLE_FILE_INFORMATION info;
	if (!GetFileInformationByHandle(fh, &info) ||
	    (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
		CloseHandle(fh);
		errno = EISDIR;
		return NULL;
	}
	int fd = _open_osfhandle((intptr_t)fh, _O_RDONLY | _O_BINARY);
	if (fd < 0) {
		CloseHandle(fh);
		return NULL;
	}
	FILE *f = _fdopen(fd, "rb");
	if (!f)
		_close(fd);
	return f;
}

/* FILETIME (100 ns since 1601) to Unix seconds. */
static int64_t filetime_epoch(FILETIME ft)
{
	uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
	return (int64_t)(t / 10000000ULL) - 11644473600LL;
}

int host_stat_path(const host *h, const char *path, host_stat *out)
{
	wchar_t *w = win_host_path(h->root, path);
	if (!w)
		return -EILSEQ;
	WIN32_FILE_ATTRIBUTE_DATA a;
	BOOL ok = GetFileAttributesExW(w, GetFileExInfoStandard, &a);
	free(w);
	if (!ok)
		return win_errno(GetLastError());
	memset(out, 0, sizeof *out);
	out->is_link = (a.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
	out->is_dir = (a.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
	out->is_reg = !out->is_dir && !(a.dwFileAttributes & FILE_ATTRIBUTE_DEVICE);
	out->size = ((uint64_t)a.nFileSizeHigh << 32) | a.nFileSizeLow;
	out->mtime = filetime_epoch(a.ftLastWriteTime);
	/* Windows has ACLs, not mode bits or numeric owners: report read-only
	 * as 0444 and the rest as 0644 so nothing reads "writable by others";
	 * platform_file_writable_by_others() checks the real ACL. */
	out->mode = (a.dwFileAttributes & FILE_ATTRIBUTE_READONLY) ? 0444 : 0644;
	if (out->is_dir)
		out->mode |= 0111;
	return 0;
}

int host_list_dir(const host *h, const char *path, char ***names, size_t *count)
{
	char *pattern = xasprintf("%s/*", path);
	wchar_t *w = win_host_path(h->root, pattern);
	free(pattern);
	if (!w)
		return -EILSEQ;
	WIN32_FIND_DATAW fd;
	HANDLE fh = FindFirstFileExW(w, FindExInfoBasic, &fd, FindExSearchNameMatch, NULL, 0);
	free(w);
	if (fh == INVALID_HANDLE_VALUE) {
		DWORD e = GetLastError();
		if (e == ERROR_FILE_NOT_FOUND) { /* an empty directory (no . either) */
			*names = NULL;
			*count = 0;
			return 0;
		}
		return win_errno(e);
	}
	char **v = NULL;
	size_t n = 0;
	do {
		if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
			continue;
		v = xrealloc(v, (n + 1) * sizeof *v);
		v[n++] = win_utf8(fd.cFileName);
	} while (FindNextFileW(fh, &fd));
	FindClose(fh);
	host_names_sort(v, n);
	*names = v;
	*count = n;
	return 0;
}

/* The environment a program gets: the few variables Windows programs
 * need to start, nothing inherited from whoever ran hostaudit.
 * Double-NUL-terminated UTF-16 block. */
static wchar_t *clean_environment(void)
{
	wchar_t sysdir[MAX_PATH], windir[MAX_PATH];
	if (!GetSystemDirectoryW(sysdir, MAX_PATH) || !GetSystemWindowsDirectoryW(windir, MAX_PATH))
		return NULL;
	const wchar_t *vars[][3] = {{L"PATH=", sysdir, windir},
				    {L"SystemRoot=", windir, NULL},
				    {L"windir=", windir, NULL}};
	size_t cap = 4 * MAX_PATH + 64, n = 0;
	wchar_t *env = xcalloc(cap, sizeof *env);
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		for (size_t j = 0; j < 3 && vars[i][j]; j++) {
			if (j == 2)
				env[n++] = L';';
			size_t len = wcslen(vars[i][j]);
			memcpy(env + n, vars[i][j], len * sizeof *env);
			n += len;
		}
		env[n++] = L'\0'; /* end of this variable */
	}
	env[n] = L'\0'; /* end of the block */
	return env;
}

static bool absolute_windows_path(const char *p)
{
	return (((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':' &&
		(p[2] == '\\' || p[2] == '/')) ||
	       (p[0] == '\\' && p[1] == '\\');
}

/* Reads what is in the pipe now without blocking; appends up to the cap,
 * discards the rest (the child must never block on a full pipe).
 * false at end of file. */
static bool drain(HANDLE pipe, char *buf, size_t *n, size_t max_out)
{
	DWORD avail = 0;
	if (!PeekNamedPipe(pipe, NULL, 0, NULL, &avail, NULL))
		return false; /* broken pipe: the writer has gone */
	while (avail > 0) {
		char chunk[4096];
		DWORD got = 0;
		if (!ReadFile(pipe, chunk, avail < sizeof chunk ? avail : sizeof chunk, &got, NULL) ||
		    got == 0)
			return false;
		avail -= got;
		size_t take = got;
		if (take > max_out - *n)
			take = max_out - *n;
		memcpy(buf + *n, chunk, take);
		*n += take;
	}
	return true;
}

int host_run(const host *h, const char *const argv[], int timeout_ms, size_t max_out,
	     char **out, size_t *out_len, int *status)
{
	if (h->root && h->root[0])
		return -EPERM;
	if (!argv || !argv[0] || !absolute_windows_path(argv[0]))
		return -EINVAL;
	/* No longer than what is left of the probe's budget. */
	if (host_budget_deadline()) {
		int64_t left = host_budget_deadline() - platform_monotonic_ms();
		if (left < timeout_ms)
			timeout_ms = left > 0 ? (int)left : 0;
	}
	char *cmdline = win_cmdline_join(argv);
	wchar_t *wcmd = win_wide(cmdline), *wexe = win_wide(argv[0]);
	free(cmdline);
	wchar_t *env = clean_environment();
	if (!wcmd || !wexe || !env) {
		free(wcmd), free(wexe), free(env);
		return -EINVAL;
	}
	int err = 0;
	HANDLE rd = NULL, wr = NULL, nul = INVALID_HANDLE_VALUE, job = NULL;
	SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
	if (!CreatePipe(&rd, &wr, &sa, 0) || !SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0)) {
		err = win_errno(GetLastError());
		goto out;
	}
	nul = CreateFileW(L"NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
			  &sa, OPEN_EXISTING, 0, NULL);
	/* The job takes the program's own children down with it on a timeout. */
	job = CreateJobObjectW(NULL, NULL);
	JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim = {0};
	lim.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
	if (nul == INVALID_HANDLE_VALUE || !job ||
	    !SetInformationJobObject(job, JobObjectExtendedLimitInformation, &lim, sizeof lim)) {
		err = win_errno(GetLastError());
		goto out;
	}
	STARTUPINFOW si = {0};
	si.cb = sizeof si;
	si.dwFlags = STARTF_USESTDHANDLES;
	si.hStdInput = nul;
	si.hStdOutput = wr;
	si.hStdError = nul;
	PROCESS_INFORMATION pi;
	wchar_t sysdir[MAX_PATH];
	GetSystemDirectoryW(sysdir, MAX_PATH);
	if (!CreateProcessW(wexe, wcmd, NULL, NULL, TRUE,
			    CREATE_SUSPENDED | CREATE_NO_WINDOW | CREATE_UNICODE_ENVIRONMENT, env,
			    sysdir, &si, &pi)) {
		err = win_errno(GetLastError());
		goto out;
	}
	/* In the job before it runs a single instruction. */
	AssignProcessToJobObject(job, pi.hProcess);
	ResumeThread(pi.hThread);
	CloseHandle(pi.hThread);
	CloseHandle(wr);
	wr = NULL;

	char *buf = xmalloc(max_out + 1);
	size_t n = 0;
	bool killed = false;
	ULONGLONG deadline = GetTickCount64() + (ULONGLONG)timeout_ms;
	for (;;) {
		bool open = drain(rd, buf, &n, max_out);
		DWORD w = WaitForSingleObject(pi.hProcess, 20);
		if (w == WAIT_OBJECT_0 && !open)
			break;
		if (w == WAIT_OBJECT_0) {
			drain(rd, buf, &n, max_out);
			break;
		}
		if (GetTickCount64() >= deadline) {
			TerminateJobObject(job, 1);
			WaitForSingleObject(pi.hProcess, 5000);
			killed = true;
			break;
		}
	}
	DWORD code = 0;
	GetExitCodeProcess(pi.hProcess, &code);
	CloseHandle(pi.hProcess);
	buf[n] = '\0';
	*status = killed ? -1 : (int)code;
	if (out) {
		*out = buf;
		if (out_len)
			*out_len = n;
	} else {
		free(buf);
	}
out:
	if (rd)
		CloseHandle(rd);
	if (wr)
		CloseHandle(wr);
	if (nul != INVALID_HANDLE_VALUE)
		CloseHandle(nul);
	if (job)
		CloseHandle(job);
	free(wcmd), free(wexe), free(env);
	return err;
}
