# SPDX-License-Identifier: Apache-2.0
# The input chain jumps to a regular chain that rejects.
# suites: bookworm
# oracle: systemctl is-enabled; nft -f and nft -j list ruleset.
fact=firewall.enabled_at_boot
setup() {
	put /etc/nftables.conf <<'X'
flush ruleset
table inet filter {
	chain screen {
		tcp dport 23 reject
	}
	chain input {
		type filter hook input priority 0; policy accept;
		jump screen
	}
}
X
	in_root systemctl enable nftables.service >&2
}
oracle() { nft_boot_oracle; }
