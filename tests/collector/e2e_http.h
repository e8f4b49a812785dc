/* SPDX-License-Identifier: Apache-2.0 */
/* The HTTPS requests the collector's end-to-end tests share (libcurl;
 * e2e_common.h's pki names the CA). */
#ifndef HOSTAUDIT_E2E_HTTP_H
#define HOSTAUDIT_E2E_HTTP_H

/* POSTs a report (body, JSON) to https://127.0.0.1:port/v1/reports with
 * the host's token, verifying the server with pki/ca.pem: the HTTP status
 * (a refusal answered before the body was read counts; another failure
 * fails the test). */
long e2e_upload(int port, const char *token, const char *body);

#endif
