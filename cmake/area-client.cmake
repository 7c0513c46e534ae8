# coachctl client area.  The coachctl executable itself is defined by the
# core fragment (area-00-core.cmake); other areas add their cmd_<noun>.c
# with target_sources(coachctl PRIVATE ...).  This fragment holds the
# client's own tests, which need no daemon.
if(TARGET coach_proto)
  coach_unit_test(test_coachctl_out
    SOURCES tests/unit/test_coachctl_out.c client/out.c client/out_table.c
    LIBS coach_proto PkgConfig::JANSSON)
endif()
if(TARGET coachctl)
  coach_py_test(coachctl_cli SCRIPT tests/unit/test_coachctl_cli.py
    LABEL unit TIMEOUT 120)
endif()
