# nftables.service enabled, but /etc/nftables.conf is one the nft parser
# refuses (no ';' between the closing braces on one line): the unit fails
# at boot and nothing filters.
# suites: bookworm
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
