# SPDX-License-Identifier: Apache-2.0
# A package held with apt-mark hold still has a newer candidate: apt
# lists it as upgradable (the hold only stops apt from installing it).
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
	in_root apt-mark hold foo >&2
	apt_update
}
oracle() { apt_upgradable | join_list; }
