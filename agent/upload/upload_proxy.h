/* SPDX-License-Identifier: Apache-2.0 */
/* Which proxy the upload uses: the config's `upload: proxy:`, else the
 * environment (https_proxy, all_proxy: libcurl reads them itself), else
 * the system's (on Windows the machine-wide WinHTTP proxy that
 * `netsh winhttp set proxy` sets; none on POSIX). docs/windows.md says why. */
#ifndef HOSTAUDIT_UPLOAD_PROXY_H
#define HOSTAUDIT_UPLOAD_PROXY_H

typedef struct upload_proxy {
	char *proxy;    /* for CURLOPT_PROXY; NULL: leave it to libcurl */
	char *noproxy;  /* for CURLOPT_NOPROXY; NULL: leave it to libcurl */
} upload_proxy;

void upload_proxy_choose(const char *configured, upload_proxy *out);
void upload_proxy_free(upload_proxy *p);

/* Pure decoders of WinHTTP's proxy strings, tested on Linux.
 * The proxy list is "host:port" or "scheme=host:port;..." (space or ';'
 * separated): the https entry, else an entry without scheme, else the
 * http entry. NULL when none. malloc'd. */
char *winhttp_proxy_for_https(const char *list);
/* The bypass list ("<local>;*.corp.example;10.1.2.3") as libcurl's
 * NOPROXY ("corp.example,10.1.2.3"): "*." prefixes dropped (libcurl
 * matches a domain and its subdomains), "<local>" and entries with other
 * wildcards dropped (libcurl cannot express them). NULL when nothing is
 * left. malloc'd. */
char *winhttp_bypass_to_noproxy(const char *bypass);

#endif
