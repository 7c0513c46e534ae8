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


def main():
    d = h.Daemon(extra_conf="[feeds]\nlisten = 127.0.0.1:0\n")
    d.write_conf(server__max_frame="8M")
    tf.D = d
    d.start()
    dd = os.path.join(d.dir, "district")
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "..", "..",
                    "scripts", "gen-demo-district.py"), dd], check=True,
                   stdout=subprocess.DEVNULL)
    d.ctl("admin", "import", dd, check=0)
    d.stop()
    nsess = tf.seed_sessions()
    con = sqlite3.connect(d.db)
    subs = [("teacher", r[0]) for r in con.execute("SELECT id FROM teachers")]
    subs += [("coach", r[0]) for r in con.execute("SELECT id FROM coaches")]
    subs += [("school", r[0]) for r in con.execute("SELECT id FROM schools")]
    for i, (k, s) in enumerate(subs):
        con.execute("INSERT INTO feed_tokens (kind, subject, hash, "
                    "created_at) VALUES (?, ?, ?, 1)",
                    (k, s, hashlib.sha256(b"bench%d" % i).digest()))
    con.commit()
    con.close()
    ms, line = [], ""
    for _ in range(RUNS):
        d.start()
        d.feed_port()
        for ln in d.log:
            m = re.search(r"feeds: rendered .* in ([0-9.]+) ms", ln)
            if m:
                ms.append(float(m.group(1)))
                line = ln.strip()
        d.stop()
    d.cleanup()
    print("sessions %d, feeds %d; last: %s" % (nsess, len(subs), line))
    print("| feeds | events | median ms | min ms | max ms |")
    ev = re.search(r"\((\d+) events\)", line).group(1)
    print("| %d | %s | %.1f | %.1f | %.1f |" % (
        len(subs), ev, statistics.median(ms), min(ms), max(ms)))


if __name__ == "__main__":
    main()
