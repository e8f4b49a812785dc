# SPDX-License-Identifier: Apache-2.0
# A pin of 1001 on an older version in the repository: apt's candidate is
# the older one (a downgrade), which is not a pending update.
# suites: bookworm trixie
# oracle: apt list --upgradable.
fact=updates.pending
setup() {
	installdeb foo 2.0
	installdeb bar 1.0
	mkdeb /srv/repo foo 1.0
	mkdeb /srv/repo foo 3.0
	mkdeb /srv/repo bar 2.0
	mkrepo /srv/repo "Origin: realsys" "Suite: stable"
	apt_source "deb [trusted=yes] copy:/srv/repo ./"
	pref <<'X'
Package: foo
Pin: version 1.0
Pin-Priority: 1001
X
	apt_update
}
oracle() { apt_upgradable | join_list; }
