/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit flush: send what the spool holds; and the upload step that
 * `hostaudit run --upload` shares with it. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/upload.h"

int cli_upload_status(int flush_rc)
{
	switch (flush_rc) {
	case 0: return 0;
	case 1: return EXIT_UPLOAD_PENDING;
	case 2: return EXIT_UPLOAD_REFUSED;
	default: return EXIT_USAGE;
	}
}

static int report_status(int rc, const upload_status *st)
{
	char line[768];
	upload_status_line(st, line, sizeof line);
	fprintf(stderr, "hostaudit: %s\n", line);
	return cli_upload_status(rc);
}

int cli_upload(const config *cfg, const char *report_id, const char *json, size_t len)
{
	upload_status st;
	memset(&st, 0, sizeof st);
	int rc = upload_report(&cfg->upload, report_id, json, len, &st, NULL);
	return report_status(rc, &st);
}

int cmd_flush(const cli_options *o)
{
	audit a;
	int rc = cli_load_audit(o, &a, false);
	if (rc)
		return rc;
	upload_status st;
	memset(&st, 0, sizeof st);
	rc = report_status(upload_flush(&a.cfg.upload, &st, NULL), &st);
	audit_free(&a);
	return rc;
}
