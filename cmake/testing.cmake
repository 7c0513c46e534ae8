# Test helpers shared by every area.
#
#   coach_unit_test(NAME SOURCES a.c b.c LIBS lib...)
#       a cmocka program built into build/tests/, registered with label "unit".
#   coach_py_test(NAME SCRIPT tests/integration/x.py [LABEL integration] [TIMEOUT s])
#       a Python test run with Debian's /usr/bin/python3; it gets the build's
#       bin directory and the source tree through COACHD_BIN / COACHD_SRC.

function(coach_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  coach_warnings(${name})
  target_link_libraries(${name} PRIVATE PkgConfig::CMOCKA ${T_LIBS})
  set_target_properties(${name} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME unit.${name} COMMAND ${name})
  set_tests_properties(unit.${name} PROPERTIES LABELS unit TIMEOUT 120)
endfunction()

function(coach_py_test name)
  cmake_parse_arguments(T "" "SCRIPT;LABEL;TIMEOUT" "" ${ARGN})
  if(NOT T_LABEL)
    set(T_LABEL integration)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_test(NAME ${T_LABEL}.${name}
           COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/${T_SCRIPT})
  set_tests_properties(${T_LABEL}.${name} PROPERTIES LABELS ${T_LABEL}
    TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "COACHD_BIN=${CMAKE_BINARY_DIR}/bin;COACHD_SRC=${CMAKE_SOURCE_DIR};COACHD_BUILD=${CMAKE_BINARY_DIR};COACHD_SANITIZE=${COACHD_SANITIZE}")
endfunction()
