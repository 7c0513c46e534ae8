#!/usr/bin/python3
"""Generate a `coach-solve schedule` instance at district scale.

    sched_gen.py [--seed N] [--coaches 3000] [--teachers 100000]
                 [--cycles 15000] [--days 10] [--periods 8] > instance.json

Schools of about 50 teachers; each teacher has an A/B-day timetable of
six taught periods, one or two planning periods and sometimes a duty;
each coach works at one or two schools (which school on which day) with
some blocked periods; cycles go to teachers of the coach's schools, half
of them restricted to observing one class.  Same seed, same bytes.
"""
import argparse
import json
import random
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--coaches", type=int, default=3000)
    ap.add_argument("--teachers", type=int, default=100000)
    ap.add_argument("--cycles", type=int, default=15000)
    ap.add_argument("--days", type=int, default=10)
    ap.add_argument("--periods", type=int, default=8)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    P = ["P%d" % (i + 1) for i in range(a.periods)]
    days = a.days
    n_schools = max(1, a.teachers // 50)
    w = sys.stdout.write

    w('{"days":%d,"periods":%s,"seed":%d,\n"coaches":[' %
      (days, json.dumps(P), a.seed))
    coach_schools = []
    for c in range(a.coaches):
        schools = [rng.randrange(n_schools)]
        if rng.random() < 0.4:
            schools.append(rng.randrange(n_schools))
        coach_schools.append(schools)
        av = []
        for d in range(days):
            if rng.random() < 0.1:          # not working that day
                continue
            for p in P:
                if rng.random() < 0.8:      # blocks and duties
                    av.append('[%d,"%s"]' % (d, p))
        lim = ',"max_sessions_per_week":12' if rng.random() < 0.2 else ""
        w('%s\n{"id":"c%d","available":[%s],"max_sessions_per_day":4,'
          '"max_teachers_per_week":5%s}' %
          ("," if c else "", c, ",".join(av), lim))
    w('],\n"teachers":[')
    teaching = []
    for t in range(a.teachers):
        # A and B days: six taught periods, the rest planning or duty.
        pat = []
        for _ab in range(2):
            taught = set(rng.sample(range(a.periods), min(6, a.periods)))
            duty = None
            rest = [p for p in range(a.periods) if p not in taught]
            if len(rest) > 1 and rng.random() < 0.3:
                duty = rest[0]
            pat.append((taught, duty))
        teach, free, tslots = [], [], []
        for d in range(days):
            taught, duty = pat[d % 2]
            for p in range(a.periods):
                if p in taught:
                    teach.append('[%d,"%s"]' % (d, P[p]))
                    tslots.append((d, p))
                elif p != duty:
                    free.append('[%d,"%s"]' % (d, P[p]))
        teaching.append(tslots)
        w('%s\n{"id":"t%d","teaching":[%s],"free":[%s]}' %
          ("," if t else "", t, ",".join(teach), ",".join(free)))
    w('],\n"cycles":[')
    for k in range(a.cycles):
        c = k % a.coaches if k < a.coaches * 4 else rng.randrange(a.coaches)
        school = rng.choice(coach_schools[c])
        t = school * 50 + rng.randrange(50)
        t = min(t, a.teachers - 1)
        extra = ""
        if rng.random() < 0.5 and teaching[t]:
            # The class the question is about: one period on A or B days.
            d0, p0 = rng.choice(teaching[t])
            obs = ['[%d,"%s"]' % (d, P[p]) for d, p in teaching[t]
                   if p == p0 and d % 2 == d0 % 2]
            extra += ',"observe_in":[%s]' % ",".join(obs)
        win = 1 if rng.random() < 0.3 else 2
        w('%s\n{"id":"k%d","coach":"c%d","teacher":"t%d",'
          '"debrief_within_days":%d%s}' %
          ("," if k else "", k, c, t, win, extra))
    w("]}\n")


if __name__ == "__main__":
    main()
