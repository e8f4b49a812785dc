# SPDX-License-Identifier: Apache-2.0
# nftables.service enabled, and /etc/nftables.conf closes a chain and its
# table on one line with no ';' between: nft 1.0.6 (Debian 12) refuses it,
# the unit fails at boot and nothing filters; nft 1.1.3 (Debian 13) too.
# suites: bookworm trixie
# oracle: systemctl is-enabled; nft -f refuses the file.
fact=firewall.enabled_at_boot
setup() {
	put /etc/nftables.conf <<'X'
flush ruleset
table inet filter { chain input { type filter hook input priority 0; policy drop; } }
X
	in_root systemctl enable nftables.service >&2
}
oracle() { nft_boot_oracle; }
