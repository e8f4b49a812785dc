/* SPDX-License-Identifier: Apache-2.0 */
/* The signed policy versions (collector.h, docs/policy.md): one file per
 * version in policy_dir, vNNNNNNNN.json holding the signed envelope
 * exactly as signed. Files, not the database: a version is written once
 * and never changed, whatever store backs the reports. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector.h"
#include "hostaudit/policy.h"
#include "i18n.h"

static char *slurp(const char *p, char *err, size_t err_size)
{
	int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > POLICY_MAX_BYTES) {
		snprintf(err, err_size, "%s: %s", p,
			 fd < 0 ? strerror(errno) : _("not a regular file of at most 8 MiB"));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	size_t n = 0;
	ssize_t r;
	while (buf && n < (size_t)st.st_size && (r = read(fd, buf + n, (size_t)st.st_size - n)) > 0)
		n += (size_t)r;
	close(fd);
	if (!buf || n != (size_t)st.st_size) {
		snprintf(err, err_size, _("%s: short read"), p);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* The payload of an envelope, not verified (the agent verifies; publish
 * verified before storing). */
static int entry_of(const char *env, pstore_entry *e, char *err, size_t err_size)
{
	json_t *j = json_loads(env, 0, NULL);
	json_t *p = j ? json_object_get(j, "payload") : NULL;
	policy_bundle b;
	diag d;
	int rc = -1;
	if (!json_is_string(p))
		snprintf(err, err_size, _("not a signed policy"));
	else if (policy_payload_parse(json_string_value(p), json_string_length(p), &b, &d))
		snprintf(err, err_size, "%.500s", d.msg);
	else {
		memset(e, 0, sizeof *e);
		e->version = b.version;
		snprintf(e->group, sizeof e->group, "%s", b.group ? b.group : "");
		snprintf(e->created, sizeof e->created, "%s", b.created);
		memcpy(e->sha256, b.sha256, sizeof e->sha256);
		e->files = b.file_count;
		policy_bundle_free(&b);
		rc = 0;
	}
	json_decref(j);
	return rc;
}

static int cmp_entry(const void *a, const void *b)
{
	long long x = ((const pstore_entry *)a)->version, y = ((const pstore_entry *)b)->version;
	return x < y ? -1 : x > y;
}

int pstore_list(const char *dir, pstore_entry **out, size_t *n, char *err, size_t err_size)
{
	*out = NULL;
	*n = 0;
	DIR *dh = opendir(dir);
	if (!dh) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, err_size, "%s: %s", dir, strerror(errno));
		return -1;
	}
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && (de = readdir(dh)) != NULL) {
		long long v;
		char tail[8];
		if (sscanf(de->d_name, "v%lld%7s", &v, tail) != 2 || strcmp(tail, ".json") ||
		    strlen(de->d_name) != 14)
			continue;
		char *p, e2[1100];
		if (asprintf(&p, "%s/%s", dir, de->d_name) < 0)
			return -1;
		char *env = slurp(p, err, err_size);
		pstore_entry e;
		if (!env || entry_of(env, &e, e2, sizeof e2)) {
			if (env)
				snprintf(err, err_size, "%s: %s", p, e2);
			rc = -1;
		} else if (e.version != v) {
			snprintf(err, err_size, _("%s: holds version %lld"), p, e.version);
			rc = -1;
		} else {
			pstore_entry *ne = realloc(*out, (*n + 1) * sizeof *ne);
			if (!ne)
				rc = -1;
			else {
				*out = ne;
				ne[(*n)++] = e;
			}
		}
		free(env);
		free(p);
	}
	closedir(dh);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_entry);
	return 0;
}

int pstore_latest(const char *dir, const char *group, pstore_entry *e, char *err,
		  size_t err_size)
{
	pstore_entry *all;
	size_t n;
	if (pstore_list(dir, &all, &n, err, err_size))
		return -1;
	int found = 0;
	for (size_t i = n; i-- > 0 && !found;)
		if (!strcmp(all[i].group, group)) {
			*e = all[i];
			found = 1;
		}
	free(all);
	return found;
}

static char *version_path(const char *dir, long long version)
{
	char *p;
	return asprintf(&p, "%s/v%08lld.json", dir, version) < 0 ? NULL : p;
}

char *pstore_read(const char *dir, long long version, char *err, size_t err_size)
{
	char *p = version_path(dir, version);
	if (!p)
		return NULL;
	char *env = slurp(p, err, err_size);
	if (!env && errno == ENOENT)
		snprintf(err, err_size, _("no policy version %lld in %s"), version, dir);
	free(p);
	return env;
}

int pstore_add(const char *dir, long long version, const char *envelope, char *err,
	       size_t err_size)
{
	if (version < 1 || version > 99999999) {
		snprintf(err, err_size, _("version %lld is outside 1..99999999"), version);
		return -1;
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, err_size, "%s: %s", dir, strerror(errno));
		return -1;
	}
	char *final = version_path(dir, version), *tmp = NULL;
	if (!final || asprintf(&tmp, "%s/.v%08lld.tmp%ld", dir, version, (long)getpid()) < 0) {
		free(final);
		return -1;
	}
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	size_t len = strlen(envelope);
	if (fd < 0 || fchmod(fd, 0644) != 0 || write(fd, envelope, len) != (ssize_t)len ||
	    fsync(fd) != 0) {
		snprintf(err, err_size, "%s: %s", tmp, strerror(errno));
	} else if (link(tmp, final) != 0) {
		/* link, not rename: an existing version is never replaced */
		snprintf(err, err_size, "%s: %s", final,
			 errno == EEXIST ? _("this version exists already") : strerror(errno));
	} else {
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		rc = 0;
	}
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	free(final);
	return rc;
}

char *pstore_served(const char *dir, const char *group, bool *none, char *err,
		    size_t err_size)
{
	*none = false;
	pstore_entry base, grp;
	int b = pstore_latest(dir, "", &base, err, err_size);
	int g = b == 1 && group && *group ? pstore_latest(dir, group, &grp, err, err_size) : 0;
	if (b < 0 || g < 0)
		return NULL;
	if (b == 0) {
		*none = true;
		return NULL;
	}
	char *be = pstore_read(dir, base.version, err, err_size);
	char *ge = g == 1 ? pstore_read(dir, grp.version, err, err_size) : NULL;
	char *out = NULL;
	if (be && (g == 0 || ge) &&
	    asprintf(&out, "{\"base\":%s,\"group\":%s,\"schema\":\"%s\"}", be, ge ? ge : "null",
		     POLICY_SERVED_SCHEMA) < 0)
		out = NULL;
	free(be);
	free(ge);
	return out;
}
