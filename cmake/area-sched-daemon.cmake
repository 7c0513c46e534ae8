# Scheduling, daemon and client side (issue 5): `admin schedule`, the
# session operations and notes in coachd (rpc_sched*.c, store_sched.c,
# store_note.c over the pure engine coach_sched), the [schedule] config
# section, the school-day calendar, `coachctl schedule|week|session` and
# the integration test.  coach_sched itself is built by area-sched.
add_library(coach_calendar STATIC daemon/calendar.c daemon/config_sched.c)
coach_target(coach_calendar)
# calendar_today() converts the clock with libical's time zones.
target_link_libraries(coach_calendar PUBLIC PkgConfig::ICAL)
if(TARGET coachd)
  target_sources(coachd PRIVATE daemon/rpc_sched.c daemon/rpc_sched_plan.c
    daemon/rpc_sched_load.c daemon/rpc_sched_tt.c daemon/rpc_sched_cal.c
    daemon/store_sched.c daemon/store_sched_cal.c daemon/store_note.c)
  target_link_libraries(coachd PRIVATE coach_sched coach_calendar
    PkgConfig::ICAL)
  # The caps area's booking check (rpc_caps.h), when it is built.
  if(EXISTS ${CMAKE_SOURCE_DIR}/daemon/rpc_caps.c)
    set_source_files_properties(daemon/rpc_sched.c daemon/rpc_sched_plan.c
      PROPERTIES COMPILE_DEFINITIONS COACHD_HAVE_CAPS_BOOKING)
  endif()
  # config.c reads the [schedule] section with config_sched_set().
  if(TARGET test_config)
    target_link_libraries(test_config PRIVATE coach_calendar)
  endif()
endif()
if(TARGET coachctl)
  target_sources(coachctl PRIVATE client/cmd_schedule.c client/cmd_calendar.c
    client/week.c)
  target_link_libraries(coachctl PRIVATE coach_calendar)
endif()
if(EXISTS ${CMAKE_SOURCE_DIR}/tests/integration/test_schedule.py)
  coach_py_test(schedule SCRIPT tests/integration/test_schedule.py
    TIMEOUT 600)
endif()
coach_unit_test(test_calendar SOURCES tests/unit/test_calendar.c
  LIBS coach_calendar)
