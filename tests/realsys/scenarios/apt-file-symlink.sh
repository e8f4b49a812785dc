# SPDX-License-Identifier: Apache-2.0
# A file: repository: apt does not copy its lists but leaves symlinks to
# them in /var/lib/apt/lists (absolute, so inside --root they must be
# resolved against the root, not the host).
# suites: bookworm trixie
# oracle: apt list --upgradable.
fact=updates.pending
setup() {
	installdeb foo 1.0
	installdeb bar 1.0
	mkdeb /srv/repo foo 2.0
	mkrepo /srv/repo "Origin: realsys" "Suite: stable"
	apt_source "deb [trusted=yes] file:/srv/repo ./"
	apt_update
	[ -L "$ROOT/var/lib/apt/lists/_srv_repo_._Packages" ] # what this scenario is about
}
oracle() { apt_upgradable | join_list; }
