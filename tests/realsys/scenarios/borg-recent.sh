# A local borg repository named in the config, an archive made now.
# suites: bookworm trixie
# oracle: borg list --json, the newest archive's time.
fact=backup.last_success
setup() {
	in_root env HOME=/root borg init -e none /srv/borg >&2
	borg_create /srv/borg::now
	site_config <<<'backup: {borg: [/srv/borg]}'
}
oracle() { oracle_time "$(borg_oracle /srv/borg)"; }
observe() { observe_near; }
