/* SPDX-License-Identifier: Apache-2.0 */
/* Reading a small regular file that holds a secret (a TLS key, a token,
 * a password, an alert receiver's credentials): one reader, so every
 * secret file the collector opens gets the same checks. */
#ifndef HOSTAUDIT_COLLECTOR_SECRET_FILE_H
#define HOSTAUDIT_COLLECTOR_SECRET_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* The whole of path (at most max_bytes; NUL-terminated, to free()), or
 * NULL with why (without the path) in why. Refused: a link (O_NOFOLLOW),
 * anything but a regular file (opened O_NONBLOCK, so a FIFO cannot hang
 * the caller), a file over max_bytes, and, when must_be_private, a file
 * its group or others may use (anything beyond 0600). */
char *secret_file_read(const char *path, size_t max_bytes, bool must_be_private, char *why,
		       size_t why_size);

#endif
