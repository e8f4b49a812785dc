/* SPDX-License-Identifier: Apache-2.0 */
/* Enrollment: a new host trades the company's enrollment secret, once, for
 * its own upload token (include/hostaudit/upload.h).
 *
 * POST <upload.url with its last path segment replaced by "enroll">
 *   Authorization: Bearer <secret>   {"host": "<this host's name>"}
 *   -> 201 {"host": ..., "token": ...}, 401 wrong secret, 409 already enrolled
 * Same TLS rules as the upload (upload_curl_handle). The token is written
 * to upload.token_file atomically, mode 0600, and never printed. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "hostaudit/platform.h"
#include "hostaudit/upload.h"
#include "upload_http.h"

#define SECRET_MAX 4096

static void msgf(char *msg, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void msgf(char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, size, fmt, ap);
	va_end(ap);
}

/* The first alen bytes of a, then b, in a new string. */
static char *concat(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	char *out = malloc(alen + blen + 1);
	if (out) {
		memcpy(out, a, alen);
		memcpy(out + alen, b, blen + 1);
	}
	return out;
}

int upload_sibling_url(const char *upload_url, const char *segment, char **out)
{
	*out = NULL;
	CURLU *u = curl_url();
	char *path = NULL;
	int rc = -1;
	if (u && curl_url_set(u, CURLUPART_URL, upload_url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK) {
		char *slash = strrchr(path, '/');
		size_t keep = slash ? (size_t)(slash - path) : 0;
		char *np = concat(path, keep, segment);
		if (np &&
		    curl_url_set(u, CURLUPART_PATH, np, 0) == CURLUE_OK &&
		    curl_url_set(u, CURLUPART_QUERY, NULL, 0) == CURLUE_OK &&
		    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) == CURLUE_OK &&
		    curl_url_get(u, CURLUPART_URL, out, 0) == CURLUE_OK)
			rc = 0;
		free(np);
	}
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

typedef upload_answer answer;

/* The collector's {"error": ...}, or the first line of whatever it said. */
static void collector_error(const answer *a, char *out, size_t size)
{
	json_t *j = json_loadb(a->body, a->len, 0, NULL);
	const char *e = json_string_value(json_object_get(j, "error"));
	snprintf(out, size, "%.*s", e ? 300 : (int)strcspn(a->body, "\r\n"), e ? e : a->body);
	json_decref(j);
}

/* POSTs the request; fills a and *code (0: no HTTP answer, why in msg). */
static int post_enroll(const upload_config *uc, const char *url, const char *secret,
		       const char *host, answer *a, long *code, char *msg, size_t msg_size)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *c = upload_curl_handle(uc, url, errbuf);
	json_t *req = json_pack("{s:s}", "host", host);
	char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	const char *bearer = "Authorization: Bearer ";
	char *auth = concat(bearer, strlen(bearer), secret);
	if (!c || !body || !auth) {
		msgf(msg, msg_size, "out of memory");
		free(body);
		free(auth);
		if (c)
			curl_easy_cleanup(c);
		return -1;
	}
	struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
	hd = curl_slist_append(hd, auth);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, upload_keep_answer);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, uc->connect_timeout_s + 30L);
	CURLcode rc = curl_easy_perform(c);
	*code = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	else
		msgf(msg, msg_size, "%s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
	curl_slist_free_all(hd);
	platform_wipe(auth, strlen(auth));
	free(auth);
	free(body);
	curl_easy_cleanup(c);
	return 0;
}

/* 201: the token, written 0600 atomically. */
static int save_token(const upload_config *uc, const answer *a, const char *host, char *msg,
		      size_t msg_size)
{
	json_t *j = json_loadb(a->body, a->len, 0, NULL);
	const char *tok = json_string_value(json_object_get(j, "token"));
	int rc = -1;
	bool ok = tok && *tok && strlen(tok) < SECRET_MAX;
	for (const char *p = tok; ok && *p; p++)
		ok = (unsigned char)*p > ' ' && (unsigned char)*p < 0x7f;
	if (!ok) {
		msgf(msg, msg_size, "the collector's answer has no usable token");
	} else {
		char line[SECRET_MAX + 2];
		int n = snprintf(line, sizeof line, "%s\n", tok);
		int err = platform_write_file_atomic(uc->token_file, line, (size_t)n);
		platform_wipe(line, sizeof line);
		if (err)
			msgf(msg, msg_size,
			     "enrolled %s, but cannot write token_file %s: %s; ask the collector's "
			     "administrator to re-enroll this host",
			     host, uc->token_file, strerror(-err));
		else
			rc = 0;
	}
	json_decref(j);
	return rc;
}

int upload_enroll(const upload_config *uc, const char *secret_file, bool force, char *host,
		  size_t host_size, char *msg, size_t msg_size)
{
	msg[0] = '\0';
	diag d;
	if (upload_config_check(uc, &d) != 0) {
		msgf(msg, msg_size, "%s", d.msg);
		return -1;
	}
	if (!uc->url || !uc->token_file) {
		msgf(msg, msg_size, "enroll needs upload.url and upload.token_file in the config");
		return -1;
	}
	struct stat sb;
	if (!force && stat(uc->token_file, &sb) == 0) {
		msgf(msg, msg_size,
		     "token_file %s already exists: this host looks enrolled; use --force to "
		     "enroll again and replace it",
		     uc->token_file);
		return -1;
	}
	if (host[0] == '\0')
		platform_hostname(host, host_size);
	char secret[SECRET_MAX];
	if (upload_read_secret(secret_file, "secret file", secret, sizeof secret, msg, msg_size))
		return -1;
	char *url = NULL;
	if (upload_sibling_url(uc->url, "/enroll", &url) != 0) {
		platform_wipe(secret, sizeof secret);
		msgf(msg, msg_size, "upload.url %s: cannot make the enrollment URL from it", uc->url);
		return -1;
	}
	answer *a = calloc(1, sizeof *a);
	long code = 0;
	bool inited = a && curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
	int rc = inited ? post_enroll(uc, url, secret, host, a, &code, msg, msg_size) : -1;
	platform_wipe(secret, sizeof secret);
	if (inited)
		curl_global_cleanup();
	else
		msgf(msg, msg_size, a ? "cannot initialise libcurl" : "out of memory");
	if (rc == 0) {
		char why[400];
		if (a->len)
			collector_error(a, why, sizeof why);
		else
			why[0] = '\0';
		if (code == 201) {
			rc = save_token(uc, a, host, msg, msg_size);
		} else if (code == 0) {
			rc = 1; /* msg: the transport error */
		} else if (code == 401) {
			msgf(msg, msg_size, "the collector refused the enrollment secret (HTTP 401: %s)",
			     why);
			rc = 2;
		} else if (code == 409) {
			msgf(msg, msg_size,
			     "host %s is already enrolled at the collector (HTTP 409); an "
			     "enrollment secret works once per host: the administrator can issue a "
			     "new token with 'hostaudit-collector enroll %s'",
			     host, host);
			rc = 2;
		} else if (code == 404) {
			msgf(msg, msg_size,
			     "%s: no enrollment endpoint (HTTP 404); the collector has no "
			     "enrollment_secret_file",
			     url);
			rc = 2;
		} else {
			msgf(msg, msg_size, "%s: HTTP %ld: %s", url, code, why);
			rc = code == 408 || code == 429 || code >= 500 ? 1 : 2;
		}
		platform_wipe(a->body, sizeof a->body);
	}
	free(a);
	curl_free(url);
	return rc;
}
