#!/usr/bin/python3
"""Independent checker for `coach-solve schedule` output.

Written from the rules in docs/scheduling.md, not from the C
engine: it re-reads the instance and checks every hard rule on the
sessions the solver printed.

    sched_validate.py instance.json output.json   -> exit 1 on violations
"""
import json
import sys

KINDS = ("meeting", "observation", "debrief")
WEEK = 5


def _slots(pairs, pidx):
    return {(d, pidx[p]) for d, p in pairs}


def validate(inst, out):
    """Return a list of violation strings (empty when the output is valid)."""
    bad = []
    days = inst["days"]
    pidx = {p: i for i, p in enumerate(inst["periods"])}
    coaches = {c["id"]: c for c in inst.get("coaches", [])}
    teachers = {t["id"]: t for t in inst.get("teachers", [])}
    cycles = {k["id"]: k for k in inst.get("cycles", [])}
    avail = {c: _slots(v.get("available", []), pidx) for c, v in coaches.items()}
    teach = {t: _slots(v.get("teaching", []), pidx) for t, v in teachers.items()}
    free = {t: _slots(v.get("free", []), pidx) for t, v in teachers.items()}

    by_cycle = {}
    for s in out.get("sessions", []):
        cid, kind = s.get("cycle"), s.get("kind")
        if cid not in cycles:
            bad.append("session for unknown cycle %r" % cid)
            continue
        if kind not in KINDS:
            bad.append("%s: unknown kind %r" % (cid, kind))
            continue
        if not (isinstance(s.get("day"), int) and 0 <= s["day"] < days):
            bad.append("%s %s: day %r out of range" % (cid, kind, s.get("day")))
            continue
        if s.get("period") not in pidx:
            bad.append("%s %s: unknown period %r" % (cid, kind, s.get("period")))
            continue
        if kind in by_cycle.setdefault(cid, {}):
            bad.append("%s: two %s sessions" % (cid, kind))
        by_cycle[cid][kind] = (s["day"], pidx[s["period"]])

    coach_slot, teacher_slot = {}, {}
    per_day, per_week, week_teachers = {}, {}, {}

    def book(coach, teacher, slot, what):
        if coach is not None:
            if slot in coach_slot.setdefault(coach, {}):
                bad.append("coach %s double-booked at %r: %s and %s" % (
                    coach, slot, coach_slot[coach][slot], what))
            coach_slot[coach][slot] = what
            per_day[(coach, slot[0])] = per_day.get((coach, slot[0]), 0) + 1
            wk = slot[0] // WEEK
            per_week[(coach, wk)] = per_week.get((coach, wk), 0) + 1
            if teacher is not None:
                week_teachers.setdefault((coach, wk), set()).add(teacher)
        if teacher is not None:
            if slot in teacher_slot.setdefault(teacher, {}):
                bad.append("teacher %s double-booked at %r: %s and %s" % (
                    teacher, slot, teacher_slot[teacher][slot], what))
            teacher_slot[teacher][slot] = what

    for f in inst.get("fixed", []):
        book(f.get("coach"), f.get("teacher"), (f["day"], pidx[f["period"]]),
             "fixed session")

    for cid, got in by_cycle.items():
        cy = cycles[cid]
        want = set(cy.get("kinds", KINDS))
        if set(got) != want:
            bad.append("%s: partial cycle %s (wants %s)" % (
                cid, sorted(got), sorted(want)))
            continue
        co, te = cy["coach"], cy["teacher"]
        window = cy.get("debrief_within_days", 2)
        obs_ok = (_slots(cy["observe_in"], pidx) if "observe_in" in cy
                  else None)
        for kind, slot in got.items():
            if slot not in avail[co]:
                bad.append("%s %s at %r: coach %s not available" % (
                    cid, kind, slot, co))
            if kind == "observation":
                if slot not in teach[te]:
                    bad.append("%s observation at %r: %s not teaching" % (
                        cid, slot, te))
                if obs_ok is not None and slot not in obs_ok:
                    bad.append("%s observation at %r: not in observe_in" % (
                        cid, slot))
            elif slot not in free[te]:
                bad.append("%s %s at %r: teacher %s not free" % (
                    cid, kind, slot, te))
            book(co, te, slot, "%s %s" % (cid, kind))
        order = [got[k] for k in KINDS if k in got]
        if order != sorted(order) or len(set(order)) != len(order):
            bad.append("%s: sessions out of order %r" % (cid, order))
        if "observation" in got and "debrief" in got:
            gap = got["debrief"][0] - got["observation"][0]
            if gap > window:
                bad.append("%s: debrief %d days after observation (max %d)"
                           % (cid, gap, window))
        elif "meeting" in got and "debrief" in got:
            gap = got["debrief"][0] - got["meeting"][0]
            if gap > window:
                bad.append("%s: debrief %d days after meeting (max %d)"
                           % (cid, gap, window))

    for (co, day), n in per_day.items():
        lim = coaches[co].get("max_sessions_per_day", 0)
        if lim and n > lim:
            bad.append("coach %s: %d sessions on day %d (max %d)" % (
                co, n, day, lim))
    for (co, wk), n in per_week.items():
        lim = coaches[co].get("max_sessions_per_week", 0)
        if lim and n > lim:
            bad.append("coach %s: %d sessions in week %d (max %d)" % (
                co, n, wk, lim))
    for (co, wk), ts in week_teachers.items():
        lim = coaches[co].get("max_teachers_per_week", 5)
        if lim and len(ts) > lim:
            bad.append("coach %s: %d distinct teachers in week %d (max %d)"
                       % (co, len(ts), wk, lim))

    listed = [u.get("cycle") for u in out.get("unscheduled", [])]
    for u in out.get("unscheduled", []):
        if not u.get("reason"):
            bad.append("%s unscheduled without a reason" % u.get("cycle"))
    if sorted(listed) != sorted(set(cycles) - set(by_cycle)):
        bad.append("unscheduled list does not match the cycles left out")
    if out.get("scheduled") != len(by_cycle):
        bad.append("scheduled=%r but %d cycles have sessions" % (
            out.get("scheduled"), len(by_cycle)))
    return bad


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: sched_validate.py instance.json output.json")
    with open(sys.argv[1]) as f:
        inst = json.load(f)
    with open(sys.argv[2]) as f:
        out = json.load(f)
    bad = validate(inst, out)
    for b in bad[:50]:
        print(b)
    print("violations: %d" % len(bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
