# SPDX-License-Identifier: Apache-2.0
# A backports-like repository (NotAutomatic: yes, priority 1): its newer
# versions are not candidates over the installed ones.
# suites: bookworm trixie
# oracle: apt list --upgradable.
fact=updates.pending
setup() {
	installdeb foo 1.0
	installdeb bar 1.0
	mkdeb /srv/main bar 1.1
	mkrepo /srv/main "Origin: realsys" "Suite: stable"
	mkdeb /srv/bpo foo 2.0~bpo1
	mkdeb /srv/bpo bar 2.0~bpo1
	mkrepo /srv/bpo "Origin: realsys" "Suite: stable-backports" "NotAutomatic: yes"
	apt_source "deb [trusted=yes] copy:/srv/main ./"
	apt_source "deb [trusted=yes] copy:/srv/bpo ./"
	apt_update
}
oracle() { apt_upgradable | join_list; }
