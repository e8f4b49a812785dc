# SPDX-License-Identifier: Apache-2.0
# PasswordAuthentication no in a drop-in (upper/lower case mixed).
# suites: bookworm trixie
# oracle: sshd -T.
fact=accounts.ssh.password_authentication
setup() { sshd_dropin 50-pw.conf <<<'passwordauthentication No'; }
oracle() { yesno_bool "$(sshd_t passwordauthentication)"; }
