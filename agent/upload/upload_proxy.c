/* SPDX-License-Identifier: Apache-2.0 */
/* Choosing the upload's proxy (upload_proxy.h). */
#include "upload_proxy.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/platform.h"

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static bool is_sep(char c)
{
	return c == ';' || c == ' ' || c == '\t' || c == ',';
}

char *winhttp_proxy_for_https(const char *list)
{
	if (!list)
		return NULL;
	const char *plain = NULL, *http = NULL;
	size_t plain_n = 0, http_n = 0;
	for (const char *p = list; *p;) {
		while (*p && is_sep(*p))
			p++;
		size_t n = 0;
		while (p[n] && !is_sep(p[n]))
			n++;
		if (n == 0)
			break;
		const char *eq = memchr(p, '=', n);
		if (!eq) {
			if (!plain)
				plain = p, plain_n = n;
		} else {
			size_t k = (size_t)(eq - p), vn = n - k - 1;
			if (vn > 0 && k == 5 && strncmp(p, "https", 5) == 0)
				return dup_n(eq + 1, vn);
			if (vn > 0 && k == 4 && strncmp(p, "http", 4) == 0 && !http)
				http = eq + 1, http_n = vn;
		}
		p += n;
	}
	if (plain)
		return dup_n(plain, plain_n);
	return http ? dup_n(http, http_n) : NULL;
}

char *winhttp_bypass_to_noproxy(const char *bypass)
{
	if (!bypass)
		return NULL;
	char *out = malloc(strlen(bypass) + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (const char *p = bypass; *p;) {
		while (*p && is_sep(*p))
			p++;
		size_t n = 0;
		while (p[n] && !is_sep(p[n]))
			n++;
		const char *e = p;
		size_t en = n;
		p += n;
		if (en >= 2 && e[0] == '*' && e[1] == '.')
			e += 2, en -= 2;
		if (en == 0 || memchr(e, '*', en) || memchr(e, '<', en))
			continue;
		if (o)
			out[o++] = ',';
		memcpy(out + o, e, en);
		o += en;
	}
	out[o] = '\0';
	if (o == 0) {
		free(out);
		return NULL;
	}
	return out;
}

static bool env_set(const char *name)
{
	const char *v = getenv(name);
	return v && *v;
}

void upload_proxy_choose(const char *configured, upload_proxy *out)
{
	out->proxy = out->noproxy = NULL;
	if (configured) {
		out->proxy = dup_n(configured, strlen(configured));
		return;
	}
	/* The variables libcurl itself reads for an https:// URL. */
	if (env_set("https_proxy") || env_set("HTTPS_PROXY") || env_set("all_proxy") ||
	    env_set("ALL_PROXY"))
		return;
	char *list = NULL, *bypass = NULL;
	if (platform_system_proxy(&list, &bypass) == 0 && list) {
		out->proxy = winhttp_proxy_for_https(list);
		if (out->proxy && !env_set("no_proxy") && !env_set("NO_PROXY"))
			out->noproxy = winhttp_bypass_to_noproxy(bypass);
	}
	free(list);
	free(bypass);
}

void upload_proxy_free(upload_proxy *p)
{
	free(p->proxy);
	free(p->noproxy);
	p->proxy = p->noproxy = NULL;
}
