/* SPDX-License-Identifier: Apache-2.0 */
/* The collector's end-to-end tests' HTTPS requests (e2e_http.h), apart
 * from e2e_common.c so that only the tests that speak HTTPS link libcurl. */
#define _GNU_SOURCE
#include "e2e_http.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "e2e_common.h"

static size_t drop(char *p, size_t s, size_t n, void *u)
{
	(void)p;
	(void)u;
	return s * n;
}

/* One POST: the HTTP status (0: none came), *rc curl's result. */
static long post_once(int port, const char *token, const char *body, CURLcode *rc)
{
	char auth[200], url[100], ca[4200];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	snprintf(url, sizeof url, "https://127.0.0.1:%d/v1/reports", port);
	snprintf(ca, sizeof ca, "%s/ca.pem", pki);
	CURL *c = curl_easy_init();
	struct curl_slist *h = curl_slist_append(NULL, auth);
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, drop);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	long code = 0;
	*rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return code;
}

long e2e_upload(int port, const char *token, const char *body)
{
	/* A refused upload is answered before its body is read and the
	 * connection closed: the send may then fail after the answer came, or
	 * (on a loaded machine) before curl read it. Only a refusal fails to
	 * send (an accepted body is read whole), so asking again is safe. */
	CURLcode rc = CURLE_OK;
	long code = 0;
	for (int i = 0; i < 5; i++) {
		code = post_once(port, token, body, &rc);
		if (rc != CURLE_SEND_ERROR || code)
			break;
		sleep_ms(100);
	}
	if (rc != CURLE_OK && !(rc == CURLE_SEND_ERROR && code))
		fail_msg("upload: %s", curl_easy_strerror(rc));
	return code;
}
