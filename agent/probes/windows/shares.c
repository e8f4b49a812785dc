/* SPDX-License-Identifier: Apache-2.0 */
/* Shared folders on Windows (IPA 5 articles, 4; self-check 4):
 * NetShareEnum level 502 (needs an elevated token for the security
 * descriptors), skipping the administrative shares (C$, ADMIN$, IPC$).
 *  - shares.everyone_access: shares whose share ACL lets in Everyone,
 *    Guests or Anonymous (by SID: the names are translated);
 *  - shares.guest_open: those of them anyone can use without a password:
 *    every one when the Guest account (RID 501) is enabled, else those
 *    that grant Guests or Anonymous. */
#include <windows.h>
#include <lm.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/probe.h"
#include "util.h"
#include "windecode.h"
#include "winutil.h"

/* Which public SIDs the share's DACL allows: bit 1 Everyone, 2 Guests or
 * Anonymous. A missing DACL allows everyone. */
static unsigned public_access(PSECURITY_DESCRIPTOR sd)
{
	BOOL present = FALSE, defaulted = FALSE;
	PACL dacl = NULL;
	if (!sd || !GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted) || !present || !dacl)
		return 1;
	unsigned who = 0;
	for (DWORD i = 0; i < dacl->AceCount; i++) {
		ACE_HEADER *ace;
		if (!GetAce(dacl, i, (void **)&ace) || ace->AceType != ACCESS_ALLOWED_ACE_TYPE)
			continue;
		wchar_t *ws = NULL;
		if (!ConvertSidToStringSidW((PSID)&((ACCESS_ALLOWED_ACE *)ace)->SidStart, &ws))
			continue;
		char *s = win_utf8(ws);
		LocalFree(ws);
		if (win_sid_is_public(s))
			who |= !strcmp(s, SID_EVERYONE) ? 1u : 2u;
		free(s);
	}
	return who;
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	if (h->root && h->root[0]) {
		fact_set_unset_prefix(fs, "shares.", FACT_UNKNOWN,
				      "--root: shares are asked from the server service, not a disk");
		return 0;
	}
	fact_list everyone = {0}, open = {0}, guests = {0};
	DWORD_PTR resume = 0;
	NET_API_STATUS st;
	size_t count = 0;
	do {
		SHARE_INFO_502 *si = NULL;
		DWORD read = 0, total = 0;
		st = NetShareEnum(NULL, 502, (BYTE **)&si, MAX_PREFERRED_LENGTH, &read, &total,
				  (DWORD *)&resume);
		if (st != NERR_Success && st != ERROR_MORE_DATA)
			break;
		for (DWORD i = 0; i < read; i++) {
			if (si[i].shi502_type & STYPE_SPECIAL)
				continue; /* C$, ADMIN$, IPC$: administrators only */
			char *name = win_utf8(si[i].shi502_netname);
			char *label = xasprintf("smb:%s", name);
			unsigned who = public_access(si[i].shi502_security_descriptor);
			count++;
			if (who)
				fact_list_push(&everyone, label);
			if (who & 2u)
				fact_list_push(&guests, label);
			free(name);
			free(label);
		}
		NetApiBufferFree(si);
	} while (st == ERROR_MORE_DATA);
	if (st != NERR_Success) {
		char t[300];
		win_hresult_text(st >= 2100 && st < 2999 ? (HRESULT)st : HRESULT_FROM_WIN32(st), t,
				 sizeof t);
		fact_set_unset_prefix(fs, "shares.", FACT_UNKNOWN,
				      "NetShareEnum level 502 failed: %s%s", t,
				      st == ERROR_ACCESS_DENIED ? " (needs an elevated run)" : "");
		fact_list_free(&everyone), fact_list_free(&guests);
		return 0;
	}
	fact_set_bool(fs, "shares.configured", count > 0,
		      "NetShareEnum level 502: %zu shares besides the administrative ones", count);
	/* Guest enabled: Everyone includes anyone who connects. */
	const fact *g = fact_get(fs, "accounts.guest_enabled");
	bool guest_known = g && g->state == FACT_KNOWN;
	bool guest_on = guest_known && g->v.b;
	fact_list *src = guest_on ? &everyone : &guests;
	for (size_t i = 0; i < src->count; i++)
		fact_list_push(&open, src->items[i]);
	if (guest_known || everyone.count == 0)
		fact_set_list(fs, "shares.guest_open", &open,
			      "NetShareEnum level 502 share ACLs (Guests S-1-5-32-546, Anonymous "
			      "S-1-5-7%s); Guest account %s",
			      guest_on ? ", Everyone S-1-1-0" : "", guest_on ? "enabled" : "disabled");
	else {
		fact_list_free(&open);
		fact_set_unknown(fs, "shares.guest_open",
				 "shares grant Everyone, and whether the Guest account is enabled is "
				 "unknown (see accounts.guest_enabled)");
	}
	fact_set_list(fs, "shares.everyone_access", &everyone,
		      "NetShareEnum level 502 share ACLs: Everyone S-1-1-0, Guests S-1-5-32-546, "
		      "Anonymous S-1-5-7");
	fact_list_free(&guests);
	fact_set_unknown(fs, "shares.nfs_world",
			 "Windows Server's NFS service exports are not probed yet");
	return 0;
}

const probe probe_shares = {"shares", "shares.", run};
