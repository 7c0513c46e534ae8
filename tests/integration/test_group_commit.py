"""Group commit: writes from many connections share one COMMIT, and every
acknowledged write is on disk -- after a clean restart and after a SIGKILL
in the middle of the load; a write that was not acknowledged is either
there whole or not at all."""
import threading

import harness as h

CONNS = 32
PER_CONN = 25
DEPTH = 4


def writer(d, n, acked, stop, errors):
    pb = h.pb2()
    try:
        c = d.client()
        assert c.hello(d.admin_token).status == pb.OK
        sent = {}
        i = 0
        while (i < PER_CONN or sent) and not stop.is_set():
            while i < PER_CONN and len(sent) < DEPTH:
                sid = "g%d-%d" % (n, i)
                sent[c.send(school_add=pb.SchoolPut(school=pb.School(
                    id=sid, name="Group %d %d" % (n, i))))] = sid
                i += 1
            r = c.recv()
            if r is None:
                return
            if r.status == pb.OK:
                acked.add(sent[r.id])
            del sent[r.id]
        c.close()
    except (OSError, AssertionError) as e:
        if not stop.is_set():
            errors.append(repr(e))


def load(d, stop):
    acked, errors = set(), []
    ts = [threading.Thread(target=writer, args=(d, n, acked, stop, errors))
          for n in range(CONNS)]
    for t in ts:
        t.start()
    return ts, acked, errors


def stored(d):
    pb = h.pb2()
    c = d.client()
    assert c.hello(d.admin_token).status == pb.OK
    r = c.call(school_list=pb.ListRequest(include_inactive=True))
    assert r.status == pb.OK, r.error
    return {s.id: s.name for s in r.schools.schools}


def t_all_acknowledged_after_restart(d):
    ts, acked, errors = load(d, threading.Event())
    for t in ts:
        t.join()
    assert not errors, errors
    assert len(acked) == CONNS * PER_CONN, len(acked)
    d.restart()
    have = stored(d)
    missing = [s for s in acked if s not in have]
    assert not missing, missing[:5]


def t_acknowledged_survive_sigkill(d):
    stop = threading.Event()
    ts, acked, errors = load(d, stop)
    while len(acked) < CONNS * PER_CONN // 3:
        threading.Event().wait(0.005)
    d.kill()
    stop.set()
    for t in ts:
        t.join()
    snapshot = set(acked)
    d.start()
    have = stored(d)
    missing = [s for s in snapshot if s not in have]
    assert not missing, missing[:5]
    # nothing half-applied: every stored group school is whole
    for sid, name in have.items():
        if sid.startswith("g"):
            n, i = sid[1:].split("-")
            assert name == "Group %s %s" % (n, i), (sid, name)


tests = [h.with_daemon(f) for f in [t_all_acknowledged_after_restart,
                                     t_acknowledged_survive_sigkill]]

if __name__ == "__main__":
    h.main(tests)
