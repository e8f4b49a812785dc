# SPDX-License-Identifier: Apache-2.0
# passwd -d: bob's hash in /etc/shadow is empty; pam_unix has nullok.
# suites: bookworm trixie
# oracle: the accounts PAM (pamtester) logs in with an empty password.
fact=password.empty_accounts
setup() {
	add_user alice
	add_user bob
	in_root passwd -d bob >&2
}
oracle() { empty_login_oracle; }
