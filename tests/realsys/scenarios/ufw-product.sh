# SPDX-License-Identifier: Apache-2.0
# With ufw enabled, the front end is ufw.
# suites: bookworm
# oracle: ufw status says active (so ufw is the front end in charge).
fact=firewall.product
setup() {
	need_proc
	in_root ufw --force enable >&2
}
oracle() { in_root ufw status | grep -qx 'Status: active' && echo ufw || echo '(ufw inactive)'; }
