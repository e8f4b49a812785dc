# SPDX-License-Identifier: Apache-2.0
# nftables.conf only includes /etc/nftables.d/*.nft, where the filtering
# chain is.
# suites: bookworm trixie
# oracle: systemctl is-enabled; nft -f and nft -j list ruleset.
fact=firewall.enabled_at_boot
setup() {
	put /etc/nftables.conf <<'X'
#!/usr/sbin/nft -f
flush ruleset
include "/etc/nftables.d/*.nft"
X
	put /etc/nftables.d/10-input.nft <<'X'
table inet filter {
	chain input {
		type filter hook input priority 0; policy drop;
		iif lo accept
	}
}
X
	in_root systemctl enable nftables.service >&2
}
oracle() { nft_boot_oracle; }
