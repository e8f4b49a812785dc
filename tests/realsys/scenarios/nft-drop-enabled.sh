# SPDX-License-Identifier: Apache-2.0
# /etc/nftables.conf with an input chain that drops by default, and
# nftables.service enabled with systemctl.
# suites: bookworm trixie
# oracle: systemctl is-enabled; nft -f and nft -j list ruleset.
fact=firewall.enabled_at_boot
setup() {
	put /etc/nftables.conf <<'X'
#!/usr/sbin/nft -f
flush ruleset
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iif lo accept
		tcp dport 22 accept
	}
}
X
	in_root systemctl enable nftables.service >&2
}
oracle() { nft_boot_oracle; }
