# SPDX-License-Identifier: Apache-2.0
# NotAutomatic with ButAutomaticUpgrades (priority 100, like
# *-backports once a package was installed from it): upgrades of
# installed packages are candidates.
# suites: bookworm trixie
# oracle: apt list --upgradable.
fact=updates.pending
setup() {
	installdeb foo 1.0
	mkdeb /srv/bpo foo 2.0~bpo1
	mkrepo /srv/bpo "Origin: realsys" "Suite: stable-backports" "NotAutomatic: yes" \
		"ButAutomaticUpgrades: yes"
	apt_source "deb [trusted=yes] copy:/srv/bpo ./"
	apt_update
}
oracle() { apt_upgradable | join_list; }
