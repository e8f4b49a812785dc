/* SPDX-License-Identifier: Apache-2.0 */
/* body_codec.h: zstd with the built-in dictionary for storage; zstd and
 * gzip (zlib) for what the agents send. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>
#include <zstd.h>

#include "body_codec.h"
#include "i18n.h"
#include "store.h"

/* The dictionary's bytes, from the source tree into .rodata (the
 * collector is Linux-only: GNU as's .incbin). */
__asm__(".section .rodata\n"
	".balign 16\n"
	"report_dict_1:\n"
	".incbin \"" HOSTAUDIT_REPORT_DICT_1 "\"\n"
	"report_dict_1_end:\n"
	".previous\n");
extern const unsigned char report_dict_1[], report_dict_1_end[];

/* Its SHA-256 as committed: a changed file would make every stored
 * encoding-1 body unreadable. */
#define REPORT_DICT_1_SHA256 "ffba14dab31ae07923308efab0b694319bb84905cdc4d83ad32662336f922fdd"
#define PACK_LEVEL 3

static pthread_once_t once = PTHREAD_ONCE_INIT;
static ZSTD_CDict *cdict;
static ZSTD_DDict *ddict;
static int init_rc = -1;
/* Each thread's compression context, kept for its next body instead of
 * made and freed for every one (the collector's workers pack every report
 * they take). */
static pthread_key_t cctx_key;

static void free_cctx(void *cc)
{
	ZSTD_freeCCtx(cc);
}

static ZSTD_CCtx *thread_cctx(void)
{
	ZSTD_CCtx *cc = pthread_getspecific(cctx_key);
	if (!cc && (cc = ZSTD_createCCtx()) && pthread_setspecific(cctx_key, cc) != 0) {
		ZSTD_freeCCtx(cc);
		cc = NULL;
	}
	return cc;
}

static void init_dicts(void)
{
	size_t n = (size_t)(report_dict_1_end - report_dict_1);
	char sha[65];
	sha256_hex(report_dict_1, n, sha);
	if (strcmp(sha, REPORT_DICT_1_SHA256) != 0)
		return;
	cdict = ZSTD_createCDict(report_dict_1, n, PACK_LEVEL);
	ddict = ZSTD_createDDict(report_dict_1, n);
	init_rc = cdict && ddict && pthread_key_create(&cctx_key, free_cctx) == 0 ? 0 : -1;
}

int body_codec_init(char *err, size_t err_size)
{
	pthread_once(&once, init_dicts);
	if (init_rc != 0)
		snprintf(err, err_size, _("the built-in report dictionary 1 is not the one "
					  "committed (SHA-256) or out of memory; stored bodies would "
					  "not decode"));
	return init_rc;
}

int body_pack(const char *body, size_t len, unsigned char **out, size_t *out_len,
	      int *encoding)
{
	char err[200];
	size_t cap = ZSTD_compressBound(len);
	*out = malloc(cap > len ? cap : len + 1);
	if (!*out)
		return -1;
	if (body_codec_init(err, sizeof err) == 0) {
		ZSTD_CCtx *cc = thread_cctx();
		size_t n = cc ? ZSTD_compress_usingCDict(cc, *out, cap, body, len, cdict) : 0;
		if (cc && !ZSTD_isError(n) && n < len) {
			*out_len = n;
			*encoding = BODY_ZSTD_DICT1;
			return 0;
		}
	}
	memcpy(*out, body, len);
	*out_len = len;
	*encoding = BODY_RAW;
	return 0;
}

int body_unpack(const unsigned char *data, size_t len, int encoding, char **out,
		size_t *out_len, char *err, size_t err_size)
{
	if (encoding == BODY_RAW) {
		*out = malloc(len + 1);
		if (!*out) {
			snprintf(err, err_size, "%s", _("out of memory"));
			return -1;
		}
		memcpy(*out, data, len);
		(*out)[len] = '\0';
		*out_len = len;
		return 0;
	}
	if (encoding != BODY_ZSTD_DICT1) {
		snprintf(err, err_size, _("stored body has encoding %d, unknown to this collector"),
			 encoding);
		return -1;
	}
	if (body_codec_init(err, err_size) != 0)
		return -1;
	unsigned long long size = ZSTD_getFrameContentSize(data, len);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    size > (1ULL << 31)) {
		snprintf(err, err_size, _("stored body: not a zstd frame with its size"));
		return -1;
	}
	*out = malloc((size_t)size + 1);
	ZSTD_DCtx *dc = ZSTD_createDCtx();
	size_t n = *out && dc ? ZSTD_decompress_usingDDict(dc, *out, (size_t)size, data, len, ddict)
			      : 0;
	ZSTD_freeDCtx(dc);
	if (!*out || !dc || ZSTD_isError(n) || n != size) {
		snprintf(err, err_size, _("stored body: %s"),
			 !*out || !dc	   ? _("out of memory")
			 : ZSTD_isError(n) ? ZSTD_getErrorName(n)
					   : _("wrong size"));
		free(*out);
		*out = NULL;
		return -1;
	}
	(*out)[n] = '\0';
	*out_len = n;
	return 0;
}

/* ---- the wire ---- */

/* Grows *buf to hold at least need + 1 bytes, never past max + 1. */
static int grow(char **buf, size_t *cap, size_t need, size_t max)
{
	if (need < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 65536;
	if (c > max + 1)
		c = max + 1;
	if (c <= need)
		return -1;
	char *b = realloc(*buf, c);
	if (!b)
		return -1;
	*buf = b;
	*cap = c;
	return 0;
}

static wire_result unzstd(const char *in, size_t len, size_t max, char **out, size_t *out_len,
			  char *err, size_t err_size)
{
	ZSTD_DStream *ds = ZSTD_createDStream();
	if (!ds)
		return WIRE_BAD;
	ZSTD_DCtx_setParameter(ds, ZSTD_d_windowLogMax, 27); /* 128 MiB windows at most */
	ZSTD_inBuffer ib = {in, len, 0};
	char *buf = NULL;
	size_t cap = 0, n = 0, ret = 1;
	wire_result r = WIRE_OK;
	while (r == WIRE_OK && (ib.pos < ib.size || ret != 0)) {
		if (n + 1 >= cap && grow(&buf, &cap, n + 1, max) != 0) {
			r = n >= max ? WIRE_TOO_BIG : WIRE_BAD;
			break;
		}
		ZSTD_outBuffer ob = {buf, cap - 1, n};
		ret = ZSTD_decompressStream(ds, &ob, &ib);
		if (ZSTD_isError(ret)) {
			snprintf(err, err_size, "zstd: %s", ZSTD_getErrorName(ret));
			r = WIRE_BAD;
		} else if (ob.pos == n && ib.pos == ib.size && ret != 0) {
			snprintf(err, err_size, "zstd: truncated");
			r = WIRE_BAD;
		}
		n = ob.pos;
		if (n > max)
			r = WIRE_TOO_BIG;
	}
	ZSTD_freeDStream(ds);
	if (r != WIRE_OK) {
		free(buf);
		return r;
	}
	if (!buf && grow(&buf, &cap, 0, max) != 0)
		return WIRE_BAD;
	buf[n] = '\0';
	*out = buf;
	*out_len = n;
	return WIRE_OK;
}

static wire_result ungzip(const char *in, size_t len, size_t max, char **out, size_t *out_len,
			  char *err, size_t err_size)
{
	z_stream z = {0};
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return WIRE_BAD;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	char *buf = NULL;
	size_t cap = 0;
	int zr = Z_OK;
	wire_result r = WIRE_OK;
	while (zr != Z_STREAM_END) {
		if (z.total_out + 1 >= cap && grow(&buf, &cap, z.total_out + 1, max) != 0) {
			r = z.total_out >= max ? WIRE_TOO_BIG : WIRE_BAD;
			break;
		}
		z.next_out = (Bytef *)buf + z.total_out;
		z.avail_out = (uInt)(cap - 1 - z.total_out);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END) {
			snprintf(err, err_size, "gzip: %s", z.msg ? z.msg : "corrupt or truncated");
			r = WIRE_BAD;
			break;
		}
		if (z.total_out > max) {
			r = WIRE_TOO_BIG;
			break;
		}
	}
	size_t n = z.total_out;
	inflateEnd(&z);
	if (r != WIRE_OK) {
		free(buf);
		return r;
	}
	buf[n] = '\0';
	*out = buf;
	*out_len = n;
	return WIRE_OK;
}

wire_result wire_decode(const char *ce, const char *in, size_t len, size_t max, char **out,
			size_t *out_len, char *err, size_t err_size)
{
	*out = NULL;
	*out_len = 0;
	if (!ce || !*ce || strcasecmp(ce, "identity") == 0)
		return WIRE_OK;
	wire_result r;
	if (strcasecmp(ce, "zstd") == 0)
		r = unzstd(in, len, max, out, out_len, err, err_size);
	else if (strcasecmp(ce, "gzip") == 0 || strcasecmp(ce, "x-gzip") == 0)
		r = ungzip(in, len, max, out, out_len, err, err_size);
	else {
		snprintf(err, err_size, "Content-Encoding %s: only zstd, gzip or identity", ce);
		return WIRE_UNSUPPORTED;
	}
	if (r == WIRE_TOO_BIG)
		snprintf(err, err_size, "body decodes to more than %zu bytes", max);
	else if (r == WIRE_BAD && !err[0])
		snprintf(err, err_size, "%s: cannot decode (out of memory?)", ce);
	return r;
}
