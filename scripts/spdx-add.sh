#!/bin/sh
# Adds "SPDX-License-Identifier: Apache-2.0" as the first line of each
# source file that lacks it (scripts/spdx-check.sh lists them), in the
# file's comment syntax: /* ... */ for C, # for shell, CMake, Python and
# YAML; after the shebang line when there is one. Files that have it are
# left alone, so running it twice changes nothing.
#
# usage: scripts/spdx-add.sh [FILE...]   (default: every file spdx-check.sh checks)
set -eu
cd "$(dirname "$0")/.."

id='SPDX-License-Identifier: Apache-2.0'
[ $# -gt 0 ] || set -- $(scripts/spdx-check.sh --list)

added=0
for f in "$@"; do
	if head -n 5 "$f" | grep -qF "$id"; then
		continue
	fi
	case $f in
	*.c | *.h) line="/* $id */" ;;
	*.sh | *.cmake | *.py | *CMakeLists.txt | *.yaml) line="# $id" ;;
	*)
		echo "spdx-add: $f: no comment syntax known for this file type" >&2
		exit 2
		;;
	esac
	tmp=$f.spdx-add.$$
	# awk keeps every byte of the rest, and the file's mode is kept by
	# writing over it with cat instead of renaming.
	awk -v line="$line" 'NR == 1 && /^#!/ { print; print line; next }
		NR == 1 { print line } { print }' "$f" >"$tmp"
	cat "$tmp" >"$f"
	rm -f "$tmp"
	added=$((added + 1))
done
echo "spdx-add: added the licence line to $added files"
