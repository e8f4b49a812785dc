# SPDX-License-Identifier: Apache-2.0
# Installing and packaging (issue 6, docs/install.md).
#
# `cmake --install` puts the agent (component `agent`) and, when the
# hostaudit-collector target exists, the collector (component `collector`) in
# their places. Each component is one package, hostaudit and
# hostaudit-collector: the .debs are debhelper's (debian/, dpkg-buildpackage,
# which installs each component into its package), the .rpms CPack's
# (`cmake --build build --target package`, which needs rpmbuild).
#
# Configure with -DCMAKE_INSTALL_PREFIX=/usr for packages: the binary looks
# for its rule packs under the prefix it was built with, and the packages
# install under that same prefix. /etc and /var paths are absolute on
# purpose: they are the FHS places a system package owns, and the binary
# reads /etc/hostaudit/hostaudit.yaml whatever the prefix.
# Included at the end of the top-level CMakeLists.txt, after the collector.

set(HOSTAUDIT_PACKAGE_RELEASE "1" CACHE STRING "Package revision: the Release of an .rpm")
set(HOSTAUDIT_PACKAGE_MAINTAINER "hostaudit maintainers <hostaudit@example.invalid>"
  CACHE STRING "Maintainer of the .rpm (name <email>)")
# debian/copyright carries the licence in a .deb; elsewhere (rpm, a plain
# install) LICENSE and NOTICE go to share/licenses/PACKAGE.
option(HOSTAUDIT_INSTALL_LICENSE "Install LICENSE and NOTICE in share/licenses" ON)
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "hostaudit packages install under ${CMAKE_INSTALL_PREFIX}; "
    "distribution packages want -DCMAKE_INSTALL_PREFIX=/usr")
endif()

# Where systemd looks for units: /lib/systemd/system on Debian 12,
# /usr/lib/systemd/system on Fedora and RHEL. Build an .rpm on an rpm system.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_get_variable(_systemd_unit_dir systemd systemdsystemunitdir)
endif()
if(NOT _systemd_unit_dir)
  set(_systemd_unit_dir /usr/lib/systemd/system)
endif()
set(HOSTAUDIT_SYSTEMD_UNIT_DIR "${_systemd_unit_dir}" CACHE PATH "systemd system unit directory")

set(_pkg ${PROJECT_SOURCE_DIR}/packaging)
set(_gen ${PROJECT_BINARY_DIR}/packaging)
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# Man pages are installed gzipped (Debian policy 12.1); rpmbuild keeps them so.
find_program(GZIP_PROGRAM gzip REQUIRED)
function(hostaudit_man component page section)
  set(src ${PROJECT_SOURCE_DIR}/docs/${page}.${section})
  set(out ${_gen}/man/${page}.${section}.gz)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_gen}/man
    COMMAND ${GZIP_PROGRAM} -9n -c ${src} > ${out}
    DEPENDS ${src} VERBATIM)
  add_custom_target(man-${page} ALL DEPENDS ${out})
  install(FILES ${out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section} COMPONENT ${component})
endfunction()

function(hostaudit_license component package)
  if(HOSTAUDIT_INSTALL_LICENSE)
    install(FILES LICENSE NOTICE DESTINATION ${CMAKE_INSTALL_DATADIR}/licenses/${package}
      COMPONENT ${component})
  endif()
endfunction()

# Shell completion: bash-completion's and zsh's directories for packages.
set(HOSTAUDIT_BASH_COMPLETION_DIR ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
set(HOSTAUDIT_ZSH_COMPLETION_DIR ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
function(hostaudit_completion component program)
  install(FILES ${_pkg}/bash-completion/${program} DESTINATION ${HOSTAUDIT_BASH_COMPLETION_DIR}
    COMPONENT ${component})
  install(FILES ${_pkg}/zsh-completion/_${program} DESTINATION ${HOSTAUDIT_ZSH_COMPLETION_DIR}
    COMPONENT ${component})
endfunction()

# ---- the agent: package hostaudit ----
configure_file(${_pkg}/hostaudit.yaml.in ${_gen}/hostaudit.yaml @ONLY)
configure_file(${_pkg}/systemd/hostaudit.service.in ${_gen}/hostaudit.service @ONLY)
configure_file(${_pkg}/cron/hostaudit.in ${_gen}/cron/hostaudit @ONLY)

install(TARGETS hostaudit RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR} COMPONENT agent)
install(FILES data/antivirus-products.yaml DESTINATION ${CMAKE_INSTALL_DATADIR}/hostaudit
  COMPONENT agent)
install(DIRECTORY rules/ DESTINATION ${CMAKE_INSTALL_DATADIR}/hostaudit/rules
  COMPONENT agent FILES_MATCHING PATTERN "*.yaml")
hostaudit_man(agent hostaudit 8)
hostaudit_man(agent hostaudit-rules 5)
install(FILES ${_gen}/hostaudit.yaml DESTINATION /etc/hostaudit COMPONENT agent)
install(FILES ${_gen}/cron/hostaudit DESTINATION /etc/cron.d COMPONENT agent)
install(FILES ${_gen}/hostaudit.service ${_pkg}/systemd/hostaudit.timer
  DESTINATION ${HOSTAUDIT_SYSTEMD_UNIT_DIR} COMPONENT agent)
install(FILES ${_pkg}/systemd/hostaudit.tmpfiles DESTINATION lib/tmpfiles.d
  RENAME hostaudit.conf COMPONENT agent)
hostaudit_completion(agent hostaudit)
# The report's JSON Schema (docs/report.md), for whoever reads the reports.
install(FILES data/schema/report.schema.json DESTINATION ${CMAKE_INSTALL_DATADIR}/hostaudit/schema
  COMPONENT agent)
hostaudit_license(agent hostaudit)

# ---- the collector: package hostaudit-collector, when it is built ----
set(_components agent)
if(TARGET hostaudit-collector)
  list(APPEND _components collector)
  configure_file(${_pkg}/systemd/hostaudit-collector.service.in
    ${_gen}/hostaudit-collector.service @ONLY)
  # The binary itself: collector/CMakeLists.txt installs it (COMPONENT collector).
  if(EXISTS ${PROJECT_SOURCE_DIR}/docs/hostaudit-collector.8)
    hostaudit_man(collector hostaudit-collector 8)
  endif()
  # 0640: it may name the TLS key and enrollment secret. The group becomes
  # hostaudit-collector at install (deb postinst; rpm %attr below), so the
  # service reads it and nobody else does.
  install(FILES ${_pkg}/collector.yaml DESTINATION /etc/hostaudit COMPONENT collector
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
  install(FILES ${_gen}/hostaudit-collector.service
    DESTINATION ${HOSTAUDIT_SYSTEMD_UNIT_DIR} COMPONENT collector)
  hostaudit_completion(collector hostaudit-collector)
  hostaudit_license(collector hostaudit-collector)
endif()

# ---- CPack: the .rpm (the .deb is debian/'s) ----
set(CPACK_PACKAGE_NAME hostaudit)
set(CPACK_PACKAGE_VENDOR hostaudit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${HOSTAUDIT_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_RELOCATABLE OFF)
# CPackDeb puts a non-default summary in front of every component's
# description; each component's description carries its own first line.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_COMPONENTS_ALL ${_components})
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_GENERATOR RPM)
# debian/rules turns it off: a .deb build has no use for the .rpm or a
# warning about rpmbuild.
option(HOSTAUDIT_RPM "The `package` target makes the .rpm (needs rpmbuild)" ON)
if(HOSTAUDIT_RPM)
  find_program(RPMBUILD_PROGRAM rpmbuild)
endif()

set(_agent_summary "Host security-hygiene audit agent")
set(_agent_text "hostaudit looks at this machine (updates, passwords, antivirus,
backups, ...), judges what it saw against YAML rule packs that encode public
checklists (NISC/IPA nine articles, IPA five articles), prints a scored
report, and when configured uploads it to hostaudit-collector. The package
installs a daily systemd timer and a cron.d line, both off until enabled.")
set(_collector_summary "Collector of hostaudit reports")
set(_collector_text "hostaudit-collector receives reports from hostaudit agents over
HTTPS, with per-host tokens, and stores them in SQLite; it writes the
fleet's annual audit report. The service is installed but not enabled.")

# .rpm: hostaudit-0.1.0-1.x86_64.rpm; requirements found by rpmbuild (autoreq).
set(CPACK_RPM_COMPONENT_INSTALL ON)
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_RELEASE ${HOSTAUDIT_PACKAGE_RELEASE})
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_PACKAGE_GROUP "Applications/System")
set(CPACK_RPM_PACKAGE_LICENSE "Apache-2.0")
# No /usr/lib/.build-id links: there is no debuginfo package to pair them with.
set(CPACK_RPM_SPEC_MORE_DEFINE "%define _build_id_links none")
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
  /etc/cron.d /lib /lib/systemd /lib/systemd/system
  /usr/lib/systemd /usr/lib/systemd/system
  ${CMAKE_INSTALL_FULL_DATADIR}/bash-completion
  ${CMAKE_INSTALL_FULL_DATADIR}/bash-completion/completions
  ${CMAKE_INSTALL_FULL_DATADIR}/zsh ${CMAKE_INSTALL_FULL_DATADIR}/zsh/vendor-completions
  ${CMAKE_INSTALL_FULL_DATADIR}/licenses
  ${CMAKE_INSTALL_FULL_MANDIR} ${CMAKE_INSTALL_FULL_MANDIR}/man5
  ${CMAKE_INSTALL_FULL_MANDIR}/man8 ${CMAKE_INSTALL_FULL_SBINDIR})
set(CPACK_RPM_AGENT_PACKAGE_NAME hostaudit)
set(CPACK_RPM_AGENT_PACKAGE_SUMMARY "${_agent_summary}")
set(CPACK_RPM_AGENT_PACKAGE_DESCRIPTION "${_agent_text}")
set(CPACK_RPM_AGENT_USER_FILELIST
  "%config(noreplace) /etc/hostaudit/hostaudit.yaml"
  "%config(noreplace) /etc/cron.d/hostaudit")
set(CPACK_RPM_AGENT_POST_INSTALL_SCRIPT_FILE ${_pkg}/rpm/agent/post)
set(CPACK_RPM_AGENT_PRE_UNINSTALL_SCRIPT_FILE ${_pkg}/rpm/agent/preun)
set(CPACK_RPM_AGENT_POST_UNINSTALL_SCRIPT_FILE ${_pkg}/rpm/agent/postun)
set(CPACK_RPM_COLLECTOR_PACKAGE_NAME hostaudit-collector)
set(CPACK_RPM_COLLECTOR_PACKAGE_SUMMARY "${_collector_summary}")
set(CPACK_RPM_COLLECTOR_PACKAGE_DESCRIPTION "${_collector_text}")
set(CPACK_RPM_COLLECTOR_PACKAGE_REQUIRES_PRE "shadow-utils")
set(CPACK_RPM_COLLECTOR_USER_FILELIST
  "%config(noreplace) %attr(0640,root,hostaudit-collector) /etc/hostaudit/collector.yaml")
set(CPACK_RPM_COLLECTOR_PRE_INSTALL_SCRIPT_FILE ${_pkg}/rpm/collector/pre)
set(CPACK_RPM_COLLECTOR_POST_INSTALL_SCRIPT_FILE ${_pkg}/rpm/collector/post)
set(CPACK_RPM_COLLECTOR_PRE_UNINSTALL_SCRIPT_FILE ${_pkg}/rpm/collector/preun)
set(CPACK_RPM_COLLECTOR_POST_UNINSTALL_SCRIPT_FILE ${_pkg}/rpm/collector/postun)

if(BUILD_TESTING)
  # The install/upgrade/purge test needs root and installs for real: CI runs
  # tests/packaging/deb-lifecycle.sh itself. This one is safe anywhere.
  add_test(NAME packaging_components
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/packaging/components.sh ${PROJECT_BINARY_DIR})
  if(TARGET hostaudit-collector)
    # The bash and zsh completions, against the built programs.
    add_test(NAME shell_completion COMMAND sh ${PROJECT_SOURCE_DIR}/tests/shell/completion.sh
      ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
  endif()
endif()

if(RPMBUILD_PROGRAM)
  include(CPack)
  cpack_add_component(agent DISPLAY_NAME "hostaudit agent" DESCRIPTION "${_agent_summary}")
  if(TARGET hostaudit-collector)
    cpack_add_component(collector DISPLAY_NAME "hostaudit-collector"
      DESCRIPTION "${_collector_summary}")
  endif()
elseif(HOSTAUDIT_RPM AND NOT WIN32)
  # Said at configure time and again by the target, instead of a `package`
  # that quietly makes nothing.
  set(_no_rpm "rpmbuild not found: `package` cannot make the .rpm (apt-get install rpm, \
or dnf install rpm-build). The .deb is built with dpkg-buildpackage (docs/install.md).")
  message(WARNING "${_no_rpm}")
  add_custom_target(package COMMAND ${CMAKE_COMMAND} -E echo "${_no_rpm}"
    COMMAND ${CMAKE_COMMAND} -E false VERBATIM)
endif()
