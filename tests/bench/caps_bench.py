"""`coachctl report district --weeks 12` against a real coachd over TLS on
a generated large district: C coaches in S schools (every tenth coach
serves two), 10 teachers per coach, 12 weeks of time per coach (5 log
entries and 4 sessions a week, a few cancelled; every seventh coach
also logs 5h of data work a week, past the shipped 4h/week cap).  The rows are written
straight into the daemon's database between a first start (which creates
the schema) and a second (bulk loading through the protocol would time
the loader, not the report); the report itself goes through coachd and
coachctl.  Median of 3 runs of the report (wall time of coachctl), the
daemon's RSS before/after and its peak; prints a table, no assertion.

  COACHD_BIN=build-x/bin COACHD_SRC=. COACHD_BUILD=build-x \\
    /usr/bin/python3 tests/bench/caps_bench.py 100 300
"""
import datetime
import os
import random
import re
import sqlite3
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration"))
import harness as h  # noqa: E402

WEEKS = 12
KINDS = [("meeting", 45), ("observation", 50), ("debrief", 30),
         ("modelling", 50)]


def status_kb(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def categories():
    with open(os.path.join(h.SRC, "conf", "categories.conf")) as f:
        ids = re.findall(r"^\[category ([a-z0-9-]+)\]", f.read(), re.M)
    # will-not-do duties need an override: leave them to the sessions
    return [c for c in ids if c not in ("duty",)]


def fill(db, ncoach, today):
    rnd = random.Random(7)
    cats = categories()
    nschool = max(1, ncoach // 10)
    monday = today - datetime.timedelta(days=today.weekday())
    first = monday - datetime.timedelta(weeks=WEEKS - 1)
    con = sqlite3.connect(db)
    con.executemany("INSERT INTO schools (id, name, kind) VALUES (?, ?,"
                    " 'high')", [("s%d" % i, "School %d" % i)
                                 for i in range(nschool)])
    con.executemany("INSERT INTO coaches (id, name, caseload_cap) VALUES"
                    " (?, ?, 20)", [("c%d" % i, "Coach %d" % i)
                                    for i in range(ncoach)])
    cs, teachers, logs, sessions = [], [], [], []
    for c in range(ncoach):
        cs.append(("c%d" % c, "s%d" % (c % nschool)))
        if c % 10 == 0 and nschool > 1:
            cs.append(("c%d" % c, "s%d" % ((c + 1) % nschool)))
        for t in range(10):
            teachers.append(("t%d_%d" % (c, t), "T", "s%d" % (c % nschool)))
        for w in range(WEEKS):
            wk = first + datetime.timedelta(weeks=w)
            for k in range(5):
                day = wk + datetime.timedelta(days=k)
                if day > today:
                    continue
                logs.append(("c%d" % c, rnd.choice(cats),
                             rnd.choice((30, 45, 60, 90, 120)),
                             day.isoformat(), "", 0, "bench"))
            if c % 7 == 0 and wk <= today:    # some coaches past 4h/week
                logs.append(("c%d" % c, "data-work", 300, wk.isoformat(),
                             "", 0, "bench"))
            for k, (kind, mins) in enumerate(KINDS):
                day = wk + datetime.timedelta(days=k)
                st = "cancelled" if rnd.random() < 0.05 else "confirmed"
                sessions.append(("u%d-%d-%d" % (c, w, k), kind, "c%d" % c,
                                 "t%d_%d" % (c, rnd.randrange(10)),
                                 "s%d" % (c % nschool), day.isoformat(),
                                 480 + 60 * k, 480 + 60 * k + mins, st,
                                 "scheduler", 0, 0))
    con.executemany("INSERT INTO coach_schools VALUES (?, ?)", cs)
    con.executemany("INSERT INTO teachers (id, name, school) VALUES"
                    " (?, ?, ?)", teachers)
    con.executemany("INSERT INTO activity_log (coach, category, minutes,"
                    " date, note, created_at, created_by) VALUES"
                    " (?, ?, ?, ?, ?, ?, ?)", logs)
    con.executemany("INSERT INTO sessions (uid, kind, coach, teacher,"
                    " school, date, start_min, end_min, status,"
                    " initiated_by, created_at, modified_at) VALUES"
                    " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sessions)
    con.commit()
    con.close()
    return nschool, len(logs), len(sessions)


def run(ncoach, today):
    d = h.Daemon()
    d.write_conf(server__max_frame="64M")
    try:
        d.start()
        d.stop()
        nschool, nlog, nsess = fill(d.db, ncoach, today)
        d.start()
        rss0 = status_kb(d.proc.pid, "VmRSS")
        walls = []
        for _ in range(3):
            t = time.time()
            j = d.ctl_json("report", "district", "--weeks", str(WEEKS))
            walls.append(time.time() - t)
        rss1 = status_kb(d.proc.pid, "VmRSS")
        hwm = status_kb(d.proc.pid, "VmHWM")
        over = len(j.get("over", []))
        d.stop()
        return (ncoach, nschool, nlog, nsess, statistics.median(walls),
                rss0, rss1, hwm, over)
    finally:
        d.cleanup()


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [300]
    today = datetime.date.today()
    print("| coaches | schools | log entries | sessions | report district"
          " --weeks 12 (median of 3) | coachd RSS before / after | peak RSS"
          " | coaches over a cap |")
    print("|---|---|---|---|---|---|---|---|")
    for n in sizes:
        r = run(n, today)
        print("| %d | %d | %d | %d | %.0f ms | %.1f / %.1f MB | %.1f MB |"
              " %d |" % (r[0], r[1], r[2], r[3], r[4] * 1000, r[5] / 1024,
                         r[6] / 1024, r[7] / 1024, r[8]))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
