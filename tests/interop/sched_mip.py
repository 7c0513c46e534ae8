"""Exact optimum of a small scheduling instance, by a MIP solved with GLPK.

One binary per cycle and per placement allowed by the static rules (slots,
order, debrief window); capacity rows for every coach slot, teacher slot,
coach day, coach week; distinct teachers per week through indicator
binaries.  Objective: the number of cycles placed.  Built from the rules,
independently of the C engine.
"""
import os
import re
import subprocess
import tempfile

KINDS = ("meeting", "observation", "debrief")
WEEK = 5


def _placements(inst, cy, pidx):
    days, nper = inst["days"], len(inst["periods"])
    co = next(c for c in inst["coaches"] if c["id"] == cy["coach"])
    te = next(t for t in inst["teachers"] if t["id"] == cy["teacher"])
    busy_c = {(f["day"], pidx[f["period"]]) for f in inst.get("fixed", [])
              if f.get("coach") == cy["coach"]}
    busy_t = {(f["day"], pidx[f["period"]]) for f in inst.get("fixed", [])
              if f.get("teacher") == cy["teacher"]}
    av = {(d, pidx[p]) for d, p in co["available"]} - busy_c - busy_t
    fr = {(d, pidx[p]) for d, p in te.get("free", [])} & av
    tc = {(d, pidx[p]) for d, p in te.get("teaching", [])} & av
    if "observe_in" in cy:
        tc &= {(d, pidx[p]) for d, p in cy["observe_in"]}
    kinds = [k for k in KINDS if k in cy.get("kinds", KINDS)]
    cand = {"meeting": fr, "observation": tc, "debrief": fr}
    win = cy.get("debrief_within_days", 2)
    out = []

    def rec(i, chosen):
        if i == len(kinds):
            out.append(tuple(chosen))
            return
        for s in sorted(cand[kinds[i]]):
            if chosen and s <= chosen[-1][1]:
                continue
            if kinds[i] == "debrief" and chosen:
                if s[0] - chosen[-1][1][0] > win:
                    continue
            rec(i + 1, chosen + [(kinds[i], s)])
    rec(0, [])
    del days, nper
    return out


def build_lp(inst):
    pidx = {p: i for i, p in enumerate(inst["periods"])}
    coaches = {c["id"]: c for c in inst["coaches"]}
    fixed = inst.get("fixed", [])
    xs = []          # (var, cycle, placement)
    for ci, cy in enumerate(inst["cycles"]):
        for pi, pl in enumerate(_placements(inst, cy, pidx)):
            xs.append(("x_%d_%d" % (ci, pi), ci, pl))
    rows = []
    one = {}
    cslot, tslot, cday, cweek, ytouch = {}, {}, {}, {}, {}
    for v, ci, pl in xs:
        cy = inst["cycles"][ci]
        one.setdefault(ci, []).append(v)
        days_here = {}
        for _k, s in pl:
            cslot.setdefault((cy["coach"], s), []).append(v)
            tslot.setdefault((cy["teacher"], s), []).append(v)
            days_here[s[0]] = days_here.get(s[0], 0) + 1
        weeks_here = {}
        for d, n in days_here.items():
            cday.setdefault((cy["coach"], d), []).append((n, v))
            weeks_here[d // WEEK] = weeks_here.get(d // WEEK, 0) + n
        for w, n in weeks_here.items():
            cweek.setdefault((cy["coach"], w), []).append((n, v))
            ytouch.setdefault((cy["coach"], cy["teacher"], w), []).append(v)
    for ci, vs in one.items():
        rows.append(" + ".join(vs) + " <= 1")
    for vs in list(cslot.values()) + list(tslot.values()):
        if len(vs) > 1:
            rows.append(" + ".join(vs) + " <= 1")
    fday, fweek, fteach = {}, {}, {}
    for f in fixed:
        if f.get("coach") is None:
            continue
        key = (f["coach"], f["day"])
        fday[key] = fday.get(key, 0) + 1
        wk = (f["coach"], f["day"] // WEEK)
        fweek[wk] = fweek.get(wk, 0) + 1
        if f.get("teacher") is not None:
            fteach.setdefault(wk, set()).add(f["teacher"])
    for (co, d), terms in cday.items():
        lim = coaches[co].get("max_sessions_per_day", 0)
        if lim:
            rows.append(" + ".join("%d %s" % t for t in terms) +
                        " <= %d" % (lim - fday.get((co, d), 0)))
    for (co, w), terms in cweek.items():
        lim = coaches[co].get("max_sessions_per_week", 0)
        if lim:
            rows.append(" + ".join("%d %s" % t for t in terms) +
                        " <= %d" % (lim - fweek.get((co, w), 0)))
    ys = {}
    for (co, te, w), vs in ytouch.items():
        lim = coaches[co].get("max_teachers_per_week", 5)
        if not lim:
            continue
        if te in fteach.get((co, w), set()):
            continue        # already counted by a fixed session
        y = "y_%d" % len(ys)
        ys[(co, te, w)] = y
        for v in vs:
            rows.append("%s - %s <= 0" % (v, y))
    per_cw = {}
    for (co, te, w), y in ys.items():
        per_cw.setdefault((co, w), []).append(y)
    for (co, w), yl in per_cw.items():
        lim = coaches[co].get("max_teachers_per_week", 5)
        rows.append(" + ".join(yl) + " <= %d" %
                    (lim - len(fteach.get((co, w), set()))))
    lines = ["Maximize", " obj: " + (" + ".join(v for v, _c, _p in xs) or "0 dummy"),
             "Subject To"]
    for i, r in enumerate(rows):
        lines.append(" r%d: %s" % (i, r))
    if not xs:
        lines.append(" r_dummy: dummy = 0")
    lines.append("Binary")
    for v, _c, _p in xs:
        lines.append(" " + v)
    for y in ys.values():
        lines.append(" " + y)
    if not xs:
        lines.append(" dummy")
    lines.append("End")
    return "\n".join(lines) + "\n"


def optimum(inst):
    """Maximum number of cycles that can be scheduled whole."""
    with tempfile.TemporaryDirectory() as d:
        lp = os.path.join(d, "m.lp")
        sol = os.path.join(d, "m.sol")
        with open(lp, "w") as f:
            f.write(build_lp(inst))
        subprocess.run(["glpsol", "--lp", lp, "-o", sol],
                       check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
        with open(sol) as f:
            text = f.read()
    if "INTEGER OPTIMAL" not in text:
        raise RuntimeError("glpsol did not prove optimality")
    m = re.search(r"Objective:\s+obj = (-?[0-9.e+]+)", text)
    return int(round(float(m.group(1))))
