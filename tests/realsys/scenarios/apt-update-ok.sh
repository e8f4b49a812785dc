# SPDX-License-Identifier: Apache-2.0
# A refresh that succeeds after lists dated 2020: the lists are new.
# suites: bookworm trixie
# oracle: apt-get update's exit status.
fact=updates.lists_refreshed
setup() {
	installdeb foo 1.0
	mkdeb /srv/repo foo 2.0
	mkrepo /srv/repo "Origin: realsys" "Suite: stable"
	apt_source "deb [trusted=yes] copy:/srv/repo ./"
	apt_update
	find "$ROOT/var/lib/apt/lists" -exec touch -h -d 2020-01-01T00:00:00Z {} +
	mkdeb /srv/repo foo 3.0
	mkrepo /srv/repo "Origin: realsys" "Suite: stable"
	if apt_update; then echo recent >"$WORK/refresh"; else echo old >"$WORK/refresh"; fi
}
oracle() { cat "$WORK/refresh"; }
observe() { age_class "$(fact_value "$fact")"; }
