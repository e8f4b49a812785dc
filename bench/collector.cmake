# SPDX-License-Identifier: Apache-2.0
# Collector benchmarks (include() this file): not built by default and not in
# ctest; bench/collector.sh builds and runs them.
find_package(PkgConfig REQUIRED)
pkg_check_modules(BCURL REQUIRED IMPORTED_TARGET libcurl)
add_executable(collector_bench EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/collector_bench.c)
target_link_libraries(collector_bench PRIVATE hostaudit-collector-lib PkgConfig::BCURL)
