# Matching, daemon side (issue 4): `assign_plan` in coachd (rpc_match.c,
# store_match.c over the pure engine coach_match), `coachctl admin assign`
# and the integration test.  coach_match itself is built by area-match.
if(TARGET coachd)
  target_sources(coachd PRIVATE daemon/rpc_match.c daemon/store_match.c)
  target_link_libraries(coachd PRIVATE coach_match)
  target_sources(coachctl PRIVATE client/cmd_assign.c)
  # config.c checks the [matching] weights with match_weights_check().
  if(TARGET test_config)
    target_link_libraries(test_config PRIVATE coach_match)
  endif()
  coach_py_test(assign SCRIPT tests/integration/test_assign.py TIMEOUT 600)
endif()
