#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Lets `apt-get source` fetch Debian's source packages, which the Windows
# dependency build cross-compiles: adds a deb-src entry for the same mirror
# and release as this machine's first deb entry, then updates the lists.
# Does nothing when a deb-src entry exists already. Needs root.
set -eu

out=/etc/apt/sources.list.d/hostaudit-deb-src.sources
if grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d; then
	exit 0
fi

# deb822 (Debian 12's default), else the one-line format.
stanza=$(awk '
	/^Types:/ { deb = ($0 ~ /(^|[ \t])deb([ \t]|$)/) }
	deb && /^URIs:/ && !uri { uri = $2 }
	deb && /^Suites:/ && !suite { suite = $2 }
	deb && /^Components:/ && !comp { comp = $2 }
	deb && /^Signed-By:/ && !key { key = $2 }
	END { if (uri) printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\nSigned-By: %s\n", uri, suite, comp, key }
' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
if [ -z "$stanza" ] && [ -f /etc/apt/sources.list ]; then
	stanza=$(awk '$1 == "deb" && !done { $1 = "deb-src"; print; done = 1 }' /etc/apt/sources.list)
	out=/etc/apt/sources.list.d/hostaudit-deb-src.list
fi
[ -n "$stanza" ] || { echo "enable-deb-src: no deb entry to copy" >&2; exit 1; }
printf '%s\n' "$stanza" >"$out"
apt-get update -qq
