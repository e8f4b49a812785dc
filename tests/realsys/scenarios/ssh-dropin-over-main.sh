# SPDX-License-Identifier: Apache-2.0
# The drop-in says yes, sshd_config says no after its Include line: the
# Include comes first, so the drop-in wins.
# suites: bookworm
# oracle: sshd -T.
fact=accounts.ssh.permit_root_login
setup() {
	sshd_dropin 50-root.conf <<<'PermitRootLogin yes'
	echo 'PermitRootLogin no' >>"$ROOT/etc/ssh/sshd_config"
}
oracle() { permit_root_oracle; }
