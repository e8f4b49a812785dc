/* SPDX-License-Identifier: Apache-2.0 */
/* The fuzz harnesses (tests/fuzz/README.md): each target defines
 * LLVMFuzzerTestOneInput. Built with libFuzzer (-DHOSTAUDIT_FUZZ=ON, clang)
 * for campaigns, and with regress_main.c in the normal build, where ctest
 * feeds it the seed corpus and every crasher or hang found so far. */
#ifndef HOSTAUDIT_FUZZ_H
#define HOSTAUDIT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A private directory made once per process, for parsers that read
 * through a path or the host context (the file is rewritten each run). */
const char *fuzz_dir(void);
/* Writes data to fuzz_dir()/rel (creating its directories); returns the
 * full path (static storage). */
const char *fuzz_write(const char *rel, const uint8_t *data, size_t size);
/* data as a NUL-terminated malloc'd string (caller frees). */
char *fuzz_string(const uint8_t *data, size_t size);

#endif
