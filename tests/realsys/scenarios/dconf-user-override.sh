# SPDX-License-Identifier: Apache-2.0
# Unlocked policy (300 s), and bob's own database sets 1800 s with no
# lock delay: the weakest person decides.
# suites: bookworm trixie
# oracle: gsettings as each person.
fact=screenlock.idle_seconds
setup() {
	add_user alice
	add_user bob
	gnome_desktop
	put /etc/dconf/db/local.d/00-screenlock <<<"$SCREENLOCK_POLICY"
	in_root dconf update
	user_dconf bob <<'X'
[org/gnome/desktop/session]
idle-delay=uint32 1800
[org/gnome/desktop/screensaver]
lock-delay=uint32 0
X
}
oracle() { idle_oracle; }
