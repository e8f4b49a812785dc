# SPDX-License-Identifier: Apache-2.0
# The ruleset written as nft commands (add table / add chain / add rule).
# suites: bookworm trixie
# oracle: systemctl is-enabled; nft -f and nft -j list ruleset.
fact=firewall.enabled_at_boot
setup() {
	put /etc/nftables.conf <<'X'
flush ruleset
add table inet filter
add chain inet filter input { type filter hook input priority 0 ; policy accept ; }
add rule inet filter input iif lo accept
add rule inet filter input tcp dport 23 drop
X
	in_root systemctl enable nftables.service >&2
}
oracle() { nft_boot_oracle; }
