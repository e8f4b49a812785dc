# SPDX-License-Identifier: Apache-2.0
# The policy without locks: people can change it.
# suites: bookworm
# oracle: gsettings writable as the person.
fact=screenlock.enforced
setup() {
	add_user alice
	gnome_desktop
	put /etc/dconf/db/local.d/00-screenlock <<<"$SCREENLOCK_POLICY"
	in_root dconf update
}
oracle() { enforced_oracle; }
