/* SPDX-License-Identifier: Apache-2.0 */
/* `hostaudit-collector verify`: the organisation's hash chain recomputed
 * from the genesis link over the whole store (store.h "evidence"), and
 * each body still stored hashed again. Every link is judged from the
 * stored chain hash before it, so a change is reported where it is (a
 * changed chain hash also at the link after it), not at every later
 * link, and the first broken link is named. What is checked and what it
 * proves: docs/collector.md "Evidence". */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "i18n.h"

typedef struct walk {
	chain_verdict *v;
	void (*on_broken)(void *, const char *);
	void *ctx;
	int64_t prev_seq;
	char prev[65];
} walk;

static void broken(walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void broken(walk *w, const char *fmt, ...)
{
	char msg[sizeof w->v->first];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!w->v->broken++)
		snprintf(w->v->first, sizeof w->v->first, "%s", msg);
	if (w->on_broken)
		w->on_broken(w->ctx, msg);
}

static int on_link(void *arg, const store_link *l)
{
	walk *w = arg;
	chain_verdict *v = w->v;
	const char *id = l->report_id ? l->report_id : "?";
	v->links++;
	if (l->seq != w->prev_seq + 1) {
		if (l->seq > w->prev_seq + 1)
			broken(w, _("sequence %lld..%lld missing:\n  the link before report %s\n"
				    "  (sequence %lld) is sequence %lld"),
			       (long long)w->prev_seq + 1, (long long)l->seq - 1, id,
			       (long long)l->seq, (long long)w->prev_seq);
		else
			broken(w, _("report %s:\n  sequence %lld after %lld"), id, (long long)l->seq,
			       (long long)w->prev_seq);
	}
	char again[65];
	if (!l->report_id) {
		broken(w, _("sequence %lld: its report's row is missing from the store"),
		       (long long)l->seq);
	} else if (chain_link_hash(w->prev, l->body_sha256, again) != 0) {
		broken(w, _("report %s (sequence %lld):\n  cannot hash (out of memory)"), id,
		       (long long)l->seq);
	} else if (strcmp(again, l->chain_sha256) != 0) {
		broken(w, _("report %s (sequence %lld):\n  its chain hash does not follow from the "
			    "previous link and\n  the report's SHA-256\n  stored      %s\n"
			    "  recomputed  %s\n  SHA-256     %s"),
		       id, (long long)l->seq, l->chain_sha256, again, l->body_sha256);
	}
	if (l->body && l->report_id) {
		char sha[65];
		sha256_hex(l->body, l->body_len, sha);
		v->bodies++;
		if (strcmp(sha, l->body_sha256 ? l->body_sha256 : "") != 0)
			broken(w, _("report %s (sequence %lld):\n  the stored body's SHA-256 "
				    "is not its row's\n  body  %s\n  row   %s"), id, (long long)l->seq, sha,
			       l->body_sha256);
	} else if (l->body_error) {
		broken(w, _("report %s (sequence %lld):\n  the stored body cannot be "
			    "read: %s"), id, (long long)l->seq, l->body_error);
	} else if (l->body_removed) {
		v->removed++;
	}
	w->prev_seq = l->seq;
	snprintf(w->prev, sizeof w->prev, "%s", l->chain_sha256);
	return 0;
}

int chain_verify(store *s, int64_t org_id, chain_verdict *v,
		 void (*on_broken)(void *ctx, const char *msg), void *ctx, char *err,
		 size_t err_size)
{
	memset(v, 0, sizeof *v);
	walk w = {.v = v, .on_broken = on_broken, .ctx = ctx};
	snprintf(w.prev, sizeof w.prev, "%s", CHAIN_GENESIS);
	int64_t tip_seq;
	char tip[65], first[64];
	long unlinked;
	/* one snapshot: links, head row and unlinked reports agree */
	if (store_read_begin(s, err, err_size) != 0)
		return -1;
	int rc = store_each_link(s, org_id, true, on_link, &w, err, err_size) != 0 ||
			 store_chain_tip(s, org_id, &tip_seq, tip, err, err_size) < 0 ||
			 store_chain_unlinked(s, org_id, &unlinked, first, err, err_size) != 0
		 ? -1
		 : 0;
	store_read_end(s);
	if (rc != 0)
		return -1;
	/* links cut off at the end leave a chain that holds together: the
	 * head row, moved by every ingest, still names the last one */
	if (tip_seq != w.prev_seq || strcmp(tip, w.prev) != 0)
		broken(&w, _("the chain's head row does not name its last link:\n"
			     "  head row:  sequence %lld\n             %s\n"
			     "  last link: sequence %lld\n             %s"), (long long)tip_seq, tip,
		       (long long)w.prev_seq, w.prev);
	if (unlinked)
		broken(&w, _("%ld stored report(s) are in no link of the chain\n  (the first: %s)"),
		       unlinked, first);
	v->head_seq = w.prev_seq;
	snprintf(v->head, sizeof v->head, "%s", w.prev);
	return 0;
}
