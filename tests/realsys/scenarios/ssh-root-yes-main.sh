# SPDX-License-Identifier: Apache-2.0
# PermitRootLogin yes at the end of sshd_config itself.
# suites: bookworm
# oracle: sshd -T.
fact=accounts.ssh.permit_root_login
setup() { echo 'PermitRootLogin yes' >>"$ROOT/etc/ssh/sshd_config"; }
oracle() { permit_root_oracle; }
