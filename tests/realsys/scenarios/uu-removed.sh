# SPDX-License-Identifier: Apache-2.0
# unattended-upgrades removed with dpkg -r (config-files: 20auto-upgrades
# and 50unattended-upgrades stay behind).
# suites: bookworm
# oracle: dpkg-query, apt-config, systemctl is-enabled.
fact=updates.auto_enabled
setup() { in_root dpkg -r unattended-upgrades >&2; }
oracle() { auto_oracle; }
