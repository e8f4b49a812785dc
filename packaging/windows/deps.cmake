# SPDX-License-Identifier: Apache-2.0
# The Windows build's libraries: the static libraries that build-deps.sh
# cross-built (their pkg-config files, private libraries included), the
# Windows system libraries the platform layer and the probes call, and the
# defines a static link needs. Included by the top-level CMakeLists.txt
# when WIN32; the toolchain file points pkg-config at the cross-built
# prefix only.
pkg_check_modules(YAML REQUIRED yaml-0.1)
pkg_check_modules(JANSSON REQUIRED jansson)
pkg_check_modules(CURL REQUIRED libcurl)
# GNU libintl (gettext), which mingw lacks: the program's messages in Japanese.
pkg_check_modules(INTL REQUIRED intl)

add_library(hostaudit-windows-deps INTERFACE)
foreach(dep YAML JANSSON CURL INTL)
  target_include_directories(hostaudit-windows-deps SYSTEM INTERFACE ${${dep}_STATIC_INCLUDE_DIRS})
  target_compile_options(hostaudit-windows-deps INTERFACE ${${dep}_STATIC_CFLAGS_OTHER})
  target_link_directories(hostaudit-windows-deps INTERFACE ${${dep}_STATIC_LIBRARY_DIRS})
  target_link_libraries(hostaudit-windows-deps INTERFACE ${${dep}_STATIC_LIBRARIES})
endforeach()
target_compile_definitions(hostaudit-windows-deps INTERFACE
  YAML_DECLARE_STATIC CURL_STATICLIB
  # Windows 10 APIs; Unicode (wide) Win32 calls throughout.
  _WIN32_WINNT=0x0A00 WINVER=0x0A00 UNICODE _UNICODE
  # mingw-w64's stdio: C99 printf formats (%lld, %zu) on every CRT.
  __USE_MINGW_ANSI_STDIO=1)
target_link_libraries(hostaudit-windows-deps INTERFACE
  # COM and WMI (updates, antivirus, firewall, BitLocker)
  ole32 oleaut32 wbemuuid
  # Windows Server Backup event log
  wevtapi
  # NetUserModalsGet, NetShareEnum, NetUserGetInfo
  netapi32
  # registry, tokens, ACLs; CNG for SHA-256 and random bytes
  advapi32 bcrypt
  # curl with Schannel
  ws2_32 crypt32 secur32 normaliz
  # %ProgramData% (SHGetKnownFolderPath); the machine-wide proxy
  shell32 winhttp)
