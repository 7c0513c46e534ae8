#!/usr/bin/python3
"""match_gen: district-scale assignment instances for the matching benchmark.

Writes either the compact text format read by match_bench and match_lemon
("match 1", then "coaches requests edges", one capacity per line, one
"request coach score" line per edge) or the JSON that `coach-solve assign`
reads.  The same seed gives the same instance in both formats.

usage: match_gen.py --requests N [--coaches C] [--seed S] [--json] > file
"""
import argparse
import json
import random
import sys


def generate(n_req, n_coach, seed):
    rng = random.Random(seed)
    # Most coaches carry 10-18 remaining places; a few are nearly full or
    # on leave (0), a few part-time.
    caps = []
    for _ in range(n_coach):
        x = rng.random()
        if x < 0.03:
            caps.append(0)
        elif x < 0.10:
            caps.append(rng.randint(1, 9))
        else:
            caps.append(rng.randint(10, 18))
    # Coaches belong to schools; a request sees coaches of its school first,
    # plus district-wide specialists, like the daemon's "serves the school".
    n_school = max(1, n_coach // 15)
    school_of = [rng.randrange(n_school) for _ in range(n_coach)]
    by_school = [[] for _ in range(n_school)]
    for c, s in enumerate(school_of):
        by_school[s].append(c)
    edges = []
    for r in range(n_req):
        k = rng.randint(5, 20)
        school = rng.randrange(n_school)
        local = by_school[school]
        chosen = set()
        tries = 0
        while len(chosen) < min(k, n_coach) and tries < 4 * k:
            tries += 1
            if local and rng.random() < 0.6:
                chosen.add(rng.choice(local))
            else:
                chosen.add(rng.randrange(n_coach))
        wait = rng.randint(0, 60)
        for c in sorted(chosen):
            level = rng.choice((0, 1, 1, 2, 2, 3))
            interest = rng.random() < 0.3
            if level == 0 and not interest:
                interest = True
            cont = rng.random() < 0.05
            score = ((0, 20, 35, 50)[level] + (10 if interest else 0) +
                     (15 if cont else 0) + min(wait, 30))
            edges.append((r, c, score))
    return caps, edges


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, required=True)
    ap.add_argument("--coaches", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    n_coach = a.coaches or max(10, a.requests * 3 // 100)
    caps, edges = generate(a.requests, n_coach, a.seed)
    out = sys.stdout
    if a.json:
        doc = {
            "coaches": [{"id": "c%d" % c, "capacity": k}
                        for c, k in enumerate(caps)],
            "requests": [{"id": "q%d" % r} for r in range(a.requests)],
            "edges": [{"request": "q%d" % r, "coach": "c%d" % c,
                       "score": s} for r, c, s in edges],
        }
        json.dump(doc, out, separators=(",", ":"))
        out.write("\n")
        return
    out.write("match 1\n%d %d %d\n" % (n_coach, a.requests, len(edges)))
    out.write("".join("%d\n" % k for k in caps))
    out.write("".join("%d %d %d\n" % e for e in edges))


if __name__ == "__main__":
    main()
