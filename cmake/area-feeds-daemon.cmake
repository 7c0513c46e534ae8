# iCalendar feeds inside coachd (issue 7): the feed_url/feed_rotate
# handlers, the feed_tokens table and session query, the glue that renders
# feeds with coach_ics and serves them with coach_feed (both built by
# area-ics.cmake), `coachctl feed` and the integration test.
if(TARGET coachd)
  target_sources(coachd PRIVATE daemon/feeds.c daemon/rpc_feed.c
    daemon/store_feed.c)
  # coach_queue brings taxonomy.c, for topic names in DESCRIPTION.
  target_link_libraries(coachd PRIVATE coach_ics coach_feed coach_queue)
  target_sources(coachctl PRIVATE client/cmd_feed.c)
  coach_py_test(feeds SCRIPT tests/integration/test_feeds.py TIMEOUT 600)
  # vdirsyncer + khal subscribed to the real daemon's feed.
  coach_py_test(feeds_khal SCRIPT tests/integration/test_feeds_khal.py
    TIMEOUT 600)
  # every feed of the full demo district through three parsers.
  coach_py_test(feeds_district SCRIPT tests/integration/test_feeds_district.py
    TIMEOUT 600)
endif()
# libical's own reading of the feeds, for test_feeds.py.
add_executable(feeds-libical-check tests/integration/feeds_libical_check.c)
coach_target(feeds-libical-check)
target_link_libraries(feeds-libical-check PRIVATE PkgConfig::ICAL)
