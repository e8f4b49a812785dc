# SPDX-License-Identifier: Apache-2.0
# The installed version is pinned with priority 1001: apt keeps it as the
# candidate, so the newer version in the repository is not pending.
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
Package: foo
Pin: version 1.0
Pin-Priority: 1001
X
	apt_update
}
oracle() { apt_upgradable | join_list; }
