# SPDX-License-Identifier: Apache-2.0
# PasswordAuthentication not set: OpenSSH's default.
# suites: bookworm trixie
# oracle: sshd -T.
fact=accounts.ssh.password_authentication
setup() { :; }
oracle() { yesno_bool "$(sshd_t passwordauthentication)"; }
