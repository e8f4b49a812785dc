# SPDX-License-Identifier: Apache-2.0
# A local restic repository named in the config, with a snapshot made now.
# suites: bookworm trixie
# oracle: restic snapshots --json, the newest snapshot's time (within two It is sealed from the agent
# (no password), so hostaudit must answer unknown (a reading of the tool
# by a person: see oracle_sealed_time).
# minutes).
fact=backup.last_success
setup() {
	in_root env RESTIC_PASSWORD=realsys restic -q init -r /srv/restic >&2
	restic_backup /srv/restic
	site_config <<<'backup: {restic: [/srv/restic]}'
}
oracle() { oracle_sealed_time "$(restic_oracle /srv/restic)"; }
