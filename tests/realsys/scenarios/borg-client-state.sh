# A borg repository not named in the config: only root's client state
# (~/.config/borg/security) tells of it.
# suites: bookworm
# oracle: borg list --json, the newest archive's time.
fact=backup.last_success
setup() {
	in_root env HOME=/root borg init -e none /srv/borg >&2
	borg_create /srv/borg::now
}
oracle() { oracle_time "$(borg_oracle /srv/borg)"; }
observe() { observe_near; }
