/* SPDX-License-Identifier: Apache-2.0 */
/* The evidence list read on a thread of its own, its rows handled on the
 * caller's (model.h, am_each_evidence_piped): at 10,000 hosts reading
 * the store and handling the rows (the lines, their hashes, the file)
 * each take about half of the pass, so on two cores they overlap. The
 * rows cross in two batches that take turns, their strings copied. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "model.h"

enum { BATCH_ROWS = 2048, BATCH_TEXT = 1 << 19 };

typedef struct batch {
	bool full;             /* filled, for the handler */
	size_t n, used;
	store_evidence row[BATCH_ROWS];
	char text[BATCH_TEXT]; /* the rows' strings */
} batch;

typedef struct pipe_state {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	batch b[2];
	int fill;              /* the reader's batch */
	bool done, stop;       /* the reader has finished; the handler wants no more */
	int rc;
	store *s;
	int64_t org_id, from, to;
	char err[600];
} pipe_state;

static const char *keep(batch *b, const char *s)
{
	size_t n = strlen(s ? s : "") + 1;
	char *p = b->text + b->used;
	memcpy(p, s ? s : "", n);
	b->used += n;
	return p;
}

/* The reader's batch is full: over to the handler, and wait for the
 * other one to be free. 1: the handler wants no more. */
static int hand_over(pipe_state *p)
{
	pthread_mutex_lock(&p->mu);
	p->b[p->fill].full = true;
	pthread_cond_broadcast(&p->cv);
	p->fill ^= 1;
	while (p->b[p->fill].full && !p->stop)
		pthread_cond_wait(&p->cv, &p->mu);
	int stop = p->stop;
	pthread_mutex_unlock(&p->mu);
	return stop;
}

static size_t len(const char *s)
{
	return s ? strlen(s) : 0;
}

static int on_read(void *x, const store_evidence *e)
{
	pipe_state *p = x;
	batch *b = &p->b[p->fill];
	size_t need = len(e->report_id) + len(e->body_sha256) + 2;
	if (need > BATCH_TEXT)
		return 1; /* the store bounds both far below */
	if (b->n == BATCH_ROWS || b->used + need > BATCH_TEXT) {
		if (hand_over(p))
			return 1;
		b = &p->b[p->fill];
	}
	store_evidence *r = &b->row[b->n++];
	*r = *e;
	r->report_id = keep(b, e->report_id);
	r->body_sha256 = keep(b, e->body_sha256);
	return 0;
}

static void *reader(void *x)
{
	pipe_state *p = x;
	int rc = store_each_evidence(p->s, p->org_id, p->from, p->to, on_read, p, p->err,
				     sizeof p->err);
	pthread_mutex_lock(&p->mu);
	if (p->b[p->fill].n)
		p->b[p->fill].full = true; /* the last rows */
	p->rc = rc;
	p->done = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int am_each_evidence_piped(store *s, int64_t org_id, int64_t from, int64_t to,
			   int (*cb)(void *, const store_evidence *), void *ctx, char *err,
			   size_t err_size)
{
	pipe_state *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, err_size, _("out of memory"));
		return -1;
	}
	*p = (pipe_state){.s = s, .org_id = org_id, .from = from, .to = to};
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	pthread_t tid;
	if (pthread_create(&tid, NULL, reader, p) != 0) { /* then here, in turn */
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		free(p);
		return store_each_evidence(s, org_id, from, to, cb, ctx, err, err_size);
	}
	int stop = 0;
	for (int next = 0;; next ^= 1) {
		batch *b = &p->b[next];
		pthread_mutex_lock(&p->mu);
		while (!b->full && !p->done)
			pthread_cond_wait(&p->cv, &p->mu);
		bool have = b->full;
		pthread_mutex_unlock(&p->mu);
		if (!have)
			break; /* read to the end, all handled */
		for (size_t i = 0; i < b->n && !stop; i++)
			stop = cb(ctx, &b->row[i]);
		pthread_mutex_lock(&p->mu);
		b->n = b->used = 0;
		b->full = false;
		p->stop = stop != 0;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
	}
	pthread_join(tid, NULL);
	int rc = stop ? stop : p->rc;
	if (!stop && p->rc != 0)
		snprintf(err, err_size, "%s", p->err);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
	return rc;
}
