# End-to-end integration tests across every feature area: one realistic
# day of the full demo district (test_district_day.py) and the
# confidentiality of coaching notes (test_confidentiality.py).  Both run
# the real coachd and coachctl; the feed checks use python3-icalendar.
if(TARGET coachd)
  coach_py_test(district_day SCRIPT tests/integration/test_district_day.py
    TIMEOUT 600)
  coach_py_test(confidentiality
    SCRIPT tests/integration/test_confidentiality.py TIMEOUT 600)
endif()
