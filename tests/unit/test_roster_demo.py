#!/usr/bin/python3
"""The demo district generator's output loads with roster_load_dir().

Runs scripts/gen-demo-district.py (full and --small) into temp folders,
loads each with build/tests/roster-check, and compares what the C parser
saw with what Python's csv module reads from the same files.  Also checks
the generator is deterministic and that a corrupted copy is refused with
the right file:line.
"""

import csv
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.environ.get("COACHD_SRC", os.path.join(os.path.dirname(
    os.path.abspath(__file__)), "..", ".."))
BUILD = os.environ.get("COACHD_BUILD", os.path.join(SRC, "build"))
GEN = os.path.join(SRC, "scripts", "gen-demo-district.py")
CHECK = os.path.join(BUILD, "tests", "roster-check")



def shipped_taxonomy():
    """Topic ids and expertise areas of the shipped conf/topics.conf, so the
    demo district can never drift from the taxonomy coachd loads."""
    topics, areas = set(), set()
    with open(os.path.join(SRC, "conf", "topics.conf")) as f:
        for line in f:
            m = re.match(r"\s*\[topic\s+([^\]]+)\]", line)
            if m:
                topics.add(m.group(1).strip())
            m = re.match(r"\s*area\s*=\s*(\S+)", line)
            if m:
                areas.add(m.group(1))
    return topics, areas


TOPICS, AREAS = shipped_taxonomy()

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def rows(d, name):
    with open(os.path.join(d, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def gen(outdir, *flags):
    subprocess.run([sys.executable, GEN, *flags, outdir], check=True,
                   stdout=subprocess.DEVNULL)


def load(d):
    p = subprocess.run([CHECK, d], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr.strip()


def verify(d, label, min_teachers):
    rc, out, err = load(d)
    check(rc == 0, f"{label}: roster-check failed: {err}")
    if rc != 0:
        return
    kv, slots = {}, []
    for line in out.splitlines():
        k, _, v = line.partition(" ")
        if k == "slot":
            slots.append(v.split())
        else:
            kv[k] = v
    users = rows(d, "users.csv")
    teachers = {u["sourcedId"] for u in users if u["role"] == "teacher"}
    check(kv["district"] == "Riverbend Unified School District",
          f"{label}: district name {kv['district']}")
    check(int(kv["teachers"]) == len(teachers) >= min_teachers,
          f"{label}: teachers {kv['teachers']} vs {len(teachers)}")
    check(int(kv["schools"]) == sum(1 for o in rows(d, "orgs.csv")
                                    if o["type"] == "school"),
          f"{label}: schools")
    check(int(kv["classes"]) == len(rows(d, "classes.csv")),
          f"{label}: classes")
    check(int(kv["enrollments"]) == len(rows(d, "enrollments.csv")),
          f"{label}: enrollments")
    check(int(kv["students"]) == len(users) - len(teachers),
          f"{label}: students")
    check(kv["noteacher"] == "0", f"{label}: classes without a teacher")
    qs = rows(d, "questions.csv")
    check(int(kv["questions"]) == len(qs), f"{label}: questions")
    check(int(kv["untopic"]) == sum(1 for q in qs if not q["topic"]) >= 2,
          f"{label}: questions without topic")
    check(all(q["topic"] in TOPICS for q in qs if q["topic"]),
          f"{label}: unknown topic id")
    check(all(q["teacher_id"] in teachers for q in qs),
          f"{label}: question of a non-teacher")
    coaches = rows(d, "coaches.csv")
    check(int(kv["coaches"]) == len(coaches), f"{label}: coaches")
    for c in coaches:
        for item in c["expertise"].split(";"):
            area, lvl = item.split(":")
            check(area in AREAS and lvl in "123",
                  f"{label}: coach {c['id']} expertise {item}")
        check(all(t in TOPICS for t in c["interests"].split(";")),
              f"{label}: coach {c['id']} interests")
    # Every teacher teaches something and has a free period to meet in.
    teach = {s[0] for s in slots if s[3] == "teach"}
    free = {s[0] for s in slots if s[3] == "free"}
    check(teach == teachers, f"{label}: teachers without teaching slots: "
          f"{sorted(teachers - teach)[:5]}")
    check(free == teachers, f"{label}: teachers without free slots: "
          f"{sorted(teachers - free)[:5]}")
    return kv


def main():
    if not os.access(CHECK, os.X_OK):
        print(f"{CHECK} not built")
        return 1
    tmp = tempfile.mkdtemp(prefix="roster-demo-")
    try:
        full, full2, small = (os.path.join(tmp, n)
                              for n in ("full", "full2", "small"))
        gen(full)
        gen(full2)
        gen(small, "--small")
        kv = verify(full, "full", 100)
        if kv:
            check(int(kv["schools"]) == 4, "full: 4 schools")
            check(int(kv["coaches"]) == 8, "full: 8 coaches")
            check(int(kv["questions"]) >= 35, "full: ~40 questions")
        verify(small, "small", 8)
        same, diff, errs = filecmp.cmpfiles(full, full2,
                                            sorted(os.listdir(full)),
                                            shallow=False)
        check(not diff and not errs, f"generator not deterministic: {diff}")

        # A teacher in an unknown org is refused with its line.
        bad = os.path.join(tmp, "bad")
        shutil.copytree(small, bad)
        path = os.path.join(bad, "users.csv")
        with open(path, newline="", encoding="utf-8") as f:
            lines = f.read().split("\r\n")
        lines[3] = lines[3].replace(",rbu-es-lincoln,", ",rbu-es-nowhere,", 1)
        with open(path, "w", newline="", encoding="utf-8") as f:
            f.write("\r\n".join(lines))
        rc, _, err = load(bad)
        check(rc == 1 and err == "users.csv:4: orgSourcedIds: unknown org "
              "'rbu-es-nowhere'", f"corrupted users.csv: {rc} {err}")
        # A missing required file is named.
        shutil.copy(os.path.join(small, "users.csv"), path)
        os.remove(os.path.join(bad, "enrollments.csv"))
        rc, _, err = load(bad)
        check(rc == 1 and err.endswith("enrollments.csv: No such file or "
                                       "directory"), f"missing file: {err}")
    finally:
        shutil.rmtree(tmp)
    print("ok" if not failures else f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
