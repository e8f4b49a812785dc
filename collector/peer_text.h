/* SPDX-License-Identifier: Apache-2.0 */
/* The address a request came from, as text for the log and the audit
 * trail: one helper for the ingest server and the console. */
#ifndef HOSTAUDIT_COLLECTOR_PEER_TEXT_H
#define HOSTAUDIT_COLLECTOR_PEER_TEXT_H

#include <stddef.h>

#include <microhttpd.h>

/* The client's address as text ("?" when unknown), IPv4 or IPv6. */
void peer_text(struct MHD_Connection *c, char *addr, size_t size);

#endif
