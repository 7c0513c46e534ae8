"""Benchmark of `coachctl admin assign` end to end (the daemon side of
matching): a seeded synthetic district is written into a fresh coachd database,
then the real coachctl asks for a dry run (three times, median) and an
apply.  Wall time includes TLS, SQL reads, scoring, the solve, the reply
and the client's table; coachd's peak RSS comes from /proc.

  /usr/bin/python3 tests/bench/assign_bench.py [SIZE ...]
  SIZE = questions (coaches = questions/20, teachers = 2 x questions)
Run with COACHD_BIN=build/bin (a release build).
"""
import os
import random
import sqlite3
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))
import harness as h  # noqa: E402

AREAS = ["literacy", "math", "science", "classroom-culture", "instruction",
         "inclusion", "technology", "assessment"]


def populate(d, n_q, seed=7):
    rng = random.Random(seed)
    n_c, n_t = max(3, n_q // 20), 2 * n_q
    n_s = max(2, n_t // 60)
    now = int(time.time())
    c = sqlite3.connect(d.db)
    c.executemany("INSERT INTO schools (id, name) VALUES (?, ?)",
                  [("s%d" % i, "School %d" % i) for i in range(n_s)])
    c.executemany("INSERT INTO coaches (id, name, caseload_cap) VALUES"
                  " (?, ?, ?)", [("c%05d" % i, "Coach %d" % i,
                                  rng.randint(10, 18)) for i in range(n_c)])
    exp, intr, cs = [], [], []
    for i in range(n_c):
        cid = "c%05d" % i
        for a in rng.sample(AREAS, 2):
            exp.append((cid, a, rng.randint(1, 3)))
        for a in rng.sample(AREAS, 2):
            intr.append((cid, a + "-topic"))
        for s in rng.sample(range(n_s), min(n_s, rng.randint(3, 8))):
            cs.append((cid, "s%d" % s))
    c.executemany("INSERT INTO coach_expertise VALUES (?, ?, ?)", exp)
    c.executemany("INSERT INTO coach_interests VALUES (?, ?)", intr)
    c.executemany("INSERT INTO coach_schools VALUES (?, ?)", cs)
    c.executemany("INSERT INTO teachers (id, name, school) VALUES (?, ?, ?)",
                  [("t%06d" % i, "T %d" % i, "s%d" % rng.randrange(n_s))
                   for i in range(n_t)])
    qs = []
    for i, t in enumerate(rng.sample(range(n_t), n_q)):
        a = rng.choice(AREAS)
        qs.append(("t%06d" % t, "question %d" % i, a + "-topic", a, "queued",
                   "bench", now - rng.randint(0, 40) * 86400))
    c.executemany("INSERT INTO questions (teacher, text, topic, area, state,"
                  " submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  qs)
    c.commit()
    c.close()
    return n_c, n_t, n_s


def peak_rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def bench(n_q):
    d = h.Daemon()
    try:
        n_c, n_t, n_s = populate(d, n_q)
        d.start()
        runs = []
        for _ in range(3):
            t0 = time.time()
            r = d.ctl("admin", "assign", "--dry-run", check=0)
            runs.append(time.time() - t0)
        first = r.stdout.splitlines()[0]
        t0 = time.time()
        d.ctl("admin", "assign", check=0)
        apply_s = time.time() - t0
        rss = peak_rss_kb(d.proc.pid)
        d.stop()
        return (n_q, n_c, n_t, statistics.median(runs), apply_s, rss, first)
    finally:
        d.cleanup()


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 5000, 20000]
    print("| questions | coaches | teachers | dry run (median of 3) | apply |"
          " coachd peak RSS |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        q, c, t, dry, app, rss, first = bench(n)
        print("| %d | %d | %d | %.2f s | %.2f s | %d MB |" % (
            q, c, t, dry, app, rss // 1024))
        print("  " + first, file=sys.stderr)


if __name__ == "__main__":
    main()
