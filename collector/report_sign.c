/* SPDX-License-Identifier: Apache-2.0 */
/* Signing and checking a report file (report_sign.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/pem.h>

#include "i18n.h"
#include "report_sign.h"
#include "signkey.h"

#define SIG_LEN 64
/* A report is read whole to be signed (Ed25519 is not streamed): a bound
 * far above any annual report, against a path that names a device. */
#define MAX_REPORT_BYTES (4LL << 30)

/* The whole regular file (*data malloc'd). 0 or -1 with err. */
static int slurp(const char *path, unsigned char **data, size_t *len, char *err,
		 size_t err_size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > MAX_REPORT_BYTES) {
		snprintf(err, err_size, _("%s: not a regular file of a report's size"), path);
		close(fd);
		return -1;
	}
	*len = (size_t)st.st_size;
	*data = malloc(*len ? *len : 1);
	size_t got = 0;
	while (*data && got < *len) {
		ssize_t n = read(fd, *data + got, *len - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!*data || got != *len) {
		snprintf(err, err_size, "%s: %s", path, *data ? _("short read") : _("out of memory"));
		free(*data);
		*data = NULL;
		return -1;
	}
	return 0;
}

int report_sign_file(const char *key_path, const char *file, char *err, size_t err_size)
{
	EVP_PKEY *k = signkey_load(key_path, err, err_size);
	if (!k)
		return -1;
	unsigned char *data = NULL, sig[SIG_LEN];
	size_t len = 0, sl = sizeof sig;
	char *final = NULL, *tmp = NULL;
	int rc = -1, fd = -1;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (slurp(file, &data, &len, err, err_size) != 0)
		goto out;
	if (!ctx || EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) != 1 ||
	    EVP_DigestSign(ctx, sig, &sl, data, len) != 1 || sl != SIG_LEN) {
		snprintf(err, err_size, _("%s: cannot sign with %s"), file, key_path);
		goto out;
	}
	if (asprintf(&final, "%s.sig", file) < 0 || asprintf(&tmp, "%s.sig.XXXXXX", file) < 0) {
		final = tmp = NULL;
		snprintf(err, err_size, _("out of memory"));
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	bool made = fd >= 0, written = made && fchmod(fd, 0600) == 0 &&
				      write(fd, sig, SIG_LEN) == SIG_LEN && fsync(fd) == 0;
	if (made && close(fd) != 0)
		written = false;
	if (!written || rename(tmp, final) != 0) {
		snprintf(err, err_size, "%s: %s", final, strerror(errno));
		if (made)
			unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	free(data);
	free(final);
	free(tmp);
	return rc;
}

int report_verify_file(const char *pub_path, const char *file, const char *sig_path,
		       char *err, size_t err_size)
{
	FILE *f = fopen(pub_path, "re");
	EVP_PKEY *k = f ? PEM_read_PUBKEY(f, NULL, NULL, NULL) : NULL;
	if (!f)
		snprintf(err, err_size, "%s: %s", pub_path, strerror(errno));
	else
		fclose(f);
	if (!k || EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
		if (f)
			snprintf(err, err_size, _("%s: not an Ed25519 public key (PEM)"), pub_path);
		EVP_PKEY_free(k);
		return -1;
	}
	unsigned char *data = NULL, *sig = NULL;
	size_t len = 0, sl = 0;
	int rc = -1;
	EVP_MD_CTX *ctx = NULL;
	if (slurp(sig_path, &sig, &sl, err, err_size) != 0 ||
	    slurp(file, &data, &len, err, err_size) != 0)
		goto out;
	if (sl != SIG_LEN) {
		snprintf(err, err_size, _("the signature file is not an Ed25519 signature "
					  "(%zu bytes, not %d)"), sl, SIG_LEN);
		rc = 0;
		goto out;
	}
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k) != 1) {
		snprintf(err, err_size, _("cannot check signatures (OpenSSL)"));
		goto out;
	}
	rc = EVP_DigestVerify(ctx, sig, sl, data, len) == 1;
	if (!rc)
		snprintf(err, err_size, "%s", _("the report was changed after it was signed,\n"
						"  or signed with another key"));
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	free(data);
	free(sig);
	return rc;
}
