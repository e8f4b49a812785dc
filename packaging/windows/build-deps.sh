#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Cross-builds hostaudit's libraries for 64-bit Windows from Debian's own
# source packages (security patches included), as static libraries under
# BUILD/deps/prefix. Cached: a library whose stamp names the same source
# version is not rebuilt. Never committed (the build tree is ignored).
#
#   packaging/windows/build-deps.sh [BUILD_DIR]      (default: build-win)
#
# Needs: a deb-src line for bookworm, dpkg-dev, cmake, ninja-build,
# gcc-mingw-w64-x86-64-posix. The libraries:
#   libyaml  - rule packs and config (as on Linux)
#   jansson  - the JSON report (as on Linux)
#   cmocka   - unit tests (only for the test suite under wine)
#   curl     - HTTPS upload, built with Schannel only: TLS and certificate
#              checks by Windows itself, against the Windows certificate
#              store, so no OpenSSL and no CA bundle to ship and keep fresh;
#              the same upload code as on Linux.
#   libintl  - gettext for the program's messages (po/ja.po), as glibc
#              gives them on Linux: only gettext-runtime's intl directory of
#              Debian's gettext source, static, without iconv (the catalogue
#              is UTF-8 and so is the console).
# OpenSSL is not needed: on Windows SHA-256 and random bytes come from CNG
# (agent/platform/windows/crypto.c).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath -m "${1:-build-win}")
deps="$build/deps"
src="$deps/src"
prefix="$deps/prefix"
host=x86_64-w64-mingw32
jobs=${JOBS:-2}
mkdir -p "$src" "$prefix"

die() { echo "build-deps: $*" >&2; exit 1; }

command -v $host-gcc-posix >/dev/null || command -v $host-gcc >/dev/null ||
	die "no $host-gcc: apt-get install gcc-mingw-w64-x86-64-posix"
command -v dpkg-source >/dev/null || die "no dpkg-source: apt-get install dpkg-dev"
command -v ninja >/dev/null || die "no ninja: apt-get install ninja-build"

# Fetches and unpacks (with Debian's patches) the source package $1 into
# $src; prints the unpacked directory.
fetch() {
	pkg=$1
	ver=$(apt-cache showsrc "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n1)
	[ -n "$ver" ] || die "no source package '$pkg': add a deb-src line for bookworm under /etc/apt/sources.list.d/ and run apt-get update (see docs/windows.md)"
	upver=${ver#*:}
	upver=${upver%-*}
	dir="$src/$pkg-$upver"
	if [ ! -f "$dir/.unpacked-$ver" ]; then
		rm -rf "$dir"
		(cd "$src" && apt-get source -qq "$pkg=$ver" >&2) ||
			die "apt-get source $pkg=$ver failed"
		touch "$dir/.unpacked-$ver"
	fi
	echo "$ver $dir"
}

# cmake_build NAME SRCDIR VERSION [cmake options...]
cmake_build() {
	name=$1 dir=$2 ver=$3
	shift 3
	stamp="$prefix/.built-$name-$ver"
	if [ -f "$stamp" ]; then
		echo "build-deps: $name $ver (cached)"
		return
	fi
	echo "build-deps: building $name $ver"
	rm -rf "$deps/build-$name"
	cmake -G Ninja -S "$dir" -B "$deps/build-$name" \
		-DCMAKE_TOOLCHAIN_FILE="$here/toolchain-mingw64.cmake" \
		-DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
		-DBUILD_SHARED_LIBS=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=OFF "$@" \
		>"$deps/build-$name.log" 2>&1 || { tail -n 30 "$deps/build-$name.log"; die "configuring $name failed"; }
	cmake --build "$deps/build-$name" -j "$jobs" >>"$deps/build-$name.log" 2>&1 &&
		cmake --install "$deps/build-$name" >>"$deps/build-$name.log" 2>&1 ||
		{ tail -n 30 "$deps/build-$name.log"; die "building $name failed"; }
	touch "$stamp"
}

set -- $(fetch libyaml)
cmake_build libyaml "$2" "$1" -DBUILD_TESTING=OFF -DINSTALL_CMAKE_DIR=lib/cmake/yaml

set -- $(fetch jansson)
cmake_build jansson "$2" "$1" -DJANSSON_BUILD_DOCS=OFF -DJANSSON_EXAMPLES=OFF \
	-DJANSSON_WITHOUT_TESTS=ON -DJANSSON_BUILD_SHARED_LIBS=OFF

set -- $(fetch curl)
cmake_build curl "$2" "$1" -DBUILD_CURL_EXE=OFF -DBUILD_TESTING=OFF -DHTTP_ONLY=ON \
	-DCURL_USE_SCHANNEL=ON -DCURL_USE_OPENSSL=OFF -DCURL_USE_LIBSSH2=OFF \
	-DCURL_USE_LIBPSL=OFF -DCURL_ZLIB=OFF -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF \
	-DUSE_NGHTTP2=OFF -DUSE_LIBIDN2=OFF -DUSE_WIN32_IDN=ON -DENABLE_UNIX_SOCKETS=OFF \
	-DCURL_DISABLE_LDAP=ON -DCURL_DISABLE_LDAPS=ON -DCURL_CA_BUNDLE=none -DCURL_CA_PATH=none

# cmocka: the unit-test framework, for the test suite that runs under wine.
set -- $(fetch cmocka)
cmake_build cmocka "$2" "$1" -DWITH_STATIC_LIB=ON -DUNIT_TESTING=OFF -DWITH_EXAMPLES=OFF \
	-DPICKY_DEVELOPER=OFF

# autotools_build NAME SRCDIR VERSION SUBDIR [configure options...]:
# configures SRCDIR for Windows and builds and installs only SUBDIR of it.
autotools_build() {
	name=$1 dir=$2 ver=$3 sub=$4
	shift 4
	stamp="$prefix/.built-$name-$ver"
	if [ -f "$stamp" ]; then
		echo "build-deps: $name $ver (cached)"
		return
	fi
	echo "build-deps: building $name $ver"
	b="$deps/build-$name"
	rm -rf "$b"
	mkdir -p "$b"
	cc=$(command -v $host-gcc-posix || command -v $host-gcc)
	(cd "$b" && "$dir/configure" --host=$host CC="$cc" --prefix="$prefix" \
		--enable-static --disable-shared --disable-dependency-tracking "$@") \
		>"$b.log" 2>&1 || { tail -n 30 "$b.log"; die "configuring $name failed"; }
	# Debian's patches touch Makefile.am/configure.ac (shared-library link
	# flags, Java), which makes make want to rerun automake; the shipped
	# Makefile.in files are right for a static build, so the autotools are
	# no-ops here.
	regen="ACLOCAL=true AUTOMAKE=true AUTOCONF=true AUTOHEADER=true"
	make -C "$b/$sub" -j "$jobs" $regen >>"$b.log" 2>&1 &&
		make -C "$b/$sub" install $regen >>"$b.log" 2>&1 ||
		{ tail -n 30 "$b.log"; die "building $name failed"; }
	touch "$stamp"
}

# libintl: gettext-runtime configured without the parts hostaudit does not
# use (Java, C#, C++, libasprintf), then only intl/ built. Threads are
# Windows' own, so no winpthread is linked.
set -- $(fetch gettext)
autotools_build libintl "$2/gettext-runtime" "$1" intl --with-included-gettext \
	--disable-java --disable-csharp --disable-c++ --disable-libasprintf \
	--enable-threads=windows --without-libiconv-prefix --disable-silent-rules

# libyaml's CMake build installs no pkg-config file: write the one its
# autotools build would, with the define a static Windows link needs.
if [ ! -f "$prefix/lib/pkgconfig/yaml-0.1.pc" ]; then
	mkdir -p "$prefix/lib/pkgconfig"
	yver=$(ls "$prefix"/.built-libyaml-* | sed 's/.*built-libyaml-//; s/-.*//')
	cat >"$prefix/lib/pkgconfig/yaml-0.1.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include
Name: LibYAML
Description: Library to parse and emit YAML
Version: $yver
Cflags: -I\${includedir} -DYAML_DECLARE_STATIC
Libs: -L\${libdir} -lyaml
PC
fi
# libintl installs no pkg-config file either. On Windows it needs
# advapi32 (the registry, for the relocation and locale code).
if [ ! -f "$prefix/lib/pkgconfig/intl.pc" ]; then
	iver=$(ls "$prefix"/.built-libintl-* | sed 's/.*built-libintl-//; s/-.*//')
	cat >"$prefix/lib/pkgconfig/intl.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include
Name: libintl
Description: GNU gettext runtime library (static)
Version: $iver
Cflags: -I\${includedir}
Libs: -L\${libdir} -lintl -ladvapi32
PC
fi
echo "build-deps: done: $prefix"
