# SPDX-License-Identifier: Apache-2.0
# minlen = 14 in a pwquality.conf.d file only (pwquality.conf as shipped).
# suites: bookworm trixie
# oracle: the shortest password passwd(1) takes from a user (bisection).
fact=password.min_length
setup() {
	add_user alice
	put /etc/security/pwquality.conf.d/50-site.conf <<<'minlen = 14'
}
oracle() { min_length_oracle alice; }
