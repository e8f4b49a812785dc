/* SPDX-License-Identifier: Apache-2.0 */
/* GET /v1/rules/{rule}: the current hosts failing a rule (fleet.h), each
 * with since when it fails without a break (fleet_failing_since()). A
 * rule no current host fails answers with none; which rules exist is the
 * agents' business, not the collector's. */
#define _GNU_SOURCE
#include "api.h"
#include "fleet.h"

int api_rule(api_call *c)
{
	fleet *f = api_fleet_model(c, -1);
	if (!f)
		return 0;
	const fleet_rule *r = fleet_rule_find(f, c->arg);
	json_t *j = r ? fleet_rule_json(r)
		      : json_pack("{s:s,s:n,s:s,s:{s:s,s:s},s:i,s:[]}", "rule", c->arg, "pack",
				  "severity", "", "title", "en", "", "ja", "", "hosts_failing", 0,
				  "hosts");
	/* each failing host with its score and latest report, for a link */
	json_t *hosts = json_array();
	for (long i = 0; r && i < r->hosts_failing; i++) {
		const fleet_host *h = fleet_host_find(f, r->hosts[i]);
		char last[21] = "";
		if (h && h->last_finished)
			rfc3339_format(h->last_finished, last);
		int64_t since = 0;
		char err[300], since_s[21] = "";
		if (fleet_failing_since(c->s, c->who->org_id, r->hosts[i], r->pack, r->rule, &since,
					err, sizeof err) < 0) {
			json_decref(hosts);
			json_decref(j);
			fleet_free(f);
			log_line("api: %s", err);
			return api_error(c, 503, "the store is busy or unreadable, try again");
		}
		if (since)
			rfc3339_format(since, since_s);
		json_array_append_new(hosts, json_pack("{s:s,s:s,s:s,s:s}", "hostname", r->hosts[i],
						       "report_id", h ? h->report_id : "",
						       "last_report", last, "failing_since", since_s));
	}
	json_object_set_new(j, "failing_hosts", hosts);
	json_object_set_new(j, "hosts_reporting", json_integer(f->reporting));
	api_json(c, 200, j);
	fleet_free(f);
	return 0;
}
