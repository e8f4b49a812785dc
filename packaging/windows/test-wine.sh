#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The Windows build's CI job, on Debian: cross-build the dependencies
# (cached), cross-build hostaudit.exe and its Windows test suite, run the
# tests under wine, then run a whole audit under wine and check that it
# completes, prints a report and answers unknown with a reason wherever
# wine lacks an API (INetFwPolicy2, the update search, WMI namespaces,
# NetUserModalsGet). Nothing may crash.
#
#   packaging/windows/test-wine.sh [BUILD_DIR]     (default: build-win)
#
# Needs: gcc-mingw-w64-x86-64-posix cmake ninja-build pkg-config dpkg-dev
# wine wine64 locales (and a deb-src line, see build-deps.sh). Headless: console
# programs need no display. Takes about 4 minutes cold (3 of them the
# dependencies), under 1 minute with the dependency cache.
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath -m "${1:-build-win}")
cd "$src"

fail() { echo "test-wine: FAIL: $*" >&2; exit 1; }
# fact_value FILE NAME: a fact's value in `hostaudit facts` JSON.
fact_value() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], {}).get("value", ""))' "$1" "$2"
}

command -v wine >/dev/null || fail "no wine: apt-get install wine wine64"

packaging/windows/build-deps.sh "$build"

cmake -G Ninja -S "$src" -B "$build" \
	-DCMAKE_TOOLCHAIN_FILE="$src/packaging/windows/toolchain-mingw64.cmake" \
	-DHOSTAUDIT_WIN_DEPS="$build/deps/prefix" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DBUILD_TESTING=ON >"$build/configure.log" 2>&1 || { cat "$build/configure.log"; fail "configure"; }
cmake --build "$build" -j "${JOBS:-2}" 2>&1 | tee "$build/build.log" | grep -E 'warning|error' &&
	fail "the Windows build has warnings or errors (see above)"
[ -f "$build/hostaudit.exe" ] || fail "no hostaudit.exe"

# A private, headless wine prefix inside the build tree.
export WINEPREFIX="$build/wineprefix" WINEDEBUG=-all WINEARCH=win64 WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY
if [ ! -f "$WINEPREFIX/system.reg" ]; then
	echo "test-wine: creating the wine prefix"
	wineboot --init >/dev/null 2>&1 || true
	wineserver -w
	# Report as Windows 10, the oldest version hostaudit supports.
	wine winecfg -v win10 >/dev/null 2>&1 || true
	wineserver -w
fi

# The rule packs from C: (wine's drive_c): the check walks every directory
# above a pack, and a checkout may lie below /tmp, which wine shows without
# its sticky bit, as a directory Everyone may change.
rules_c="$WINEPREFIX/drive_c/hostaudit-src-rules"
rm -rf "$rules_c" && cp -r rules "$rules_c"
R='C:\hostaudit-src-rules'

echo "test-wine: unit tests under wine"
ctest --test-dir "$build" --output-on-failure || fail "unit tests under wine"

echo "test-wine: hostaudit.exe run --rules $R"
set +e
wine "$build/hostaudit.exe" run --rules "$R" >"$build/run.txt" 2>"$build/run.err"
rc=$?
set -e
cat "$build/run.txt"
# 0 pass, 1 fail, 3 unknowns: the audit completed. 2 is a usage/rule
# error; anything else (a crash is 0xC0000005 and the like) fails.
case $rc in 0 | 1 | 3) ;; *) cat "$build/run.err"; fail "hostaudit.exe run exited $rc" ;; esac
grep -q '^Score' "$build/run.txt" || fail "no score line in the report"

echo "test-wine: a rule pack in a directory others may change is refused"
# wine shows a file's ACL made from its Unix mode: a directory of mode
# 0777 lets Everyone delete what is in it, so a pack below it could be
# replaced: hostaudit (an elevated run under wine) refuses it, checked on
# the open file's real directories; the same pack from C: loads.
open_dir="$build/open-dir"
rm -rf "$open_dir" && mkdir -p "$open_dir/sub" && chmod 0777 "$open_dir" && chmod 0755 "$open_dir/sub"
cp rules/ipa-5.yaml "$open_dir/sub/"
set +e
wine "$build/hostaudit.exe" list --rules "$(winepath -w "$open_dir/sub/ipa-5.yaml")" >"$build/open.txt" 2>&1
rc=$?
set -e
grep -q 'in the directory .*open-dir writable by S-1-1-0' "$build/open.txt" ||
	{ cat "$build/open.txt"; fail "a pack below a directory Everyone may change was not refused"; }
[ "$rc" -eq 2 ] || fail "refused pack: exit $rc, not 2"
wine "$build/hostaudit.exe" list --rules "$R\\ipa-5.yaml" >"$build/open.txt" 2>&1 ||
	{ cat "$build/open.txt"; fail "the same pack from C: was refused"; }
chmod 0755 "$open_dir"

echo "test-wine: languages: --lang ja, the display language, English otherwise"
# The program's messages through the cross-built libintl and the catalogue
# beside the exe (build-win/share/locale, the installed layout). "スコア"
# is po/ja.po's "Score"; the output must be UTF-8 bytes, not cp932.
nolocale="env -u LANG -u LC_ALL -u LC_MESSAGES -u LANGUAGE"
$nolocale wine "$build/hostaudit.exe" run --rules "$R" --lang ja >"$build/run-ja.txt" 2>&1 || true
grep -q '^スコア' "$build/run-ja.txt" || { head -5 "$build/run-ja.txt"; fail "--lang ja: no 'スコア' heading"; }
iconv -f UTF-8 -t UTF-8 "$build/run-ja.txt" >/dev/null || fail "--lang ja: the output is not UTF-8"
# No locale variable and wine's display language en-US: English.
$nolocale wine "$build/hostaudit.exe" run --rules "$R" >"$build/run-en.txt" 2>&1 || true
grep -q '^Score' "$build/run-en.txt" || { head -5 "$build/run-en.txt"; fail "default: not English"; }
# Wine takes its display language from the Unix locale, which must exist:
# a private ja_JP.UTF-8 (localedef, from the locales package's sources)
# in the build tree. cmd then clears LANG so that only the display
# language (GetUserDefaultUILanguage 0x0411) can choose Japanese.
[ -f /usr/share/i18n/locales/ja_JP ] || fail "no /usr/share/i18n/locales/ja_JP: apt-get install locales"
if [ ! -f "$build/unix-locale/ja_JP.UTF-8/LC_MESSAGES/SYS_LC_MESSAGES" ]; then
	mkdir -p "$build/unix-locale"
	localedef -i ja_JP -f UTF-8 "$build/unix-locale/ja_JP.UTF-8" || fail "localedef ja_JP.UTF-8"
fi
jawine="env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LOCPATH=$build/unix-locale LANG=ja_JP.UTF-8 wine"
$jawine cmd /c "set LANG=& $(winepath -w "$build/hostaudit.exe" 2>/dev/null) run --rules $R" \
	>"$build/run-ui.txt" 2>&1 || true
grep -q '^スコア' "$build/run-ui.txt" || { head -5 "$build/run-ui.txt"; fail "Japanese display language: not Japanese"; }
# A locale variable still wins over the display language, as does --lang.
$jawine "$build/hostaudit.exe" run --rules "$R" --lang en >"$build/run-ui-en.txt" 2>&1 || true
grep -q '^Score' "$build/run-ui-en.txt" || fail "--lang en under a Japanese display language: not English"

echo "test-wine: hostaudit.exe facts"
wine "$build/hostaudit.exe" facts >"$build/facts.json" 2>"$build/facts.err" ||
	fail "hostaudit.exe facts exited $?"
# What wine does not implement must read unknown with the HRESULT and its name.
for want in 'INetFwPolicy2 failed: 0x80004001 E_NOTIMPL' \
	'IUpdateSearcher::Search (offline) failed: 0x80004001 E_NOTIMPL' \
	'NetUserModalsGet level 0 failed: 0x0000085c NERR_InternalError'; do
	grep -qF "$want" "$build/facts.json" || fail "facts: no '$want'"
done
# Every unknown fact has a reason.
if grep -A3 '"state": "unknown"' "$build/facts.json" | grep -q '"reason": ""'; then
	fail "an unknown fact without a reason"
fi
echo "test-wine: backup evidence: File History and the config's backup: section"
# A File History configuration as Windows registers it (fhsvc Configs names
# ...\Configuration\Config; Config1.xml gives the target), with the catalog
# copy on the target dated 2026-11-20 10:00 UTC.
fh="$WINEPREFIX/drive_c/hostaudit-fhtest"
rm -rf "$fh"
mkdir -p "$fh/cfg" "$fh/target/taro/PC-042/Configuration" "$fh/site"
printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
	'<DataProtectionUserConfig SchemaVersion="1"><UserName>taro</UserName>' \
	'<DPStatus>ENABLED</DPStatus><Target><TargetUrl>C:\hostaudit-fhtest\target\</TargetUrl>' \
	'<TargetBackupStorePath>taro\PC-042\Data</TargetBackupStorePath></Target>' \
	'</DataProtectionUserConfig>' >"$fh/cfg/Config1.xml"
touch -d '2026-11-20 10:00:00 UTC' "$fh/target/taro/PC-042/Configuration/Catalog1.edb"
fhkey='HKLM\SYSTEM\CurrentControlSet\Services\fhsvc\Parameters\Configs'
wine reg add "$fhkey" /v 'C:\hostaudit-fhtest\cfg\Config' /t REG_DWORD /d 1 /f >/dev/null 2>&1
wineserver -w
wine "$build/hostaudit.exe" facts >"$build/facts-fh.json" 2>/dev/null || true
[ "$(fact_value "$build/facts-fh.json" backup.last_success)" = 2026-11-20T10:00:00Z ] ||
	{ grep -A4 '"backup\.' "$build/facts-fh.json"; fail "File History: no last backup time"; }
# Site evidence (a newer marker file, and a glob) wins over File History.
touch -d '2026-11-24 03:00:00 UTC' "$fh/site/nightly.ok"
touch -d '2026-11-25 03:00:00 UTC' "$fh/site/db-2026-11-25.sql.gz"
printf 'schema: hostaudit/config/v1\nbackup:\n  evidence:\n    - {file: '"'"'C:\\hostaudit-fhtest\\site\\nightly.ok'"'"'}\n    - {glob: '"'"'C:\\hostaudit-fhtest\\site\\db-*.sql.gz'"'"', name: dumps}\n' >"$fh/site.yaml"
wine "$build/hostaudit.exe" facts --config 'C:\hostaudit-fhtest\site.yaml' >"$build/facts-site.json" 2>"$build/facts-site.err" || true
wine reg delete "$fhkey" /v 'C:\hostaudit-fhtest\cfg\Config' /f >/dev/null 2>&1
wineserver -w
[ "$(fact_value "$build/facts-site.json" backup.last_success)" = 2026-11-25T03:00:00Z ] ||
	{ cat "$build/facts-site.err"; grep -A4 '"backup\.' "$build/facts-site.json"; fail "site evidence not used"; }
grep -q 'site:dumps' "$build/facts-site.json" || fail "site evidence: no 'site:dumps' source"
rm -rf "$fh"

echo "test-wine: default locations under %ProgramData%\\hostaudit"
pd="$WINEPREFIX/drive_c/ProgramData/hostaudit"
rm -rf "$pd"
set +e
wine "$build/hostaudit.exe" run >/dev/null 2>"$build/default.err"
rc=$?
set -e
[ $rc -eq 2 ] && grep -qF 'C:\ProgramData\hostaudit\rules' "$build/default.err" ||
	{ cat "$build/default.err"; fail "no rules: expected exit 2 naming C:\\ProgramData\\hostaudit\\rules, got $rc"; }
mkdir -p "$pd/rules"
cp rules/nisc-9.yaml "$pd/rules/"
printf 'schema: hostaudit/config/v1\nlang: ja\n' >"$pd/hostaudit.yaml"
set +e
wine "$build/hostaudit.exe" run >"$build/default.txt" 2>"$build/default.err"
rc=$?
set -e
rm -rf "$pd"
case $rc in 0 | 1 | 3) ;; *) cat "$build/default.err"; fail "run with the default config exited $rc" ;; esac
# lang: ja from the default config: the article names are Japanese.
grep -q 'OSやソフトウェア' "$build/default.txt" || fail "the default config was not read"

# The upload end to end, against the Linux collector when one is built
# (scripts/test.sh builds it in build/; HOSTAUDIT_COLLECTOR names another).
collector=${HOSTAUDIT_COLLECTOR:-$src/build/collector/hostaudit-collector}
if [ -x "$collector" ]; then
	echo "test-wine: hostaudit.exe run --upload and flush, to $collector"
	packaging/windows/test-upload-wine.sh "$build" "$collector" || fail "upload under wine"
	echo "test-wine: 6 passed, 0 failed"
else
	echo "test-wine: no Linux collector at $collector: the upload check is skipped"
	echo "test-wine: 5 passed, 0 failed"
fi
