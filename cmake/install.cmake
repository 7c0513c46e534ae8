# Install rules that are not a target's (docs/install.md):
#
#   sbin/coachd, bin/coachctl, bin/coach-solve      (each folder's CMakeLists)
#   SYSCONFDIR/coachd/{coachd,topics,categories}.conf
#   the systemd unit, sysusers.d and tmpfiles.d entries
#   man pages (man/CMakeLists.txt), bash and zsh completion, docs
#
# Everything under the prefix follows `cmake --install --prefix P` given
# at install time.  The configuration directory and the unit's paths
# depend on that prefix too (/usr puts the configuration in /etc, as
# GNUInstallDirs does), so cmake/install_etc.cmake computes them when it
# runs, not here.  DESTDIR stages all of it.

# Where systemd looks for units, sysusers.d and tmpfiles.d entries: the
# system's own answer (absolute), else the usual places under the prefix.
# Packagers may set the cache variables.
pkg_get_variable(_unitdir systemd systemdsystemunitdir)
pkg_get_variable(_sysusersdir systemd sysusersdir)
pkg_get_variable(_tmpfilesdir systemd tmpfilesdir)
if(NOT _unitdir)
  set(_unitdir lib/systemd/system)
endif()
if(NOT _sysusersdir)
  set(_sysusersdir lib/sysusers.d)
endif()
if(NOT _tmpfilesdir)
  set(_tmpfilesdir lib/tmpfiles.d)
endif()
set(COACHD_SYSTEMD_UNITDIR ${_unitdir} CACHE STRING
  "systemd system unit folder (relative: under the prefix)")
set(COACHD_SYSUSERSDIR ${_sysusersdir} CACHE STRING
  "sysusers.d folder (relative: under the prefix)")
set(COACHD_TMPFILESDIR ${_tmpfilesdir} CACHE STRING
  "tmpfiles.d folder (relative: under the prefix)")
set(COACHD_BASH_COMPLETIONDIR
  ${CMAKE_INSTALL_DATADIR}/bash-completion/completions CACHE STRING
  "bash-completion folder (relative: under the prefix)")
set(COACHD_ZSH_COMPLETIONDIR ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions
  CACHE STRING "zsh completion folder (relative: under the prefix)")

# Configuration, units, sysusers/tmpfiles: install-time paths.
install(CODE "
  set(COACHD_SRC \"${CMAKE_SOURCE_DIR}\")
  set(COACHD_STAGE \"${CMAKE_BINARY_DIR}/install-stage\")
  set(COACHD_SYSCONFDIR \"${CMAKE_INSTALL_SYSCONFDIR}\")
  set(COACHD_SBINDIR \"${CMAKE_INSTALL_SBINDIR}\")
  set(COACHD_SYSTEMD_UNITDIR \"${COACHD_SYSTEMD_UNITDIR}\")
  set(COACHD_SYSUSERSDIR \"${COACHD_SYSUSERSDIR}\")
  set(COACHD_TMPFILESDIR \"${COACHD_TMPFILESDIR}\")
  include(\"${CMAKE_SOURCE_DIR}/cmake/install_etc.cmake\")
")

install(FILES completion/coachctl.bash DESTINATION ${COACHD_BASH_COMPLETIONDIR}
  RENAME coachctl)
install(FILES completion/_coachctl DESTINATION ${COACHD_ZSH_COMPLETIONDIR})

file(GLOB _docs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/docs/*.md)
install(FILES README.md ${_docs} DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES conf/coachd.conf conf/topics.conf conf/categories.conf
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
