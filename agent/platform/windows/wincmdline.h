/* SPDX-License-Identifier: Apache-2.0 */
/* Building a Windows command line from an argument vector. Pure C with no
 * windows.h, so the Linux unit tests cover it. */
#ifndef HOSTAUDIT_WINCMDLINE_H
#define HOSTAUDIT_WINCMDLINE_H

/* The command line that the Microsoft C runtime's parser
 * (CommandLineToArgvW) splits back into exactly argv: arguments with
 * spaces, tabs or quotes are quoted, quotes escaped, and backslashes
 * doubled only where they precede a quote. malloc'd. */
char *win_cmdline_join(const char *const argv[]);

#endif
