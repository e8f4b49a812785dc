# SPDX-License-Identifier: Apache-2.0
# A local borg repository named in the config, an archive made now.
# suites: bookworm trixie
# oracle: borg list --json, the newest archive's time. It is sealed from the agent
# (no password), so hostaudit must answer unknown (a reading of the tool
# by a person: see oracle_sealed_time).
fact=backup.last_success
setup() {
	in_root env HOME=/root borg init -e none /srv/borg >&2
	borg_create /srv/borg::now
	site_config <<<'backup: {borg: [/srv/borg]}'
}
oracle() { oracle_sealed_time "$(borg_oracle /srv/borg)"; }
