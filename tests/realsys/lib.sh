# SPDX-License-Identifier: Apache-2.0
# Helpers for the real-system scenarios (sourced by run.sh, inside the
# scenario's own mount and network namespaces).
#
# ROOT is the scenario's root: an overlay over the cached base root, so a
# scenario changes only its own copy. Everything a scenario runs in ROOT
# goes through in_root: chroot, a clean environment, a time limit.

REALSYS_TIMEOUT=${REALSYS_TIMEOUT:-60}

# in_root CMD ARGS...: run CMD inside ROOT with a clean environment.
in_root() {
	timeout "$REALSYS_TIMEOUT" chroot "$ROOT" /usr/bin/env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

# in_root_sh 'SCRIPT': a shell script inside ROOT (for pipes and loops).
in_root_sh() {
	in_root /bin/sh -ec "$1"
}

# put PATH [MODE]: write stdin to PATH inside ROOT.
put() {
	mkdir -p "$ROOT$(dirname "$1")"
	cat >"$ROOT$1"
	[ -z "${2:-}" ] || chmod "$2" "$ROOT$1"
}

# need_proc: mount /proc (and /dev) in ROOT for tools that read them. The
# mount namespace is the scenario's own, so these vanish with it; the
# trap in run.sh unmounts them anyway.
need_proc() {
	mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
	mountpoint -q "$ROOT/dev" || mount --bind /dev "$ROOT/dev"
}

# --- apt: local repositories made with the chroot's own dpkg-deb and
# apt-ftparchive. Package bodies are empty; only versions matter.

# mkdeb DIR NAME VERSION [ARCH [EXTRA-CONTROL-LINES]]: build NAME_VERSION
# into DIR (inside ROOT).
mkdeb() {
	local dir=$1 name=$2 ver=$3 arch=${4:-all} extra=${5:-}
	local b=/tmp/mkdeb/$name-$ver-$arch
	mkdir -p "$ROOT$b/DEBIAN" "$ROOT$dir"
	{
		echo "Package: $name"
		echo "Version: $ver"
		echo "Architecture: $arch"
		echo "Maintainer: realsys <realsys@invalid>"
		echo "Description: realsys test package $name"
		[ -z "$extra" ] || printf '%s\n' "$extra"
	} >"$ROOT$b/DEBIAN/control"
	in_root dpkg-deb -Zgzip --build "$b" "$dir/${name}_${ver}_${arch}.deb" >/dev/null
}

# installdeb NAME VERSION [ARCH [EXTRA]]: build and dpkg -i it.
installdeb() {
	mkdeb /tmp/installed "$@"
	in_root dpkg -i "/tmp/installed/${1}_${2}_${3:-all}.deb" >/dev/null
}

# mkrepo DIR [RELEASE-FIELDS...]: a flat repository in DIR: Packages and
# a Release with the given fields (e.g. "NotAutomatic: yes").
mkrepo() {
	local dir=$1
	shift
	in_root_sh "cd $dir && apt-ftparchive packages . > Packages"
	local opts=()
	for f in "$@"; do
		opts+=(-o "APT::FTPArchive::Release::${f%%:*}=${f#*: }")
	done
	in_root_sh "cd $dir && apt-ftparchive $(printf "%q " "${opts[@]}") release . > Release.tmp && mv Release.tmp Release"
}

# apt_source LINE: one more sources.list.d entry.
apt_source() {
	local n
	n=$(ls "$ROOT/etc/apt/sources.list.d" 2>/dev/null | wc -l)
	echo "$1" >"$ROOT/etc/apt/sources.list.d/realsys$n.list"
}

apt_update() {
	in_root apt-get -q -o Acquire::Languages=none update >/dev/null 2>&1
}

# The oracle for pending updates: apt's own list, one package a line,
# "name" for the native architecture and "all", "name:arch" for a
# foreign one (dpkg's own spelling).
apt_upgradable() {
	local native
	native=$(in_root dpkg --print-architecture)
	in_root apt list --upgradable 2>/dev/null |
		awk -v n="$native" '/\[upgradable from/ { split($1, p, "/");
			print ($3 == n || $3 == "all") ? p[1] : p[1] ":" $3 }' | sort -u
}

# pref: stdin is one more /etc/apt/preferences.d file.
pref() {
	local n
	n=$(ls "$ROOT/etc/apt/preferences.d" 2>/dev/null | wc -l)
	put "/etc/apt/preferences.d/realsys$n"
}

# --- hostaudit's side

# site_config: stdin is the scenario's hostaudit.yaml (schema line added).
# Every run gets a config of its own, so the host's /etc/hostaudit never
# plays a part.
site_config() {
	{ echo 'schema: hostaudit/config/v1'; cat; } >"$WORK/hostaudit.yaml"
	chmod 600 "$WORK/hostaudit.yaml"
}

ha_config() {
	[ -f "$WORK/hostaudit.yaml" ] || echo '# none' | site_config
	echo "$WORK/hostaudit.yaml"
}

# ha_facts: `hostaudit facts --root ROOT` as JSON (once per scenario).
ha_facts() {
	[ -s "$WORK/facts.json" ] ||
		timeout "$REALSYS_TIMEOUT" "$HOSTAUDIT" facts --root "$ROOT" -c "$(ha_config)" \
			-o "$WORK/facts.json" >&2
	cat "$WORK/facts.json"
}

# fact_value NAME: the fact as one word: a number, true/false, a string,
# a time, a list sorted and joined with ',' ('(none)' when empty), or the
# state when it is not known (unknown, not_applicable, error).
fact_value() {
	ha_facts | python3 -c '
import json, sys
f = json.load(sys.stdin).get(sys.argv[1])
if f is None:
    print("(no such fact)")
elif f.get("state") != "known":
    print(f.get("state"))
else:
    v = f["value"]
    if isinstance(v, bool):
        print("true" if v else "false")
    elif isinstance(v, list):
        print(",".join(sorted(str(x) for x in v)) or "(none)")
    else:
        print(v)
' "$1"
}

# rule_status ID: pass, fail, unknown... from `hostaudit run -f json` with
# the nisc-9 pack of this tree.
rule_status() {
	[ -s "$WORK/run.json" ] ||
		timeout "$REALSYS_TIMEOUT" "$HOSTAUDIT" run --root "$ROOT" -c "$(ha_config)" \
			-r "$SRC/rules/nisc-9.yaml" -f json -o "$WORK/run.json" >&2 || true
	python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    if r["id"] == sys.argv[2]:
        print(r["status"]); break
else:
    print("(no such rule)")
' "$WORK/run.json" "$1"
}

observed_default() {
	if [ -n "$fact" ]; then fact_value "$fact"; else rule_status "$rule"; fi
}

# join_list: stdin lines sorted and joined as fact_value prints lists.
join_list() {
	local s
	s=$(sort -u | paste -sd, -)
	echo "${s:-(none)}"
}

# age_class TIME [DAYS]: 'recent' when TIME (RFC 3339) is less than DAYS
# (default 7) old, 'old' otherwise; other words (unknown...) unchanged.
age_class() {
	python3 -c '
import sys, datetime
t, days = sys.argv[1], int(sys.argv[2])
try:
    d = datetime.datetime.fromisoformat(t.replace("Z", "+00:00"))
except ValueError:
    print(t); sys.exit()
now = datetime.datetime.now(datetime.timezone.utc)
print("recent" if now - d < datetime.timedelta(days=days) else "old")
' "$1" "${2:-7}"
}

# --- PAM oracles: real logins and real password changes through the
# chroot's own PAM stack.

# hash_of PASSWORD: a SHA-512 crypt hash, made on the host (openssl, or
# Python's crypt where openssl is missing).
hash_of() {
	if command -v openssl >/dev/null; then
		printf '%s\n' "$1" | openssl passwd -6 -stdin
	else
		python3 -W ignore -c 'import crypt, sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_SHA512)))' "$1"
	fi
}

ORACLE_OLD_PW='Old-Pa55word#Xq'

# add_user NAME: a person (UID from useradd, home, bash) with the
# oracle's known password.
add_user() {
	in_root useradd -m -s /bin/bash "$1"
	in_root usermod -p "$(hash_of "$ORACLE_OLD_PW")" "$1"
}

# passwd_accepts USER NEWPASSWORD: does passwd(1), run by USER itself,
# accept the new password? Prints yes or no. The old password is reset
# afterwards so the next try starts from the same state.
passwd_accepts() {
	local out
	if printf '%s\n%s\n%s\n' "$ORACLE_OLD_PW" "$2" "$2" |
		in_root setpriv --reuid="$1" --regid="$1" --init-groups passwd >"$WORK/passwd.out" 2>&1; then
		out=yes
	else
		out=no
	fi
	cat "$WORK/passwd.out" >&2
	in_root usermod -p "$(hash_of "$ORACLE_OLD_PW")" "$1"
	echo "$out"
}

# pam_auth SERVICE USER PASSWORD: does PAM authenticate USER (pamtester)?
pam_auth() {
	if printf '%s\n' "$3" | in_root pamtester "$1" "$2" authenticate >&2 2>&1; then
		echo yes
	else
		echo no
	fi
}

# A password of N characters mixing the four classes, with no dictionary
# word, repeat or sequence, and nothing in common with the old one.
ORACLE_PW_SOURCE='Kq7#vLm2xZ.Rt9$wPn4!bHc8&jYd'
pw_of_length() { echo "${ORACLE_PW_SOURCE:0:$1}"; }

# quality_oracle USER: does the PAM password stack enforce the quality
# rules? A short 4-class password that pwscore (libpwquality with the
# same config files) rejects, but pam_unix alone takes, is offered to
# passwd(1): true when refused, false when taken.
quality_oracle() {
	local pw
	pw=$(pw_of_length 7)
	if echo "$pw" | in_root pwscore >&2 2>&1; then
		echo "(oracle: pwscore takes '$pw'; choose another probe)"
		return
	fi
	if [ "$(passwd_accepts "$1" "$pw")" = yes ]; then echo false; else echo true; fi
}

# min_length_oracle USER: the shortest 4-class password passwd(1) takes
# from USER (6..28), by bisection. Only meaningful where quality rules
# are enforced.
min_length_oracle() {
	local lo=6 hi=28 mid
	[ "$(passwd_accepts "$1" "$(pw_of_length $hi)")" = yes ] || { echo '(none up to 28)'; return; }
	[ "$(passwd_accepts "$1" "$(pw_of_length $lo)")" = no ] || { echo "$lo or less"; return; }
	while [ $((hi - lo)) -gt 1 ]; do
		mid=$(((lo + hi) / 2))
		if [ "$(passwd_accepts "$1" "$(pw_of_length $mid)")" = yes ]; then hi=$mid; else lo=$mid; fi
	done
	echo "$hi"
}

# min_classes_oracle USER: the fewest character classes in a 20-character
# password that passwd(1) takes from USER; 1 reads as "0 or 1" (nothing
# tells minclass 0 from 1 apart).
min_classes_oracle() {
	local k pw
	for k in 1 2 3 4; do
		case $k in
		1) pw=qzvkxmwtplrbnhjdgfcs ;;
		2) pw=qzvkxmwtplRBNHJDGFCS ;;
		3) pw=qzvkxm7tpl4BNHJ9GFCS ;;
		4) pw='qzv#xm7tpl4BNH.9GFCS' ;;
		esac
		if [ "$(passwd_accepts "$1" "$pw")" = yes ]; then
			[ $k = 1 ] && echo "0 or 1" || echo $k
			return
		fi
	done
	echo '(none)'
}

# The service the lockout oracle logs in through: the auth and account
# stacks every login service includes.
oracle_pam_service() {
	put /etc/pam.d/realsys-oracle <<'X'
@include common-auth
@include common-account
X
}

# locked_after USER K: after K wrong passwords, one after another, is the
# right one refused? yes/no. (Tried at once, the attempts raced on the
# tally file and a loaded run once saw 10 failures that did not lock.)
# faillock --reset (the module's own tool) clears the record first.
locked_after() {
	local i
	in_root faillock --user "$1" --reset >&2 2>&1 || true
	for i in $(seq "$2"); do
		printf 'wrong-%s\n' "$i" | in_root pamtester realsys-oracle "$1" authenticate >/dev/null 2>&1 || true
	done
	if [ "$(pam_auth realsys-oracle "$1" "$ORACLE_OLD_PW")" = yes ]; then echo no; else echo yes; fi
}

# lockout_oracle USER: "none" when 10 wrong passwords do not lock USER,
# else the number of failures that does (pam_faillock deny), by bisection.
lockout_oracle() {
	oracle_pam_service
	[ "$(pam_auth realsys-oracle "$1" "$ORACLE_OLD_PW")" = yes ] || { echo '(right password refused)'; return; }
	[ "$(locked_after "$1" 10)" = yes ] || { echo none; return; }
	local lo=0 hi=10 mid
	while [ $((hi - lo)) -gt 1 ]; do
		mid=$(((lo + hi) / 2))
		if [ "$(locked_after "$1" "$mid")" = yes ]; then hi=$mid; else lo=$mid; fi
	done
	echo "$hi"
}

# empty_login_oracle: the accounts PAM logs in with an empty password
# (pamtester through the common auth stack, every account at once).
empty_login_oracle() {
	oracle_pam_service
	local u
	for u in $(cut -d: -f1 "$ROOT/etc/passwd"); do
		(printf '\n' | in_root pamtester realsys-oracle "$u" authenticate >/dev/null 2>&1 &&
			echo "$u") &
	done | join_list
	wait
}

# pam_profile NAME: stdin is a pam-auth-update profile, then
# pam-auth-update (Debian's own tool) enables it in the common-* stacks.
pam_profile() {
	put "/usr/share/pam-configs/$1"
	in_root pam-auth-update --enable "$1" >&2
}

# faillock_stack [preauth-only]: pam_faillock as the usual two profiles
# (preauth before pam_unix, authfail/authsucc after it), or preauth alone.
faillock_stack() {
	pam_profile faillock_notify <<'X'
Name: Notify on failed login attempts
Default: no
Priority: 1024
Auth-Type: Primary
Auth:
	requisite	pam_faillock.so preauth
X
	[ "${1:-}" = preauth-only ] && return
	pam_profile faillock <<'X'
Name: Enforce failed login attempt counter
Default: no
Priority: 0
Auth-Type: Primary
Auth:
	[default=die]	pam_faillock.so authfail
	sufficient	pam_faillock.so authsucc
X
}

# history_oracle USER: how many of the last passwords passwd(1) refuses to
# take again: USER changes its password 7 times, then tries the current
# one and the previous ones, newest first, until one is taken. The current
# password counts, as in Windows' password history (remember=N refuses
# the current one and N-1 before it).
history_oracle() {
	local pws=('Old-Pa55word#Xq' 'Hv3!qLp9zR.a' 'Tm8#kXw2Ys.b' 'Jc5$nBv7Qe.c'
		'Wd4%gFz6Pu.d' 'Ra2&hMy8Kt.e' 'Ns9*jCx3Lo.f' 'Ye6!pDq5Vi.g')
	local i n=0
	for i in 1 2 3 4 5 6 7; do
		printf '%s\n%s\n%s\n' "${pws[i - 1]}" "${pws[i]}" "${pws[i]}" |
			in_root setpriv --reuid="$1" --regid="$1" --init-groups passwd >&2 2>&1 ||
			{ echo "(change $i refused)"; return; }
	done
	for i in 7 6 5 4 3 2 1 0; do
		if printf '%s\n%s\n%s\n' "${pws[7]}" "${pws[i]}" "${pws[i]}" |
			in_root setpriv --reuid="$1" --regid="$1" --init-groups passwd >&2 2>&1; then
			echo "$n"
			return
		fi
		n=$((n + 1))
	done
	echo "$n or more"
}

# --- sshd: `sshd -T` prints the configuration sshd really runs with
# (global section, after Include and first-wins).

# sshd_t KEYWORD: its value in lower case, as sshd -T prints it.
sshd_t() {
	mkdir -p "$ROOT/run/sshd"
	in_root /usr/sbin/sshd -T | awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }'
}

# sshd_conf: stdin is one more sshd_config.d drop-in, named $1.
sshd_dropin() { put "/etc/ssh/sshd_config.d/$1"; }

# The fact's spelling: sshd -T prints prohibit-password as its older
# synonym without-password.
permit_root_oracle() {
	local v
	v=$(sshd_t permitrootlogin)
	[ "$v" = without-password ] && v=prohibit-password
	echo "$v"
}

yesno_bool() { case $1 in yes) echo true ;; no) echo false ;; *) echo "($1)" ;; esac; }

# --- systemd: the chroot's own systemctl (offline in a chroot).
unit_state() { in_root systemctl is-enabled "$1" 2>/dev/null || true; }

# --- nftables: nft itself loads the ruleset into the scenario's own
# network namespace, and `nft -j list ruleset` says what it holds.

# nft_filters [FILE]: load FILE (default /etc/nftables.conf) with the
# chroot's nft, then print "yes" when an input-hook filter chain drops by
# default or holds (directly or through jump/goto) a drop or reject rule;
# "no" otherwise; "(nft refused FILE)" when nft cannot load it.
nft_filters() {
	local f=${1:-/etc/nftables.conf}
	in_root nft flush ruleset
	in_root nft -f "$f" >&2 || { echo "(nft refused $f)"; return; }
	in_root nft -j list ruleset | python3 -c '
import json, sys
items = json.load(sys.stdin)["nftables"]
chains = {(c["family"], c["table"], c["name"]): c
          for c in (i["chain"] for i in items if "chain" in i)}
rules = {}
for r in (i["rule"] for i in items if "rule" in i):
    rules.setdefault((r["family"], r["table"], r["chain"]), []).append(r)
def walk(obj, found):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("drop", "reject"):
                found["drops"] = True
            elif k in ("jump", "goto") and isinstance(v, dict):
                found["targets"].append(v["target"])
            walk(v, found)
    elif isinstance(obj, list):
        for v in obj:
            walk(v, found)
def filters(key, seen):
    if key in seen:
        return False
    seen.add(key)
    found = {"drops": False, "targets": []}
    walk(rules.get(key, []), found)
    return found["drops"] or any(filters((key[0], key[1], t), seen) for t in found["targets"])
print("yes" if any(c.get("hook") == "input" and c.get("type") == "filter" and
                   (c.get("policy") == "drop" or filters(k, set()))
                   for k, c in chains.items()) else "no")
'
}

# nft_boot_oracle: firewall.enabled_at_boot for an nftables host: the
# unit that loads /etc/nftables.conf at boot is enabled, and what it loads
# filters incoming traffic.
nft_boot_oracle() {
	if [ "$(unit_state nftables.service)" = enabled ] && [ "$(nft_filters)" = yes ]; then
		echo true
	else
		echo false
	fi
}

# ufw_oracle: firewall.enabled_at_boot for ufw: `ufw status` (which asks
# the kernel, here the scenario's namespace) says active, and ufw.service
# is enabled.
ufw_oracle() {
	need_proc
	if in_root ufw status | grep -qx 'Status: active' &&
		[ "$(unit_state ufw.service)" = enabled ]; then
		echo true
	else
		echo false
	fi
}

# --- packages: dpkg's own view of what is installed.

# pkg_state PKG: dpkg-query's status (installed, config-files, ...) or
# not-installed.
pkg_state() {
	local s
	s=$(in_root dpkg-query -W -f '${db:Status-Status}' "$1" 2>/dev/null) || true
	echo "${s:-not-installed}"
}

# av_products_oracle: "ClamAV" when dpkg says one of the ClamAV packages
# of data/antivirus-products.yaml (the product's definition) is installed.
av_products_oracle() {
	local p
	for p in clamav clamav-daemon clamav-freshclam clamav-update clamd; do
		[ "$(pkg_state "$p")" = installed ] && { echo ClamAV; return; }
	done
	echo '(none)'
}

# auto_oracle: unattended upgrades really run: the package is installed,
# apt-config (apt's own reading of apt.conf.d) sets
# APT::Periodic::Unattended-Upgrade to non-zero and APT::Periodic::Enable
# not to 0, and apt-daily-upgrade.timer, which runs them, is enabled.
auto_oracle() {
	local uu en
	uu=$(in_root apt-config shell V APT::Periodic::Unattended-Upgrade | sed "s/^V='\(.*\)'$/\1/")
	en=$(in_root apt-config shell V APT::Periodic::Enable | sed "s/^V='\(.*\)'$/\1/")
	echo "Unattended-Upgrade=$uu Enable=$en timer=$(unit_state apt-daily-upgrade.timer)" >&2
	if [ "$(pkg_state unattended-upgrades)" = installed ] && [ -n "$uu" ] && [ "$uu" != 0 ] &&
		[ "$en" != 0 ] && [ "$(unit_state apt-daily-upgrade.timer)" = enabled ]; then
		echo true
	else
		echo false
	fi
}

# --- GNOME screen lock: gsettings (with the dconf backend) reads what
# GNOME would: the compiled system databases the profile lists, their
# locks, each person's ~/.config/dconf/user, the schema defaults.

# gnome_desktop: a GNOME session file, so the root counts as a desktop
# (GNOME itself is not installed; gsettings-desktop-schemas is), and the
# dconf profile Debian's GNOME uses with a 'local' system database.
gnome_desktop() {
	put /usr/share/xsessions/gnome.desktop <<'X'
[Desktop Entry]
Name=GNOME
Exec=gnome-session
Type=Application
X
	put /etc/dconf/profile/user <<'X'
user-db:user
system-db:local
X
}

# user_dconf USER: stdin is a keyfile compiled with `dconf compile` into
# USER's own database (what dconf writes when the person changes a
# setting).
user_dconf() {
	mkdir -p "$ROOT/tmp/userdb-$1"
	cat >"$ROOT/tmp/userdb-$1/00-mine"
	in_root install -d -o "$1" -g "$1" "/home/$1/.config" "/home/$1/.config/dconf"
	in_root dconf compile "/home/$1/.config/dconf/user" "/tmp/userdb-$1"
	in_root chown "$1:$1" "/home/$1/.config/dconf/user"
}

# gsettings_as USER ARGS...: gsettings run as USER in the chroot.
gsettings_as() {
	in_root setpriv --reuid="$1" --regid="$1" --init-groups \
		env HOME="/home/$1" GSETTINGS_BACKEND=dconf gsettings "${@:2}"
}

# The people of the root: UID_MIN.., a login shell (as login.defs says).
human_users() {
	awk -F: '$3 >= 1000 && $3 < 60000 && $7 !~ /(nologin|false)$/ { print $1 }' "$ROOT/etc/passwd"
}

# lock_after USER: seconds of inactivity before USER's screen locks, 0 =
# never (idle activation off, lock off or idle-delay 0).
lock_after() {
	local idle lock act delay
	idle=$(gsettings_as "$1" get org.gnome.desktop.session idle-delay | awk '{ print $NF }')
	act=$(gsettings_as "$1" get org.gnome.desktop.screensaver idle-activation-enabled)
	lock=$(gsettings_as "$1" get org.gnome.desktop.screensaver lock-enabled)
	delay=$(gsettings_as "$1" get org.gnome.desktop.screensaver lock-delay | awk '{ print $NF }')
	echo "$1: idle-delay $idle idle-activation $act lock-enabled $lock lock-delay $delay" >&2
	if [ "$idle" = 0 ] || [ "$act" != true ] || [ "$lock" != true ]; then echo 0; else echo $((idle + delay)); fi
}

# idle_oracle: screenlock.idle_seconds, the weakest person's (0 = never
# beats any delay).
idle_oracle() {
	local u s worst=
	for u in $(human_users); do
		s=$(lock_after "$u")
		if [ -z "$worst" ] || [ "$s" = 0 ] || { [ "$worst" != 0 ] && [ "$s" -gt "$worst" ]; }; then
			worst=$s
		fi
	done
	echo "${worst:-(no person)}"
}

# enabled_oracle: every person's screen locks by itself.
enabled_oracle() {
	local u
	for u in $(human_users); do
		[ "$(lock_after "$u")" != 0 ] || { echo false; return; }
	done
	echo true
}

# enforced_oracle: for every person, gsettings says the delay, the lock
# switch and the lock delay are not writable (locked by system policy).
enforced_oracle() {
	local u k
	for u in $(human_users); do
		for k in 'session idle-delay' 'screensaver lock-enabled' 'screensaver lock-delay'; do
			set -- $k
			[ "$(gsettings_as "$u" writable "org.gnome.desktop.$1" "$2")" = false ] ||
				{ echo false; return; }
		done
	done
	echo true
}

SCREENLOCK_POLICY='[org/gnome/desktop/session]
idle-delay=uint32 300
[org/gnome/desktop/screensaver]
lock-enabled=true
lock-delay=uint32 60'
SCREENLOCK_LOCKS='/org/gnome/desktop/session/idle-delay
/org/gnome/desktop/screensaver/lock-enabled
/org/gnome/desktop/screensaver/lock-delay'

# --- backups: the tools' own records of their completed backups.

# restic_oracle REPO: the newest snapshot's time (restic snapshots --json).
restic_oracle() {
	in_root env RESTIC_PASSWORD=realsys restic -r "$1" snapshots --json --no-lock |
		python3 -c 'import json, sys; s = json.load(sys.stdin); print(max(x["time"] for x in s) if s else "(no snapshot)")'
}

# borg_oracle REPO: the newest archive's time (borg list --json; borg
# prints local time without a zone, and the chroot's zone is UTC).
borg_oracle() {
	in_root env BORG_PASSPHRASE=realsys BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes \
		BORG_RELOCATED_REPO_ACCESS_IS_OK=yes HOME=/root borg list --json "$1" |
		python3 -c 'import json, sys; a = json.load(sys.stdin)["archives"]; print(max(x["time"] for x in a) + "Z" if a else "(no archive)")'
}

restic_backup() { # REPO [restic backup options]
	in_root env RESTIC_PASSWORD=realsys restic -q -r "$1" backup "${@:2}" /etc/hostname >&2
}
borg_create() { # REPO::ARCHIVE [borg create options]
	in_root env BORG_PASSPHRASE=realsys HOME=/root borg create "${@:2}" "$1" /etc/hostname >&2
}

# to_utc TIME: TIME (RFC 3339 or ISO without a zone, read as UTC) as
# YYYY-MM-DDTHH:MM:SSZ, seconds truncated.
to_utc() {
	python3 -c '
import sys, datetime
t = sys.argv[1].replace("Z", "+00:00")
try:
    d = datetime.datetime.fromisoformat(t)
except ValueError:
    print(sys.argv[1]); sys.exit()
if d.tzinfo is None:
    d = d.replace(tzinfo=datetime.timezone.utc)
print(d.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
' "$1"
}

# oracle_time TIME: the oracle's answer is TIME (kept for observe_near).
oracle_time() { to_utc "$1" | tee "$WORK/oracle-time"; }

# oracle_sealed_time TIME: the tool's own record says TIME, but keeps it
# where the agent cannot read it without the repository's password (restic
# encrypts every snapshot; borg's manifest is packed in its segments, not
# read natively yet). The agent is given no password, so the only honest
# answer is unknown, whatever TIME is: the tool's time is logged beside it.
oracle_sealed_time() {
	echo "realsys: the tool's own record: $(to_utc "$1") (sealed from the agent)" >&2
	echo unknown
}

# observe_near: the fact's time; printed as the oracle's when the two are
# within two minutes (a tool stamps its start, the files its end).
observe_near() {
	python3 -c '
import sys, datetime
def p(t):
    return datetime.datetime.fromisoformat(t.replace("Z", "+00:00"))
o, f = sys.argv[1], sys.argv[2]
try:
    print(o if abs((p(o) - p(f)).total_seconds()) <= 120 else f)
except ValueError:
    print(f)
' "$(cat "$WORK/oracle-time" 2>/dev/null)" "$(fact_value "$fact")"
}

# apt_security_oracle: the pending updates whose candidate version apt
# has from an archive ending in -security (the fact's definition), every
# source of the candidate counted: `apt-cache policy PKG` lists the
# sources of each version, `apt-cache policy` the archive (a=) of each.
apt_security_oracle() {
	local p
	{
		echo '== sources'
		in_root apt-cache policy
		for p in $(apt_upgradable); do
			echo "== package $p"
			in_root apt-cache policy "$p"
		done
	} | tee /dev/stderr | python3 -c '
import re, sys
archive, pkgs, uri = {}, {}, None
mode, pkg, cand, inver = None, None, None, False
for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("== sources"):
        mode = "s"; continue
    if line.startswith("== package "):
        mode, pkg, cand, inver = "p", line.split()[2], None, False
        pkgs[pkg] = set(); continue
    if mode == "s":
        m = re.match(r"^\s*-?\d+ (\S+ \S+ Packages)$", line)
        if m:
            uri = m.group(1); continue
        m = re.match(r"^\s+release .*\ba=([^,]*)", line)
        if m and uri:
            archive[uri] = m.group(1)
    elif mode == "p":
        m = re.match(r"^\s+Candidate: (\S+)", line)
        if m:
            cand = m.group(1); continue
        m = re.match(r"^\s+(\*\*\* )?(\S+) -?\d+$", line)
        if m:
            inver = m.group(2) == cand; continue
        m = re.match(r"^\s+-?\d+ (\S+ \S+ Packages)$", line)
        if m and inver:
            pkgs[pkg].add(m.group(1))
for p, uris in sorted(pkgs.items()):
    if any(archive.get(u, "").endswith("-security") for u in uris):
        print(p)
' | join_list
}
