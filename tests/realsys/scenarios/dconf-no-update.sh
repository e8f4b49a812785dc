# SPDX-License-Identifier: Apache-2.0
# A keyfile written to /etc/dconf/db/local.d (idle 900 s) but `dconf
# update` never run: the compiled database GNOME reads does not have it,
# the schema default applies.
# suites: bookworm trixie
# oracle: gsettings as the person.
fact=screenlock.idle_seconds
setup() {
	add_user alice
	gnome_desktop
	put /etc/dconf/db/local.d/00-screenlock <<'X'
[org/gnome/desktop/session]
idle-delay=uint32 900
X
}
oracle() { idle_oracle; }
