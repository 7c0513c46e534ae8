#!/usr/bin/python3
"""Write a synthetic district of N teachers for the roster benchmark.

Usage: roster_gen.py OUTDIR N

One school per 100 teachers with an 8-period bell schedule, one student
per 25 enrolment seats, six classes per teacher (one per period) with 20
students each: the OneRoster files at district scale (docs/benchmarks.md).
"""

import os
import sys


def main():
    d, n = sys.argv[1], int(sys.argv[2])
    os.makedirs(d, exist_ok=True)
    ns = max(1, n // 100)
    nstud = max(20, n * 6 * 20 // 25)

    def w(name, header, rows):
        with open(os.path.join(d, name), "w") as f:
            f.write(header + "\n")
            for r in rows:
                f.write(r + "\n")

    w("orgs.csv", "sourcedId,name,type,parentSourcedId",
      ["d,District,district,"] +
      [f"s{i},School {i},school,d" for i in range(ns)])
    w("bell_schedules.csv", "school_id,day_type,period,start,end",
      (f"s{i},*,{p},{7 + p:02d}:00,{7 + p:02d}:50"
       for i in range(ns) for p in range(1, 9)))
    w("users.csv", "sourcedId,enabledUser,orgSourcedIds,role,givenName,"
      "familyName,email,grades",
      [f"t{i},true,s{i % ns},teacher,Ann,Lee,t{i}@x.org,\"09,10\""
       for i in range(n)] +
      [f"st{i},true,s{i % ns},student,Sam,Cruz,,09" for i in range(nstud)])
    w("classes.csv", "sourcedId,title,courseSourcedId,classType,location,"
      "schoolSourcedId,termSourcedIds,subjects,periods",
      (f"c{i}-{k},Algebra I,crs,scheduled,Room {k},s{i % ns},y,"
       f"Mathematics,{k + 1}" for i in range(n) for k in range(6)))
    per_school = max(1, nstud // ns)

    def enroll():
        e = 0
        for i in range(n):
            s = i % ns
            for k in range(6):
                yield f"e{e},c{i}-{k},s{s},t{i},teacher,true"
                e += 1
                for j in range(20):
                    st = s + ns * ((i * 6 + k + j * 7) % per_school)
                    if st >= nstud:
                        st = s
                    yield f"e{e},c{i}-{k},s{s},st{st},student,false"
                    e += 1
    w("enrollments.csv", "sourcedId,classSourcedId,schoolSourcedId,"
      "userSourcedId,role,primary", enroll())


if __name__ == "__main__":
    main()
