# SPDX-License-Identifier: Apache-2.0
# An input chain with policy accept whose rules only accept: it lets
# everything in, so it does not filter.
# suites: bookworm trixie
# oracle: systemctl is-enabled; nft -f and nft -j list ruleset (no drop
# policy, no drop or reject rule).
fact=firewall.enabled_at_boot
setup() {
	put /etc/nftables.conf <<'X'
flush ruleset
table inet filter {
	chain input {
		type filter hook input priority 0; policy accept;
		iif lo accept
		tcp dport 22 accept
	}
}
X
	in_root systemctl enable nftables.service >&2
}
oracle() { nft_boot_oracle; }
