# SPDX-License-Identifier: Apache-2.0
# carol's password field in /etc/passwd itself is empty (not x): pam_unix
# takes it as the hash and never looks in /etc/shadow.
# suites: bookworm trixie
# oracle: the accounts PAM (pamtester) logs in with an empty password.
fact=password.empty_accounts
setup() {
	add_user alice
	add_user carol
	sed -i 's/^carol:x:/carol::/' "$ROOT/etc/passwd"
}
oracle() { empty_login_oracle; }
