/* SPDX-License-Identifier: Apache-2.0 */
/* argon2id for the console's passwords (ui_password.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <argon2.h>

#include "secret_file.h"
#include "ui_password.h"
#include "i18n.h"

/* OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): a guess costs the
 * attacker that memory each, a login costs the collector about 30 ms. */
enum { T_COST = 2, M_COST_KIB = 19 * 1024, LANES = 1, SALT_LEN = 16, HASH_LEN = 32 };

int ui_password_hash(const char *password, char *out, size_t out_size)
{
	unsigned char salt[SALT_LEN];
	if (getrandom(salt, sizeof salt, 0) != (ssize_t)sizeof salt)
		return -1;
	int rc = argon2id_hash_encoded(T_COST, M_COST_KIB, LANES, password, strlen(password),
				       salt, sizeof salt, HASH_LEN, out, out_size);
	return rc == ARGON2_OK ? 0 : -1;
}

bool ui_password_verify(const char *encoded, const char *password)
{
	/* made once the same way; it matches no password anyone can type */
	static const char decoy[] =
		"$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	int rc = argon2id_verify(encoded ? encoded : decoy, password, strlen(password));
	return encoded && rc == ARGON2_OK;
}

char *ui_password_read(const char *path, char *err, size_t err_size)
{
	char why[128];
	char *buf = secret_file_read(path, 4096, true, why, sizeof why);
	if (!buf) {
		snprintf(err, err_size, "%s: %s", path, why);
		return NULL;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!buf[0]) {
		free(buf);
		snprintf(err, err_size, _("%s: the first line (the password) is empty"), path);
		return NULL;
	}
	return buf;
}
