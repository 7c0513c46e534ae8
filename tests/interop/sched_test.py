#!/usr/bin/python3
"""Interop test for `coach-solve schedule`.

- random small instances: every output passes the independent validator
  (sched_validate.py), and the count scheduled is compared with the exact
  optimum of a MIP solved by glpsol: >= 90% of it on every instance and
  equal to it on >= 95% of them;
- incremental re-plan: after one teacher's timetable changes, feeding the
  previous sessions back as "published" moves only that teacher's cycles;
- bad input exits 2 with a message naming the problem.
"""
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sched_mip  # noqa: E402
import sched_validate  # noqa: E402

BIN = os.path.join(os.environ.get("COACHD_BIN", "build/bin"), "coach-solve")
N_INSTANCES = int(os.environ.get("SCHED_INSTANCES", "60"))


def solve(inst, raw=None):
    data = raw if raw is not None else json.dumps(inst)
    p = subprocess.run([BIN, "schedule"], input=data.encode(),
                       capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def random_instance(rng):
    days = rng.choice([5, 6, 7])
    periods = ["P%d" % i for i in range(1, rng.choice([4, 5]) + 1)]
    coaches = []
    for c in range(rng.randint(2, 3)):
        av = [[d, p] for d in range(days) for p in periods
              if rng.random() < 0.6]
        co = {"id": "c%d" % c, "available": av,
              "max_sessions_per_day": rng.randint(2, 4),
              "max_teachers_per_week": rng.randint(1, 3)}
        if rng.random() < 0.3:
            co["max_sessions_per_week"] = rng.randint(4, 9)
        coaches.append(co)
    teachers = []
    for t in range(rng.randint(3, 6)):
        teach, free = [], []
        for d in range(days):
            for p in periods:
                r = rng.random()
                if r < 0.55:
                    teach.append([d, p])
                elif r < 0.85:
                    free.append([d, p])
        teachers.append({"id": "t%d" % t, "teaching": teach, "free": free})
    cycles = []
    for k in range(rng.randint(5, 9)):
        cy = {"id": "k%d" % k, "coach": rng.choice(coaches)["id"],
              "teacher": rng.choice(teachers)["id"],
              "debrief_within_days": rng.randint(0, 2)}
        te = next(t for t in teachers if t["id"] == cy["teacher"])
        if te["teaching"] and rng.random() < 0.3:
            cy["observe_in"] = rng.sample(te["teaching"],
                                          min(len(te["teaching"]), 3))
        cycles.append(cy)
    inst = {"days": days, "periods": periods, "coaches": coaches,
            "teachers": teachers, "cycles": cycles,
            "seed": rng.randint(0, 1000)}
    if rng.random() < 0.3:
        te = rng.choice(teachers)
        if te["free"]:
            d, p = te["free"][0]
            inst["fixed"] = [{"coach": rng.choice(coaches)["id"],
                              "teacher": te["id"], "day": d, "period": p}]
    return inst


def check_random():
    rng = random.Random(20261124)
    optimal = 0
    worst = 1.0
    for i in range(N_INSTANCES):
        inst = random_instance(rng)
        rc, out, err = solve(inst)
        assert rc == 0, "instance %d: rc %d: %s" % (i, rc, err)
        res = json.loads(out)
        bad = sched_validate.validate(inst, res)
        assert not bad, "instance %d: %s\n%s" % (i, bad, json.dumps(inst))
        opt = sched_mip.optimum(inst)
        got = res["scheduled"]
        assert got <= opt, "instance %d: %d > optimum %d" % (i, got, opt)
        ratio = got / opt if opt else 1.0
        worst = min(worst, ratio)
        optimal += got == opt
        assert ratio >= 0.9, "instance %d: %d of optimum %d\n%s" % (
            i, got, opt, json.dumps(inst))
    share = optimal / N_INSTANCES
    print("random: %d instances, optimum on %d (%.0f%%), worst ratio %.2f"
          % (N_INSTANCES, optimal, 100 * share, worst))
    assert share >= 0.95, "optimum on only %.0f%% of instances" % (
        100 * share)


def replan_instance(rng):
    days, periods = 10, ["P1", "P2", "P3", "P4", "P5", "P6"]
    slots = [[d, p] for d in range(days) for p in periods]
    coaches = [{"id": "c%d" % c, "available": [s for s in slots
                                             if rng.random() < 0.8],
                "max_sessions_per_day": 4, "max_teachers_per_week": 4}
               for c in range(3)]
    teachers = []
    for t in range(8):
        teach = [s for s in slots if rng.random() < 0.6]
        free = [s for s in slots if s not in teach]
        teachers.append({"id": "t%d" % t, "teaching": teach, "free": free})
    cycles = [{"id": "k%d" % k, "coach": "c%d" % (k % 3),
               "teacher": "t%d" % (k % 8)} for k in range(12)]
    return {"days": days, "periods": periods, "coaches": coaches,
            "teachers": teachers, "cycles": cycles, "seed": 7}


def check_replan():
    rng = random.Random(5)
    for trial in range(10):
        inst = replan_instance(rng)
        rc, out, err = solve(inst)
        assert rc == 0, err
        first = json.loads(out)
        assert not sched_validate.validate(inst, first)
        mine = [s for s in first["sessions"] if s["kind"] == "meeting"]
        s = mine[trial % len(mine)]
        cyc = next(c for c in inst["cycles"] if c["id"] == s["cycle"])
        who = cyc["teacher"]
        te = next(t for t in inst["teachers"] if t["id"] == who)
        # The teacher loses that free period (a new duty).
        te["free"] = [x for x in te["free"]
                      if x != [s["day"], s["period"]]]
        inst["published"] = first["sessions"]
        rc, out, err = solve(inst)
        assert rc == 0, err
        second = json.loads(out)
        assert not sched_validate.validate(inst, second)
        moved = {m["cycle"] for m in second["moved"]}
        assert s["cycle"] in moved, "broken cycle not reported as moved"
        for m in second["moved"]:
            c = next(c for c in inst["cycles"] if c["id"] == m["cycle"])
            assert c["teacher"] == who, "moved %s of another teacher" % c
            assert "no longer free" in m["reason"], m["reason"]
        before = {(x["cycle"], x["kind"]): x for x in first["sessions"]}
        after = {(x["cycle"], x["kind"]): x for x in second["sessions"]}
        for key, x in before.items():
            c = next(c for c in inst["cycles"] if c["id"] == key[0])
            if c["teacher"] != who:
                assert after.get(key) == x, "session %s moved" % (key,)
        assert second["scheduled"] >= first["scheduled"] - 1
    print("replan: 10 one-teacher changes moved only that teacher")


BAD = [
    ("{", "malformed"),
    ('{"days":2}', "required"),
    ('{"days":-1,"periods":["P1"]}', "days"),
    ('{"days":2,"periods":["P1","P1"]}', "duplicate"),
    ('{"days":2,"periods":["P1"],"bogus":1}', "unknown field"),
    ('{"days":2,"periods":["P1"],"coaches":[{"id":"c1","available":'
     '[[2,"P1"]]}]}', "day 2 out of range"),
    ('{"days":2,"periods":["P1"],"coaches":[{"id":"c1","available":'
     '[[0,"P9"]]}]}', "unknown period \"P9\""),
    ('{"days":2,"periods":["P1"],"coaches":[{"id":"c1","available":[],'
     '"max_sessions_per_day":-3}]}', "max_sessions_per_day"),
    ('{"days":2,"periods":["P1"],"coaches":[{"id":"c1","available":[]},'
     '{"id":"c1","available":[]}]}', "duplicate id"),
    ('{"days":2,"periods":["P1"],"coaches":[{"id":"c1","available":[]}],'
     '"teachers":[],"cycles":[{"id":"k1","coach":"c1","teacher":"t9"}]}',
     "unknown teacher \"t9\""),
    ('{"days":2,"periods":["P1"],"teachers":[{"id":"t1","teaching":'
     '[[0,"P1"]],"free":[[0,"P1"]]}]}', "both teaching and free"),
    ('{"days":2,"periods":["P1"],"cycles":[],"published":[{"cycle":"k1",'
     '"kind":"meeting","day":0,"period":"P1"}]}', "unknown cycle"),
    ('{"days":2,"periods":["P1"],"coaches":[{"id":"c1","available":[]}],'
     '"teachers":[{"id":"t1"}],"cycles":[{"id":"k1","coach":"c1",'
     '"teacher":"t1","debrief_within_days":-1}]}', "debrief_within_days"),
    ('{"days":2,"periods":["P1"],"coaches":[[1,2]]}', "expected an object"),
]


def check_bad_input():
    for raw, want in BAD:
        rc, out, err = solve(None, raw)
        assert rc == 2, "rc %d for %s" % (rc, raw)
        assert want in err, "message %r lacks %r" % (err, want)
        assert out == "", "output on bad input"
    print("bad input: %d cases exit 2 with a message" % len(BAD))


def check_mutations():
    """Truncated or corrupted input: exit 0 or 2, never a crash."""
    rng = random.Random(11)
    raw = json.dumps(random_instance(rng))
    for i in range(120):
        b = list(raw)
        if i % 3 == 0:
            b = b[:rng.randrange(len(b))]
        else:
            for _ in range(rng.randint(1, 4)):
                b[rng.randrange(len(b))] = rng.choice('[]{}",:0123456789-ePx\\ ')
        rc, _out, err = solve(None, "".join(b))
        assert rc in (0, 2), "mutation %d: rc %d %s" % (i, rc, err)
        if rc == 2:
            assert err.startswith("coach-solve schedule: "), err
    print("mutations: 120 corrupted inputs handled")


def check_reasons():
    inst = {"days": 5, "periods": ["P1", "P2"],
            "coaches": [{"id": "Mr Lee", "available": [[0, "P1"], [0, "P2"],
                                                       [1, "P1"], [1, "P2"],
                                                       [2, "P1"], [2, "P2"]],
                         "max_teachers_per_week": 1}],
            "teachers": [{"id": "Ms Ortiz", "teaching": [[0, "P1"]],
                          "free": []},
                         {"id": "Mr Wu", "teaching": [[0, "P2"]],
                          "free": [[0, "P1"], [1, "P1"]]},
                         {"id": "Ms Ng", "teaching": [[2, "P1"]],
                          "free": [[1, "P2"], [2, "P2"]]}],
            "cycles": [{"id": "k1", "coach": "Mr Lee", "teacher": "Ms Ortiz"},
                       {"id": "k2", "coach": "Mr Lee", "teacher": "Mr Wu"},
                       {"id": "k3", "coach": "Mr Lee", "teacher": "Ms Ng"}]}
    rc, out, err = solve(inst)
    assert rc == 0, err
    res = json.loads(out)
    why = {u["cycle"]: u["reason"] for u in res["unscheduled"]}
    assert why["k1"] == ("no period in the next 5 school days where Ms Ortiz"
                         " is free and Mr Lee is available"), why
    assert res["scheduled"] == 1
    left = "k3" if "k3" in why else "k2"
    assert "already sees 1 distinct teachers in week 0" in why[left], why
    print("reasons: %s" % why)


def check_validator_catches():
    """The validator must reject broken outputs, or it proves nothing."""
    inst = random_instance(random.Random(3))
    rc, out, err = solve(inst)
    assert rc == 0, err
    good = json.loads(out)
    assert good["sessions"], "need at least one session"
    assert not sched_validate.validate(inst, good)
    s0 = good["sessions"][0]
    broken = [
        # swap meeting and observation kinds: order / free / teaching
        dict(good, sessions=[dict(x, kind={"meeting": "observation",
                                           "observation": "meeting"}.get(
                                               x["kind"], x["kind"]))
                             for x in good["sessions"]]),
        # drop one session: partial cycle
        dict(good, sessions=good["sessions"][1:]),
        # duplicate a cycle's meeting under another cycle id
        dict(good, sessions=good["sessions"] + [dict(s0, cycle=next(
            c["id"] for c in inst["cycles"]
            if c["id"] != s0["cycle"]))]),
        dict(good, scheduled=good["scheduled"] + 1),
    ]
    for b in broken:
        assert sched_validate.validate(inst, b), "validator missed %r" % b
    print("validator: rejects %d broken outputs" % len(broken))


def main():
    check_validator_catches()
    check_bad_input()
    check_mutations()
    check_reasons()
    check_replan()
    check_random()
    print("ok")


if __name__ == "__main__":
    main()
