# SPDX-License-Identifier: Apache-2.0
# The same filtering ruleset, but nftables.service not enabled (Debian's
# default): nothing loads it at boot.
# suites: bookworm
# oracle: systemctl is-enabled; nft -f and nft -j list ruleset.
fact=firewall.enabled_at_boot
setup() {
	put /etc/nftables.conf <<'X'
flush ruleset
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		iif lo accept
	}
}
X
}
oracle() { nft_boot_oracle; }
