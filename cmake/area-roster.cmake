# Roster import: RFC 4180 CSV reader and the OneRoster 1.1 / coachd roster
# parsers (pure: text in, struct roster out).  coachd compiles csv.c and
# roster.c directly (see the core fragment); the rest of the module is added
# here so that the core fragment need not know how roster.c is split.
add_library(coach_roster STATIC daemon/csv.c daemon/roster.c
  daemon/roster_dir.c daemon/roster_local.c daemon/roster_util.c)
coach_target(coach_roster)
if(TARGET coachd)
  target_sources(coachd PRIVATE daemon/roster_dir.c daemon/roster_local.c
    daemon/roster_util.c)
endif()

coach_unit_test(test_csv SOURCES tests/unit/test_csv.c LIBS coach_roster)
coach_unit_test(test_roster SOURCES tests/unit/test_roster.c
  LIBS coach_roster)
# The demo district generator's output must load (full and --small sizes).
add_executable(roster-check tests/unit/roster_check.c)
coach_target(roster-check)
target_link_libraries(roster-check PRIVATE coach_roster)
set_target_properties(roster-check PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
coach_py_test(roster_demo SCRIPT tests/unit/test_roster_demo.py LABEL unit
  TIMEOUT 120)
