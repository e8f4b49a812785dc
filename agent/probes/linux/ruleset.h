/* SPDX-License-Identifier: Apache-2.0 */
/* What a packet-filter ruleset does to incoming traffic, read from its
 * text: nft syntax (/etc/nftables.conf with its include files, and the
 * output of `nft list ruleset`) and iptables-save syntax
 * (/etc/iptables/rules.v4, /etc/sysconfig/iptables).
 *
 * A ruleset filters when some incoming packet can be dropped: an input
 * chain (nft: a base chain "type filter hook input"; iptables: INPUT of
 * the filter table) whose policy is drop, or that has a drop or reject
 * rule, directly or in a chain it jumps to. An unconditional accept
 * ("accept", "counter accept", "-j ACCEPT" with no match) ends the chain:
 * nothing after it, the policy included, is ever reached. */
#ifndef HOSTAUDIT_RULESET_H
#define HOSTAUDIT_RULESET_H

#include <stdbool.h>

#include "hostaudit/host.h"

typedef struct ruleset_view {
	int chains;          /* chains seen, of every hook */
	int input_rules;     /* rules of the input chains that can be reached */
	bool input_drop;     /* an input chain's drop policy can be reached */
	bool filters;        /* some incoming packet can be dropped */
	char note[512];      /* an unconditional accept, an include not read... */
} ruleset_view;

/* text is nft syntax from path (NULL for `nft list ruleset` output);
 * include statements are read through h, relative names from /etc as
 * nft does. text is modified. */
void ruleset_parse_nft(const host *h, const char *path, char *text, ruleset_view *v);
void ruleset_parse_iptables(char *text, ruleset_view *v);

#endif
