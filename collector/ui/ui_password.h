/* SPDX-License-Identifier: Apache-2.0 */
/* The console's passwords: argon2id (libargon2), memory-hard, each with
 * its own random salt, kept as the encoded string "$argon2id$v=19$m=...".
 * Shared by `hostaudit-collector user` and the login page. */
#ifndef HOSTAUDIT_UI_PASSWORD_H
#define HOSTAUDIT_UI_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

/* The encoded hash of password into out (256 bytes do). 0 or -1. */
int ui_password_hash(const char *password, char *out, size_t out_size);
/* Whether password matches encoded. With encoded NULL (no such user) the
 * same work is done against a fixed hash and false returned, so that an
 * unknown user takes as long as a wrong password. */
bool ui_password_verify(const char *encoded, const char *password);
/* The first line of a password file, which must be a regular file of mode
 * 0600 or stricter (else refused, with why in err). malloc'd, or NULL. */
char *ui_password_read(const char *path, char *err, size_t err_size);

#endif
