# SPDX-License-Identifier: Apache-2.0
# minlen = 12 in /etc/security/pwquality.conf.
# suites: bookworm trixie
# oracle: the shortest password passwd(1) takes from a user (bisection).
fact=password.min_length
setup() {
	add_user alice
	echo 'minlen = 12' >>"$ROOT/etc/security/pwquality.conf"
}
oracle() { min_length_oracle alice; }
