/* SPDX-License-Identifier: Apache-2.0 */
/* Delivery to a webhook (alerts.h): POST the event's JSON over HTTPS,
 * verified (the system's CAs, or ca_file), with
 *   X-Hostaudit-Timestamp: <seconds since 1970>
 *   X-Hostaudit-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">
 *   X-Hostaudit-Event: <the event's unique key>
 * under the webhook's secret: the receiver checks the signature, refuses
 * old timestamps (replay) and may drop a key it has seen (a collector
 * that died between sending and recording sends again). */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/hmac.h>

#include "alerts.h"

void alert_webhook_signature(const char *secret, int64_t timestamp, const char *body,
			     char out[65])
{
	char *msg = NULL;
	unsigned char md[32];
	unsigned int len = 0;
	out[0] = '\0';
	if (asprintf(&msg, "%" PRId64 ".%s", timestamp, body) < 0)
		return;
	if (HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)msg,
		 strlen(msg), md, &len) && len == 32)
		for (int i = 0; i < 32; i++)
			snprintf(out + 2 * i, 3, "%02x", md[i]);
	free(msg);
}

static size_t discard(char *p, size_t size, size_t n, void *u)
{
	(void)p;
	(void)u;
	return size * n;
}

int alert_webhook_send(const alert_receiver *r, const char *body, const char *event_key,
		       int64_t now, char *err, size_t err_size)
{
	char sig[65], h_ts[64], h_sig[100], h_ev[600];
	alert_webhook_signature(r->secret, now, body, sig);
	if (!sig[0]) {
		snprintf(err, err_size, "cannot compute the HMAC");
		return -1;
	}
	snprintf(h_ts, sizeof h_ts, "X-Hostaudit-Timestamp: %" PRId64, now);
	snprintf(h_sig, sizeof h_sig, "X-Hostaudit-Signature: sha256=%s", sig);
	snprintf(h_ev, sizeof h_ev, "X-Hostaudit-Event: %s", event_key);
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, err_size, "cannot start libcurl");
		return -1;
	}
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	h = curl_slist_append(h, h_ts);
	h = curl_slist_append(h, h_sig);
	h = curl_slist_append(h, h_ev);
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, r->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (r->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, r->ca_file);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	char ebuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	CURLcode rc = curl_easy_perform(c);
	long code = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		snprintf(err, err_size, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
		return -1;
	}
	if (code < 200 || code > 299) {
		snprintf(err, err_size, "HTTP %ld", code);
		return -1;
	}
	snprintf(err, err_size, "HTTP %ld", code);
	return 0;
}
