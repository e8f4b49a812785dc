/* SPDX-License-Identifier: Apache-2.0 */
/* One event to one receiver, whatever its channel (alerts.h): the
 * receiver's language, then alert_webhook.c or alert_smtp.c. */
#include <stdio.h>
#include <stdlib.h>

#include "alerts.h"

int alert_deliver(const alert_config *c, const alert_receiver *r, const store_alert_event *e,
		  int64_t now, char *err, size_t err_size)
{
	int rc = -1;
	if (r->channel == ALERT_WEBHOOK) {
		char *body = alert_json(e, r->lang);
		rc = body ? alert_webhook_send(r, body, e->key, now, err, err_size) : -1;
		if (!body)
			snprintf(err, err_size, "out of memory");
		free(body);
	} else {
		char *subject = alert_subject(e, r->lang), *text = alert_text(e, r->lang);
		rc = subject && text
			     ? alert_mail_send(c, r, subject, text, e->key, now, err, err_size)
			     : -1;
		if (!subject || !text)
			snprintf(err, err_size, "out of memory");
		free(subject);
		free(text);
	}
	return rc;
}
