# SPDX-License-Identifier: Apache-2.0
# pam_pwquality taken out of the stack with pam-auth-update --remove
# (the package stays installed).
# suites: bookworm
# oracle: passwd(1) run by a user, with a password pwscore rejects.
fact=password.quality_enforced
setup() {
	add_user alice
	in_root pam-auth-update --package --remove pwquality >&2
}
oracle() { quality_oracle alice; }
