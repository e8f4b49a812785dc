/* SPDX-License-Identifier: Apache-2.0 */
/* Reading a file that may be compressed the ways apt and logrotate keep
 * them: lz4 frame, gzip, xz, or plain, told apart by magic bytes, not by
 * name. Streaming, so a 50 MB package list costs a few buffers of memory;
 * files go through the host context, so --root applies.
 *
 * On top of it, a deb822 stanza reader (dpkg status, apt Packages and
 * Release files, apt history.log entries) that hands out each stanza in
 * place: no allocation per line or per stanza. */
#ifndef HOSTAUDIT_ZREADER_H
#define HOSTAUDIT_ZREADER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "hostaudit/host.h"

typedef enum { ZR_PLAIN, ZR_LZ4, ZR_GZIP, ZR_XZ } zr_format;

typedef struct zreader zreader;

/* Opens root+path. 0, or a negative errno (-ENOMEM, -ENOENT, ...);
 * -ENOTSUP for a compression this reader does not know (bzip2, zstd), so
 * that it is never parsed as plain text. */
int zreader_open(const host *h, const char *path, zreader **out);
/* Up to n decompressed bytes: the count, 0 at the end, or -EBADMSG when
 * the data is corrupt (-EIO on a read error). */
ssize_t zreader_read(zreader *z, void *buf, size_t n);
zr_format zreader_format(const zreader *z);
const char *zr_format_name(zr_format f);
void zreader_close(zreader *z);

/* deb822 paragraphs, separated by blank lines. */
typedef struct stanza_reader {
	zreader *z;
	char *buf;
	size_t cap, start, len; /* live bytes are buf[start, start+len) */
	bool eof;
	int err;                /* negative errno once reading failed */
	size_t bytes;           /* decompressed bytes seen */
} stanza_reader;

int stanza_open(stanza_reader *sr, const host *h, const char *path);
/* The next non-empty stanza, valid until the next call: 1, 0 at the end,
 * or a negative errno. */
int stanza_next(stanza_reader *sr, const char **st, size_t *len);
void stanza_close(stanza_reader *sr);

/* The value of field name in a stanza (field names are compared without
 * case, as deb822 says), first line only, without surrounding blanks.
 * Returns false when absent. */
bool stanza_field(const char *st, size_t len, const char *name, const char **val,
		  size_t *vlen);

#endif
