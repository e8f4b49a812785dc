# SPDX-License-Identifier: Apache-2.0
# enforcing = 0 in pwquality.conf: pam_pwquality only warns, passwd takes
# the weak password.
# suites: bookworm trixie
# oracle: passwd(1) run by a user, with a password pwscore rejects.
fact=password.quality_enforced
setup() {
	add_user alice
	echo 'enforcing = 0' >>"$ROOT/etc/security/pwquality.conf"
}
oracle() { quality_oracle alice; }
