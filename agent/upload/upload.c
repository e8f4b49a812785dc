/* SPDX-License-Identifier: Apache-2.0 */
/* The HTTPS client that empties the spool (include/hostaudit/upload.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "hostaudit/compiler.h"
#include "hostaudit/platform.h"
#include "hostaudit/spool.h"
#include "hostaudit/upload.h"
#include "upload_http.h"
#include "upload_proxy.h"

#define TOKEN_MAX 4096
#define BACKOFF_BASE_MS 1000
#define BACKOFF_CAP_MS 60000

/* ---- time, chance and sleep, replaceable by tests ---- */

static void real_sleep_ms(void *ctx, long ms)
{
	(void)ctx;
	platform_sleep_ms(ms);
}

static uint32_t real_random(void *ctx)
{
	(void)ctx;
	uint32_t v = 0;
	if (platform_random_bytes(&v, sizeof v) != 0)
		v = (uint32_t)time(NULL); /* jitter only: chance, not secrecy */
	return v;
}

static int64_t real_now_ms(void *ctx)
{
	(void)ctx;
	return platform_monotonic_ms();
}

static void h_sleep(const upload_hooks *h, long ms)
{
	if (ms > 0)
		(h && h->sleep_ms ? h->sleep_ms : real_sleep_ms)(h ? h->ctx : NULL, ms);
}
static uint32_t h_random(const upload_hooks *h)
{
	return (h && h->random ? h->random : real_random)(h ? h->ctx : NULL);
}
static int64_t h_now(const upload_hooks *h)
{
	return (h && h->now_ms ? h->now_ms : real_now_ms)(h ? h->ctx : NULL);
}
static void h_log(const upload_hooks *h, const char *fmt, ...) HOSTAUDIT_PRINTF(2, 3);
static void h_log(const upload_hooks *h, const char *fmt, ...)
{
	FILE *f = h && h->log ? h->log : stderr;
	va_list ap;
	va_start(ap, fmt);
	fputs("hostaudit: upload: ", f);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
}

static void st_msg(upload_status *st, const char *fmt, ...) HOSTAUDIT_PRINTF(2, 3);
static void st_msg(upload_status *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->message, sizeof st->message, fmt, ap);
	va_end(ap);
}

/* ---- pure helpers ---- */

long upload_backoff_ms(unsigned attempt, long base_ms, long cap_ms, uint32_t rnd)
{
	long ceiling = base_ms;
	for (unsigned i = 0; i < attempt && ceiling < cap_ms; i++)
		ceiling *= 2;
	if (ceiling > cap_ms)
		ceiling = cap_ms;
	return (long)((uint64_t)rnd % ((uint64_t)ceiling + 1));
}

long upload_start_delay_ms(long max_s, uint32_t rnd)
{
	if (max_s <= 0)
		return 0;
	return (long)((uint64_t)rnd % ((uint64_t)max_s * 1000 + 1));
}

void upload_start_delay(const upload_config *uc, const upload_hooks *h)
{
	long ms = upload_start_delay_ms(uc->start_delay_max_s, h_random(h));
	if (ms > 0) {
		h_log(h, "waiting %ld.%03ld s (start_delay_max_s %ld)", ms / 1000, ms % 1000,
		      uc->start_delay_max_s);
		h_sleep(h, ms);
	}
}

bool upload_status_is_permanent(long code)
{
	return code == 400 || code == 401 || code == 403 || code == 409 || code == 413 ||
	       code == 422;
}

void upload_status_line(const upload_status *st, char *buf, size_t size)
{
	int n = snprintf(buf, size, "upload: sent %d, pending %d, quarantined %d", st->sent,
			 st->pending, st->quarantined);
	if (n >= 0 && (size_t)n < size && st->dropped)
		n += snprintf(buf + n, size - (size_t)n, ", dropped %d (spool full)", st->dropped);
	if (n >= 0 && (size_t)n < size && st->message[0])
		snprintf(buf + n, size - (size_t)n, " (%s)", st->message);
}

/* ---- the token ---- */

int upload_read_secret(const char *path, const char *what, char *tok, size_t size, char *msg,
		       size_t msg_size)
{
	char *data = NULL, why[600];
	size_t n = 0;
	if (platform_read_secret_file(path, size - 1, &data, &n, why, sizeof why) != 0) {
		snprintf(msg, msg_size, "%s: %s", what, why);
		return -1;
	}
	memcpy(tok, data, n + 1);
	platform_wipe(data, n);
	free(data);
	while (n > 0 && (tok[n - 1] == '\n' || tok[n - 1] == '\r' || tok[n - 1] == ' '))
		tok[--n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)tok[i] <= ' ' || (unsigned char)tok[i] >= 0x7f) {
			snprintf(msg, msg_size, "%s %s: it has spaces or control characters", what,
				 path);
			platform_wipe(tok, size);
			return -1;
		}
	if (n == 0) {
		snprintf(msg, msg_size, "%s %s: empty", what, path);
		return -1;
	}
	return 0;
}

static int read_token(const char *path, char *tok, size_t size, upload_status *st)
{
	return upload_read_secret(path, "token_file", tok, size, st->message, sizeof st->message);
}

/* ---- one HTTPS POST ---- */

size_t upload_keep_answer(char *p, size_t size, size_t nmemb, void *answer)
{
	upload_answer *a = answer;
	size_t n = size * nmemb, room = sizeof a->body - 1 - a->len;
	memcpy(a->body + a->len, p, n < room ? n : room);
	a->len += n < room ? n : room;
	a->body[a->len] = '\0';
	return n;
}

/* Reference-counted by libcurl, and thread-safe since 7.84 (Debian 12
 * has 7.88): one call per flush is fine, no once-guard needed. */
static bool curl_ready(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

/* Every security-relevant option in one place. Verification is set on
 * explicitly even though it is libcurl's default; there is no code path
 * that sets it off. */
CURL *upload_curl_handle(const upload_config *uc, const char *url, char *errbuf)
{
	CURL *c = curl_easy_init();
	if (!c)
		return NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (uc->ca_file) /* with Schannel: these CAs only, not the Windows store */
		curl_easy_setopt(c, CURLOPT_CAINFO, uc->ca_file);
	/* Schannel only (other backends ignore it): a certificate listed as
	 * revoked is still refused, but a missing or unreachable CRL is not
	 * fatal, since private CAs made with openssl rarely publish one. The
	 * chain, the dates and the host name are checked all the same. */
	curl_easy_setopt(c, CURLOPT_SSL_OPTIONS, (long)CURLSSLOPT_REVOKE_BEST_EFFORT);
	if (uc->pinned_pubkey)
		curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, uc->pinned_pubkey);
	if (uc->client_cert) {
		curl_easy_setopt(c, CURLOPT_SSLCERT, uc->client_cert);
		curl_easy_setopt(c, CURLOPT_SSLKEY, uc->client_key ? uc->client_key : uc->client_cert);
	}
	/* The config's proxy, else libcurl reads https_proxy / no_proxy, else
	 * (Windows) the machine-wide WinHTTP proxy: upload_proxy.c. */
	upload_proxy px;
	upload_proxy_choose(uc->proxy, &px);
	if (px.proxy)
		curl_easy_setopt(c, CURLOPT_PROXY, px.proxy);
	if (px.noproxy)
		curl_easy_setopt(c, CURLOPT_NOPROXY, px.noproxy);
	upload_proxy_free(&px);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, uc->connect_timeout_s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "hostaudit-upload/1");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, upload_keep_answer);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	return c;
}

/* Errors about whom we talk to: retrying cannot help, sending must not. */
static bool curl_trust_error(CURLcode rc)
{
	return rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE ||
	       rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH || rc == CURLE_SSL_CERTPROBLEM ||
	       rc == CURLE_SSL_ISSUER_ERROR || rc == CURLE_SSL_CRL_BADFILE ||
	       rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT;
}

typedef enum { SEND_OK, SEND_RETRY, SEND_PERMANENT, SEND_STOP } send_result;

static send_result send_one(CURL *c, const char *auth, const spool_entry *e, const char *data,
			    size_t len, long timeout_ms, char *why, size_t why_size, long *code)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	char idem[64];
	snprintf(idem, sizeof idem, "Idempotency-Key: %s", e->report_id);
	struct curl_slist *hd = NULL;
	hd = curl_slist_append(hd, "Content-Type: application/json");
	/* Lets the collector refuse (401, 413) before the body is sent: it
	 * answers on the headers and closes, and a client still sending would
	 * see a reset instead of the answer, and retry what can never pass. */
	hd = curl_slist_append(hd, "Expect: 100-continue");
	hd = curl_slist_append(hd, idem);
	if (auth)
		hd = curl_slist_append(hd, auth);
	upload_answer r = {.len = 0};
	r.body[0] = '\0';
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, data);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	CURLcode rc = curl_easy_perform(c);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hd);
	*code = 0;
	if (rc != CURLE_OK) {
		snprintf(why, why_size, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		return curl_trust_error(rc) ? SEND_STOP : SEND_RETRY;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	/* first line of the answer, for the log and the .reason file */
	r.body[strcspn(r.body, "\r\n")] = '\0';
	snprintf(why, why_size, "HTTP %ld from the collector: %.300s", *code, r.body);
	if (*code == 200 || *code == 201)
		return SEND_OK;
	if (upload_status_is_permanent(*code))
		return SEND_PERMANENT;
	if (*code == 408 || *code == 429 || *code >= 500)
		return SEND_RETRY;
	return SEND_STOP; /* 3xx, 404, ...: a configuration problem, keep it */
}

/* ---- flush ---- */

static int open_spool(const upload_config *uc, spool *sp, upload_status *st,
		      const upload_hooks *h)
{
	char err[512];
	if (spool_open(sp, uc->spool_dir ? uc->spool_dir : platform_default_path(PLATFORM_SPOOL_DIR),
		       (size_t)uc->spool_max_reports, (uint64_t)uc->spool_max_bytes,
		       h ? h->log : NULL, err, sizeof err) != 0) {
		st_msg(st, "%s", err);
		return -1;
	}
	return 0;
}

static int finish(upload_status *st, int pending)
{
	st->pending = pending;
	if (st->pending > 0)
		return 1;
	return st->quarantined > 0 ? 2 : 0;
}

int upload_flush(const upload_config *uc, upload_status *st, const upload_hooks *h)
{
	int dropped = st->dropped;
	memset(st, 0, sizeof *st);
	st->dropped = dropped;
	diag d;
	if (upload_config_check(uc, &d) != 0) {
		st_msg(st, "%s", d.msg);
		return -1;
	}
	char token[TOKEN_MAX], auth[TOKEN_MAX + 32];
	bool have_auth = uc->token_file != NULL;
	if (have_auth) {
		if (read_token(uc->token_file, token, sizeof token, st) != 0)
			return -1;
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		platform_wipe(token, sizeof token);
	}
	spool sp;
	if (open_spool(uc, &sp, st, h) != 0) {
		platform_wipe(auth, sizeof auth);
		return -1;
	}
	spool_entry *es = NULL;
	size_t n = 0;
	char err[512];
	int rc = 0;
	if (spool_list(&sp, &es, &n, err, sizeof err) != 0) {
		st_msg(st, "%s", err);
		rc = -1;
		goto out;
	}
	char errbuf[CURL_ERROR_SIZE];
	bool inited = n && curl_ready();
	CURL *c = inited ? upload_curl_handle(uc, uc->url, errbuf) : NULL;
	if (n && !c) {
		if (inited)
			curl_global_cleanup();
		st_msg(st, "cannot initialise libcurl");
		rc = -1;
		goto out;
	}
	int64_t deadline = h_now(h) + (int64_t)uc->deadline_s * 1000;
	bool stop = false;
	for (size_t i = 0; i < n && !stop; i++) {
		char *data;
		size_t len;
		if (spool_read(&sp, &es[i], &data, &len, err, sizeof err) != 0) {
			st_msg(st, "%s", err);
			rc = -1;
			break;
		}
		for (unsigned attempt = 0;; attempt++) {
			int64_t left = deadline - h_now(h);
			if (left <= 0) {
				stop = true;
				break;
			}
			char why[400];
			long code;
			send_result r = send_one(c, have_auth ? auth : NULL, &es[i], data, len, left,
						 why, sizeof why, &code);
			if (r == SEND_OK) {
				if (spool_remove(&sp, &es[i], err, sizeof err) != 0) {
					st_msg(st, "%s", err);
					rc = -1;
					stop = true;
				} else {
					st->sent++;
				}
				break;
			}
			if (r == SEND_PERMANENT) {
				h_log(h, "report %s refused: %s; moved to %s", es[i].report_id, why,
				      sp.quarantine);
				if (spool_quarantine(&sp, &es[i], why, err, sizeof err) != 0) {
					st_msg(st, "%s", err);
					rc = -1;
					stop = true;
					break;
				}
				st->quarantined++;
				st_msg(st, "report %s refused: %s", es[i].report_id, why);
				/* A bad credential refuses every report alike: keep the rest
				 * until someone fixes it. */
				stop = code == 401 || code == 403;
				break;
			}
			if (r == SEND_STOP) {
				st_msg(st, "not sent: %s", why);
				stop = true;
				break;
			}
			long wait = upload_backoff_ms(attempt, BACKOFF_BASE_MS, BACKOFF_CAP_MS,
						      h_random(h));
			if (h_now(h) + wait >= deadline) {
				st_msg(st, "not sent before the deadline (%lds): %s", uc->deadline_s,
				       why);
				stop = true;
				break;
			}
			h_log(h, "report %s: %s; retrying in %ld ms", es[i].report_id, why, wait);
			st_msg(st, "%s", why);
			h_sleep(h, wait);
		}
		free(data);
	}
	if (c)
		curl_easy_cleanup(c);
	if (inited)
		curl_global_cleanup();
	if (rc == 0)
		rc = finish(st, (int)n - st->sent - st->quarantined);
	else
		st->pending = (int)n - st->sent - st->quarantined;
out:
	platform_wipe(auth, sizeof auth);
	free(es);
	spool_close(&sp);
	return rc;
}

int upload_spool_report(const upload_config *uc, const char *report_id, const char *json,
			size_t len, upload_status *st, const upload_hooks *h)
{
	memset(st, 0, sizeof *st);
	spool sp;
	if (open_spool(uc, &sp, st, h) != 0)
		return -1;
	char err[512];
	spool_entry *before = NULL, *after = NULL;
	size_t nb = 0, na = 0;
	int rc = spool_list(&sp, &before, &nb, err, sizeof err);
	if (rc == 0)
		rc = spool_put(&sp, report_id, json, len, err, sizeof err);
	if (rc == 0)
		rc = spool_list(&sp, &after, &na, err, sizeof err);
	if (rc != 0)
		st_msg(st, "%s", err);
	else if (na < nb + 1)
		st->dropped = (int)(nb + 1 - na);
	free(before);
	free(after);
	spool_close(&sp);
	return rc;
}

int upload_report(const upload_config *uc, const char *report_id, const char *json,
		  size_t len, upload_status *st, const upload_hooks *h)
{
	if (upload_spool_report(uc, report_id, json, len, st, h) != 0)
		return -1;
	upload_start_delay(uc, h);
	return upload_flush(uc, st, h);
}
