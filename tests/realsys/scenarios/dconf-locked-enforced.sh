# SPDX-License-Identifier: Apache-2.0
# The same locked policy: people cannot change it.
# suites: bookworm trixie
# oracle: gsettings writable as the person.
fact=screenlock.enforced
setup() {
	add_user alice
	gnome_desktop
	put /etc/dconf/db/local.d/00-screenlock <<<"$SCREENLOCK_POLICY"
	put /etc/dconf/db/local.d/locks/screenlock <<<"$SCREENLOCK_LOCKS"
	in_root dconf update
}
oracle() { enforced_oracle; }
