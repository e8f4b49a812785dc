# SPDX-License-Identifier: Apache-2.0
# Two installed packages have newer versions in a repository.
# suites: bookworm trixie
# oracle: apt list --upgradable after apt-get update.
fact=updates.pending
setup() {
	installdeb foo 1.0
	installdeb bar 1.0
	installdeb baz 1.0
	mkdeb /srv/repo foo 2.0
	mkdeb /srv/repo bar 1.5
	mkdeb /srv/repo baz 1.0
	mkrepo /srv/repo "Origin: realsys" "Suite: stable"
	apt_source "deb [trusted=yes] copy:/srv/repo ./"
	apt_update
}
oracle() { apt_upgradable | join_list; }
