# Matching area: the pure assignment engine (daemon/match.c), its use in
# `coach-solve assign`, tests, and the benchmark programs.
add_library(coach_match STATIC daemon/match.c)
coach_target(coach_match)
target_link_libraries(coach_match PUBLIC m)
target_link_libraries(coach-solve PRIVATE coach_match)

coach_unit_test(test_match SOURCES tests/unit/test_match.c LIBS coach_match)
coach_py_test(match_glpk SCRIPT tests/interop/match_glpk.py LABEL interop
  TIMEOUT 300)
coach_py_test(match_badinput SCRIPT tests/interop/match_badinput.py
  LABEL interop TIMEOUT 120)

# Benchmarks: built on request only (`--target match_bench match_lemon`).
add_executable(match_bench EXCLUDE_FROM_ALL tests/bench/match_bench.c)
coach_target(match_bench)
target_link_libraries(match_bench PRIVATE coach_match)

# LEMON is the reference solver for the benchmark only; never linked into
# coachd or coach-solve.
find_path(LEMON_INCLUDE_DIR lemon/network_simplex.h)
find_library(LEMON_LIBRARY NAMES emon lemon)
if(LEMON_INCLUDE_DIR AND LEMON_LIBRARY)
  add_executable(match_lemon EXCLUDE_FROM_ALL tests/bench/match_lemon.cpp)
  target_include_directories(match_lemon PRIVATE ${LEMON_INCLUDE_DIR})
  target_link_libraries(match_lemon PRIVATE ${LEMON_LIBRARY})
  set_target_properties(match_lemon PROPERTIES CXX_STANDARD 14)
endif()
