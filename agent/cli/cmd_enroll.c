/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit enroll --secret-file FILE [--force]: this host trades the
 * company's enrollment secret for its own upload token, once, and keeps it
 * in upload.token_file (mode 0600). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hostaudit/upload.h"
#include "i18n.h"

int cmd_enroll(const cli_options *o)
{
	if (!o->secret_file) {
		cli_error(_("enroll: needs --secret-file FILE (the enrollment secret, mode 0600)"));
		return EXIT_USAGE;
	}
	audit a;
	int rc = cli_load_audit(o, &a, false);
	if (rc)
		return rc;
	char name[256] = "", msg[1024];
	rc = upload_enroll(&a.cfg.upload, o->secret_file, o->force, name, sizeof name, msg,
			   sizeof msg);
	switch (rc) {
	case 0:
		fprintf(stderr, _("hostaudit: enrolled %s; token written to %s (mode 0600)\n"), name,
			a.cfg.upload.token_file);
		break;
	case 1:
		cli_error(_("enroll: the collector cannot be reached now, try again later: %s"), msg);
		rc = EXIT_UPLOAD_PENDING;
		break;
	case 2:
		cli_error(_("enroll: refused: %s"), msg);
		rc = EXIT_UPLOAD_REFUSED;
		break;
	default:
		cli_error(_("enroll: %s"), msg);
		rc = EXIT_USAGE;
	}
	audit_free(&a);
	return rc;
}
