# SPDX-License-Identifier: Apache-2.0
# The whole table on one line.
# suites: bookworm trixie
# oracle: systemctl is-enabled; nft -f and nft -j list ruleset.
fact=firewall.enabled_at_boot
setup() {
	put /etc/nftables.conf <<'X'
flush ruleset
table inet filter { chain input { type filter hook input priority 0; policy drop; }; }
X
	in_root systemctl enable nftables.service >&2
}
oracle() { nft_boot_oracle; }
