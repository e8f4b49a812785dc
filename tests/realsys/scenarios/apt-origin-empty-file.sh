# SPDX-License-Identifier: Apache-2.0
# Pin: origin "" matches local repositories (no host in the URI); at -1
# it keeps foo's newer version from being a candidate, bar stays pending.
# file: repository (lists copied into /var/lib/apt/lists).
# suites: bookworm trixie
# oracle: apt list --upgradable.
fact=updates.pending
setup() {
	installdeb foo 1.0
	installdeb bar 1.0
	mkdeb /srv/local foo 2.0
	mkdeb /srv/local bar 2.0
	mkrepo /srv/local "Origin: realsys" "Suite: stable"
	apt_source "deb [trusted=yes] file:/srv/local ./"
	pref <<'X'
Package: foo
Pin: origin ""
Pin-Priority: -1
X
	apt_update
}
oracle() { apt_upgradable | join_list; }
