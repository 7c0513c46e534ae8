"""Feeds through the real coachd, full demo district scheduled (questions
submitted, `admin assign`, `admin schedule`), a feed URL for every
teacher, coach and school:

* reschedule-to-served latency: `coachctl session reschedule` (a new
  process, as an admin would run it) moves one session back and forth
  between two slots the daemon accepts; the clock starts before coachctl
  is spawned and stops at the first GET of the teacher feed (kept-alive
  HTTPS connection, polled) that carries a new ETag.  Also: coachctl's
  own wall time and the daemon's logged render time of the touched feeds.
* full re-render of every feed: SIGHUP (feeds_reload renders all), the
  daemon's "feeds: rendered N feeds (M events) in X ms" line.

Prints a table of medians.  Run:
  COACHD_BIN=build-x/bin /usr/bin/python3 tests/bench/feeds_latency_bench.py
(N=20 reschedules, HUPS=10 full renders by default; GZIP_ONLY=yes adds
`gzip_only = yes` to [feeds] when the config key exists)."""

import csv
import datetime
import http.client
import os
import re
import signal
import sqlite3
import ssl
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import harness as h  # noqa: E402

N = int(os.environ.get("N", "20"))
HUPS = int(os.environ.get("HUPS", "10"))
FROM = "2026-11-30"


def wait_log(d, start, pattern, timeout=30):
    t_end = time.time() + timeout
    while time.time() < t_end:
        for line in d.log[start:]:
            m = re.search(pattern, line)
            if m:
                return m
        time.sleep(0.002)
    raise RuntimeError("no log line matching " + pattern)


def setup():
    conf = "[feeds]\nlisten = 127.0.0.1:0\n"
    if os.environ.get("GZIP_ONLY"):
        conf += "gzip_only = %s\n" % os.environ["GZIP_ONLY"]
    d = h.Daemon(extra_conf=conf)
    d.write_conf(server__max_frame="8M", server__log_level="info")
    d.start()
    dist = os.path.join(d.dir, "district")
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "..", "..",
                    "scripts", "gen-demo-district.py"), dist], check=True,
                   stdout=subprocess.DEVNULL)
    d.ctl("admin", "import", dist, check=0)
    with open(os.path.join(dist, "questions.csv"), newline="") as f:
        for row in csv.DictReader(f):
            args = ["question", "submit", "--teacher", row["teacher_id"],
                    row["text"]]
            if row["topic"]:
                args += ["--topic", row["topic"]]
            d.ctl(*args, check=0)
    d.ctl_json("admin", "assign")
    d.ctl_json("admin", "schedule", "--from", FROM)
    return d


def main():
    d = setup()
    try:
        port = int(wait_log(d, 0, r"feeds listening on [^ ]+:(\d+)")
                   .group(1))
        h.pb2()
        import feeds_pb2 as fpb
        con = sqlite3.connect(d.db)
        subs = [("teacher", r[0]) for r in con.execute(
            "SELECT id FROM teachers")]
        subs += [("coach", r[0]) for r in con.execute(
            "SELECT id FROM coaches")]
        subs += [("school", r[0]) for r in con.execute(
            "SELECT id FROM schools")]
        sid, teacher, school = con.execute(
            "SELECT id, teacher, school FROM sessions WHERE status = "
            "'proposed' ORDER BY id LIMIT 1").fetchone()
        periods = [p for (p,) in con.execute(
            "SELECT DISTINCT period FROM bell_periods WHERE school = ? "
            "ORDER BY start_min", (school,))]
        nsess = con.execute("SELECT count(*) FROM sessions").fetchone()[0]
        con.close()
        c = d.client()
        assert c.hello(d.admin_token).status == 0
        url = None
        for kind, subj in subs:
            r = c.call(feed_url=fpb.FeedRef(**{kind: subj}))
            assert r.status == 0, r.error
            if (kind, subj) == ("teacher", teacher):
                url = r.feed_url.https_url
        c.close()
        path = re.sub(r"^https://[^/]+", "", url)
        ctx = ssl.create_default_context(cafile=os.path.join(d.pki,
                                                             "ca.crt"))
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx,
                                           timeout=10)

        def etag():
            conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
            r = conn.getresponse()
            r.read()
            assert r.status == 200, r.status
            return r.getheader("ETag")

        # two slots the daemon accepts, found by trying candidates
        slots = []
        day = datetime.date(2026, 12, 14)
        while len(slots) < 2 and day < datetime.date(2027, 2, 1):
            if day.weekday() < 5:
                for p in periods:
                    r = d.ctl("session", "reschedule", str(sid), "--date",
                              day.isoformat(), "--period", p)
                    if r.returncode == 0:
                        slots.append((day.isoformat(), p))
                        break
            day += datetime.timedelta(days=1)
        assert len(slots) == 2, slots
        lat, ctl_ms, render, polls = [], [], [], []
        for i in range(N):
            date, per = slots[i % 2]
            before = etag()
            nlog = len(d.log)
            t0 = time.perf_counter()
            r = d.ctl("session", "reschedule", str(sid), "--date", date,
                      "--period", per)
            t1 = time.perf_counter()
            assert r.returncode == 0, r.stderr
            k = 0
            while True:
                k += 1
                if etag() != before:
                    break
            t2 = time.perf_counter()
            m = wait_log(d, nlog, r"feeds: rendered (\d+) feeds? \((\d+) "
                         r"events\) in ([\d.]+) ms")
            lat.append((t2 - t0) * 1e3)
            ctl_ms.append((t1 - t0) * 1e3)
            render.append(float(m.group(3)))
            polls.append(k)
            nfeeds = int(m.group(1))
        conn.close()
        full, nev = [], 0
        for _ in range(HUPS):
            nlog = len(d.log)
            d.proc.send_signal(signal.SIGHUP)
            m = wait_log(d, nlog, r"feeds: rendered (\d+) feeds \((\d+) "
                         r"events\) in ([\d.]+) ms")
            full.append(float(m.group(3)))
            nall, nev = int(m.group(1)), int(m.group(2))
            wait_log(d, nlog, r"certificates reloaded")
        print("full demo district: %d feeds, %d sessions; teacher %s, "
              "session %d moved between %s and %s" % (
                  len(subs), nsess, teacher, sid, slots[0], slots[1]))
        print()
        print("| measure | n | median | min | max |")
        print("|---|---:|---:|---:|---:|")
        for name, v, unit in (
                ("reschedule -> first GET with new ETag", lat, "ms"),
                ("coachctl session reschedule (process wall time)", ctl_ms,
                 "ms"),
                ("daemon render of the %d touched feeds" % nfeeds, render,
                 "ms"),
                ("GETs until the new ETag", polls, ""),
                ("full re-render, %d feeds / %d events (SIGHUP)"
                 % (nall, nev), full, "ms")):
            fmt = "%.0f" if unit == "" else "%.2f"
            print("| %s | %d | %s %s | %s | %s |" % (
                name, len(v), fmt % statistics.median(v), unit,
                fmt % min(v), fmt % max(v)))
        d.stop()
    finally:
        d.cleanup()


if __name__ == "__main__":
    main()
