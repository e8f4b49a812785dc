# SPDX-License-Identifier: Apache-2.0
# bob's hash is empty but nullok is gone from pam_unix (its profile edited,
# pam-auth-update run). PAM then refuses the empty password, yet the hash
# is still empty (one nullok away from an open account), which is what
# password.empty_accounts lists.
# suites: bookworm
# oracle: `passwd -S -a` (shadow's own account status): NP = no password.
# (pamtester logs nobody in here: the agent's listing is conservative.)
fact=password.empty_accounts
setup() {
	add_user bob
	in_root passwd -d bob >&2
	sed -i 's/pam_unix.so nullok/pam_unix.so/' "$ROOT/usr/share/pam-configs/unix"
	in_root pam-auth-update --package >&2
	grep pam_unix "$ROOT/etc/pam.d/common-auth" >&2
	echo "PAM logs in with an empty password: $(empty_login_oracle)" >&2
}
oracle() { in_root passwd -S -a | awk '$2 == "NP" { print $1 }' | join_list; }
