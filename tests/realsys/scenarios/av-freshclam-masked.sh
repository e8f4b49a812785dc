# SPDX-License-Identifier: Apache-2.0
# clamav-freshclam.service enabled, then masked: it never starts.
# suites: bookworm trixie
# oracle: systemctl is-enabled clamav-freshclam.service.
fact=antivirus.updater_active
setup() {
	in_root systemctl enable clamav-freshclam.service >&2
	in_root systemctl mask clamav-freshclam.service >&2
}
oracle() { [ "$(unit_state clamav-freshclam.service)" = enabled ] && echo true || echo false; }
