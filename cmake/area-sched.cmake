# Scheduling area: the pure engine (daemon/sched*.c) as a static library,
# linked into coach-solve (and later coachd); its unit, interop tests.
add_library(coach_sched STATIC daemon/sched.c daemon/sched_reason.c
            daemon/sched_search.c daemon/sched_setup.c)
coach_target(coach_sched)
target_link_libraries(coach-solve PRIVATE coach_sched)
# solve_schedule.c (in area-00-solve) reads its JSON with this file.
target_sources(coach-solve PRIVATE daemon/solve_schedule_json.c
  daemon/solve_schedule_scan.c)

coach_unit_test(test_sched SOURCES tests/unit/test_sched.c LIBS coach_sched)
coach_py_test(sched_interop SCRIPT tests/interop/sched_test.py LABEL interop
              TIMEOUT 120)
