/* SPDX-License-Identifier: Apache-2.0 */
/* Delivery by e-mail (alerts.h): libcurl's SMTP to the configured relay,
 * STARTTLS required (CURLUSESSL_ALL: no TLS, no mail) and verified, with
 * the credentials of credentials_file when given. The message is UTF-8
 * text, base64, its subject as RFC 2047 encoded words, so Japanese text
 * passes any relay unchanged. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "alerts.h"
#include "collector.h"

/* base64 of n bytes, in lines of wrap characters (0: one line), CRLF. */
static char *b64(const unsigned char *in, size_t n, size_t wrap)
{
	size_t enc = 4 * ((n + 2) / 3);
	char *flat = malloc(enc + 1);
	char *out = malloc(enc + 2 * (enc / (wrap ? wrap : enc + 1) + 1) + 1);
	if (!flat || !out) {
		free(flat);
		free(out);
		return NULL;
	}
	EVP_EncodeBlock((unsigned char *)flat, in, (int)n);
	size_t o = 0;
	for (size_t i = 0; i < enc; i++) {
		out[o++] = flat[i];
		if (wrap && (i + 1) % wrap == 0 && i + 1 < enc) {
			out[o++] = '\r';
			out[o++] = '\n';
		}
	}
	out[o] = '\0';
	free(flat);
	return out;
}

/* The subject as encoded words of at most 45 bytes of text each (cut
 * between characters), folded. */
static char *encoded_subject(const char *s)
{
	char *out = strdup("");
	size_t len = strlen(s), at = 0;
	while (out && at < len) {
		size_t take = len - at > 45 ? 45 : len - at;
		while (take > 1 && at + take < len && ((unsigned char)s[at + take] & 0xC0) == 0x80)
			take--;
		char *word = b64((const unsigned char *)s + at, take, 0), *joined = NULL;
		if (!word || asprintf(&joined, "%s%s=?UTF-8?B?%s?=", out, at ? "\r\n " : "",
				      word) < 0)
			joined = NULL;
		free(word);
		free(out);
		out = joined;
		at += take;
	}
	return out;
}

typedef struct upload {
	const char *data;
	size_t len, at;
} upload;

static size_t read_cb(char *buf, size_t size, size_t n, void *u)
{
	upload *up = u;
	size_t want = size * n, left = up->len - up->at;
	if (want > left)
		want = left;
	memcpy(buf, up->data + up->at, want);
	up->at += want;
	return want;
}

/* The whole message, headers and body (malloc'd). */
static char *message(const alert_config *c, const alert_receiver *r, const char *subject,
		     const char *text, const char *event_key, int64_t now)
{
	char date[64], mid[65];
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	char *idsrc = NULL;
	if (asprintf(&idsrc, "%s|%s", event_key, r->name) < 0)
		return NULL;
	sha256_hex(idsrc, strlen(idsrc), mid);
	free(idsrc);
	/* the text with CRLF line ends, as SMTP wants */
	char *crlf = malloc(2 * strlen(text) + 1), *p = crlf;
	if (!crlf)
		return NULL;
	for (const char *q = text; *q; q++) {
		if (*q == '\n')
			*p++ = '\r';
		*p++ = *q;
	}
	*p = '\0';
	char *to = strdup(""), *body = b64((unsigned char *)crlf, strlen(crlf), 76);
	free(crlf);
	for (size_t i = 0; to && r->to[i]; i++) {
		char *j = NULL;
		if (asprintf(&j, "%s%s%s", to, i ? ", " : "", r->to[i]) < 0)
			j = NULL;
		free(to);
		to = j;
	}
	char *subj = encoded_subject(subject), *msg = NULL;
	const char *domain = strchr(c->smtp_from, '@') + 1;
	if (to && body && subj &&
	    asprintf(&msg,
		     "Date: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\n"
		     "Message-ID: <%.32s@%s>\r\nMIME-Version: 1.0\r\n"
		     "Content-Type: text/plain; charset=UTF-8\r\n"
		     "Content-Transfer-Encoding: base64\r\nX-Hostaudit-Event: %s\r\n"
		     "Auto-Submitted: auto-generated\r\n\r\n%s\r\n",
		     date, c->smtp_from, to, subj, mid, domain, event_key, body) < 0)
		msg = NULL;
	free(to);
	free(body);
	free(subj);
	return msg;
}

int alert_mail_send(const alert_config *c, const alert_receiver *r, const char *subject,
		    const char *text, const char *event_key, int64_t now, char *err,
		    size_t err_size)
{
	char *msg = message(c, r, subject, text, event_key, now);
	CURL *h = msg ? curl_easy_init() : NULL;
	if (!h) {
		free(msg);
		snprintf(err, err_size, "out of memory");
		return -1;
	}
	char from[300];
	snprintf(from, sizeof from, "<%s>", c->smtp_from);
	struct curl_slist *rcpt = NULL;
	for (size_t i = 0; r->to[i]; i++) {
		char a[300];
		snprintf(a, sizeof a, "<%s>", r->to[i]);
		rcpt = curl_slist_append(rcpt, a);
	}
	upload up = {msg, strlen(msg), 0};
	curl_easy_setopt(h, CURLOPT_URL, c->smtp_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp");
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->smtp_ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->smtp_ca_file);
	if (c->smtp_user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->smtp_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->smtp_password);
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	char ebuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	CURLcode rc = curl_easy_perform(h);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	free(msg);
	if (rc != CURLE_OK) {
		snprintf(err, err_size, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
		return -1;
	}
	snprintf(err, err_size, "accepted by %s", c->smtp_url);
	return 0;
}
