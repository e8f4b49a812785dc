/* The canonical JSON report (docs/report.md) and its renderers. Every
 * renderer and the upload read the same JSON document. */
#ifndef HOSTAUDIT_REPORT_H
#define HOSTAUDIT_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "hostaudit/audit.h"

#define REPORT_SCHEMA "hostaudit/report/v1"

/* Builds the report of a finished audit. */
json_t *report_build(const audit *a);

/* Checks a report against the schema (docs/report.md). Returns 0, or -1
 * with a message naming the offending member ("results[3].status: ..."). */
int report_validate(const json_t *report, char *err, size_t err_size);

/* The fact object used in reports and by `hostaudit facts`. */
json_t *report_fact_json(const fact *f);

/* Renderers. lang is "en" or "ja". */
typedef struct render_options {
	const char *lang;
	bool colour;
} render_options;

int render_text(const json_t *report, FILE *out, const render_options *o);

/* Serialises a JSON value the one canonical way (sorted keys, UTF-8). */
char *report_dump(const json_t *report);

#endif
