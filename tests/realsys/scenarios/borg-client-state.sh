# SPDX-License-Identifier: Apache-2.0
# A borg repository not named in the config: only root's client state
# (~/.config/borg/security) tells of it.
# suites: bookworm
# oracle: borg list --json, the newest archive's time. It is sealed from the agent
# (no password), so hostaudit must answer unknown (a reading of the tool
# by a person: see oracle_sealed_time).
fact=backup.last_success
setup() {
	in_root env HOME=/root borg init -e none /srv/borg >&2
	borg_create /srv/borg::now
}
oracle() { oracle_sealed_time "$(borg_oracle /srv/borg)"; }
