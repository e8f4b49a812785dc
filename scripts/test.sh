#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds hostaudit and runs every test (the README's test command). With
# SANITIZE=1, builds in build-asan with AddressSanitizer and
# UndefinedBehaviorSanitizer instead. Warnings are errors here: the code
# stays -Wall -Wextra clean.
set -eu
cd "$(dirname "$0")/.."
if [ "${SANITIZE:-0}" = 1 ]; then
	dir=build-asan
	set -- -DHOSTAUDIT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DHOSTAUDIT_WERROR=ON
else
	dir=build
	set -- -DHOSTAUDIT_WERROR=ON
fi
cmake -S . -B "$dir" "$@" >/dev/null
cmake --build "$dir" -j "$(nproc)"
ctest --test-dir "$dir" --output-on-failure
