# Time caps (issue 6): handlers, SQL, coachctl nouns `log`, `caps`,
# `report` (and `admin caps`), integration test.  The pure engine is
# coach_caps, the bar charts coach_chart (cmake/area-queue.cmake).
if(TARGET coachd)
  target_sources(coachd PRIVATE daemon/rpc_caps.c daemon/rpc_caps_log.c
    daemon/rpc_caps_admin.c daemon/rpc_caps_report.c daemon/store_caps.c)
  target_link_libraries(coachd PRIVATE coach_caps)
  # Without [caps] categories in coachd.conf the daemon reads the source
  # tree's categories file (docs/caps.md); packagers set the key.
  target_compile_definitions(coachd PRIVATE
    COACHD_CATEGORIES_DEFAULT="${CMAKE_SOURCE_DIR}/conf/categories.conf")
endif()
if(TARGET coachctl)
  target_sources(coachctl PRIVATE client/cmd_log.c client/cmd_caps.c
    client/cmd_report.c)
  target_link_libraries(coachctl PRIVATE coach_chart)
endif()
if(EXISTS ${CMAKE_SOURCE_DIR}/tests/integration/test_caps.py)
  coach_py_test(caps SCRIPT tests/integration/test_caps.py TIMEOUT 600)
endif()
