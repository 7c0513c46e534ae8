# coach-solve: the offline tool over the pure engines.  The matching and
# scheduling areas add their subcommand sources and engine libraries to it.
add_executable(coach-solve daemon/coach-solve.c)
coach_target(coach-solve)
target_link_libraries(coach-solve PRIVATE PkgConfig::JANSSON m)
target_sources(coach-solve PRIVATE daemon/solve_assign.c daemon/solve_schedule.c)
