# SPDX-License-Identifier: Apache-2.0
# Pin: source-version (apt 2.9.9 and later, so trixie's apt 3.0): -1 on
# source foosrc at version 2.0 keeps foo 2.0 from being a candidate (apt
# takes the pin only in a record for named packages, not 'Package: *').
# Bookworm's apt 2.6 does not know the pin and skips it: foo is pending.
# suites: bookworm trixie
# oracle: apt list --upgradable.
fact=updates.pending
setup() {
	installdeb foo 1.0
	installdeb bar 1.0
	mkdeb /srv/repo foo 2.0 all "Source: foosrc (2.0)"
	mkdeb /srv/repo bar 2.0 all "Source: barsrc (2.0-1)"
	mkrepo /srv/repo "Origin: realsys" "Suite: stable"
	apt_source "deb [trusted=yes] copy:/srv/repo ./"
	pref <<'X'
Package: src:foosrc
Pin: source-version 2.0
Pin-Priority: -1
X
	apt_update
}
oracle() { apt_upgradable | join_list; }
