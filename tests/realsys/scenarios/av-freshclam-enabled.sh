# SPDX-License-Identifier: Apache-2.0
# clamav-freshclam.service enabled with systemctl: the updater starts at
# boot.
# suites: bookworm trixie
# oracle: systemctl is-enabled clamav-freshclam.service.
fact=antivirus.updater_active
setup() { in_root systemctl enable clamav-freshclam.service >&2; }
oracle() { [ "$(unit_state clamav-freshclam.service)" = enabled ] && echo true || echo false; }
