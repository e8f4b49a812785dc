/* SPDX-License-Identifier: Apache-2.0 */
/* Ed25519 signing keys (signkey.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/pem.h>

#include "signkey.h"
#include "i18n.h"

/* The public half at pub, 0644 (it is handed out), synced. 0 or -1. */
static int write_pub(EVP_PKEY *k, const char *pub, signkey_pub_format fmt, const char *tag,
		     char *err, size_t err_size)
{
	int fd = open(pub, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int rc = -1;
	if (f && fchmod(fd, 0644) == 0) {
		bool ok;
		if (fmt == SIGNKEY_PUB_PEM) {
			ok = PEM_write_PUBKEY(f, k) == 1;
		} else {
			unsigned char raw[32];
			size_t rl = sizeof raw;
			ok = EVP_PKEY_get_raw_public_key(k, raw, &rl) == 1 && rl == 32 &&
			     fprintf(f, "%s ", tag) > 0;
			for (int i = 0; ok && i < 32; i++)
				ok = fprintf(f, "%02x", raw[i]) == 2;
			ok = ok && fputc('\n', f) == '\n';
		}
		if (ok && fflush(f) == 0 && fsync(fd) == 0)
			rc = 0;
	}
	if (rc != 0)
		snprintf(err, err_size, "%s: %s", pub, errno ? strerror(errno) : _("cannot write"));
	if (f)
		fclose(f);
	else if (fd >= 0)
		close(fd);
	return rc;
}

int signkey_generate(const char *path, const char *pub, signkey_pub_format fmt,
		     const char *tag, char *err, size_t err_size)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (!k) {
		snprintf(err, err_size, _("cannot make an Ed25519 key"));
		return -1;
	}
	/* O_EXCL: an existing key is never overwritten (others trust it) */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int rc = -1;
	if (!f) {
		snprintf(err, err_size, "%s: %s", path,
			 errno == EEXIST ? _("exists already (never overwritten)") : strerror(errno));
	} else if (PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) != 1 ||
		   fflush(f) != 0 || fsync(fd) != 0) {
		snprintf(err, err_size, _("%s: cannot write"), path);
	} else {
		errno = 0;
		rc = write_pub(k, pub, fmt, tag, err, err_size);
	}
	if (f)
		fclose(f);
	else if (fd >= 0)
		close(fd);
	EVP_PKEY_free(k);
	return rc;
}

EVP_PKEY *signkey_load(const char *path, char *err, size_t err_size)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return NULL;
	}
	EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!k || EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
		snprintf(err, err_size, _("%s: not an Ed25519 private key"), path);
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}
