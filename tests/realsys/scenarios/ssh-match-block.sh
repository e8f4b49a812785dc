# SPDX-License-Identifier: Apache-2.0
# A Match block allows root from one network; the global value stays no.
# suites: bookworm
# oracle: sshd -T (no -C: the global section).
fact=accounts.ssh.permit_root_login
setup() {
	sshd_dropin 50-root.conf <<'X'
PermitRootLogin no
Match Address 192.0.2.0/24
	PermitRootLogin yes
X
}
oracle() { permit_root_oracle; }
