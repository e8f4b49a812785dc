# SPDX-License-Identifier: Apache-2.0
# Cross-compiling hostaudit for 64-bit Windows with Debian's mingw-w64
# (packages gcc-mingw-w64-x86-64-posix, mingw-w64-tools).
#   cmake -B build-win -S . -DCMAKE_TOOLCHAIN_FILE=packaging/windows/toolchain-mingw64.cmake \
#         -DHOSTAUDIT_WIN_DEPS=build-win/deps/prefix
# The dependencies (libyaml, jansson, curl) come from build-deps.sh.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(TOOLCHAIN_PREFIX x86_64-w64-mingw32)

# The -posix flavour: its libgcc/winpthreads runtime is what Debian tests
# most, and both flavours produce the same code for plain C.
find_program(CMAKE_C_COMPILER NAMES ${TOOLCHAIN_PREFIX}-gcc-posix ${TOOLCHAIN_PREFIX}-gcc REQUIRED)
find_program(CMAKE_RC_COMPILER NAMES ${TOOLCHAIN_PREFIX}-windres REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR wine)

set(HOSTAUDIT_WIN_DEPS "" CACHE PATH "Prefix of the cross-built dependencies (build-deps.sh)")
set(CMAKE_FIND_ROOT_PATH /usr/${TOOLCHAIN_PREFIX} ${HOSTAUDIT_WIN_DEPS})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must see only the cross-built .pc files, never Debian's own.
if(HOSTAUDIT_WIN_DEPS)
  set(ENV{PKG_CONFIG_LIBDIR} "${HOSTAUDIT_WIN_DEPS}/lib/pkgconfig")
  set(ENV{PKG_CONFIG_PATH} "")
  set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
endif()

# One self-contained .exe: no libgcc/winpthread DLLs to ship beside it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
