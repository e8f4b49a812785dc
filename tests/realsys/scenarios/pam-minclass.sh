# SPDX-License-Identifier: Apache-2.0
# minclass = 3 in pwquality.conf.
# suites: bookworm trixie
# oracle: the fewest character classes in a long password passwd(1) takes.
fact=password.min_classes
setup() {
	add_user alice
	echo 'minclass = 3' >>"$ROOT/etc/security/pwquality.conf"
}
oracle() { min_classes_oracle alice; }
