"""Durable writes/s over the real protocol: CONNS connections (processes
of threads, each a connection with DEPTH school_add requests in flight)
against a real coachd; every counted write was acknowledged OK, so it is
on disk (synchronous=FULL).  Usage: write_bench.py [CONNS] [DEPTH] [SECS]
COACHD_BIN picks the daemon (compare two builds side by side)."""
import multiprocessing as mp
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))
import harness as h  # noqa: E402


def conn_loop(d, tag, depth, until, out):
    pb = h.pb2()
    c = d.client()
    assert c.hello(d.admin_token).status == pb.OK
    n = ok = inflight = 0
    while True:
        while inflight < depth and time.time() < until:
            c.send(school_add=pb.SchoolPut(school=pb.School(
                id="w%s-%d" % (tag, n), name="W")))
            n += 1
            inflight += 1
        if inflight == 0:
            break
        r = c.recv()
        inflight -= 1
        ok += r.status == pb.OK
    out.append(ok)


def proc(d, p, conns, depth, until, q):
    out = []
    ts = [threading.Thread(target=conn_loop,
                           args=(d, "%d-%d" % (p, i), depth, until, out))
          for i in range(conns)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    q.put(sum(out))


def main():
    conns = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    depth = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    secs = float(sys.argv[3]) if len(sys.argv) > 3 else 3
    d = h.Daemon()
    d.write_conf(server__max_per_address="1000")
    d.start()
    try:
        nproc = 4
        q = mp.Queue()
        start = time.time() + 1.0
        until = start + secs
        ps = [mp.Process(target=proc, args=(d, p, conns // nproc, depth,
                                            until, q)) for p in range(nproc)]
        for p in ps:
            p.start()
        total = sum(q.get() for _ in ps)
        for p in ps:
            p.join()
        el = time.time() - start
        print("| conns | depth | acked writes | seconds | writes/s |")
        print("|---|---|---|---|---|")
        print("| %d | %d | %d | %.1f | %.0f |" % (conns, depth, total, el,
                                                total / el))
    finally:
        d.cleanup()


if __name__ == "__main__":
    main()
