#!/bin/sh
# Benchmark of `coach-solve schedule` at district scale: generates the
# instance (tests/bench/sched_gen.py), solves it RUNS times, and prints
# a table: median wall time, peak RSS (/usr/bin/time -v), cycles placed
# against cycles feasible on their own, and hard-rule violations found
# by the independent validator (tests/interop/sched_validate.py).
#
#   tests/bench/sched_bench.sh [BUILD_DIR] [RUNS] [SEED]
set -eu

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$SRC/build}
RUNS=${2:-3}
SEED=${3:-1}
PY=/usr/bin/python3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

$PY "$SRC/tests/bench/sched_gen.py" --seed "$SEED" > "$TMP/in.json"

i=0
while [ "$i" -lt "$RUNS" ]; do
	/usr/bin/time -v "$BUILD/bin/coach-solve" schedule \
	    < "$TMP/in.json" > "$TMP/out.$i.json" 2> "$TMP/time.$i"
	i=$((i + 1))
done
# Same seed, same answer: every run must print the same bytes.
i=1
while [ "$i" -lt "$RUNS" ]; do
	cmp -s "$TMP/out.0.json" "$TMP/out.$i.json" ||
	    { echo "run $i differs from run 0" >&2; exit 1; }
	i=$((i + 1))
done

BUILD=$BUILD $PY - "$TMP" "$RUNS" "$SEED" "$SRC" <<'EOF'
import json, os, re, statistics, sys
tmp, runs, seed, src = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
sys.path.insert(0, os.path.join(src, "tests", "interop"))
import sched_validate

def secs(s):
    parts = [float(x) for x in s.split(":")]
    t = 0.0
    for x in parts:
        t = t * 60 + x
    return t

times, rss = [], []
for i in range(runs):
    text = open(os.path.join(tmp, "time.%d" % i)).read()
    times.append(secs(re.search(r"Elapsed .*: (\S+)", text).group(1)))
    rss.append(int(re.search(r"Maximum resident set size .*: (\d+)",
                             text).group(1)))
inst = json.load(open(os.path.join(tmp, "in.json")))
out = json.load(open(os.path.join(tmp, "out.0.json")))
bad = sched_validate.validate(inst, out)
n = len(inst["cycles"])
print("| seed | coaches | teachers | cycles | feasible alone | placed "
      "| share | time median (s) | peak RSS (MB) | violations |")
print("|---|---|---|---|---|---|---|---|---|---|")
print("| %s | %d | %d | %d | %d | %d | %.2f%% | %.2f | %.0f | %d |" % (
    seed, len(inst["coaches"]), len(inst["teachers"]), n,
    out["feasible_alone"], out["scheduled"],
    100.0 * out["scheduled"] / max(1, out["feasible_alone"]),
    statistics.median(times), statistics.median(rss) / 1024.0, len(bad)))
print("targets: < 10 s, < 1024 MB, 0 violations; runs=%d; all runs "
      "identical" % runs)
for b in bad[:10]:
    print("violation:", b)
if bad:
    sys.exit(1)

# Incremental re-plan: one teacher loses the free period of a meeting;
# re-solve with the plan published.  Only that teacher may move.
import subprocess, time
meet = next(x for x in out["sessions"] if x["kind"] == "meeting")
cyc = {c["id"]: c for c in inst["cycles"]}
who = cyc[meet["cycle"]]["teacher"]
te = next(t for t in inst["teachers"] if t["id"] == who)
te["free"] = [x for x in te["free"] if x != [meet["day"], meet["period"]]]
inst["published"] = out["sessions"]
with open(os.path.join(tmp, "re.json"), "w") as f:
    json.dump(inst, f, separators=(",", ":"))
t0 = time.monotonic()
with open(os.path.join(tmp, "re.json")) as f:
    p = subprocess.run([os.path.join(os.environ["BUILD"], "bin",
                        "coach-solve"), "schedule"], stdin=f,
                       capture_output=True, check=True)
t1 = time.monotonic()
re_out = json.loads(p.stdout)
others = [m for m in re_out["moved"] if cyc[m["cycle"]]["teacher"] != who]
bad = sched_validate.validate(inst, re_out)
print()
print("| re-plan | moved | of that teacher | of others | kept | placed "
      "| time (s) | violations |")
print("|---|---|---|---|---|---|---|---|")
print("| %s loses %s day %d | %d | %d | %d | %d | %d | %.2f | %d |" % (
    who, meet["period"], meet["day"], len(re_out["moved"]),
    len(re_out["moved"]) - len(others), len(others), re_out["kept"],
    re_out["scheduled"], t1 - t0, len(bad)))
for m in re_out["moved"][:3]:
    print("moved %s: %s" % (m["cycle"], m["reason"]))
sys.exit(1 if bad or others else 0)
EOF
