# SPDX-License-Identifier: Apache-2.0
# APT::Periodic::Unattended-Upgrade "0" in a later apt.conf.d file.
# suites: bookworm
# oracle: dpkg-query, apt-config, systemctl is-enabled.
fact=updates.auto_enabled
setup() { put /etc/apt/apt.conf.d/99local <<<'APT::Periodic::Unattended-Upgrade "0";'; }
oracle() { auto_oracle; }
