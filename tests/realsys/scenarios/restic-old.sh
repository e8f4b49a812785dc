# SPDX-License-Identifier: Apache-2.0
# A restic snapshot whose own time is 2020 (restic backup --time, as when
# a repository is copied or the last run was long ago); its file in
# snapshots/ is written now.
# suites: bookworm trixie
# oracle: restic snapshots --json, the newest snapshot's time. It is sealed from the agent
# (no password), so hostaudit must answer unknown (a reading of the tool
# by a person: see oracle_sealed_time).
fact=backup.last_success
setup() {
	in_root env RESTIC_PASSWORD=realsys restic -q init -r /srv/restic >&2
	restic_backup /srv/restic --time '2020-01-01 00:00:00'
	site_config <<<'backup: {restic: [/srv/restic]}'
}
oracle() { oracle_sealed_time "$(restic_oracle /srv/restic)"; }
