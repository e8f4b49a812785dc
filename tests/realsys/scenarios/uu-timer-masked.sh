# SPDX-License-Identifier: Apache-2.0
# unattended-upgrades configured, but apt-daily-upgrade.timer masked:
# nothing runs it.
# suites: bookworm trixie
# oracle: dpkg-query, apt-config, systemctl is-enabled.
fact=updates.auto_enabled
setup() { in_root systemctl mask apt-daily-upgrade.timer >&2; }
oracle() { auto_oracle; }
