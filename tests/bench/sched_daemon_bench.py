#!/usr/bin/python3
"""Benchmark `coachctl admin schedule` through the real daemon.

Builds a large district from COPIES copies of the full demo district
(scripts/gen-demo-district.py; ids renamed per copy, students left out:
the scheduler never reads them), imports it, submits every copy's
questions, runs `admin assign`, then times `admin schedule --dry-run`
RUNS times (median) and one publishing run, and reads coachd's peak RSS
(VmHWM) before and after the scheduling runs.  Prints a table.

    COACHD_BIN=build-rel/bin COACHD_SRC=. COACHD_BUILD=build-rel \\
        /usr/bin/python3 tests/bench/sched_daemon_bench.py [COPIES] [RUNS]
"""

import csv
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import harness as h                      # noqa: E402
from test_schedule import replicate_district  # noqa: E402

FROM = "2026-11-30"     # a Monday


def vm_hwm(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return -1


def main():
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    demo = os.path.join(h.SRC, "scripts", "demo.d")
    conf = "[server]\nmax_frame = 64M\n"
    for name in ("20-questions.conf", "40-schedule.conf"):
        with open(os.path.join(demo, name)) as f:
            conf += f.read()
    d = h.Daemon(extra_conf=conf)
    d.start()
    try:
        one = os.path.join(d.dir, "one")
        big = os.path.join(d.dir, "big")
        r = h.run(["/usr/bin/python3", os.path.join(
            h.SRC, "scripts", "gen-demo-district.py"), one])
        assert r.returncode == 0, r.stderr
        replicate_district(one, big, copies)
        t = time.time()
        d.ctl("admin", "import", big, check=0)
        t_import = time.time() - t
        topics = {x for q in d.ctl_json("queue", "list")["queues"]
                  for x in q["topics"]}
        with open(os.path.join(big, "questions.csv"), newline="") as f:
            for row in csv.DictReader(f):
                args = ["question", "submit", " ".join(row["text"].split()),
                        "--teacher", row["teacher_id"]]
                if row["topic"] in topics:
                    args += ["--topic", row["topic"]]
                d.ctl(*args, check=0)
        d.ctl("admin", "assign", check=0)
        con = __import__("sqlite3").connect(d.db)
        counts = [con.execute("SELECT COUNT(*) FROM %s" % t).fetchone()[0]
                  for t in ("teachers", "coaches", "schools")]
        pairs = con.execute("SELECT COUNT(DISTINCT school || '/' || period)"
                            " FROM bell_periods").fetchone()[0]
        con.close()
        rss0 = vm_hwm(d.proc.pid)
        walls, engine = [], []
        for _ in range(runs):
            t = time.time()
            j = d.ctl_json("admin", "schedule", "--dry-run", "--from", FROM)
            walls.append(time.time() - t)
            engine.append(j.get("solve_ms", 0))
        t = time.time()
        pub = d.ctl_json("admin", "schedule", "--from", FROM)
        t_pub = time.time() - t
        rss1 = vm_hwm(d.proc.pid)
        print("district: %d copies, %d teachers, %d coaches, %d schools, "
              "%d (school, period) pairs; import %.1f s" % (
                  copies, counts[0], counts[1], counts[2], pairs, t_import))
        print("| run | wall (median of %d) | engine | cycles | new | "
              "unplaceable | groups | coachd peak RSS |" % runs)
        print("|---|---|---|---|---|---|---|---|")
        print("| admin schedule --dry-run | %.2f s | %d ms | %d | %d | %d | "
              "%d | %d MB before, %d MB after |" % (
                  statistics.median(walls), statistics.median(engine),
                  len(j["entries"]), j.get("placed", 0),
                  j.get("unplaceable", 0), j.get("groups", 0), rss0, rss1))
        print("| admin schedule (publish) | %.2f s | %d ms | %d | %d | %d | "
              "%d | |" % (t_pub, pub.get("solve_ms", 0),
                          len(pub["entries"]), pub.get("placed", 0),
                          pub.get("unplaceable", 0), pub.get("groups", 0)))
    finally:
        d.cleanup()


if __name__ == "__main__":
    main()
