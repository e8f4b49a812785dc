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
 * others (who in *why), negative errno when it cannot be checked. */
int platform_file_writable_by_others(const char *path, char *why, size_t why_size);

/* Whether the process runs with full privileges (root / elevated). */
bool platform_privileged(void);

/* Prepares the terminal once at start: on Windows, UTF-8 output
 * (SetConsoleOutputCP) and colour codes; nothing on POSIX. */
void platform_console_init(void);

bool platform_isatty(FILE *f);

/* Seconds since the epoch, UTC. */
int64_t platform_now(void);

/* The host name, "unknown" if it cannot be read. */
void platform_hostname(char *buf, size_t size);

/* n bytes from the operating system's cryptographic random source.
 * 0 or -1. (OpenSSL on POSIX, CNG BCryptGenRandom on Windows.) */
int platform_random_bytes(void *buf, size_t n);

/* SHA-256 of data into out. 0 or -1. (OpenSSL on POSIX, CNG on Windows.) */
int platform_sha256(const void *data, size_t len, unsigned char out[32]);

#endif
