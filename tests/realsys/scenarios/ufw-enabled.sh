# SPDX-License-Identifier: Apache-2.0
# ufw enable (run in the chroot, in the scenario's network namespace): it
# loads its rules and sets ENABLED=yes; Debian enables ufw.service.
# suites: bookworm trixie
# oracle: ufw status; systemctl is-enabled ufw.service.
fact=firewall.enabled_at_boot
setup() {
	need_proc
	in_root ufw --force enable >&2
}
oracle() { ufw_oracle; }
