/* SPDX-License-Identifier: Apache-2.0 */
/* Compiler attributes used across hostaudit. */
#ifndef HOSTAUDIT_COMPILER_H
#define HOSTAUDIT_COMPILER_H

/* printf-style checking. mingw-w64 GCC reads plain "printf" as the old
 * Microsoft runtime's dialect (no %zu, %lld); hostaudit builds with
 * __USE_MINGW_ANSI_STDIO, whose printf is C99, so it says gnu_printf. */
#if defined(__MINGW32__)
#define HOSTAUDIT_PRINTF(fmt, args) __attribute__((format(gnu_printf, fmt, args)))
#else
#define HOSTAUDIT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#endif

#endif
