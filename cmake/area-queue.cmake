# Pure engines for inquiry-question queues (issue 3) and activity caps
# (issue 6), the config-file reader they share, and the terminal bar chart.
# No I/O in any of them: the daemon and coachctl link these libraries.
add_library(coach_taxonomy STATIC daemon/taxonomy.c)
coach_target(coach_taxonomy)
target_include_directories(coach_taxonomy PUBLIC ${CMAKE_SOURCE_DIR}/daemon)

add_library(coach_queue STATIC daemon/queue.c daemon/queue_suggest.c)
coach_target(coach_queue)
target_link_libraries(coach_queue PUBLIC coach_taxonomy)

add_library(coach_caps STATIC daemon/caps.c daemon/caps_conf.c
  daemon/caps_eval.c)
coach_target(coach_caps)
target_link_libraries(coach_caps PUBLIC coach_taxonomy)

add_library(coach_chart STATIC client/chart.c)
coach_target(coach_chart)
target_include_directories(coach_chart PUBLIC ${CMAKE_SOURCE_DIR}/client)
target_link_libraries(coach_chart PUBLIC m)

coach_unit_test(test_taxonomy SOURCES tests/unit/test_taxonomy.c
  LIBS coach_taxonomy)
coach_unit_test(test_queue SOURCES tests/unit/test_queue.c LIBS coach_queue)
coach_unit_test(test_caps SOURCES tests/unit/test_caps.c LIBS coach_caps)
coach_unit_test(test_chart SOURCES tests/unit/test_chart.c LIBS coach_chart)
# The shipped config files must parse: the tests read them from the tree.
foreach(t test_taxonomy test_caps)
  target_compile_definitions(${t} PRIVATE
    COACHD_SRC_DIR="${CMAKE_SOURCE_DIR}")
endforeach()
