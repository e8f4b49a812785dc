# SPDX-License-Identifier: Apache-2.0
# pam_pwhistory remember=5 in the password stack (a pam-auth-update
# profile between pam_pwquality and pam_unix).
# suites: bookworm trixie
# oracle: a user changes its password 7 times with passwd(1), then tries
# the old ones again: how many are refused.
fact=password.history_length
setup() {
	add_user alice
	pam_profile pwhistory <<'X'
Name: Remember previous passwords
Default: no
Priority: 512
Password-Type: Primary
Password:
	requisite	pam_pwhistory.so remember=5 use_authtok
X
	grep -v '^#' "$ROOT/etc/pam.d/common-password" >&2
}
oracle() { history_oracle alice; }
