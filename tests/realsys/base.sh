#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Real Debian roots for the real-system tier, made once and cached.
#
#   tests/realsys/base.sh SUITE      prints the cached root's path
#
# A base root is `debootstrap --variant=minbase` of SUITE from the mirror
# this machine already uses, plus the packages the scenarios need
# (installed with the chroot's own apt-get). It is kept under
# $REALSYS_CACHE (default /var/cache/hostaudit-realsys) in a directory
# named after the suite and a hash of its recipe, so changing the package
# list or the recipe builds a new one; a warm run reuses it.
# The network is used here only, never by a scenario.
set -euo pipefail

suite=${1:?usage: base.sh SUITE}
cache=${REALSYS_CACHE:-/var/cache/hostaudit-realsys}

# The packages whose own tools are the scenarios' oracles, or whose
# installed state a scenario changes with dpkg.
packages=(
	systemd apt-utils unattended-upgrades
	libpam-modules libpam-pwquality libpwquality-tools cracklib-runtime
	pamtester passwd
	openssh-server
	nftables ufw
	dconf-cli dconf-gsettings-backend gsettings-desktop-schemas libglib2.0-bin
	restic borgbackup rsnapshot
	clamav clamav-freshclam
)

# The mirror: the first deb.debian.org-style URI this machine's apt uses
# for Debian itself (not a third-party repository).
mirror() {
	local m
	m=$(grep -rhvE '^[[:space:]]*#' /etc/apt/sources.list /etc/apt/sources.list.d/ \
		2>/dev/null | grep -oE 'https?://[^ ]*/debian/?( |$)' | awk '{print $1}' |
		head -n1 || true)
	echo "${REALSYS_MIRROR:-${m:-http://deb.debian.org/debian}}"
}

# Bump when the way a root is made changes (the cache key is the suite,
# this number and the package list).
recipe=1
key=$(echo "$recipe ${packages[*]}" | sha256sum | cut -c1-12)
dest="$cache/$suite-$key"
if [ -f "$dest/.complete" ]; then
	echo "$dest/root"
	exit 0
fi

mkdir -p "$cache/debs"
rm -rf "$dest"
mkdir -p "$dest"
root="$dest/root"
url=$(mirror)
log="$dest/build.log"
echo "realsys: building the $suite base root from $url (log: $log)" >&2

# Always unmount what this script mounted, whatever happens.
cleanup() {
	for m in var/cache/apt/archives dev/pts dev proc sys; do
		mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m" || true
	done
}
trap cleanup EXIT

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
timeout 1200 debootstrap --variant=minbase --keyring="$keyring" \
	--cache-dir="$cache/debs" "$suite" "$root" "$url" >"$log" 2>&1 ||
	{ tail -n 20 "$log" >&2; exit 1; }

# No service may start while packages are installed in the chroot.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
echo "deb $url $suite main" >"$root/etc/apt/sources.list"
mount -t proc proc "$root/proc"
# Downloaded packages are kept per suite, so a new recipe downloads again
# only what changed.
mkdir -p "$cache/archives-$suite/partial" "$root/var/cache/apt/archives"
mount --bind "$cache/archives-$suite" "$root/var/cache/apt/archives"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
in_root() {
	timeout 1200 chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}
{
	in_root apt-get -q update
	in_root apt-get -q -y --no-install-recommends install "${packages[@]}"
} >>"$log" 2>&1 || { tail -n 20 "$log" >&2; exit 1; }
cleanup

# A scenario starts from no repository at all: it brings its own (file:
# repositories made in the chroot), so the mirror's moving lists never
# decide a verdict.
rm -f "$root/etc/apt/sources.list" "$root/usr/sbin/policy-rc.d"
rm -rf "$root/var/lib/apt/lists"/*
mkdir -p "$root/var/lib/apt/lists/partial"
in_root dpkg-query -W -f '${Package} ${Version}\n' >"$dest/packages.txt"
touch "$dest/.complete"
# Roots of older recipes of this suite are of no more use.
for old in "$cache/$suite"-*; do
	[ "$old" = "$dest" ] || [ ! -f "$old/.complete" ] || rm -rf "$old"
done
echo "$root"
