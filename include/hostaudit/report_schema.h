/* SPDX-License-Identifier: Apache-2.0 */
/* The report's schema as code (docs/report.md): what the agent checks
 * before writing a report and the collector checks on receipt. Needs only
 * jansson, so the collector includes it without the agent's types. */
#ifndef HOSTAUDIT_REPORT_SCHEMA_H
#define HOSTAUDIT_REPORT_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define REPORT_SCHEMA "hostaudit/report/v1"

/* Checks a report against the schema. Returns 0, or -1 with a message
 * naming the offending member ("results[3].status: ..."). */
int report_validate(const json_t *report, char *err, size_t err_size);

/* Whether s is a report_id as the schema wants it: a lower-case UUIDv4.
 * The spool's file names and the collector's Idempotency-Key use it too. */
bool report_id_valid(const char *s);

/* Whether s is a pack id (dots false) or a rule id (dots true): a
 * lower-case letter or digit, then those, '-' and '_', and '.' in a rule
 * id. The rule packs' loader wants the same; the collector's stored
 * summaries ("pack:id=state" lines) rely on it. */
bool report_name_valid(const char *s, bool dots);

#endif
