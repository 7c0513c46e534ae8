# Runs at install time (cmake/install.cmake includes it from an
# install(CODE) block), when CMAKE_INSTALL_PREFIX is the prefix given to
# `cmake --install --prefix`.  Computes the configuration directory as
# GNUInstallDirs does (prefix /usr or /: /etc; else PREFIX/etc, unless
# CMAKE_INSTALL_SYSCONFDIR was set to an absolute path), fills the unit's
# and the configuration's paths in, and installs them.  file(INSTALL)
# puts DESTDIR in front of every absolute destination.

function(coachd_abs out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  else()
    set(${out} "${CMAKE_INSTALL_PREFIX}/${dir}" PARENT_SCOPE)
  endif()
endfunction()

if(IS_ABSOLUTE "${COACHD_SYSCONFDIR}")
  set(etc "${COACHD_SYSCONFDIR}")
elseif(CMAKE_INSTALL_PREFIX STREQUAL "/usr" OR
    CMAKE_INSTALL_PREFIX STREQUAL "/")
  set(etc "/${COACHD_SYSCONFDIR}")
else()
  set(etc "${CMAKE_INSTALL_PREFIX}/${COACHD_SYSCONFDIR}")
endif()
coachd_abs(sbindir "${COACHD_SBINDIR}")
coachd_abs(unitdir "${COACHD_SYSTEMD_UNITDIR}")
coachd_abs(sysusersdir "${COACHD_SYSUSERSDIR}")
coachd_abs(tmpfilesdir "${COACHD_TMPFILESDIR}")

# The names configure_file() fills in.
set(COACHD_SBINDIR "${sbindir}")
set(COACHD_SYSCONFDIR "${etc}")
# One folder per destination, so that installs running at once (the
# tests) never read each other's files.
string(MD5 stage_id "$ENV{DESTDIR}|${CMAKE_INSTALL_PREFIX}")
set(COACHD_STAGE "${COACHD_STAGE}/${stage_id}")
file(MAKE_DIRECTORY "${COACHD_STAGE}")
configure_file("${COACHD_SRC}/systemd/coachd.service.in"
  "${COACHD_STAGE}/coachd.service" @ONLY)
configure_file("${COACHD_SRC}/systemd/coachd.tmpfiles.in"
  "${COACHD_STAGE}/coachd.conf.tmpfiles" @ONLY)
file(INSTALL DESTINATION "${unitdir}" TYPE FILE
  FILES "${COACHD_STAGE}/coachd.service")
file(INSTALL DESTINATION "${sysusersdir}" TYPE FILE
  FILES "${COACHD_SRC}/systemd/coachd.sysusers" RENAME coachd.conf)
file(INSTALL DESTINATION "${tmpfilesdir}" TYPE FILE
  FILES "${COACHD_STAGE}/coachd.conf.tmpfiles" RENAME coachd.conf)

# The example configuration names /etc/coachd/...; point it at this
# install's folder.  A file already there is the administrator's: it is
# kept, and the shipped one goes next to it as NAME.dist.
foreach(name coachd.conf topics.conf categories.conf)
  file(READ "${COACHD_SRC}/conf/${name}" text)
  string(REPLACE "/etc/coachd/" "${etc}/coachd/" text "${text}")
  file(WRITE "${COACHD_STAGE}/${name}" "${text}")
  if(EXISTS "$ENV{DESTDIR}${etc}/coachd/${name}")
    message(STATUS "Keeping: $ENV{DESTDIR}${etc}/coachd/${name}")
    file(INSTALL DESTINATION "${etc}/coachd" TYPE FILE
      FILES "${COACHD_STAGE}/${name}" RENAME "${name}.dist")
  else()
    file(INSTALL DESTINATION "${etc}/coachd" TYPE FILE
      FILES "${COACHD_STAGE}/${name}")
  endif()
endforeach()
