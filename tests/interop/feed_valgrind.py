"""valgrind memcheck over the feed code (libical ownership rules,
OpenSSL/libevent buffers): the ICS unit tests (test_ics) and the whole
feed_http.py interop test with its feed-fixture (TLS server, publish,
gzip, revoke, remove) under `valgrind --leak-check=full
--error-exitcode=99`.  Any memcheck error or a definite/indirect leak
fails the test; still-reachable blocks (libical's built-in zone cache,
OpenSSL's global state) do not.

ASan builds skip it (exit 77, ctest SKIP_RETURN_CODE): AddressSanitizer's
shadow memory and valgrind cannot instrument the same process, so the
test runs from the normal build only.  Run by /usr/bin/python3."""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
VG = ["valgrind", "--leak-check=full", "--error-exitcode=99",
      "--errors-for-leak-kinds=definite,indirect"]


def sanitized():
    return os.environ.get("COACHD_SANITIZE", "").upper() in (
        "ON", "1", "TRUE", "YES")


def check_log(path):
    """0 errors and nothing definitely or indirectly lost, per log."""
    text = open(path).read()
    m = re.search(r"ERROR SUMMARY: (\d+) errors", text)
    assert m, "no ERROR SUMMARY in %s:\n%s" % (path, text[-2000:])
    assert m.group(1) == "0", text[-4000:]
    for kind in ("definitely", "indirectly"):
        m = re.search(r"%s lost: ([\d,]+) bytes" % kind, text)
        assert m is None or m.group(1) == "0", text[-4000:]
    m = re.search(r"total heap usage: ([\d,]+) allocs", text)
    return m.group(1) if m else "?"


def main():
    if sanitized():
        print("SKIPPED: this is an ASan build (COACHD_SANITIZE=ON); "
              "AddressSanitizer and valgrind cannot run the same binary. "
              "Run the valgrind label from the normal build.")
        return SKIP
    if shutil.which("valgrind") is None:
        print("FAILED: valgrind is not installed (scripts/deps.sh)")
        return 1
    build = os.environ["COACHD_BUILD"]
    src = os.environ.get("COACHD_SRC") or os.path.join(
        os.path.dirname(__file__), "..", "..")
    tmp = tempfile.mkdtemp(prefix="coachd-feed-vg-")
    try:
        t0 = time.time()
        log = os.path.join(tmp, "test_ics.log")
        r = subprocess.run(VG + ["--log-file=" + log,
                                 os.path.join(build, "tests", "test_ics")],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, "test_ics under valgrind exited %d\n%s" % (
            r.returncode, open(log).read()[-4000:])
        allocs = check_log(log)
        print("ok   test_ics under valgrind: 0 errors, 0 lost (%s allocs, "
              "%.1f s)" % (allocs, time.time() - t0))

        # feed_common.Fixture runs the fixture under valgrind when
        # FEED_VALGRIND is set and writes its log into TMPDIR.
        t0 = time.time()
        env = dict(os.environ, FEED_VALGRIND="1", TMPDIR=tmp)
        r = subprocess.run(["/usr/bin/python3",
                            os.path.join(src, "tests", "interop",
                                         "feed_http.py")],
                           env=env, capture_output=True, text=True,
                           timeout=600)
        assert r.returncode == 0, "feed_http.py under valgrind:\n" + \
            r.stdout[-3000:] + r.stderr[-6000:]
        logs = glob.glob(os.path.join(tmp, "feed-vg-*"))
        assert len(logs) >= 3, logs       # TLS, plain, gzip_only fixtures
        for path in logs:
            allocs = check_log(path)
            print("ok   feed-fixture under valgrind (%s): 0 errors, 0 lost "
                  "(%s allocs)" % (os.path.basename(path), allocs))
        print("ok   feed_http.py with %d valgrind fixtures (%.1f s)"
              % (len(logs), time.time() - t0))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
