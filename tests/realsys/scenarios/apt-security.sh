# SPDX-License-Identifier: Apache-2.0
# Updates from a *-security archive among others: foo only in
# bookworm-security, bar only in the main archive, baz 2.0 (the same
# .deb) in both.
# suites: bookworm trixie
# oracle: apt-cache policy: the sources of each candidate and their
# archives; security = one of them ends in -security (the fact's
# definition, read by a person). (apt-get -s names only the first source:
# baz would read as not security there.)
fact=updates.security_pending
setup() {
	installdeb foo 1.0
	installdeb bar 1.0
	installdeb baz 1.0
	mkdeb /srv/main bar 2.0
	mkdeb /srv/main baz 2.0
	mkrepo /srv/main "Origin: Debian" "Label: Debian" "Suite: $SUITE" "Codename: $SUITE"
	mkdeb /srv/sec foo 2.0
	cp "$ROOT/srv/main/baz_2.0_all.deb" "$ROOT/srv/sec/" # the same file in both
	mkrepo /srv/sec "Origin: Debian" "Label: Debian-Security" "Suite: $SUITE-security" \
		"Codename: $SUITE-security"
	apt_source "deb [trusted=yes] copy:/srv/main ./"
	apt_source "deb [trusted=yes] copy:/srv/sec ./"
	apt_update
}
oracle() { apt_security_oracle; }
