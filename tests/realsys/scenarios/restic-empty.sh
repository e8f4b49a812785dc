# SPDX-License-Identifier: Apache-2.0
# A restic repository initialised but never backed up into.
# suites: bookworm
# oracle: restic snapshots --json is empty: no completed backup.
fact=backup.evidence_found
setup() {
	in_root env RESTIC_PASSWORD=realsys restic -q init -r /srv/restic >&2
	site_config <<<'backup: {restic: [/srv/restic]}'
}
oracle() { [ "$(restic_oracle /srv/restic)" = "(no snapshot)" ] && echo false || echo true; }
