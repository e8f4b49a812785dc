# SPDX-License-Identifier: Apache-2.0
# ufw installed, never enabled (ENABLED=no).
# suites: bookworm trixie
# oracle: ufw status; systemctl is-enabled ufw.service.
fact=firewall.enabled_at_boot
setup() { :; }
oracle() { ufw_oracle; }
