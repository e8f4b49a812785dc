# SPDX-License-Identifier: Apache-2.0
# lock-enabled=false in the (compiled) policy: the screen blanks but
# never locks.
# suites: bookworm trixie
# oracle: gsettings as the person.
fact=screenlock.enabled
setup() {
	add_user alice
	gnome_desktop
	put /etc/dconf/db/local.d/00-screenlock <<'X'
[org/gnome/desktop/screensaver]
lock-enabled=false
X
	in_root dconf update
}
oracle() { enabled_oracle; }
