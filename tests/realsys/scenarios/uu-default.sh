# SPDX-License-Identifier: Apache-2.0
# unattended-upgrades as installed (20auto-upgrades from its debconf
# default, apt-daily-upgrade.timer enabled).
# suites: bookworm trixie
# oracle: dpkg-query, apt-config, systemctl is-enabled.
fact=updates.auto_enabled
setup() { :; }
oracle() { auto_oracle; }
