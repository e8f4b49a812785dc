# SPDX-License-Identifier: Apache-2.0
# Locked policy (300 s + 60 s); bob's own database says 1800 s, but the
# lock wins.
# suites: bookworm
# oracle: gsettings as each person.
fact=screenlock.idle_seconds
setup() {
	add_user alice
	add_user bob
	gnome_desktop
	put /etc/dconf/db/local.d/00-screenlock <<<"$SCREENLOCK_POLICY"
	put /etc/dconf/db/local.d/locks/screenlock <<<"$SCREENLOCK_LOCKS"
	in_root dconf update
	user_dconf bob <<'X'
[org/gnome/desktop/session]
idle-delay=uint32 1800
X
}
oracle() { idle_oracle; }
