# SPDX-License-Identifier: Apache-2.0
# minlen = 14 in a pwquality.conf.d file and minlen = 9 in pwquality.conf:
# libpwquality reads the .d files first and the main file last, so the
# main file's value is the one enforced.
# suites: bookworm trixie
# oracle: the shortest password passwd(1) takes from a user (bisection).
fact=password.min_length
setup() {
	add_user alice
	echo 'minlen = 9' >>"$ROOT/etc/security/pwquality.conf"
	put /etc/security/pwquality.conf.d/50-site.conf <<<'minlen = 14'
}
oracle() { min_length_oracle alice; }
