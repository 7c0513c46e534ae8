# Tests of the foundation: frame codec and config parser (unit), the real
# daemon over real TLS driven by the Python client and coachctl
# (integration), and coachd --check-config.
coach_unit_test(test_frame SOURCES tests/unit/test_frame.c LIBS coach_proto)
coach_unit_test(test_config SOURCES tests/unit/test_config.c daemon/config.c
  daemon/log.c LIBS PkgConfig::INIH PkgConfig::ICAL)
coach_py_test(protocol SCRIPT tests/integration/test_protocol.py TIMEOUT 600)
coach_py_test(check_config SCRIPT tests/integration/test_config.py)
coach_py_test(roster SCRIPT tests/integration/test_roster.py TIMEOUT 600)
