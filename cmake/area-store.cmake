# Storage area: SQLite store (open, migrations, savepoints), the roster's
# tables and CRUD, tokens, and roster import.  coachd already lists these
# sources in the core fragment; this fragment adds the unit test, which runs
# against real temporary database files with the modules it names (coachd's
# full list is daemon/store_registry.c).
coach_unit_test(test_store SOURCES tests/unit/test_store.c
  daemon/store.c daemon/store_roster.c daemon/store_token.c
  daemon/store_import.c daemon/store_coaching.c
  LIBS coach_proto coach_roster PkgConfig::SQLITE)
# The roster handlers over the real wire (real coachd, Python client).
coach_py_test(roster_rpc SCRIPT tests/integration/test_roster_rpc.py
  TIMEOUT 300)
