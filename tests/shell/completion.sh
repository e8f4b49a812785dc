#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The shell completions of hostaudit and hostaudit-collector (packaging/
# bash-completion, packaging/zsh-completion), run against the built
# programs: bash's through bash-completion's _init_completion with
# COMP_WORDS/COMP_CWORD as bash sets them; zsh's with its completion
# builtins (compadd, _describe, _files) replaced by ones that print what
# they are given, so no terminal is needed.
#
# usage: tests/shell/completion.sh BUILD_DIR SOURCE_DIR
# Needs bash and bash-completion; zsh's half is skipped without zsh.
set -eu
build=$(cd "${1:?usage: completion.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: completion.sh BUILD_DIR SOURCE_DIR}" && pwd)
bc=/usr/share/bash-completion/bash_completion
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
ok() {
	echo "ok: $*"
}
# has WORD LIST: LIST (words, one a line or space-separated) holds WORD.
has() {
	printf '%s\n' "$2" | tr ' ' '\n' | grep -qx -- "$1"
}
[ -r "$bc" ] || fail "needs bash-completion ($bc; apt-get install bash-completion)"
# The programs as the completion finds them: by name, on PATH. A Japanese
# locale must not change what completes (the help is read with LC_ALL=C).
bindir=$(mktemp -d "${TMPDIR:-/tmp}/hostaudit-completion.XXXXXX")
trap 'rm -rf "$bindir"' EXIT
ln -s "$build/hostaudit" "$bindir/hostaudit"
ln -s "$build/collector/hostaudit-collector" "$bindir/hostaudit-collector"
export PATH="$bindir:$PATH" LANG=ja_JP.UTF-8

# bash_complete FILE FUNCTION WORD...: COMPREPLY for the line "WORD... "
# completed at its last word (give "" to complete an empty word).
bash_complete() {
	bash -c '
		. "$1"
		. "$2"
		fn=$3
		shift 3
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		"$fn"
		printf "%s\n" "${COMPREPLY[@]}"' sh "$bc" "$@"
}
ha=$src/packaging/bash-completion/hostaudit
hc=$src/packaging/bash-completion/hostaudit-collector

got=$(bash_complete "$ha" _hostaudit hostaudit "")
for c in run list explain facts validate flush enroll render attest; do
	has "$c" "$got" || fail "bash: 'hostaudit ' does not offer $c (got: $got)"
done
ok "bash: hostaudit <TAB>: $(echo $got)"
got=$(bash_complete "$ha" _hostaudit hostaudit run --)
for o in --config --rules --root --now --format --output --lang --upload --help; do
	has "$o" "$got" || fail "bash: 'hostaudit run --' does not offer $o (got: $got)"
done
has --secret-file "$got" && fail "bash: 'hostaudit run --' offers enroll's --secret-file"
ok "bash: hostaudit run --<TAB>: $(echo $got)"
got=$(bash_complete "$ha" _hostaudit hostaudit run --format "")
[ "$(echo $got)" = "text json csv html junit" ] || fail "bash: --format offers: $got"
ok "bash: hostaudit run --format <TAB>: $(echo $got)"
got=$(bash_complete "$ha" _hostaudit hostaudit enroll --s)
[ "$(echo $got)" = "--secret-file" ] || fail "bash: 'hostaudit enroll --s': $got"
ok "bash: hostaudit enroll --s<TAB>: $got"

got=$(bash_complete "$hc" _hostaudit_collector hostaudit-collector "")
for c in serve enroll inventory report export; do
	has "$c" "$got" || fail "bash: 'hostaudit-collector ' does not offer $c (got: $got)"
done
ok "bash: hostaudit-collector <TAB>: $(echo $got)"
got=$(bash_complete "$hc" _hostaudit_collector hostaudit-collector -c x.yaml report --)
for o in --year --format --out --stale-days --help; do
	has "$o" "$got" || fail "bash: 'hostaudit-collector report --' lacks $o (got: $got)"
done
ok "bash: hostaudit-collector -c x.yaml report --<TAB>: $(echo $got)"
got=$(bash_complete "$hc" _hostaudit_collector hostaudit-collector inventory "")
[ "$got" = import ] || fail "bash: 'hostaudit-collector inventory ': $got"
ok "bash: hostaudit-collector inventory <TAB>: $got"

if ! command -v zsh >/dev/null; then
	echo "skip: zsh is not installed (its completions are not checked)"
	exit 0
fi
# zsh_complete FILE WORD...: what the completion function offers for the
# line "WORD..." completed at its last word.
zsh_complete() {
	zsh -f -c '
		compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done; [[ $1 == -- ]] && shift
			print -rl -- "$@"; }
		_describe() { print -rl -- ${(P)${@[-1]}%%:*}; }
		_files() { print -r -- "(files)"; }
		_message() { print -r -- "(message)"; }
		file=$1; shift
		words=("$@"); CURRENT=$#; PREFIX=${words[-1]}
		. $file # as autoload would run it: define, then call' sh "$@"
}
za=$src/packaging/zsh-completion/_hostaudit
zc=$src/packaging/zsh-completion/_hostaudit-collector
got=$(zsh_complete "$za" hostaudit "")
for c in run list explain facts validate flush enroll render attest; do
	has "$c" "$got" || fail "zsh: 'hostaudit ' does not offer $c (got: $got)"
done
ok "zsh: hostaudit <TAB>: $(echo $got)"
got=$(zsh_complete "$za" hostaudit run --)
for o in --config --rules --root --now --format --output --lang --upload --help; do
	has "$o" "$got" || fail "zsh: 'hostaudit run --' does not offer $o (got: $got)"
done
ok "zsh: hostaudit run --<TAB>: $(echo $got)"
got=$(zsh_complete "$zc" hostaudit-collector "")
for c in serve enroll inventory report export; do
	has "$c" "$got" || fail "zsh: 'hostaudit-collector ' does not offer $c (got: $got)"
done
ok "zsh: hostaudit-collector <TAB>: $(echo $got)"
got=$(zsh_complete "$zc" hostaudit-collector report --)
for o in --year --format --out --stale-days --help; do
	has "$o" "$got" || fail "zsh: 'hostaudit-collector report --' lacks $o (got: $got)"
done
ok "zsh: hostaudit-collector report --<TAB>: $(echo $got)"
echo "PASS: bash and zsh completion"
