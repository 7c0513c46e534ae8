#!/usr/bin/python3
"""match_badinput: `coach-solve assign` on a small valid example and on
invalid instances: exit status 2 and a message naming what is wrong."""
import json
import os
import subprocess
import sys

BIN = os.environ.get("COACHD_BIN", "build/bin")
SOLVE = os.path.join(BIN, "coach-solve")


def run(text, *args):
    return subprocess.run([SOLVE, "assign", *args], input=text,
                          capture_output=True, text=True)


def doc(coaches=None, requests=None, edges=None):
    return json.dumps({
        "coaches": [{"id": "c1", "capacity": 2}] if coaches is None
        else coaches,
        "requests": [{"id": "q1"}, {"id": "q2"}] if requests is None
        else requests,
        "edges": [{"request": "q1", "coach": "c1", "score": 3}]
        if edges is None else edges,
    })


E = {"request": "q1", "coach": "c1", "score": 3}
BAD = [
    ("{\"coaches\": [", "malformed JSON at line 1"),
    ("[]", "top level must be an object"),
    (json.dumps({"requests": [], "edges": []}), "\"coaches\" must be an array"),
    (doc(edges={}), "\"edges\" must be an array"),
    (doc(coaches=[{"id": 7, "capacity": 1}]), "coaches[0]: \"id\" must be a string"),
    (doc(coaches=[{"id": "", "capacity": 1}]), "coaches[0]: \"id\" is empty"),
    (doc(coaches=[{"id": "c1", "capacity": 1}, {"id": "c1", "capacity": 1}]),
     "coaches[1]: duplicate id \"c1\""),
    (doc(requests=[{"id": "q1"}, {"id": "q1"}]),
     "requests[1]: duplicate id \"q1\""),
    (doc(requests=["q1"]), "requests[0]: not an object"),
    (doc(coaches=[{"id": "c1", "capacity": -1}]),
     "coaches[0]: \"capacity\" is -1"),
    (doc(coaches=[{"id": "c1", "capacity": 1.5}]),
     "coaches[0]: \"capacity\" must be an integer"),
    (doc(coaches=[{"id": "c1"}]), "coaches[0]: \"capacity\" must be an integer"),
    (doc(edges=[E, dict(E, request="q9")]), "edges[1]: unknown request \"q9\""),
    (doc(edges=[dict(E, coach="c9")]), "edges[0]: unknown coach \"c9\""),
    (doc(edges=[dict(E, score=-4)]), "edges[0]: \"score\" is -4"),
    (doc(edges=[dict(E, score=10**12)]), "edges[0]: \"score\" is 1000000000000"),
    (doc(edges=[dict(E, score="7")]), "edges[0]: \"score\" must be an integer"),
    (doc(edges=[E, dict(E, request="q2"), dict(E, score=9)]),
     "edges[2]: duplicate edge"),
    (doc(edges=[{"request": "q1", "score": 1}]),
     "edges[0]: \"coach\" must be a string"),
    ('{"coaches": [], "coaches": [], "requests": [], "edges": []}',
     "malformed JSON"),
]


def main():
    failures = 0
    example = ('{"coaches":[{"id":"c1","capacity":12}], '
               '"requests":[{"id":"q1"}],\n'
               ' "edges":[{"request":"q1","coach":"c1","score":37}]}')
    p = run(example)
    want = {"assignments": [{"request": "q1", "coach": "c1", "score": 37}],
            "assigned": 1, "total_score": 37}
    if p.returncode != 0 or json.loads(p.stdout) != want:
        print("example: exit %d out %r err %r" % (p.returncode, p.stdout,
                                                   p.stderr))
        failures += 1
    for text, msg in BAD:
        p = run(text)
        if p.returncode != 2 or msg not in p.stderr or p.stdout:
            print("FAIL %r: exit %d, stderr %r (want %r)" %
                  (text[:60], p.returncode, p.stderr, msg))
            failures += 1
    p = run("{}", "--bogus")
    if p.returncode != 1:
        print("unknown option: exit %d" % p.returncode)
        failures += 1
    print("%d cases, %d failures" % (len(BAD) + 2, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
