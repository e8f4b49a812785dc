/* SPDX-License-Identifier: Apache-2.0 */
/* The alerts' thread in `serve` (alerts.h), on its own store connection,
 * for every organisation in turn (each with its own receivers):
 * every scan_interval_s it turns new reports into events, every
 * check_interval_s it looks for silent hosts, exceptions running out and
 * yesterday's digests, and then sends what is due. A delivery is leased
 * before it is sent and recorded after, so collectors sharing the
 * database send it once; one that fails waits retry_initial_s, doubling
 * up to retry_max_s, and after max_attempts it has failed for good.
 *
 * One gap is left, as with any sender that cannot make the receiver's
 * side part of its transaction: a collector that dies after sending and
 * before recording sends again once the lease ends. Receivers can drop
 * the repeat by its X-Hostaudit-Event key (Message-ID for mail). */
#define _GNU_SOURCE
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/rand.h>

#include "alerts.h"
#include "collector.h"
#include "i18n.h"

/* Longer than a send can take (curl's timeouts: 60 s at most). */
#define LEASE_S 300

struct alert_worker {
	const collector_config *cfg;
	store *s;
	char owner[128];
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
};

static const alert_receiver *receiver(const alert_config *c, const char *name)
{
	for (size_t i = 0; i < c->nrx; i++)
		if (!strcmp(c->rx[i].name, name))
			return &c->rx[i];
	return NULL;
}

/* When to try again after `attempts` failures; 0: never. */
static int64_t retry_at(const alert_config *c, long attempts, int64_t now)
{
	if (attempts >= c->max_attempts)
		return 0;
	long wait = c->retry_initial_s;
	for (long i = 1; i < attempts && wait < c->retry_max_s; i++)
		wait *= 2;
	return now + (wait < c->retry_max_s ? wait : c->retry_max_s);
}

/* Sends every delivery of organisation o due now, one at a time. */
static void deliver_due(alert_worker *w, const alert_org *o)
{
	const alert_config *c = w->cfg->alerts;
	char err[600];
	for (;;) {
		pthread_mutex_lock(&w->mu);
		bool stop = w->stop;
		pthread_mutex_unlock(&w->mu);
		if (stop)
			return;
		store_alert_delivery d;
		int64_t now = (int64_t)time(NULL);
		int rc = store_alert_claim(w->s, o->id, w->owner, now, LEASE_S, &d, err,
					   sizeof err);
		if (rc < 0)
			log_line("alerts: %s", err);
		if (rc <= 0)
			return;
		const alert_receiver *r = receiver(c, d.receiver);
		char why[600];
		int sent = -1;
		/* the configuration may have changed since the event was stored:
		 * an organisation's event goes to its receivers only */
		if (r && !alert_receiver_serves(c, r, o->name)) {
			snprintf(why, sizeof why, "receiver %s no longer serves organisation %s",
				 d.receiver, o->name);
			r = NULL;
		} else if (r) {
			sent = alert_deliver(c, r, &d.ev, (int64_t)time(NULL), why, sizeof why);
		} else {
			snprintf(why, sizeof why, "receiver %s is no longer configured", d.receiver);
		}
		now = (int64_t)time(NULL);
		int64_t next = sent == 0 || !r ? 0 : retry_at(c, d.attempts + 1, now);
		rc = store_alert_attempt(w->s, o->id, d.id, w->owner, now, sent == 0, why,
					 next, err, sizeof err);
		if (rc < 0)
			log_line("alerts: %s", err);
		else if (rc == 0)
			log_line("alerts: lease of delivery %" PRId64 " lost before recording it",
				 d.id);
		if (sent == 0)
			log_line("alerts: %s told: %s (%s)", d.receiver, d.ev.key, why);
		else if (next)
			log_line("alerts: %s: %s: %s; again in %" PRId64 "s", d.receiver, d.ev.key,
				 why, next - now);
		else
			log_line("alerts: %s: %s: %s; given up after %ld attempt(s)", d.receiver,
				 d.ev.key, why, d.attempts + 1);
		store_alert_delivery_free(&d);
	}
}

/* The organisations, read again every round: one added while serving is
 * scanned from then on (its cursor starts at the newest report). */
typedef struct org_list {
	alert_org *o;
	size_t n;
	const alert_config *c;
} org_list;

static void orgs_free(org_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->o[i].name);
		free(l->o[i].rx);
	}
	free(l->o);
	l->o = NULL;
	l->n = 0;
}

static int org_add(void *ctx, const store_org *so)
{
	org_list *l = ctx;
	alert_org *n = realloc(l->o, (l->n + 1) * sizeof *n);
	if (!n)
		return -1;
	l->o = n;
	alert_org *o = &l->o[l->n];
	o->id = so->id;
	o->name = strdup(so->name);
	o->rx = calloc(l->c->nrx + 1, sizeof *o->rx);
	if (!o->name || !o->rx) {
		free((char *)o->name);
		free(o->rx);
		return -1;
	}
	l->n++;
	alert_org_receivers(l->c, o);
	return 0;
}

/* Says once which receivers name an organisation the store does not have
 * (a typo, or one not added yet): they get nothing until it exists. */
static void warn_unknown(const org_list *l, bool *warned)
{
	const alert_config *c = l->c;
	for (size_t i = 0; i < c->nrx; i++) {
		const char *want = c->rx[i].organisation;
		bool found = !want;
		for (size_t j = 0; !found && j < l->n; j++)
			found = !strcasecmp(l->o[j].name, want);
		if (!found && !warned[i])
			log_line("alerts: %s: no organisation '%s' (hostaudit-collector tenant "
				 "list); it gets nothing until there is", c->rx[i].name, want);
		warned[i] = !found;
	}
}

static void *run(void *arg)
{
	alert_worker *w = arg;
	const alert_config *c = w->cfg->alerts;
	int64_t last_scan = 0, last_check = 0;
	char err[600];
	bool *warned = calloc(c->nrx + 1, sizeof *warned);
	pthread_mutex_lock(&w->mu);
	while (!w->stop && warned) {
		pthread_mutex_unlock(&w->mu);
		int64_t now = (int64_t)time(NULL);
		org_list orgs = {NULL, 0, c};
		if (store_each_org(w->s, org_add, &orgs, err, sizeof err) != 0) {
			log_line("alerts: organisations: %s", err);
			orgs_free(&orgs);
		} else {
			warn_unknown(&orgs, warned); /* only from a list read whole */
		}
		bool scan = now - last_scan >= c->scan_interval_s,
		     check = now - last_check >= c->check_interval_s;
		if (scan)
			last_scan = now;
		if (check)
			last_check = now;
		for (size_t i = 0; i < orgs.n; i++) {
			const alert_org *o = &orgs.o[i];
			if (scan && alert_scan_reports(w->s, o, now, err, sizeof err) != 0)
				log_line("alerts: %s: scanning reports: %s", o->name, err);
			if (check && alert_check_periodic(w->s, o, c, now, err, sizeof err) != 0)
				log_line("alerts: %s: periodic checks: %s", o->name, err);
			deliver_due(w, o);
		}
		orgs_free(&orgs);
		/* wake once a second: retries come due between scans */
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_mutex_lock(&w->mu);
		if (!w->stop)
			pthread_cond_timedwait(&w->cv, &w->mu, &until);
	}
	pthread_mutex_unlock(&w->mu);
	if (!warned)
		log_line("alerts: out of memory: the alerts thread stops");
	free(warned);
	return NULL;
}

alert_worker *alert_worker_start(const collector_config *cfg, char *err, size_t err_size)
{
	alert_worker *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	w->cfg = cfg;
	/* the lease's owner: this process, distinct from any other */
	unsigned char rnd[8];
	char host[64] = "";
	gethostname(host, sizeof host - 1);
	if (RAND_bytes(rnd, sizeof rnd) != 1) {
		snprintf(err, err_size, "no random bytes");
		free(w);
		return NULL;
	}
	snprintf(w->owner, sizeof w->owner, "%.63s:%ld:%02x%02x%02x%02x%02x%02x%02x%02x", host,
		 (long)getpid(), rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	if (!(w->s = store_open(cfg->database, err, err_size))) {
		free(w);
		return NULL;
	}
	/* Japanese text comes from the catalogue (L_, which selects it by
	 * setting the environment): select it now, before the thread runs,
	 * never from it. The collector's own log stays English. */
	for (size_t i = 0; i < cfg->alerts->nrx; i++)
		if (!strcmp(cfg->alerts->rx[i].lang, "ja"))
			i18n_set_lang("ja");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->th, NULL, run, w) != 0) {
		snprintf(err, err_size, "cannot start the alerts thread");
		store_close(w->s);
		free(w);
		return NULL;
	}
	log_line("alerts: %zu receiver(s), as %s", cfg->alerts->nrx, w->owner);
	return w;
}

void alert_worker_stop(alert_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->th, NULL);
	store_close(w->s);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}
