# SPDX-License-Identifier: Apache-2.0
# System policy in /etc/dconf/db/local.d (idle 300 s, lock 60 s after),
# locked, compiled with dconf update.
# suites: bookworm trixie
# oracle: gsettings as the person (idle-delay + lock-delay).
fact=screenlock.idle_seconds
setup() {
	add_user alice
	gnome_desktop
	put /etc/dconf/db/local.d/00-screenlock <<<"$SCREENLOCK_POLICY"
	put /etc/dconf/db/local.d/locks/screenlock <<<"$SCREENLOCK_LOCKS"
	in_root dconf update
}
oracle() { idle_oracle; }
