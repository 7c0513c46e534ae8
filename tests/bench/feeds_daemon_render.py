"""Feed rendering inside coachd: the full demo district (scripts/
gen-demo-district.py) imported, two sessions per teacher with a class
seeded the way tests/integration/test_feeds.py does, one feed token per
teacher, coach and school; coachd is restarted RUNS times and the time of
its start-up render (all feeds, logged as "feeds: rendered N feeds (M
events) in X ms") is printed, with the median.  That is also what a
commit that changes sessions without saying whose costs (the feeds commit hook
re-renders every feed).  Run: /usr/bin/python3 tests/bench/feeds_daemon_render.py
with COACHD_BIN pointing at a build's bin directory."""

import hashlib
import os
import re
import sqlite3
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import harness as h  # noqa: E402
import test_feeds as tf  # noqa: E402

RUNS = int(os.environ.get("RUNS", "5"))


def token(i):
    """The secret of subject i's feed (any string of the accepted shape)."""
    return "bench%06d_%s" % (i, "a" * 32)


def district(src):
    """A stopped daemon holding the demo district (scripts/ of the tree
    src), seeded sessions and a feed token per subject: (daemon, number
    of sessions, [(kind, subject)] in token order)."""
    d = h.Daemon(extra_conf="[feeds]\nlisten = 127.0.0.1:0\n")
    d.write_conf(server__max_frame="8M")
    tf.D = d
    d.start()
    dd = os.path.join(d.dir, "district")
    subprocess.run(["/usr/bin/python3", os.path.join(src, "scripts",
                    "gen-demo-district.py"), dd], check=True,
                   stdout=subprocess.DEVNULL)
    d.ctl("admin", "import", dd, check=0)
    d.stop()
    nsess = tf.seed_sessions()
    con = sqlite3.connect(d.db)
    subs = [("teacher", r[0]) for r in con.execute(
        "SELECT id FROM teachers ORDER BY id")]
    subs += [("coach", r[0]) for r in con.execute(
        "SELECT id FROM coaches ORDER BY id")]
    subs += [("school", r[0]) for r in con.execute(
        "SELECT id FROM schools ORDER BY id")]
    for i, (k, s) in enumerate(subs):
        con.execute("INSERT INTO feed_tokens (kind, subject, hash, "
                    "created_at) VALUES (?, ?, ?, 1)",
                    (k, s, hashlib.sha256(token(i).encode()).digest()))
    con.commit()
    con.close()
    return d, nsess, subs


def restarts(d, runs, each=None):
    """Start d runs times; each(d, port) runs while it is up.  Returns
    the start-up render times (ms) and coachd's last "rendered" line."""
    ms, line = [], ""
    for _ in range(runs):
        d.start()
        port = d.feed_port() if hasattr(d, "feed_port") else \
            tf.feed_port(d)
        for ln in d.log:
            m = re.search(r"feeds: rendered .* in ([0-9.]+) ms", ln)
            if m:
                ms.append(float(m.group(1)))
                line = ln.strip()
        if each is not None:
            each(d, port)
        d.stop()
    return ms, line


def main():
    d, nsess, subs = district(os.path.join(HERE, "..", ".."))
    ms, line = restarts(d, RUNS)
    d.cleanup()
    print("sessions %d, feeds %d; last: %s" % (nsess, len(subs), line))
    print("| feeds | events | median ms | min ms | max ms |")
    ev = re.search(r"\((\d+) events\)", line).group(1)
    print("| %d | %s | %.1f | %.1f | %.1f |" % (
        len(subs), ev, statistics.median(ms), min(ms), max(ms)))


if __name__ == "__main__":
    main()
