/* SPDX-License-Identifier: Apache-2.0 */
/* What differs between operating systems outside the probes: files that
 * must land whole, terminals, identity. One implementation per platform
 * under agent/platform/<platform>/. */
#ifndef HOSTAUDIT_PLATFORM_H
#define HOSTAUDIT_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Writes data to path atomically, mode 0600: temp file in the same
 * directory, flush to disk, rename over path, flush the directory.
 * Returns 0 or a negative errno. */
int platform_write_file_atomic(const char *path, const void *data, size_t len);

/* Whether others than the owner (and root) may write path: a file others
 * could edit must not steer a privileged audit. 0 = safe, 1 = writable by
 * others (who in *why), negative errno when it cannot be checked. Windows
 * (the ACL); on POSIX platform_read_input checks on the descriptor. */
int platform_file_writable_by_others(const char *path, char *why, size_t why_size);

/* Reads one of the agent's own inputs (site config, rule pack,
 * attestation, data file) whole, NUL-terminated, at most max bytes. The
 * open never blocks (a FIFO planted at the path) and the checks are made
 * on the open file: a regular file, not too large. When strict (a
 * privileged audit) also: owned by root or us and writable by nobody
 * else, and so is every directory above it and every link on the way,
 * as given and as resolved (a sticky directory owned by root, /tmp, may
 * be writable by all); the resolved name is opened without following a
 * link, so the file checked is the file read. Windows: one open (a link
 * or reparse point is refused; no other writer, rename or delete while it
 * is open), then the owner and ACL of that handle, then every directory
 * above the file as it really lies, none of which may let others delete
 * or rename what is in it (win_access_mask_replaces), then the read. */
typedef enum {
	PLATFORM_INPUT_OK,
	PLATFORM_INPUT_CANNOT_OPEN, /* the errno in *err */
	PLATFORM_INPUT_DIRECTORY,
	PLATFORM_INPUT_NOT_REGULAR, /* a FIFO, device, socket */
	PLATFORM_INPUT_TOO_LARGE,
	PLATFORM_INPUT_CANNOT_READ, /* the errno in *err */
	PLATFORM_INPUT_UNSAFE,      /* others may change it: who and where in *why */
} platform_input_status;
platform_input_status platform_read_input(const char *path, size_t max, bool strict,
					  char **data, size_t *len, int *err, char *why,
					  size_t why_size);

/* Whether the process runs with full privileges (root / elevated). */
bool platform_privileged(void);

/* The last line of defence against a loop the probe budgets do not see:
 * after seconds (0 disarms), print a line on stderr and end the process
 * with exit status 2, no report. POSIX: alarm(2); Windows: not yet (a
 * no-op there; the probe budgets still apply). */
void platform_watchdog(unsigned seconds);

/* Prepares the terminal once at start: on Windows, UTF-8 output
 * (SetConsoleOutputCP) and colour codes; nothing on POSIX. */
void platform_console_init(void);

bool platform_isatty(FILE *f);

/* Columns of the terminal f writes to (TIOCGWINSZ on POSIX, the console
 * window on Windows), or 0 when f is not a terminal or it cannot tell. */
int platform_terminal_columns(FILE *f);

/* Seconds since the epoch, UTC. */
int64_t platform_now(void);
/* Microseconds since the epoch, UTC (the spool's ordering numbers). */
uint64_t platform_now_us(void);

/* The host name, "unknown" if it cannot be read. */
void platform_hostname(char *buf, size_t size);

/* n bytes from the operating system's cryptographic random source.
 * 0 or -1. (OpenSSL on POSIX, CNG BCryptGenRandom on Windows.) */
int platform_random_bytes(void *buf, size_t n);

/* SHA-256 of data into out. 0 or -1. (OpenSSL on POSIX, CNG on Windows.) */
int platform_sha256(const void *data, size_t len, unsigned char out[32]);

/* Checks an Ed25519 signature (a signed policy, docs/policy.md): 0 good,
 * -1 bad, -2 it could not be checked (Windows: CNG gave no SHA-512 for the
 * built-in verifier, agent/platform/ed25519_verify.c; OpenSSL on POSIX). */
int platform_ed25519_verify(const unsigned char pub[32], const void *msg, size_t len,
			    const unsigned char sig[64]);

/* ---- default locations ----
 * POSIX: /etc/hostaudit/hostaudit.yaml, the installed rules directory
 * (HOSTAUDIT_RULES_DIR) and /var/spool/hostaudit. Windows: the same under
 * %ProgramData%\hostaudit (hostaudit.yaml, rules, spool), the folder found
 * at run time with SHGetKnownFolderPath(FOLDERID_ProgramData), never a
 * hard-coded drive. The message catalogues (PLATFORM_LOCALE_DIR, holding
 * ja/LC_MESSAGES/hostaudit.mo): the installed locale directory on POSIX;
 * share\locale in the folder of hostaudit.exe on Windows, where the
 * installer puts them (and where the build tree has them too). The
 * strings live as long as the process. */
typedef enum platform_location {
	PLATFORM_CONFIG_FILE,
	PLATFORM_RULES_DIR,
	PLATFORM_SPOOL_DIR,
	PLATFORM_LOCALE_DIR,
	/* The answers `hostaudit attest` records when the site config names
	 * no file: /var/lib/hostaudit/attestations.yaml, on Windows
	 * %ProgramData%\hostaudit\attestations.yaml. */
	PLATFORM_ATTEST_FILE,
	PLATFORM_POLICY_DIR, /* the last-good signed policy (docs/policy.md) */
} platform_location;
const char *platform_default_path(platform_location which);

/* ---- what the upload spool needs (agent/upload/spool.c) ----
 * Each returns 0, or -1 with a one-line message in err that names the
 * path and the system's error (on Windows the code in hex and its text). */

/* Creates dir when missing and makes it private: owned by us and mode
 * 0700 (POSIX); a protected DACL for SYSTEM, Administrators and the owner
 * (Windows). Refuses a symlink, a junction or a non-directory. */
int platform_mkdir_private(const char *dir, char *err, size_t err_size);

/* Calls fn(ctx, name, size) for each regular file directly in dir: no
 * directories, symlinks or reparse points. fn returns 0 to go on, -1 to
 * stop (then platform_list_files returns -1 and leaves err alone). */
int platform_list_files(const char *dir, int (*fn)(void *ctx, const char *name, uint64_t size),
			void *ctx, char *err, size_t err_size);

/* platform_write_file_atomic with a message: the file is on disk, under
 * its name, private, or not there at all. */
int platform_write_file_durable(const char *path, const void *data, size_t len, char *err,
				size_t err_size);

/* Renames from to to (replacing to) and makes the rename durable: fsync
 * of both directories (POSIX); MOVEFILE_WRITE_THROUGH (Windows). */
int platform_rename_durable(const char *from, const char *to, char *err, size_t err_size);

/* Removes path (absent is fine) and flushes its directory (POSIX). */
int platform_remove_durable(const char *path, char *err, size_t err_size);

/* Reads a regular file (not a symlink or reparse point) of at most max
 * bytes whole, NUL-terminated. Caller frees *data. */
int platform_read_regular_file(const char *path, size_t max, char **data, size_t *len,
			       char *err, size_t err_size);

/* Like platform_read_regular_file, for a secret (the upload token): also
 * refuses a file that others than the owner, SYSTEM/root and
 * Administrators may read (POSIX: any group/other mode bit; Windows: an
 * ACE granting read to anyone else). */
int platform_read_secret_file(const char *path, size_t max, char **data, size_t *len,
			      char *err, size_t err_size);

/* An exclusive lock on path (created private when missing), waiting for
 * another holder: flock (POSIX), LockFileEx (Windows). The lock ends with
 * platform_unlock or the process. *handle is -1 when not held. */
int platform_lock(const char *path, intptr_t *handle, char *err, size_t err_size);
void platform_unlock(intptr_t *handle);

/* Monotonic milliseconds, for deadlines; and a plain sleep. */
int64_t platform_monotonic_ms(void);
void platform_sleep_ms(long ms);

/* The machine-wide proxy that services use, as the system stores it:
 * on Windows WinHttpGetDefaultProxyConfiguration's proxy list and bypass
 * list (UTF-8, malloc'd, NULL when direct); none on POSIX (the
 * environment is the convention there). 0, or -1 when it cannot be read. */
int platform_system_proxy(char **list, char **bypass);

/* Wipes a secret from memory in a way the compiler may not remove. */
void platform_wipe(void *p, size_t n);

#endif
