# SPDX-License-Identifier: Apache-2.0
# The count of pending updates, with one package already up to date and
# one repository older than what is installed.
# suites: bookworm trixie
# oracle: the number of lines of apt list --upgradable.
fact=updates.pending_count
setup() {
	installdeb foo 1.0
	installdeb bar 3.0
	installdeb baz 1.0
	mkdeb /srv/repo foo 1.0+deb1
	mkdeb /srv/repo bar 2.0
	mkdeb /srv/repo baz 1:0.5
	mkrepo /srv/repo "Origin: realsys" "Suite: stable"
	apt_source "deb [trusted=yes] copy:/srv/repo ./"
	apt_update
}
oracle() { apt_upgradable | wc -l; }
