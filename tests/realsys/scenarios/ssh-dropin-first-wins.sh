# SPDX-License-Identifier: Apache-2.0
# Two drop-ins: 10-a.conf says no, 20-b.conf says yes. sshd takes the
# first value it reads (files in lexical order).
# suites: bookworm trixie
# oracle: sshd -T.
fact=accounts.ssh.permit_root_login
setup() {
	sshd_dropin 10-a.conf <<<'PermitRootLogin no'
	sshd_dropin 20-b.conf <<<'PermitRootLogin yes'
}
oracle() { permit_root_oracle; }
