/* SPDX-License-Identifier: Apache-2.0 */
/* A report's pages sent to disk while it is written (out.c): every
 * 100 ms the kernel is asked to start writing what is dirty in the file
 * (sync_file_range, SYNC_FILE_RANGE_WRITE: start, do not wait). The
 * fsync before the rename then waits for the last moments' pages, not
 * for the whole file: at 10,000 hosts a 600 MB report's fsync alone took
 * 1.5 s of a 12 s run. A hint only: durability is still the fsync's. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "model.h"

#define WRITEBACK_PERIOD_NS 100000000L

struct am_writeback {
	int fd;
	bool stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
};

static void *writeback_run(void *x)
{
	am_writeback *w = x;
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		struct timespec at;
		clock_gettime(CLOCK_MONOTONIC, &at);
		at.tv_nsec += WRITEBACK_PERIOD_NS;
		if (at.tv_nsec >= 1000000000L) {
			at.tv_sec++;
			at.tv_nsec -= 1000000000L;
		}
		while (!w->stop && pthread_cond_timedwait(&w->cv, &w->mu, &at) == 0)
			;
		if (w->stop)
			break;
		pthread_mutex_unlock(&w->mu);
		(void)sync_file_range(w->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

am_writeback *am_writeback_start(int fd)
{
	am_writeback *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->fd = fd;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	bool ok = pthread_cond_init(&w->cv, &ca) == 0;
	pthread_condattr_destroy(&ca);
	if (ok && pthread_mutex_init(&w->mu, NULL) != 0) {
		pthread_cond_destroy(&w->cv);
		ok = false;
	}
	if (ok && pthread_create(&w->thread, NULL, writeback_run, w) != 0) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		ok = false;
	}
	if (!ok) {
		free(w); /* no thread: the fsync does all the writing, as before */
		return NULL;
	}
	return w;
}

void am_writeback_stop(am_writeback *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}
