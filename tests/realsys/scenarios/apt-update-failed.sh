# SPDX-License-Identifier: Apache-2.0
# A refresh that fails: the last good `apt-get update` was long ago (its
# lists are dated 2020), the next one fails on a hash mismatch and leaves
# files in lists/partial. The lists were not refreshed by it.
# suites: bookworm trixie
# oracle: apt-get update's exit status (0: the lists are new; otherwise the
# last good refresh stands, dated 2020).
fact=updates.lists_refreshed
setup() {
	installdeb foo 1.0
	mkdeb /srv/repo foo 2.0
	mkrepo /srv/repo "Origin: realsys" "Suite: stable"
	apt_source "deb [trusted=yes] copy:/srv/repo ./"
	apt_update
	find "$ROOT/var/lib/apt/lists" -exec touch -h -d 2020-01-01T00:00:00Z {} +
	# The Release now promises a Packages file other than the one served.
	mkdeb /srv/repo foo 3.0
	in_root_sh 'cd /srv/repo && apt-ftparchive packages . > Packages.new &&
		apt-ftparchive release . > Release && mv Packages.new Packages &&
		echo "Package: corrupt" >> Packages'
	if apt_update; then echo recent >"$WORK/refresh"; else echo old >"$WORK/refresh"; fi
	ls -la "$ROOT/var/lib/apt/lists/partial" >&2
}
oracle() { cat "$WORK/refresh"; }
observe() { age_class "$(fact_value "$fact")"; }
