/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the tests. */
#ifndef HOSTAUDIT_TESTUTIL_H
#define HOSTAUDIT_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the three above first. */
#include <cmocka.h>

#include "hostaudit/facts.h"
#include "hostaudit/host.h"

/* A host over a fixture tree under tests/fixtures/roots/, privileged,
 * with a fixed clock. */
host fixture_host(const char *scenario, int64_t now);

/* Runs the probe on the host and returns the facts (caller frees). */
struct probe;
fact_set *run_probe(const struct probe *p, const host *h);

/* Runs the hostaudit binary with argv (NULL-terminated, without the
 * program name); returns its exit status and its stdout / stderr
 * (malloc'd, NUL-terminated; pass NULL to discard). */
int run_hostaudit(const char *const argv[], char **out, char **err);
/* The same with input on its standard input (NULL: /dev/null). Both fail
 * the test when argv names no config (-c) and this machine has a site
 * config: the agent would read it, and with its upload: section send the
 * fixtures' reports to the company's collector. */
int run_hostaudit_input(const char *const argv[], const char *input, char **out, char **err);

/* Writes text to a new file in a fresh temporary directory; returns its
 * path (static storage until the next call). */
const char *write_temp_file(const char *name, const char *text);
/* A fresh temporary directory (removed by nothing: under /tmp). */
const char *make_temp_dir(void);

/* 2026-11-26T00:00:00Z, the tests' "now". */
#define TEST_NOW 1795651200LL

#endif
