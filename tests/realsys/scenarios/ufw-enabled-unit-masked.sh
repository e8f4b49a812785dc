# SPDX-License-Identifier: Apache-2.0
# ufw enabled, then ufw.service masked: ufw's rules are not loaded at
# boot.
# suites: bookworm
# oracle: ufw status; systemctl is-enabled ufw.service.
fact=firewall.enabled_at_boot
setup() {
	need_proc
	in_root ufw --force enable >&2
	in_root systemctl mask ufw.service >&2
}
oracle() { ufw_oracle; }
