#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The text report as a person sees it: `hostaudit run` in a real 80x200
# tmux terminal (so the width comes from the terminal, TIOCGWINSZ), the
# pane captured with wrapped lines joined, and checked by report_width.py
# against the same report rendered unwrapped. Usage: report_tmux.sh
# HOSTAUDIT SOURCE_DIR LANG
set -eu
bin=$1 src=$2 lang=$3
tmp=$(mktemp -d)
sock=$tmp/tmux.sock
cleanup() { tmux -S "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset COLUMNS LINES TMUX
args="run -c $src/tests/fixtures/attest/site.yaml -r $src/rules --root $src/tests/fixtures/roots/password-weak --now 2026-11-26 --lang $lang"
# The same report, unwrapped: what every line of the capture must add up to.
# shellcheck disable=SC2086
COLUMNS=100000 "$bin" $args >"$tmp/reference.txt" || true
printf 'set -g history-limit 100000\n' >"$tmp/tmux.conf"
cat >"$tmp/run.sh" <<RUN
#!/bin/sh
unset COLUMNS LINES
"$bin" $args
echo "__hostaudit_done__"
# Stay alive: tmux may drop what a pane wrote just before it exited.
exec sleep 120
RUN
chmod +x "$tmp/run.sh"
tmux -u -S "$sock" -f "$tmp/tmux.conf" new-session -d -x 80 -y 200 "$tmp/run.sh"
i=0
while :; do
	tmux -S "$sock" capture-pane -p -J -S - -E - >"$tmp/capture.txt"
	grep -q "__hostaudit_done__" "$tmp/capture.txt" && break
	i=$((i + 1))
	if [ $i -gt 300 ]; then
		echo "hostaudit did not finish in the tmux pane" >&2
		cat "$tmp/capture.txt" >&2
		exit 1
	fi
	sleep 0.1
done
# The report's lines only: up to the marker, trailing blank lines dropped.
sed -n '/__hostaudit_done__/q;p' "$tmp/capture.txt" >"$tmp/report.txt"
test "$(wc -l <"$tmp/report.txt")" -gt 100 || { echo "capture too short" >&2; cat "$tmp/report.txt" >&2; exit 1; }
python3 "$src/tests/report_width.py" "$tmp/report.txt" "$tmp/reference.txt" 80
