# `cpack -G DEB` (from the build folder): a Debian package of the same
# tree `cmake --install --prefix /usr` makes (docs/install.md), with the
# configuration as conffiles and the maintainer scripts of
# packaging/deb/.  Run-time dependencies come from dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME coachd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "scheduling daemon for instructional-coaching programs")
set(CPACK_PACKAGE_DESCRIPTION
  "coachd keeps a school district's coaches, teachers and inquiry questions,
assigns coaches within caseload caps, schedules coaching cycles into the
school timetable and publishes iCalendar feeds.  coachctl is its client.")
set(CPACK_PACKAGE_CONTACT "coachd developers <coachd@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The maintainer scripts call systemd-sysusers and systemd-tmpfiles.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd")
# Absolute destinations (/etc, the unit folder) go under the staging
# folder, never onto the build machine.
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${CMAKE_SOURCE_DIR}/packaging/deb/conffiles
  ${CMAKE_SOURCE_DIR}/packaging/deb/postinst
  ${CMAKE_SOURCE_DIR}/packaging/deb/prerm
  ${CMAKE_SOURCE_DIR}/packaging/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
