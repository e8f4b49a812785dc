# SPDX-License-Identifier: Apache-2.0
# PermitRootLogin no in a drop-in.
# suites: bookworm trixie
# oracle: sshd -T.
fact=accounts.ssh.permit_root_login
setup() { sshd_dropin 50-root.conf <<<'PermitRootLogin no'; }
oracle() { permit_root_oracle; }
