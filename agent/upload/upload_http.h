/* SPDX-License-Identifier: Apache-2.0 */
/* What the upload and the enrollment share inside agent/upload/: one
 * place that sets the TLS options, and one reader for secret files. */
#ifndef HOSTAUDIT_UPLOAD_HTTP_H
#define HOSTAUDIT_UPLOAD_HTTP_H

#include <stddef.h>

#include <curl/curl.h>

#include "hostaudit/upload.h"

/* A POST handle for url with every security-relevant option of uc set
 * (between curl_global_init and curl_global_cleanup):
 * https only, TLS 1.2+, peer and host verification on (never off), the CA
 * file, pinned key, client certificate, proxy, connect timeout, no
 * redirects. errbuf is CURL_ERROR_SIZE bytes. NULL when out of memory. */
CURL *upload_curl_handle(const upload_config *uc, const char *url, char *errbuf);

/* upload.url with its last path segment replaced by segment ("/enroll",
 * "/policy"), no query: https://c:8443/v1/reports -> https://c:8443/v1/enroll.
 * 0 or -1; *out: curl_free(). */
int upload_sibling_url(const char *upload_url, const char *segment, char **out);

/* The start of the collector's answer: kept up to a fixed size, the rest
 * read and dropped, so a peer cannot make the agent hold more. */
#define UPLOAD_ANSWER_KEEP 8192
typedef struct upload_answer {
	char body[UPLOAD_ANSWER_KEEP]; /* always NUL-terminated */
	size_t len;
} upload_answer;
/* CURLOPT_WRITEFUNCTION for an upload_answer (CURLOPT_WRITEDATA). */
size_t upload_keep_answer(char *p, size_t size, size_t nmemb, void *answer);

/* Reads a one-line secret (token, enrollment secret) from path with
 * platform_read_secret_file (a regular file only its owner may read), no
 * spaces or control characters; trailing newline dropped. what names it in msg
 * ("token_file"). 0 or -1 with msg set. */
int upload_read_secret(const char *path, const char *what, char *buf, size_t size, char *msg,
		       size_t msg_size);

#endif
