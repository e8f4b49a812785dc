/* TEMPORARY STAND-IN — DELETE AT MERGE.
 *
 * report_validate() belongs to the core library (include/hostaudit/report.h,
 * agent/core). Until the core lands, this checks only the members the
 * collector itself relies on, so that the branch builds and its tests run.
 * Compiled only when no `hostaudit-core` target exists. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

/* Same signature as include/hostaudit/report.h; that header pulls in the
 * whole core, so it is declared here. */
int report_validate(const json_t *report, char *err, size_t err_size);

static int fail(char *err, size_t err_size, const char *what)
{
	snprintf(err, err_size, "%s", what);
	return -1;
}

int report_validate(const json_t *report, char *err, size_t err_size)
{
	static const char *const status[] = {"pass", "fail", "unknown", "not_applicable",
					     "error", "disabled", NULL};
	if (!json_is_object(report))
		return fail(err, err_size, "report: expected an object");
	const char *schema = json_string_value(json_object_get(report, "schema"));
	if (!schema || strcmp(schema, "hostaudit/report/v1") != 0)
		return fail(err, err_size, "schema: expected \"hostaudit/report/v1\"");
	const char *strs[] = {"report_id", "started_at", "finished_at"};
	for (size_t i = 0; i < 3; i++)
		if (!json_is_string(json_object_get(report, strs[i]))) {
			snprintf(err, err_size, "%s: expected a string", strs[i]);
			return -1;
		}
	json_t *host = json_object_get(report, "host");
	if (!json_is_object(host) || !json_is_string(json_object_get(host, "hostname")))
		return fail(err, err_size, "host.hostname: expected a string");
	json_t *results = json_object_get(report, "results");
	if (!json_is_array(results))
		return fail(err, err_size, "results: expected an array");
	size_t i;
	json_t *r;
	json_array_foreach(results, i, r) {
		const char *s = json_string_value(json_object_get(r, "status"));
		bool ok = false;
		for (size_t k = 0; s && status[k]; k++)
			ok = ok || strcmp(s, status[k]) == 0;
		if (!json_is_string(json_object_get(r, "pack")) ||
		    !json_is_string(json_object_get(r, "id")) || !ok) {
			snprintf(err, err_size, "results[%zu]: needs pack, id and a valid status", i);
			return -1;
		}
	}
	json_t *scores = json_object_get(report, "scores");
	if (!json_is_object(scores) || !json_is_object(json_object_get(scores, "overall")))
		return fail(err, err_size, "scores.overall: expected an object");
	return 0;
}
