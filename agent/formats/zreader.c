/* SPDX-License-Identifier: Apache-2.0 */
/* Streaming decompression for apt lists and rotated logs; see zreader.h. */
#define _GNU_SOURCE
#include "zreader.h"

#include <errno.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#define ZR_IN_SIZE (64 * 1024)
#define STANZA_INITIAL (256 * 1024)
#define STANZA_MAX (16 * 1024 * 1024) /* a stanza larger than this is corrupt */

struct zreader {
	FILE *f;
	zr_format fmt;
	unsigned char in[ZR_IN_SIZE];
	size_t in_pos, in_len;
	bool in_eof;
	LZ4F_dctx *lz4;
	size_t lz4_hint; /* 0 between frames */
	z_stream zs;
	lzma_stream xz;
	bool done;
};

const char *zr_format_name(zr_format f)
{
	switch (f) {
	case ZR_LZ4: return "lz4";
	case ZR_GZIP: return "gzip";
	case ZR_XZ: return "xz";
	default: return "plain";
	}
}

zr_format zreader_format(const zreader *z)
{
	return z->fmt;
}

static int fill(zreader *z)
{
	if (z->in_pos < z->in_len || z->in_eof)
		return 0;
	z->in_len = fread(z->in, 1, sizeof z->in, z->f);
	z->in_pos = 0;
	if (z->in_len == 0) {
		if (ferror(z->f))
			return -EIO;
		z->in_eof = true;
	}
	return 0;
}

static zr_format sniff(const unsigned char *p, size_t n)
{
	static const unsigned char lz4[] = {0x04, 0x22, 0x4d, 0x18};
	static const unsigned char gz[] = {0x1f, 0x8b};
	static const unsigned char xz[] = {0xfd, '7', 'z', 'X', 'Z', 0x00};

	if (n >= sizeof lz4 && memcmp(p, lz4, sizeof lz4) == 0)
		return ZR_LZ4;
	if (n >= sizeof gz && memcmp(p, gz, sizeof gz) == 0)
		return ZR_GZIP;
	if (n >= sizeof xz && memcmp(p, xz, sizeof xz) == 0)
		return ZR_XZ;
	return ZR_PLAIN;
}

static bool unsupported(const unsigned char *p, size_t n)
{
	static const unsigned char zstd[] = {0x28, 0xb5, 0x2f, 0xfd};
	static const unsigned char bz2[] = {'B', 'Z', 'h'};

	return (n >= sizeof zstd && memcmp(p, zstd, sizeof zstd) == 0) ||
	       (n >= sizeof bz2 && memcmp(p, bz2, sizeof bz2) == 0);
}

int zreader_open(const host *h, const char *path, zreader **out)
{
	zreader *z = calloc(1, sizeof *z);
	int err;

	*out = NULL;
	if (!z)
		return -ENOMEM;
	z->f = host_fopen(h, path);
	if (!z->f) {
		err = -errno;
		free(z);
		return err ? err : -EIO;
	}
	if ((err = fill(z)) < 0)
		goto fail;
	z->fmt = sniff(z->in, z->in_len);
	if (z->fmt == ZR_PLAIN && unsupported(z->in, z->in_len)) {
		err = -ENOTSUP;
		goto fail;
	}
	switch (z->fmt) {
	case ZR_LZ4:
		if (LZ4F_isError(LZ4F_createDecompressionContext(&z->lz4, LZ4F_VERSION))) {
			err = -ENOMEM;
			goto fail;
		}
		z->lz4_hint = 1; /* a frame must follow */
		break;
	case ZR_GZIP:
		/* 15 + 32: zlib or gzip header, detected. */
		if (inflateInit2(&z->zs, 15 + 32) != Z_OK) {
			err = -ENOMEM;
			goto fail;
		}
		break;
	case ZR_XZ: {
		lzma_stream init = LZMA_STREAM_INIT;
		z->xz = init;
		if (lzma_stream_decoder(&z->xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
			err = -ENOMEM;
			goto fail;
		}
		break;
	}
	case ZR_PLAIN:
		break;
	}
	*out = z;
	return 0;
fail:
	fclose(z->f);
	free(z);
	return err;
}

static ssize_t read_plain(zreader *z, unsigned char *buf, size_t n)
{
	int err = fill(z);
	if (err < 0)
		return err;
	size_t k = z->in_len - z->in_pos;
	if (k > n)
		k = n;
	memcpy(buf, z->in + z->in_pos, k);
	z->in_pos += k;
	return (ssize_t)k;
}

static ssize_t read_lz4(zreader *z, unsigned char *buf, size_t n)
{
	size_t got = 0;

	while (got == 0 && !z->done) {
		int err = fill(z);
		if (err < 0)
			return err;
		if (z->in_pos == z->in_len && z->in_eof) {
			/* The input ended: fine between frames, not inside one. */
			z->done = true;
			return z->lz4_hint == 0 ? 0 : -EBADMSG;
		}
		size_t src = z->in_len - z->in_pos, dst = n;
		size_t hint = LZ4F_decompress(z->lz4, buf, &dst, z->in + z->in_pos, &src, NULL);
		if (LZ4F_isError(hint))
			return -EBADMSG;
		z->in_pos += src;
		z->lz4_hint = hint;
		got = dst;
	}
	return (ssize_t)got;
}

static ssize_t read_gzip(zreader *z, unsigned char *buf, size_t n)
{
	z->zs.next_out = buf;
	z->zs.avail_out = (uInt)n;
	while (z->zs.avail_out == n && !z->done) {
		int err = fill(z);
		if (err < 0)
			return err;
		if (z->in_pos == z->in_len && z->in_eof)
			return -EBADMSG; /* ended inside a member */
		z->zs.next_in = z->in + z->in_pos;
		z->zs.avail_in = (uInt)(z->in_len - z->in_pos);
		int r = inflate(&z->zs, Z_NO_FLUSH);
		z->in_pos = z->in_len - z->zs.avail_in;
		if (r == Z_STREAM_END) {
			/* gzip allows several members one after another. */
			if ((err = fill(z)) < 0)
				return err;
			if (z->in_pos == z->in_len && z->in_eof)
				z->done = true;
			else
				inflateReset(&z->zs);
		} else if (r != Z_OK && r != Z_BUF_ERROR) {
			return -EBADMSG;
		}
	}
	return (ssize_t)(n - z->zs.avail_out);
}

static ssize_t read_xz(zreader *z, unsigned char *buf, size_t n)
{
	z->xz.next_out = buf;
	z->xz.avail_out = n;
	while (z->xz.avail_out == n && !z->done) {
		int err = fill(z);
		if (err < 0)
			return err;
		z->xz.next_in = z->in + z->in_pos;
		z->xz.avail_in = z->in_len - z->in_pos;
		lzma_ret r = lzma_code(&z->xz, z->in_eof ? LZMA_FINISH : LZMA_RUN);
		z->in_pos = z->in_len - z->xz.avail_in;
		if (r == LZMA_STREAM_END)
			z->done = true;
		else if (r != LZMA_OK)
			return -EBADMSG;
	}
	return (ssize_t)(n - z->xz.avail_out);
}

ssize_t zreader_read(zreader *z, void *buf, size_t n)
{
	if (n == 0)
		return 0;
	if (host_budget_spent())
		return -ETIMEDOUT;
	switch (z->fmt) {
	case ZR_LZ4: return read_lz4(z, buf, n);
	case ZR_GZIP: return read_gzip(z, buf, n);
	case ZR_XZ: return read_xz(z, buf, n);
	default: return read_plain(z, buf, n);
	}
}

void zreader_close(zreader *z)
{
	if (!z)
		return;
	if (z->fmt == ZR_LZ4)
		LZ4F_freeDecompressionContext(z->lz4);
	else if (z->fmt == ZR_GZIP)
		inflateEnd(&z->zs);
	else if (z->fmt == ZR_XZ)
		lzma_end(&z->xz);
	fclose(z->f);
	free(z);
}

int stanza_open(stanza_reader *sr, const host *h, const char *path)
{
	memset(sr, 0, sizeof *sr);
	int err = zreader_open(h, path, &sr->z);
	if (err < 0)
		return err;
	sr->buf = malloc(STANZA_INITIAL);
	if (!sr->buf) {
		zreader_close(sr->z);
		sr->z = NULL;
		return -ENOMEM;
	}
	sr->cap = STANZA_INITIAL;
	return 0;
}

void stanza_close(stanza_reader *sr)
{
	zreader_close(sr->z);
	free(sr->buf);
	memset(sr, 0, sizeof *sr);
}

/* Moves the live bytes to the front and reads more behind them, growing
 * the buffer when a single stanza fills it. */
static int refill(stanza_reader *sr)
{
	if (sr->start > 0) {
		memmove(sr->buf, sr->buf + sr->start, sr->len);
		sr->start = 0;
	}
	if (sr->len == sr->cap) {
		if (sr->cap >= STANZA_MAX)
			return -EFBIG;
		char *nb = realloc(sr->buf, sr->cap * 2);
		if (!nb)
			return -ENOMEM;
		sr->buf = nb;
		sr->cap *= 2;
	}
	ssize_t n = zreader_read(sr->z, sr->buf + sr->len, sr->cap - sr->len);
	if (n < 0)
		return (int)n;
	if (n == 0)
		sr->eof = true;
	sr->len += (size_t)n;
	sr->bytes += (size_t)n;
	return 0;
}

/* The first "\n\n" in [p, end). memchr is vectorised; glibc's memmem
 * for a two-byte needle is not, and was half the time of a full audit. */
static char *find_blank_line(char *p, char *end)
{
	while (p + 1 < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p - 1));
		if (!nl)
			return NULL;
		if (nl[1] == '\n')
			return nl;
		p = nl + 1;
	}
	return NULL;
}

int stanza_next(stanza_reader *sr, const char **st, size_t *len)
{
	size_t scanned = 0;

	if (sr->err)
		return sr->err;
	for (;;) {
		/* Skip blank lines before a stanza. */
		while (sr->len > 0 && sr->buf[sr->start] == '\n') {
			sr->start++;
			sr->len--;
		}
		char *p = sr->buf + sr->start;
		char *sep = find_blank_line(p + scanned, p + sr->len);
		if (sep) {
			*st = p;
			*len = (size_t)(sep - p) + 1; /* keep the stanza's last newline */
			sr->start += *len + 1;
			sr->len -= *len + 1;
			return 1;
		}
		if (sr->eof) {
			if (sr->len == 0)
				return 0;
			*st = p;
			*len = sr->len;
			sr->start += sr->len;
			sr->len = 0;
			return 1;
		}
		scanned = sr->len > 0 ? sr->len - 1 : 0;
		int err = refill(sr);
		if (err < 0) {
			sr->err = err;
			return err;
		}
	}
}

bool stanza_field(const char *st, size_t len, const char *name, const char **val,
		  size_t *vlen)
{
	size_t nl = strlen(name);
	const char *p = st, *end = st + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
			const char *v = p + nl + 1;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			const char *e = eol;
			while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
				e--;
			*val = v;
			*vlen = (size_t)(e - v);
			return true;
		}
		p = eol + 1;
	}
	return false;
}
