/* SPDX-License-Identifier: Apache-2.0 */
/* The CSV report directory's MANIFEST (report_manifest.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "i18n.h"
#include "report_manifest.h"
#include "report_sign.h"

#define MANIFEST "MANIFEST"

/* The SHA-256 of the regular file dir/name, hex. 0, or -1 with err. */
static int file_sha256(const char *dir, const char *name, char hex[65], char *err,
		       size_t err_size)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	int fd = open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, err_size, "%s: %s", p, fd < 0 ? strerror(errno) : _("not a regular file"));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	enum { CHUNK = 1 << 20 };
	unsigned char *buf = malloc(CHUNK), out[32];
	int rc = md && buf && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 ? 0 : -1;
	ssize_t n = 0;
	while (rc == 0 && (n = read(fd, buf, CHUNK)) > 0)
		if (EVP_DigestUpdate(md, buf, (size_t)n) != 1)
			rc = -1;
	unsigned int len;
	if (rc == 0 && (n < 0 || EVP_DigestFinal_ex(md, out, &len) != 1))
		rc = -1;
	if (rc != 0)
		snprintf(err, err_size, "%s: %s", p, n < 0 ? strerror(errno) : _("out of memory"));
	for (int i = 0; rc == 0 && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
	free(buf);
	EVP_MD_CTX_free(md);
	close(fd);
	return rc;
}

static int is_csv(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return e->d_name[0] != '.' && n > 4 && strcmp(e->d_name + n - 4, ".csv") == 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int report_manifest_write(const char *dir, char *err, size_t err_size)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, is_csv, by_name);
	if (n < 0) {
		snprintf(err, err_size, "%s: %s", dir, strerror(errno));
		return -1;
	}
	char tmp[4200], final[4200];
	snprintf(final, sizeof final, "%s/" MANIFEST, dir);
	snprintf(tmp, sizeof tmp, "%s/." MANIFEST ".XXXXXX", dir);
	int fd = mkostemp(tmp, O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int rc = f ? 0 : -1;
	if (!f) {
		snprintf(err, err_size, "%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	for (int i = 0; i < n; i++) {
		char hex[65];
		if (rc == 0 && file_sha256(dir, names[i]->d_name, hex, err, err_size) != 0)
			rc = -1;
		if (rc == 0)
			fprintf(f, "%s  %s\n", hex, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	if (f) {
		if (rc == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0 || ferror(f))) {
			snprintf(err, err_size, "%s: %s", tmp, strerror(errno));
			rc = -1;
		}
		if (fclose(f) != 0 && rc == 0) {
			snprintf(err, err_size, "%s: %s", tmp, strerror(errno));
			rc = -1;
		}
		if (rc == 0 && rename(tmp, final) != 0) {
			snprintf(err, err_size, "%s: %s", final, strerror(errno));
			rc = -1;
		}
		if (rc != 0)
			unlink(tmp);
	}
	return rc;
}

int report_manifest_sign(const char *key_path, const char *dir, char *err, size_t err_size)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/" MANIFEST, dir);
	if (report_manifest_write(dir, err, err_size) != 0)
		return -1;
	return report_sign_file(key_path, p, err, err_size);
}

bool report_manifest_is(const char *path)
{
	const char *b = strrchr(path, '/');
	return strcmp(b ? b + 1 : path, MANIFEST) == 0;
}

/* A name the MANIFEST may list: a file beside it, nothing above. */
static bool plain_name(const char *s)
{
	return s[0] && s[0] != '.' && !strchr(s, '/');
}

int report_manifest_check(const char *path, char *err, size_t err_size)
{
	char dir[4200];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	char line[4400];
	int rc = 1, lineno = 0;
	size_t listed = 0;
	char **names = NULL;
	while (rc == 1 && fgets(line, sizeof line, f)) {
		lineno++;
		size_t len = strlen(line);
		char *name = line + 66;
		if (len < 68 || line[len - 1] != '\n' || line[64] != ' ' || line[65] != ' ' ||
		    strspn(line, "0123456789abcdef") != 64) {
			snprintf(err, err_size, _("%s:%d: not a line \"SHA-256  file\""), path,
				 lineno);
			rc = 0;
			break;
		}
		line[len - 1] = '\0';
		if (!plain_name(name)) {
			snprintf(err, err_size, _("%s:%d: %s is not a file beside the MANIFEST"),
				 path, lineno, name);
			rc = 0;
			break;
		}
		char hex[65];
		if (file_sha256(dir, name, hex, err, err_size) != 0) {
			rc = 0; /* a file listed is gone: the report is not whole */
			break;
		}
		if (memcmp(hex, line, 64) != 0) {
			snprintf(err, err_size, _("%s/%s was changed after the MANIFEST was written"),
				 dir, name);
			rc = 0;
			break;
		}
		char **nn = realloc(names, (listed + 1) * sizeof *nn);
		if (nn)
			names = nn;
		if (!nn || !(names[listed] = strdup(name))) {
			snprintf(err, err_size, _("out of memory"));
			rc = -1;
			break;
		}
		listed++;
	}
	fclose(f);
	if (rc == 1 && listed == 0) {
		snprintf(err, err_size, _("%s lists no file"), path);
		rc = 0;
	}
	/* a CSV file beside it that it does not list is not covered */
	struct dirent **all = NULL;
	int n = rc == 1 ? scandir(dir, &all, is_csv, by_name) : 0;
	for (int i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < listed && !found; k++)
			found = strcmp(names[k], all[i]->d_name) == 0;
		if (!found && rc == 1) {
			snprintf(err, err_size, _("%s/%s is not in the MANIFEST"), dir,
				 all[i]->d_name);
			rc = 0;
		}
		free(all[i]);
	}
	free(all);
	for (size_t k = 0; k < listed; k++)
		free(names[k]);
	free(names);
	return rc;
}
