/* SPDX-License-Identifier: Apache-2.0 */
/* The organisation's answers and yearly placements on the collector
 * (collector/org.h): plain files under organisation_dir, mode 0600, so
 * they stay apart from the report store and port to any backend. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "org.h"
#include "hostaudit/platform.h"

static int ensure_dir(const collector_config *c, char *err, size_t err_size)
{
	if (mkdir(c->organisation_dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, err_size, "%s: %s", c->organisation_dir, strerror(errno));
		return -1;
	}
	return 0;
}

const char *org_store_answers_path(const collector_config *c)
{
	static char path[4200];
	snprintf(path, sizeof path, "%s/answers.yaml", c->organisation_dir);
	return path;
}

static int write_file(const collector_config *c, const char *path, const char *data,
		      char *err, size_t err_size)
{
	if (ensure_dir(c, err, err_size))
		return -1;
	int rc = platform_write_file_atomic(path, data, strlen(data));
	if (rc != 0) {
		snprintf(err, err_size, "%s: %s", path, strerror(-rc));
		return -1;
	}
	return 0;
}

int org_store_save_answers(const collector_config *c, const char *yaml, char *err,
			   size_t err_size)
{
	return write_file(c, org_store_answers_path(c), yaml, err, err_size);
}

static void placement_path(const collector_config *c, int year, char *out, size_t size)
{
	snprintf(out, size, "%s/placement-%04d.json", c->organisation_dir, year);
}

int org_store_save_placement(const collector_config *c, int year, const json_t *placement,
			     char *err, size_t err_size)
{
	char path[4200];
	placement_path(c, year, path, sizeof path);
	char *js = json_dumps(placement, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(6));
	int rc = js ? write_file(c, path, js, err, err_size) : -1;
	free(js);
	return rc;
}

json_t *org_store_load_placement(const collector_config *c, int year)
{
	char path[4200];
	placement_path(c, year, path, sizeof path);
	json_error_t je;
	return json_load_file(path, 0, &je);
}
