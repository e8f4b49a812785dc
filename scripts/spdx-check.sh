#!/bin/sh
# Checks that every source file says its licence in its first lines:
# "SPDX-License-Identifier: Apache-2.0" (the project's licence, LICENSE).
# Source files: *.c *.h *.sh *.cmake *.py, CMakeLists.txt, and the YAML
# under rules/ and data/ (the packs and data the package installs).
# scripts/spdx-add.sh adds the line where it is missing.
#
# usage: scripts/spdx-check.sh         check; exit 1 naming each file without it
#        scripts/spdx-check.sh --list  print the files checked, one a line
set -eu
cd "$(dirname "$0")/.."

id='SPDX-License-Identifier: Apache-2.0'
# The line may follow a shebang and an editor's mode line, no further down.
lines=5

list() {
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files
	else # a tarball or a copy without .git
		find . -path ./.git -prune -o -path './build*' -prune -o -path ./debian -prune \
			-o -type f -print | sed 's|^\./||'
	fi | grep -E '\.(c|h|sh|cmake|py)$|(^|/)CMakeLists\.txt$|^(rules|data)/.*\.yaml$' |
		LC_ALL=C sort
}

if [ "${1:-}" = --list ]; then
	list
	exit 0
fi

missing=0
checked=0
for f in $(list); do
	checked=$((checked + 1))
	if ! head -n "$lines" "$f" | grep -qF "$id"; then
		echo "$f: no '$id' in its first $lines lines" >&2
		missing=$((missing + 1))
	fi
done
if [ "$missing" -gt 0 ]; then
	echo "spdx-check: $missing of $checked files lack the licence line (scripts/spdx-add.sh adds it)" >&2
	exit 1
fi
echo "spdx-check: all $checked files carry '$id'"
