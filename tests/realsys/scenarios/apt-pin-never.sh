# SPDX-License-Identifier: Apache-2.0
# Priority -1 on the newer version: never a candidate.
# suites: bookworm trixie
# oracle: apt list --upgradable.
fact=updates.pending
setup() {
	installdeb foo 1.0
	installdeb bar 1.0
	mkdeb /srv/repo foo 2.0
	mkdeb /srv/repo bar 2.0
	mkrepo /srv/repo "Origin: realsys" "Suite: stable"
	apt_source "deb [trusted=yes] copy:/srv/repo ./"
	pref <<'X'
Package: bar
Pin: version 2.*
Pin-Priority: -1
X
	apt_update
}
oracle() { apt_upgradable | join_list; }
