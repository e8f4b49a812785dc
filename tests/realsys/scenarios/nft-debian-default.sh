# SPDX-License-Identifier: Apache-2.0
# Debian's shipped /etc/nftables.conf (empty chains, policy accept) with
# nftables.service enabled: it loads, but filters nothing.
# suites: bookworm trixie
# oracle: systemctl is-enabled; nft -f and nft -j list ruleset.
fact=firewall.enabled_at_boot
setup() { in_root systemctl enable nftables.service >&2; }
oracle() { nft_boot_oracle; }
