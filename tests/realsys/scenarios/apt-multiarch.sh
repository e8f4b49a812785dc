# SPDX-License-Identifier: Apache-2.0
# Multiarch: libfoo installed for amd64 and i386 (Multi-Arch: same), an
# update for both, and a foreign-only package with an update.
# suites: bookworm trixie
# oracle: apt list --upgradable (its architecture column).
fact=updates.pending
setup() {
	in_root dpkg --add-architecture i386
	installdeb libfoo 1.0 amd64 "Multi-Arch: same"
	installdeb libfoo 1.0 i386 "Multi-Arch: same"
	installdeb onlyi386 1.0 i386
	mkdeb /srv/repo libfoo 2.0 amd64 "Multi-Arch: same"
	mkdeb /srv/repo libfoo 2.0 i386 "Multi-Arch: same"
	mkdeb /srv/repo onlyi386 1.1 i386
	mkrepo /srv/repo "Origin: realsys" "Suite: stable"
	apt_source "deb [trusted=yes arch=amd64,i386] copy:/srv/repo ./"
	apt_update
}
oracle() { apt_upgradable | join_list; }
