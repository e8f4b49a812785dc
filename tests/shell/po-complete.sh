#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every message the sources mark (_(), N_(), L_(), the probes' fact_set_*...:
# the top CMakeLists.txt's HOSTAUDIT_XGETTEXT_ARGS, the very extraction
# `update-po` runs) has a translation in po/ja.po that is neither empty nor
# fuzzy. The messages are extracted afresh from the sources, not read from
# the committed po/hostaudit.pot, so a message added without running
# update-po, or merged in untranslated, fails here.
#
# usage: po-complete.sh XGETTEXT MSGCMP SOURCE_DIR WORK_DIR XGETTEXT_ARGS...
set -eu
xgettext=${1:?usage}
msgcmp=${2:?usage}
src=${3:?usage}
work=${4:?usage}
shift 4
mkdir -p "$work"
cd "$src"
# $@ unquoted on purpose: the source arguments are globs (agent/cli/*.c).
# shellcheck disable=SC2068
"$xgettext" $@ -o "$work/fresh.pot"
n=$(grep -c '^msgid ' "$work/fresh.pot")
[ "$n" -ge 1000 ] || { echo "FAIL: only $n messages extracted"; exit 1; }
# msgcmp fails on a msgid of fresh.pot that ja.po lacks, leaves empty or
# marks fuzzy; its "not used" lines are warnings (stale entries msgmerge
# keeps as #~ or another branch's).
if ! "$msgcmp" po/ja.po "$work/fresh.pot" 2>"$work/msgcmp.err"; then
	grep -v 'warning: this message is not used' "$work/msgcmp.err" | head -40
	echo "FAIL: po/ja.po lacks translations; run 'cmake --build build --target update-po'"
	echo "and translate the empty and fuzzy msgstr (docs/i18n.md)"
	exit 1
fi
echo "PASS: all $((n - 1)) messages translated in po/ja.po"
