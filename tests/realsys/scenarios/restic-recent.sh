# A local restic repository named in the config, with a snapshot made now.
# suites: bookworm trixie
# oracle: restic snapshots --json, the newest snapshot's time (within two
# minutes).
fact=backup.last_success
setup() {
	in_root env RESTIC_PASSWORD=realsys restic -q init -r /srv/restic >&2
	restic_backup /srv/restic
	site_config <<<'backup: {restic: [/srv/restic]}'
}
oracle() { oracle_time "$(restic_oracle /srv/restic)"; }
observe() { observe_near; }
