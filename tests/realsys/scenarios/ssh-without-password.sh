# SPDX-License-Identifier: Apache-2.0
# PermitRootLogin without-password (the old name of prohibit-password).
# suites: bookworm
# oracle: sshd -T.
fact=accounts.ssh.permit_root_login
setup() { sshd_dropin 50-root.conf <<<'PermitRootLogin without-password'; }
oracle() { permit_root_oracle; }
