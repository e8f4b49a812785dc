#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds the Debian packages the way docs/install.md says, in a copy of the
# source tree (dpkg-buildpackage writes into debian/ and next to the tree):
# hostaudit, hostaudit-collector and their -dbgsym, plus the .changes that
# lintian reads. Tests are skipped (nocheck): the suite runs on its own.
#
# usage: tests/packaging/build-debs.sh SOURCE_DIR OUT_DIR [REVISION]
# With REVISION, debian/changelog gets a newer entry UPSTREAM-REVISION first
# (an upgrade to test). OUT_DIR gets the packages, the copy (OUT_DIR/src) and
# the build log (OUT_DIR/build.log). Needs dpkg-dev, debhelper and the build
# dependencies (debian/control); not root.
set -eu
src=$(cd "${1:?usage: build-debs.sh SOURCE_DIR OUT_DIR [REVISION]}" && pwd)
out=${2:?usage: build-debs.sh SOURCE_DIR OUT_DIR [REVISION]}
revision=${3:-}
mkdir -p "$out"
out=$(cd "$out" && pwd)
[ ! -e "$out/src" ] || {
	echo "build-debs: $out/src exists" >&2
	exit 1
}
mkdir "$out/src"
(cd "$src" && tar --exclude='./build*' --exclude='./_*' --exclude=./.git \
	--exclude=./debian/build --exclude=./debian/.debhelper -cf - .) | tar -C "$out/src" -xf -

if [ -n "$revision" ]; then
	upstream=$(dpkg-parsechangelog -l "$out/src/debian/changelog" -S Version | sed 's/-[^-]*$//')
	maint=$(dpkg-parsechangelog -l "$out/src/debian/changelog" -S Maintainer)
	{
		printf 'hostaudit (%s-%s) unstable; urgency=medium\n\n' "$upstream" "$revision"
		printf '  * Rebuilt as revision %s.\n\n' "$revision"
		printf ' -- %s  %s\n\n' "$maint" "$(date -uR)"
		cat "$out/src/debian/changelog"
	} >"$out/changelog.new"
	mv "$out/changelog.new" "$out/src/debian/changelog"
fi

if ! (cd "$out/src" && DEB_BUILD_OPTIONS="nocheck parallel=2" \
	dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
	tail -30 "$out/build.log" >&2
	echo "build-debs: dpkg-buildpackage failed (log: $out/build.log)" >&2
	exit 1
fi
ls "$out"/*.deb
