#!/usr/bin/python3
"""District-scale roster import through the real daemon.

For each size (teachers), writes the district with roster_gen.py (with
its students and their enrolments) into the daemon's [import] dir, then
times `coachctl admin import --server-path` three ways: the first import
into an empty database, a re-import of the unchanged export, and one
with 1% of the teachers renamed.  While the first import runs, the
independent protocol client pings every 20 ms on its own connection:
the table shows that latency (median, p99, worst), i.e. whether the
daemon's loop ever waits for the import.  RSS is coachd's peak (VmHWM)
after the three imports, and RSS of the daemon at rest after them.

    COACHD_BIN=build/bin COACHD_SRC=. COACHD_BUILD=build \\
        /usr/bin/python3 tests/bench/scale_bench.py [TEACHERS...]

Default sizes: 5000 20000.
"""

import os
import statistics
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import harness as h                      # noqa: E402


def proc_kb(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def rename_one_percent(d):
    """Rewrite users.csv with every 100th teacher's given name changed."""
    path = os.path.join(d, "users.csv")
    with open(path) as f:
        lines = f.readlines()
    n = 0
    for i, line in enumerate(lines):
        if ",teacher,Ann," in line and i % 100 == 1:
            lines[i] = line.replace(",teacher,Ann,", ",teacher,Anne,")
            n += 1
    with open(path, "w") as f:
        f.writelines(lines)
    return n


def timed_import(d, name):
    t = time.time()
    r = d.ctl("admin", "import", "--server-path", name)
    took = time.time() - t
    assert r.returncode == 0, r.stderr
    return took


def pinger(d, stop, lat):
    c = d.client()
    assert c.hello(d.admin_token).status == 0
    pb = h.pb2()
    while not stop.is_set():
        t = time.time()
        r = c.call(ping=pb.Empty())
        lat.append((time.time() - t) * 1000)
        assert r.status == 0
        time.sleep(0.02)
    c.close()


def one_size(n):
    d = h.Daemon()
    imports = os.path.join(d.dir, "imports")
    os.makedirs(imports)
    d.extra_conf = "[import]\ndir = %s\n" % imports
    d.write_conf(server__log_level="info", server__idle_timeout="1h")
    dist = os.path.join(imports, "d")
    r = h.run(["/usr/bin/python3", os.path.join(HERE, "roster_gen.py"),
               dist, str(n)])
    assert r.returncode == 0, r.stderr
    mb = sum(os.path.getsize(os.path.join(dist, f))
             for f in os.listdir(dist)) / 1e6
    d.start()
    try:
        lat, stop = [], threading.Event()
        th = threading.Thread(target=pinger, args=(d, stop, lat))
        th.start()
        time.sleep(0.2)
        lat.clear()
        first = timed_import(d, "d")
        stop.set()
        th.join()
        same = timed_import(d, "d")
        renamed = rename_one_percent(dist)
        changed = timed_import(d, "d")
        peak = proc_kb(d.proc.pid, "VmHWM") // 1024
        rest = proc_kb(d.proc.pid, "VmRSS") // 1024
    finally:
        d.stop()
        d.cleanup()
    lat.sort()
    return {"n": n, "mb": mb, "first": first, "same": same,
            "changed": changed, "renamed": renamed, "peak": peak,
            "rest": rest, "pings": len(lat),
            "p50": statistics.median(lat) if lat else -1,
            "p99": lat[int(len(lat) * 0.99) - 1] if lat else -1,
            "max": lat[-1] if lat else -1}


def main():
    sizes = [int(x) for x in sys.argv[1:]] or [5000, 20000]
    print("| teachers | CSV MB | first import (s) | unchanged (s) | "
          "1% changed (s) | peak RSS MB | RSS after MB | pings | "
          "ping p50 / p99 / max (ms) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        r = one_size(n)
        print("| %(n)d | %(mb).0f | %(first).1f | %(same).1f | "
              "%(changed).1f | %(peak)d | %(rest)d | %(pings)d | "
              "%(p50).1f / %(p99).1f / %(max).1f |" % r, flush=True)


if __name__ == "__main__":
    main()
