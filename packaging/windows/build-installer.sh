#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds the NSIS installer from a cross-built tree (test-wine.sh or the
# cmake commands in docs/windows.md): BUILD/hostaudit-VERSION-setup.exe.
#   packaging/windows/build-installer.sh [BUILD_DIR]    (needs: nsis)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath "${1:-build-win}")
[ -f "$build/hostaudit.exe" ] || { echo "build-installer: no $build/hostaudit.exe" >&2; exit 1; }
version=$(sed -n 's/^project(hostaudit VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
makensis -V2 -DBUILD="$build" -DSRC="$src" -DVERSION="$version" "$src/packaging/windows/hostaudit.nsi"
echo "build-installer: $build/hostaudit-$version-setup.exe"
