# Fuzz targets (tests/fuzz): in every build their corpora are replayed as
# regression tests through a plain driver; tests/fuzz/run.sh builds the same
# targets with clang's libFuzzer to search for new inputs.
add_executable(fuzz-frame-replay tests/fuzz/fuzz_frame.c tests/fuzz/replay.c)
coach_target(fuzz-frame-replay)
target_link_libraries(fuzz-frame-replay PRIVATE coach_proto)
set_target_properties(fuzz-frame-replay PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)

add_executable(fuzz-roster-replay tests/fuzz/fuzz_roster.c tests/fuzz/replay.c)
coach_target(fuzz-roster-replay)
target_link_libraries(fuzz-roster-replay PRIVATE coach_roster)
set_target_properties(fuzz-roster-replay PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)

foreach(t frame roster)
  file(GLOB corpus CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus/${t}/*)
  add_test(NAME fuzz.${t}_corpus COMMAND fuzz-${t}-replay ${corpus})
  set_tests_properties(fuzz.${t}_corpus PROPERTIES LABELS unit TIMEOUT 120)
endforeach()
