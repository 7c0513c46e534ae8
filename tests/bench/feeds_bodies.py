"""feeds_daemon_render.py's start-up render time plus a hash of every
feed body fetched over HTTPS, the lines that carry the clock (DTSTAMP,
CREATED, LAST-MODIFIED) dropped, so that two builds can be checked to
publish the same feeds.  argv[1] is the source tree whose
tests/integration harness drives the build in COACHD_BIN (an older tree
works too); used by compare_trees.sh.  Prints one line: feeds, events,
median/min/max ms, body hash, bytes."""
import hashlib
import http.client
import os
import re
import ssl
import statistics
import sys

TREE = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
# The tree's own harness first: feeds_daemon_render then finds it loaded.
sys.path.insert(0, os.path.join(TREE, "tests", "integration"))
import harness  # noqa: E402,F401
import test_feeds  # noqa: E402,F401
sys.path.insert(0, HERE)
import feeds_daemon_render as fr  # noqa: E402

CLOCK = re.compile(rb"(?m)^(DTSTAMP|CREATED|LAST-MODIFIED)[:;].*\r?\n")


def main():
    d, _, subs = fr.district(TREE)
    got = {}

    def bodies(d, port):
        if got:
            return
        ctx = ssl.create_default_context(
            cafile=os.path.join(d.pki, "ca.crt"))
        hh, nb = hashlib.sha256(), 0
        for i, (k, s) in enumerate(subs):
            c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx,
                                            timeout=10)
            c.request("GET", "/feeds/%s.ics" % fr.token(i))
            r = c.getresponse()
            body = CLOCK.sub(b"", r.read())
            c.close()
            assert r.status == 200, (k, s, r.status)
            hh.update(("%s %s\n" % (k, s)).encode() + body)
            nb += len(body)
        got["hash"], got["bytes"] = hh.hexdigest()[:16], nb

    ms, line = fr.restarts(d, fr.RUNS, bodies)
    d.cleanup()
    ev = re.search(r"\((\d+) events\)", line).group(1)
    print("feeds %d events %s median_ms %.1f min %.1f max %.1f bodies %s "
          "bytes %d" % (len(subs), ev, statistics.median(ms), min(ms),
                        max(ms), got["hash"], got["bytes"]))


if __name__ == "__main__":
    main()
