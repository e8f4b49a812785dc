# SPDX-License-Identifier: Apache-2.0
# minlen=11 as a module argument, in pwquality's pam-auth-update profile
# (the argument wins over minlen = 9 in pwquality.conf).
# suites: bookworm
# oracle: the shortest password passwd(1) takes from a user (bisection).
fact=password.min_length
setup() {
	add_user alice
	echo 'minlen = 9' >>"$ROOT/etc/security/pwquality.conf"
	sed -i 's/pam_pwquality.so retry=3/pam_pwquality.so retry=3 minlen=11/' \
		"$ROOT/usr/share/pam-configs/pwquality"
	in_root pam-auth-update --package >&2
	grep pwquality "$ROOT/etc/pam.d/common-password" >&2
}
oracle() { min_length_oracle alice; }
