/* SPDX-License-Identifier: Apache-2.0 */
/* Pure decoders for Windows API values (windecode.h). No windows.h: the
 * Linux unit tests compile this file too. */
#include "windecode.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *win_hresult_name(uint32_t hr)
{
	static const struct {
		uint32_t code;
		const char *name;
	} names[] = {
		{0x80004001, "E_NOTIMPL"},
		{0x80004002, "E_NOINTERFACE"},
		{0x80004005, "E_FAIL"},
		{0x8000FFFF, "E_UNEXPECTED"},
		{0x80040154, "REGDB_E_CLASSNOTREG"},
		{0x800401F0, "CO_E_NOTINITIALIZED"},
		{0x80070005, "E_ACCESSDENIED"},
		{0x80070006, "E_HANDLE"},
		{0x8007000E, "E_OUTOFMEMORY"},
		{0x80070057, "E_INVALIDARG"},
		{0x800706BA, "RPC_S_SERVER_UNAVAILABLE"},
		{0x80010106, "RPC_E_CHANGED_MODE"},
		{0x80041001, "WBEM_E_FAILED"},
		{0x80041002, "WBEM_E_NOT_FOUND"},
		{0x80041003, "WBEM_E_ACCESS_DENIED"},
		{0x8004100E, "WBEM_E_INVALID_NAMESPACE"},
		{0x80041010, "WBEM_E_INVALID_CLASS"},
		{0x80041017, "WBEM_E_INVALID_QUERY"},
		{0x8004101D, "WBEM_E_UNEXPECTED"},
		{0x80240001, "WU_E_NO_SERVICE"},
		{0x8024000B, "WU_E_CALL_CANCELLED"},
		{0x80240024, "WU_E_NO_UPDATE"},
		{0x8024001E, "WU_E_SERVICE_STOP"},
		{0x8024002B, "WU_E_LEGACYSERVER"},
		{0x8024402C, "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED"},
		{0x80244022, "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL"},
		{0x8024A000, "WU_E_AU_NOSERVICE"},
		{0x80240032, "WU_E_INVALID_CRITERIA"},
		{0x800B0109, "CERT_E_UNTRUSTEDROOT"},
		/* NetAPI status codes (NERR_*), not HRESULTs but met in the same place */
		{2102, "NERR_NetNotStarted"},
		{2140, "NERR_InternalError"},
		{2221, "NERR_UserNotFound"},
		{2310, "NERR_NetNameNotFound"},
		{5, "ERROR_ACCESS_DENIED"},
		{50, "ERROR_NOT_SUPPORTED"},
		{120, "ERROR_CALL_NOT_IMPLEMENTED"},
		{317, "ERROR_MR_MID_NOT_FOUND"},
		{15007, "ERROR_EVT_CHANNEL_NOT_FOUND"},
	};
	/* HRESULT_FROM_WIN32(code) carries a Win32 code in the low 16 bits. */
	uint32_t win32 = (hr & 0xFFFF0000u) == 0x80070000u ? (hr & 0xFFFFu) : hr;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].code == hr || names[i].code == win32)
			return names[i].name;
	return NULL;
}

/* --- SIDs ------------------------------------------------------------------ */

bool win_sid_is_trusted_writer(const char *sid, const char *me)
{
	return !strcmp(sid, SID_SYSTEM) || !strcmp(sid, SID_ADMINISTRATORS) ||
	       !strcmp(sid, SID_TRUSTED_INSTALLER) || (me && *me && !strcmp(sid, me));
}

bool win_access_mask_writes(uint32_t mask)
{
	const uint32_t write_bits = 0x00000002u  /* FILE_WRITE_DATA / FILE_ADD_FILE */
				  | 0x00000004u  /* FILE_APPEND_DATA / FILE_ADD_SUBDIRECTORY */
				  | 0x00000040u  /* FILE_DELETE_CHILD */
				  | 0x00010000u  /* DELETE */
				  | 0x00040000u  /* WRITE_DAC */
				  | 0x00080000u  /* WRITE_OWNER */
				  | 0x10000000u  /* GENERIC_ALL */
				  | 0x40000000u; /* GENERIC_WRITE */
	return (mask & write_bits) != 0;
}

bool win_access_mask_replaces(uint32_t mask)
{
	const uint32_t bits = 0x00000040u  /* FILE_DELETE_CHILD */
			    | 0x00010000u  /* DELETE: rename the directory away */
			    | 0x00040000u  /* WRITE_DAC */
			    | 0x00080000u  /* WRITE_OWNER */
			    | 0x10000000u; /* GENERIC_ALL */
	return (mask & bits) != 0;
}

bool win_access_mask_reads(uint32_t mask)
{
	const uint32_t read_bits = 0x00000001u  /* FILE_READ_DATA */
				 | 0x00040000u  /* WRITE_DAC */
				 | 0x00080000u  /* WRITE_OWNER */
				 | 0x10000000u  /* GENERIC_ALL */
				 | 0x80000000u; /* GENERIC_READ */
	return (mask & read_bits) != 0;
}

bool win_sid_is_public(const char *sid)
{
	return !strcmp(sid, SID_EVERYONE) || !strcmp(sid, SID_GUESTS) || !strcmp(sid, SID_ANONYMOUS);
}

bool win_sid_rid(const char *sid, uint32_t *rid)
{
	if (strncmp(sid, "S-1-", 4) != 0)
		return false;
	const char *last = strrchr(sid, '-');
	if (!last || !last[1])
		return false;
	char *end;
	errno = 0;
	unsigned long v = strtoul(last + 1, &end, 10);
	if (*end || errno || v > UINT32_MAX)
		return false;
	*rid = (uint32_t)v;
	return true;
}

bool win_sid_is_guest_account(const char *sid)
{
	uint32_t rid;
	return !strncmp(sid, "S-1-5-21-", 9) && win_sid_rid(sid, &rid) && rid == 501;
}

/* --- Security Center ------------------------------------------------------ */

wsc_state wsc_decode_product_state(uint32_t s)
{
	wsc_state st;
	st.scanner = (wsc_scanner)((s >> 12) & 0x3);
	st.microsoft = ((s >> 8) & 0xF) == 1;
	st.signatures_current = ((s >> 4) & 0xF) == 0;
	return st;
}

const char *wsc_scanner_name(wsc_scanner s)
{
	static const char *const names[] = {"off", "on", "snoozed", "expired"};
	return (unsigned)s < 4 ? names[s] : "?";
}

bool defender_mode_is_passive(const char *mode)
{
	return mode && strstr(mode, "Passive") != NULL;
}

/* --- Windows Update Agent ------------------------------------------------- */

const char *wua_result_name(int code)
{
	static const char *const names[] = {"orcNotStarted",	       "orcInProgress", "orcSucceeded",
					    "orcSucceededWithErrors", "orcFailed",     "orcAborted"};
	return code >= 0 && code < 6 ? names[code] : "unknown result code";
}

bool wua_result_is_success(int code)
{
	return code == 2;
}

bool wua_operation_is_install(int operation)
{
	return operation == 1;
}

bool wua_notification_level_installs(int level)
{
	return level == 4;
}

const char *wua_notification_level_name(int level)
{
	switch (level) {
	case 0: return "not configured";
	case 1: return "disabled";
	case 2: return "notify before download";
	case 3: return "notify before installation";
	case 4: return "scheduled installation";
	case 5: return "local administrator chooses";
	default: return "unknown level";
	}
}

int64_t win_ole_date_to_epoch(double date)
{
	/* 1899-12-30 is 25569 days before 1970-01-01. Rounded to the second. */
	double secs = (date - 25569.0) * 86400.0;
	return (int64_t)(secs < 0 ? secs - 0.5 : secs + 0.5);
}

int64_t win_filetime_to_epoch(uint64_t ft)
{
	return (int64_t)(ft / 10000000ULL) - 11644473600LL;
}

static bool digits(const char *s, size_t n, long *out)
{
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool win_cim_datetime_to_epoch(const char *s, int64_t *epoch)
{
	long y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, off = 0;
	if (!s || strlen(s) != 25 || s[14] != '.' || (s[21] != '+' && s[21] != '-') ||
	    !digits(s, 4, &y) || !digits(s + 4, 2, &mo) || !digits(s + 6, 2, &d) ||
	    !digits(s + 8, 2, &h) || !digits(s + 10, 2, &mi) || !digits(s + 12, 2, &se) ||
	    !digits(s + 22, 3, &off) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || se > 60)
		return false;
	long long days = days_from_civil(y, (unsigned)mo, (unsigned)d);
	int64_t t = (int64_t)days * 86400 + h * 3600 + mi * 60 + se;
	/* Local time = UTC + offset, so UTC = local - offset. */
	t -= (s[21] == '+' ? 1 : -1) * (int64_t)off * 60;
	*epoch = t;
	return true;
}

/* --- NetUserModalsGet --------------------------------------------------------- */

int64_t netmodals_max_age_days(uint32_t seconds)
{
	if (seconds == 0xFFFFFFFFu)
		return 99999;
	return seconds / 86400;
}

/* --- Firewall, BitLocker, registry ---------------------------------------- */

const char *fw_profile_name(unsigned bit)
{
	switch (bit) {
	case 1: return "domain";
	case 2: return "private";
	case 4: return "public";
	default: return "?";
	}
}

const char *bitlocker_protection_name(uint32_t status)
{
	switch (status) {
	case 0: return "protection off";
	case 1: return "protection on";
	case 2: return "unknown (volume locked)";
	default: return "unknown status";
	}
}

bool win_reg_sz_int(const char *s, int64_t *out)
{
	if (!s)
		return false;
	while (*s == ' ')
		s++;
	if (!*s)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	while (*end == ' ')
		end++;
	if (*end || errno)
		return false;
	*out = v;
	return true;
}

/* --- secedit ------------------------------------------------------------------ */

bool secedit_value(const char *inf, const char *key, int64_t *out)
{
	bool in_section = false;
	size_t klen = strlen(key);
	for (const char *line = inf; line && *line;) {
		const char *end = line + strcspn(line, "\r\n");
		while (line < end && (*line == ' ' || *line == '\t'))
			line++;
		if (*line == '[')
			in_section = !strncmp(line, "[System Access]", 15);
		else if (in_section && (size_t)(end - line) > klen && !strncmp(line, key, klen) &&
			 (line[klen] == ' ' || line[klen] == '=')) {
			const char *v = line + klen;
			while (v < end && (*v == ' ' || *v == '='))
				v++;
			char num[32];
			size_t n = (size_t)(end - v) < sizeof num - 1 ? (size_t)(end - v) : sizeof num - 1;
			memcpy(num, v, n);
			num[n] = '\0';
			return win_reg_sz_int(num, out);
		}
		line = *end ? end + 1 : NULL;
	}
	return false;
}

/* --- Accounts ----------------------------------------------------------------- */

bool win_account_is_human(uint32_t flags, uint32_t rid)
{
	if ((flags & WIN_UF_ACCOUNTDISABLE) || !(flags & WIN_UF_NORMAL_ACCOUNT))
		return false;
	return rid == 500 || rid >= 1000;
}

/* --- File History ------------------------------------------------------- */

static int strcasecmp_ascii(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 1;
	return *a != *b;
}

/* The text of the first <tag>...</tag>, with the five XML entities
 * decoded; false when absent or too long. */
static bool xml_tag(const char *xml, const char *tag, char *out, size_t size)
{
	char open[64], close[64];
	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	const char *a = strstr(xml, open);
	if (!a)
		return false;
	a += strlen(open);
	const char *b = strstr(a, close);
	if (!b)
		return false;
	static const struct {
		const char *ent;
		char c;
	} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
	size_t o = 0;
	while (a < b) {
		char c = *a;
		size_t adv = 1;
		for (size_t i = 0; c == '&' && i < sizeof ents / sizeof ents[0]; i++)
			if (!strncmp(a, ents[i].ent, strlen(ents[i].ent))) {
				c = ents[i].c;
				adv = strlen(ents[i].ent);
			}
		if (o + 1 >= size)
			return false;
		out[o++] = c;
		a += adv;
	}
	out[o] = '\0';
	return true;
}

bool win_fh_config_parse(const char *xml, win_fh_config *out)
{
	memset(out, 0, sizeof *out);
	if (!strstr(xml, "<DataProtectionUserConfig"))
		return false;
	char status[32];
	out->enabled = xml_tag(xml, "DPStatus", status, sizeof status) && !strcmp(status, "ENABLED");
	xml_tag(xml, "TargetUrl", out->target_url, sizeof out->target_url);
	xml_tag(xml, "TargetBackupStorePath", out->store_path, sizeof out->store_path);
	return true;
}

bool win_fh_target_config_dir(const win_fh_config *c, char *out, size_t size)
{
	if (!c->target_url[0] || !c->store_path[0])
		return false;
	char store[520];
	snprintf(store, sizeof store, "%s", c->store_path);
	size_t n = strlen(store);
	while (n > 0 && store[n - 1] == '\\')
		store[--n] = '\0';
	/* "user\\PC\\Data" -> "user\\PC" */
	char *last = strrchr(store, '\\');
	if (!last || strcasecmp_ascii(last + 1, "Data") != 0)
		return false;
	*last = '\0';
	size_t t = strlen(c->target_url);
	bool sep = t > 0 && c->target_url[t - 1] == '\\';
	int w = snprintf(out, size, "%s%s%s\\Configuration", c->target_url, sep ? "" : "\\", store);
	return w > 0 && (size_t)w < size;
}

bool win_wildcard_match(const char *p, const char *s)
{
	const char *star = NULL, *resume = NULL;
	while (*s) {
		char pc = (char)tolower((unsigned char)*p), sc = (char)tolower((unsigned char)*s);
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p && (*p == '?' || pc == sc)) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}
