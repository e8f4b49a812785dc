/* SPDX-License-Identifier: Apache-2.0 */
/* Host identity from a TLS client certificate (collector.h).
 *
 * libmicrohttpd asks for a client certificate when it has a trust list
 * (MHD_OPTION_HTTPS_MEM_TRUST = client_ca) but does not judge it: the
 * handshake succeeds with no certificate or an untrusted one. This file
 * does the judging, on the GnuTLS session, before the request's body is
 * read: the chain must verify against client_ca, for TLS client use; then
 * its subject CN and SAN DNS names are the names it vouches for. */
#define _GNU_SOURCE
#include <string.h>
#include <strings.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "collector.h"

static void add_name(cert_names *out, const char *name, size_t len)
{
	if (len == 0 || len >= sizeof out->name[0] || memchr(name, '\0', len))
		return; /* an embedded NUL is a forgery attempt, not a name */
	for (size_t i = 0; i < out->n; i++)
		if (strlen(out->name[i]) == len && strncasecmp(out->name[i], name, len) == 0)
			return;
	if (out->n < sizeof out->name / sizeof out->name[0]) {
		memcpy(out->name[out->n], name, len);
		out->name[out->n++][len] = '\0';
	}
}

static int names_of(gnutls_x509_crt_t crt, cert_names *out)
{
	char buf[256];
	size_t len = sizeof buf;
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &len) == 0)
		add_name(out, buf, len);
	for (unsigned i = 0; i < 64; i++) {
		len = sizeof buf;
		int type = gnutls_x509_crt_get_subject_alt_name(crt, i, buf, &len, NULL);
		if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (type == GNUTLS_SAN_DNSNAME)
			add_name(out, buf, len);
	}
	return out->n > 0 ? 1 : -1;
}

int clientcert_names(void *tls_session, cert_names *out, char *err, size_t err_size)
{
	gnutls_session_t s = tls_session;
	out->n = 0;
	if (!s)
		return 0;
	unsigned int nchain = 0;
	const gnutls_datum_t *chain = gnutls_certificate_get_peers(s, &nchain);
	if (!chain || nchain == 0)
		return 0;
	/* Trusted by client_ca, in date, and allowed for TLS client use. */
	gnutls_typed_vdata_st purpose = {.type = GNUTLS_DT_KEY_PURPOSE_OID,
					 .data = (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT};
	unsigned int status = 0;
	int rc = gnutls_certificate_verify_peers(s, &purpose, 1, &status);
	if (rc < 0 || status != 0) {
		gnutls_datum_t why = {NULL, 0};
		if (rc >= 0 &&
		    gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &why,
								 0) == 0) {
			snprintf(err, err_size, "%s", why.data);
			gnutls_free(why.data);
		} else {
			snprintf(err, err_size, "%s", gnutls_strerror(rc));
		}
		return -1;
	}
	gnutls_x509_crt_t crt;
	if (gnutls_x509_crt_init(&crt) < 0)
		return -1;
	rc = gnutls_x509_crt_import(crt, &chain[0], GNUTLS_X509_FMT_DER) < 0 ? -1
									      : names_of(crt, out);
	gnutls_x509_crt_deinit(crt);
	if (rc < 0)
		snprintf(err, err_size, "the certificate names no host (no CN, no DNS name)");
	return rc;
}
