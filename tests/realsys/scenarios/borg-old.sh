# SPDX-License-Identifier: Apache-2.0
# A borg archive whose own time is 2020 (borg create --timestamp); the
# repository's index and the client's manifest are written now.
# suites: bookworm trixie
# oracle: borg list --json, the newest archive's time. It is sealed from the agent
# (no password), so hostaudit must answer unknown (a reading of the tool
# by a person: see oracle_sealed_time).
fact=backup.last_success
setup() {
	in_root env HOME=/root borg init -e none /srv/borg >&2
	borg_create /srv/borg::then --timestamp 2020-01-01T00:00:00
	site_config <<<'backup: {borg: [/srv/borg]}'
}
oracle() { oracle_sealed_time "$(borg_oracle /srv/borg)"; }
