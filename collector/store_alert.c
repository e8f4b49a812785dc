/* SPDX-License-Identifier: Apache-2.0 */
/* The alerts' outbox in the store (store.h, store_alert_*): dispatch to
 * the backend, as store.c does for the rest. */
#include <stdlib.h>
#include <string.h>

#include "store_backend.h"

int store_alert_new_reports(store *s, int64_t org_id, long limit,
			    int (*cb)(void *, const store_alert_report *), void *ctx,
			    int64_t *last, char *err, size_t err_size)
{
	return s->ops->alert_new_reports(s, org_id, limit, cb, ctx, last, err, err_size);
}

int store_alert_cursor_advance(store *s, int64_t org_id, int64_t to, char *err,
			       size_t err_size)
{
	return s->ops->alert_cursor_advance(s, org_id, to, err, err_size);
}

int store_alert_each_silent(store *s, int64_t org_id, int64_t before,
			    int (*cb)(void *, const store_alert_silent *), void *ctx, char *err,
			    size_t err_size)
{
	return s->ops->alert_each_silent(s, org_id, before, cb, ctx, err, err_size);
}

int store_alert_event_add(store *s, int64_t org_id, const store_alert_event *e,
			  const char *const *receivers, size_t n, char *err, size_t err_size)
{
	return s->ops->alert_event_add(s, org_id, e, receivers, n, err, err_size);
}

int store_alert_each_event(store *s, int64_t org_id, int64_t from, int64_t to,
			   int (*cb)(void *, const store_alert_event *), void *ctx, char *err,
			   size_t err_size)
{
	return s->ops->alert_each_event(s, org_id, from, to, cb, ctx, err, err_size);
}

int store_alert_claim(store *s, int64_t org_id, const char *owner, int64_t now, long lease_s,
		      store_alert_delivery *d, char *err, size_t err_size)
{
	memset(d, 0, sizeof *d);
	return s->ops->alert_claim(s, org_id, owner, now, lease_s, d, err, err_size);
}

int store_alert_attempt(store *s, int64_t org_id, int64_t delivery_id, const char *owner,
			int64_t now, bool ok, const char *detail, int64_t next_at, char *err,
			size_t err_size)
{
	return s->ops->alert_attempt(s, org_id, delivery_id, owner, now, ok, detail, next_at, err,
				     err_size);
}

int store_alert_each_delivery(store *s, int64_t org_id, int64_t since,
			      int (*cb)(void *, const store_alert_delivery *), void *ctx,
			      char *err, size_t err_size)
{
	return s->ops->alert_each_delivery(s, org_id, since, cb, ctx, err, err_size);
}

void store_alert_delivery_free(store_alert_delivery *d)
{
	free(d->receiver);
	free(d->state);
	free(d->last_error);
	free((char *)d->ev.key);
	free((char *)d->ev.kind);
	free((char *)d->ev.host);
	free((char *)d->ev.rule);
	free((char *)d->ev.detail);
	memset(d, 0, sizeof *d);
}
