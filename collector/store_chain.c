/* SPDX-License-Identifier: Apache-2.0 */
/* The reports' hash chain (store.h "evidence"): its link hash, and the
 * store interface's chain functions, dispatched to the backend (the
 * bodies unpacked here, once for both backends). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "body_codec.h"
#include "store_backend.h"

int chain_link_hash(const char *prev, const char *report_sha, char out[65])
{
	/* over the text, as stored: anyone recomputes a link with
	 * printf '%s%s' PREV SHA | sha256sum, and a row whose SHA-256 is not
	 * one (an old database's) is chained all the same */
	size_t pl = prev ? strlen(prev) : 0, sl = report_sha ? strlen(report_sha) : 0;
	unsigned char md[32];
	unsigned int n = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && prev && report_sha && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
		 EVP_DigestUpdate(ctx, prev, pl) == 1 && EVP_DigestUpdate(ctx, report_sha, sl) == 1 &&
		 EVP_DigestFinal_ex(ctx, md, &n) == 1 && n == 32;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	hex_lower(md, sizeof md, out);
	return 0;
}

typedef struct link_ctx {
	int (*cb)(void *, const store_link *);
	void *ctx;
} link_ctx;

/* Each link's body unpacked to the bytes received before the caller
 * sees it. */
static int unpack_link(void *arg, const store_link *raw)
{
	link_ctx *c = arg;
	store_link l = *raw;
	char *body = NULL, why[200];
	if (l.packed) {
		if (body_unpack(l.packed, l.packed_len, l.encoding, &body, &l.body_len, why,
				sizeof why) == 0)
			l.body = body;
		else
			l.body_error = why;
	}
	int rc = c->cb(c->ctx, &l);
	free(body);
	return rc;
}

int store_each_link(store *s, int64_t org_id, bool bodies,
		    int (*cb)(void *, const store_link *), void *ctx, char *err,
		    size_t err_size)
{
	link_ctx c = {cb, ctx};
	return s->ops->each_link(s, org_id, bodies, unpack_link, &c, err, err_size);
}

int store_chain_head(store *s, int64_t org_id, int64_t at, int64_t *seq, char sha[65],
		     char *err, size_t err_size)
{
	*seq = 0;
	snprintf(sha, 65, "%s", CHAIN_GENESIS);
	return s->ops->chain_head(s, org_id, at, seq, sha, err, err_size);
}

int store_chain_tip(store *s, int64_t org_id, int64_t *seq, char sha[65], char *err,
		    size_t err_size)
{
	*seq = 0;
	snprintf(sha, 65, "%s", CHAIN_GENESIS);
	return s->ops->chain_tip(s, org_id, seq, sha, err, err_size);
}

int store_chain_unlinked(store *s, int64_t org_id, long *count, char first[64], char *err,
			 size_t err_size)
{
	*count = 0;
	first[0] = '\0';
	return s->ops->chain_unlinked(s, org_id, count, first, err, err_size);
}
