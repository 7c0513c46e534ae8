# iCalendar feeds (issue 7): the pure renderer (coach_ics), the evhttp feed
# server (coach_feed), the feed-fixture program the interop tests and the
# benchmark drive, and their tests.
add_library(coach_ics STATIC daemon/ics.c)
coach_target(coach_ics)
target_link_libraries(coach_ics PUBLIC PkgConfig::ICAL)

add_library(coach_feed STATIC daemon/feed.c daemon/feed_token.c)
coach_target(coach_feed)
target_link_libraries(coach_feed PUBLIC PkgConfig::EVENT PkgConfig::SSL
    PkgConfig::ZLIB)

add_executable(feed-fixture tests/interop/feed_fixture.c)
coach_target(feed-fixture)
target_link_libraries(feed-fixture PRIVATE coach_feed coach_ics)

add_executable(feed-ics-check tests/interop/feed_ics_check.c)
coach_target(feed-ics-check)
target_link_libraries(feed-ics-check PRIVATE PkgConfig::ICAL)

add_executable(feed-render-bench tests/bench/feed_render_bench.c)
coach_target(feed-render-bench)
target_link_libraries(feed-render-bench PRIVATE coach_feed coach_ics)

coach_unit_test(test_ics SOURCES tests/unit/test_ics.c LIBS coach_ics)
coach_unit_test(test_feed_token SOURCES tests/unit/test_feed_token.c
    LIBS coach_feed)

coach_py_test(feed_http SCRIPT tests/interop/feed_http.py LABEL interop
    TIMEOUT 300)
coach_py_test(feed_parsers SCRIPT tests/interop/feed_parsers.py
    LABEL interop TIMEOUT 600)
coach_py_test(feed_vdirsyncer SCRIPT tests/interop/feed_vdirsyncer.py
    LABEL interop TIMEOUT 300)
# valgrind memcheck over test_ics and feed_http.py's fixtures; exits 77
# (skipped, with a message) in the ASan build.
coach_py_test(feed_valgrind SCRIPT tests/interop/feed_valgrind.py
    LABEL valgrind TIMEOUT 300)
set_tests_properties(valgrind.feed_valgrind PROPERTIES SKIP_RETURN_CODE 77)
