# SPDX-License-Identifier: Apache-2.0
# rsnapshot configured and run once (alpha level), logging to its own log.
# suites: bookworm trixie
# oracle: rsnapshot's log, the time of its last "completed successfully".
fact=backup.last_success
setup() {
	mkdir -p "$ROOT/srv/snap"
	sed -i -e 's|^snapshot_root.*|snapshot_root\t/srv/snap/|' \
		-e 's|^#logfile\t.*|logfile\t/var/log/rsnapshot.log|' \
		-e 's|^backup\t.*||' "$ROOT/etc/rsnapshot.conf"
	printf 'backup\t/etc/hostname\tlocalhost/\n' >>"$ROOT/etc/rsnapshot.conf"
	in_root rsnapshot configtest >&2
	in_root rsnapshot alpha >&2
}
oracle() {
	local t
	t=$(sed -n 's/^\[\([^]]*\)\] .*completed successfully.*/\1/p' "$ROOT/var/log/rsnapshot.log" | tail -n1)
	echo "rsnapshot log: $t" >&2
	[ -n "$t" ] || { echo '(no successful run in the log)'; return; }
	oracle_time "$(echo "$t" | sed "s/ /T/")"
}
observe() { observe_near; }
