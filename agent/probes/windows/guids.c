/* SPDX-License-Identifier: Apache-2.0 */
/* The COM class and interface IDs the probes use, defined once: mingw-w64
 * declares them in wuapi.h and netfw.h but defines them only where
 * <initguid.h> comes first (wbemuuid provides the WMI ones). */
#include <windows.h>
#include <initguid.h>
#include <netfw.h>
#include <wuapi.h>
