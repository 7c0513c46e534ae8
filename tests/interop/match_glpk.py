#!/usr/bin/python3
"""match_glpk: cross-check `coach-solve assign` against GLPK's glpsol.

Generates small random instances (ties, zero capacities, requests with no
edges, coaches with no edges), solves each with coach-solve and with an
integer program in MathProg (count first via a large weight, then score),
and compares the assigned count and total score.  Also checks that the
plan coach-solve prints is feasible and adds up.
"""
import json
import os
import random
import subprocess
import sys
import tempfile

BIN = os.environ.get("COACHD_BIN", "build/bin")
SOLVE = os.path.join(BIN, "coach-solve")
N_INSTANCES = 200

MODEL = """
set R; set C; set E within {R, C};
param cap{C} >= 0; param w{E} >= 0; param big;
var x{E} binary;
maximize obj: sum{(r, c) in E} (big + w[r, c]) * x[r, c];
s.t. one{r in R}: sum{(r, c) in E} x[r, c] <= 1;
s.t. load{c in C}: sum{(r, c) in E} x[r, c] <= cap[c];
solve;
printf "RESULT %d %d\\n", sum{(r, c) in E} x[r, c],
    sum{(r, c) in E} w[r, c] * x[r, c];
end;
"""


def instance(rng):
    nc = rng.randint(1, 6)
    nr = rng.randint(0, 14)
    coaches = [{"id": "c%d" % i, "capacity": rng.choice((0, 1, 1, 2, 3))}
               for i in range(nc)]
    requests = [{"id": "q%d" % i} for i in range(nr)]
    scores = rng.choice(((0,), (5, 10), tuple(range(0, 60, 7))))
    edges = []
    for r in range(nr):
        if rng.random() < 0.15:
            continue                      # request with no edges
        for c in range(nc):
            if rng.random() < 0.45:
                edges.append({"request": "q%d" % r, "coach": "c%d" % c,
                              "score": rng.choice(scores)})
    rng.shuffle(edges)
    return {"coaches": coaches, "requests": requests, "edges": edges}


def glpk(inst, tmp):
    big = 1 + sum(e["score"] for e in inst["edges"])
    data = ["data;", "set R :=", *[q["id"] for q in inst["requests"]], ";",
            "set C :=", *[c["id"] for c in inst["coaches"]], ";",
            "set E :=", *["(%s,%s)" % (e["request"], e["coach"])
                          for e in inst["edges"]], ";",
            "param cap :=", *["%s %d" % (c["id"], c["capacity"])
                              for c in inst["coaches"]], ";",
            "param w :=", *["%s %s %d" % (e["request"], e["coach"],
                                          e["score"])
                            for e in inst["edges"]], ";",
            "param big := %d;" % big, "end;"]
    mod = os.path.join(tmp, "m.mod")
    dat = os.path.join(tmp, "m.dat")
    with open(mod, "w") as f:
        f.write(MODEL)
    with open(dat, "w") as f:
        f.write("\n".join(data) + "\n")
    out = subprocess.run(["glpsol", "-m", mod, "-d", dat],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("RESULT "):
            _, n, s = line.split()
            return int(n), int(s)
    raise RuntimeError("glpsol gave no result:\n" + out)


def check_plan(inst, plan):
    cap = {c["id"]: c["capacity"] for c in inst["coaches"]}
    score = {(e["request"], e["coach"]): e["score"] for e in inst["edges"]}
    order = {q["id"]: i for i, q in enumerate(inst["requests"])}
    seen = set()
    total = 0
    last = -1
    for a in plan["assignments"]:
        key = (a["request"], a["coach"])
        assert key in score and score[key] == a["score"], a
        assert a["request"] not in seen, a
        assert order[a["request"]] > last, "not in request order"
        last = order[a["request"]]
        seen.add(a["request"])
        cap[a["coach"]] -= 1
        assert cap[a["coach"]] >= 0, a
        total += a["score"]
    assert plan["assigned"] == len(plan["assignments"])
    assert plan["total_score"] == total


def main():
    rng = random.Random(4242)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(N_INSTANCES):
            inst = instance(rng)
            text = json.dumps(inst)
            p = subprocess.run([SOLVE, "assign"], input=text,
                               capture_output=True, text=True)
            if p.returncode != 0:
                print("instance %d: exit %d: %s" % (i, p.returncode,
                                                    p.stderr))
                failures += 1
                continue
            plan = json.loads(p.stdout)
            check_plan(inst, plan)
            want = glpk(inst, tmp)
            got = (plan["assigned"], plan["total_score"])
            if got != want:
                print("instance %d: coach-solve %s, glpsol %s\n%s" %
                      (i, got, want, text))
                failures += 1
            # Same input, same output.
            again = subprocess.run([SOLVE, "assign"], input=text,
                                   capture_output=True, text=True)
            if again.stdout != p.stdout:
                print("instance %d: output differs between runs" % i)
                failures += 1
    print("%d instances, %d failures" % (N_INSTANCES, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
