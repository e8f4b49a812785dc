/* SPDX-License-Identifier: Apache-2.0 */
/* Report bodies: how they are kept in the store, and how they arrive.
 *
 * Stored: encoding 0 = the bytes as received; encoding 1 = zstd level 3
 * with the built-in dictionary 1 (collector/dict/reports-1.zdict), about
 * 40 times smaller for this agent's reports. Whatever the encoding,
 * unpacking gives the exact bytes received, so SHA-256 and export never
 * change.
 *
 * On the wire: the agent may send Content-Encoding: zstd or gzip; the
 * decoded size is bounded (max_body_bytes), so a decompression bomb is
 * refused (413) without being expanded. */
#ifndef HOSTAUDIT_COLLECTOR_BODY_CODEC_H
#define HOSTAUDIT_COLLECTOR_BODY_CODEC_H

#include <stddef.h>

enum { BODY_RAW = 0, BODY_ZSTD_DICT1 = 1 };

/* Checks the built-in dictionary (its SHA-256) once; 0 or -1 with err. */
int body_codec_init(char *err, size_t err_size);

/* body -> *out (malloc'd), *encoding. Falls back to BODY_RAW (a copy)
 * when compression does not pay. 0 or -1 (out of memory). */
int body_pack(const char *body, size_t len, unsigned char **out, size_t *out_len,
	      int *encoding);
/* The bytes received again (*out malloc'd, NUL-terminated). 0, or -1 with
 * err (unknown encoding, corrupt data). */
int body_unpack(const unsigned char *data, size_t len, int encoding, char **out,
		size_t *out_len, char *err, size_t err_size);

typedef enum { WIRE_OK, WIRE_TOO_BIG, WIRE_BAD, WIRE_UNSUPPORTED } wire_result;
/* Decodes a request body sent with Content-Encoding (NULL or "identity":
 * nothing to do, *out = NULL). At most max decoded bytes. */
wire_result wire_decode(const char *content_encoding, const char *in, size_t len,
			size_t max, char **out, size_t *out_len, char *err, size_t err_size);

#endif
