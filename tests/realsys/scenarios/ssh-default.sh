# SPDX-License-Identifier: Apache-2.0
# openssh-server as Debian installs it: PermitRootLogin not set.
# suites: bookworm trixie
# oracle: sshd -T (prohibit-password spelled as the fact spells it).
fact=accounts.ssh.permit_root_login
setup() { :; }
oracle() { permit_root_oracle; }
