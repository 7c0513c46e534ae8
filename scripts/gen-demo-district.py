#!/usr/bin/env python3
"""Write the demo district "Riverbend Unified" as a coachd roster folder.

Usage: gen-demo-district.py [--small] [--seed N] OUTDIR

OUTDIR receives OneRoster 1.1 CSVs (orgs, academicSessions, courses, users,
classes, enrollments) plus coachd's own bell_schedules.csv, timetable.csv,
coaches.csv and questions.csv, all in the formats of docs/roster.md.  The
full district has four schools (two elementary, one middle, one high with
A/B days) and about 120 teachers; --small writes a two-school district for
fast tests.  Output depends only on the seed.  Standard library only.
"""

import argparse
import csv
import os
import random
import sys

DISTRICT = ("rbu", "Riverbend Unified School District")
DOMAIN = "riverbendusd.example.org"
YEAR = ("rbu-2026-27", "2026-2027", "2026-08-17", "2027-06-04")

GIVEN = [
    "Maria", "James", "Aisha", "Wei", "Priya", "Carlos", "Emily", "Kwame",
    "Sofia", "Daniel", "Mei", "Jamal", "Hannah", "Diego", "Fatima", "Ethan",
    "Leticia", "Tomasz", "Grace", "Hiroshi", "Nia", "Samuel", "Ana", "Omar",
    "Rachel", "Minh", "Keisha", "Luis", "Olivia", "Rahul", "Chloe", "Andre",
    "Yesenia", "Michael", "Ngozi", "Brian", "Camila", "Dmitri", "Lauren",
    "Tariq", "Rosa", "Kevin", "Imani", "Jorge", "Sarah", "Anh", "Marcus",
    "Elena", "Joseph", "Shanice", "Ravi", "Megan", "Ahmed", "Lucia",
    "Patrick", "Ayesha", "Thomas", "Guadalupe", "Derek", "Soo-jin",
]
FAMILY = [
    "Ortiz", "Lee", "Johnson", "Nguyen", "Patel", "Garcia", "Okafor",
    "Kim", "Williams", "Rodriguez", "Chen", "Brown", "Hernandez", "Davis",
    "Mensah", "Kowalski", "Haddad", "Martinez", "Tanaka", "Robinson",
    "Singh", "Lopez", "Washington", "Tran", "Miller", "Ali", "Murphy",
    "Gonzalez", "Thompson", "Yamamoto", "Jackson", "Rivera", "O'Brien",
    "Ramirez", "Wilson", "Abdi", "Clark", "Flores", "Park", "Moore",
    "Sanchez", "Adeyemi", "Wright", "Castillo", "Hughes", "Novak", "Bell",
    "Morales", "Young", "Diaz", "Foster", "Cruz", "Shah", "Reyes",
    "Campbell", "Begay", "Sullivan", "Torres", "Huang", "Baker",
]

# Elementary blocks: named periods; SPEC (students at specials) and LUNCH
# are when homeroom teachers plan.
ES_BELLS = [
    ("AM", "08:00", "08:20"), ("LIT", "08:20", "09:50"),
    ("MATH", "09:55", "10:55"), ("SPEC", "11:00", "11:45"),
    ("LUNCH", "11:50", "12:30"), ("SCI", "12:35", "13:35"),
    ("WIN", "13:40", "14:30"),
]
MS_BELLS = [(str(p), "%02d:%02d" % divmod(470 + (p - 1) * 50, 60),
             "%02d:%02d" % divmod(470 + (p - 1) * 50 + 46, 60))
            for p in range(1, 9)]
# High school A/B block schedule: periods 1-4 on A days, 5-8 on B days.
HS_BLOCKS = [("07:45", "09:15"), ("09:25", "10:55"), ("11:35", "13:05"),
             ("13:15", "14:45")]


class District:
    """Rows for every output file, filled by the build_* methods."""

    def __init__(self, rng, small):
        self.rng = rng
        self.small = small
        self.orgs, self.courses, self.users = [], [], []
        self.classes, self.enrollments, self.bells = [], [], []
        self.timetable, self.coaches, self.questions = [], [], []
        self.teachers = []      # dicts: id, school, subjects, grades
        self.students = {}      # school id -> list of (id, grade)
        self.names = set()
        self.course_ids = set()
        self.nenroll = 0

    def person(self):
        """A fresh (given, family) pair, never repeated."""
        while True:
            g, f = self.rng.choice(GIVEN), self.rng.choice(FAMILY)
            if (g, f) not in self.names:
                self.names.add((g, f))
                return g, f

    def add_teacher(self, school, tid, subjects, grades):
        g, f = self.person()
        user = f"{g}.{f}".lower().replace("'", "").replace(" ", "")
        self.users.append({
            "sourcedId": tid, "enabledUser": "true",
            "orgSourcedIds": school, "role": "teacher",
            "username": user, "givenName": g, "familyName": f,
            "email": f"{user}@{DOMAIN}", "grades": ",".join(grades),
            "identifier": tid.upper()})
        t = {"id": tid, "school": school, "subjects": subjects,
             "grades": grades, "name": f"{g} {f}"}
        self.teachers.append(t)
        return t

    def add_students(self, school, grades, per_grade):
        lst = self.students.setdefault(school, [])
        for gr in grades:
            for _ in range(per_grade):
                sid = f"{school}-s{len(lst) + 1:04d}"
                g, f = self.rng.choice(GIVEN), self.rng.choice(FAMILY)
                self.users.append({
                    "sourcedId": sid, "enabledUser": "true",
                    "orgSourcedIds": school, "role": "student",
                    "username": sid, "givenName": g, "familyName": f,
                    "grades": gr, "identifier": sid.upper()})
                lst.append((sid, gr))

    def course(self, school, subject, grade, title):
        cid = f"{school}-crs-{subject[:4].lower()}-{grade.lower()}"
        if cid not in self.course_ids:
            self.course_ids.add(cid)
            self.courses.append({
                "sourcedId": cid, "schoolYearSourcedId": YEAR[0],
                "title": title, "courseCode": cid.split("-crs-")[1].upper(),
                "grades": grade, "orgSourcedId": school,
                "subjects": subject})
        return cid

    def add_class(self, t, title, subject, grade, periods, room, nstud):
        school = t["school"]
        cid = f"{t['id']}-c{sum(1 for c in self.classes if c['_t'] == t['id']) + 1}"
        self.classes.append({
            "_t": t["id"], "sourcedId": cid, "title": title,
            "grades": grade,
            "courseSourcedId": self.course(school, subject, grade, title),
            "classCode": cid.upper(), "classType": "scheduled",
            "location": room, "schoolSourcedId": school,
            "termSourcedIds": YEAR[0], "subjects": subject,
            "periods": ",".join(periods)})
        self.enroll(cid, school, t["id"], "teacher", "true")
        pool = [s for s, g in self.students.get(school, [])
                if g == grade or grade == "Other"]
        for sid in self.rng.sample(pool, min(nstud, len(pool))):
            self.enroll(cid, school, sid, "student", "false")

    def enroll(self, cid, school, uid, role, primary):
        self.nenroll += 1
        self.enrollments.append({
            "sourcedId": f"rbu-e{self.nenroll:06d}", "classSourcedId": cid,
            "schoolSourcedId": school, "userSourcedId": uid, "role": role,
            "primary": primary})

    # -- schools -------------------------------------------------------------
    def elementary(self, sid, name, per_grade_teachers):
        self.orgs.append({"sourcedId": sid, "name": name, "type": "school",
                          "identifier": sid.upper(),
                          "parentSourcedId": DISTRICT[0]})
        for p, s, e in ES_BELLS:
            self.bells.append((sid, "*", p, s, e))
        grades = ["KG", "01", "02", "03", "04", "05"]
        self.add_students(sid, grades, 22 * per_grade_teachers)
        room = 100
        for gr in grades:
            for k in range(per_grade_teachers):
                room += 1
                t = self.add_teacher(sid, f"{sid}-t{len(self.teachers) + 1:03d}",
                                     ["English Language Arts", "Mathematics",
                                      "Science"], [gr])
                label = "Kindergarten" if gr == "KG" else f"Grade {int(gr)}"
                r = f"Room {room}"
                self.add_class(t, f"{label} Homeroom {t['name'].split()[1]}",
                               "Homeroom", gr, ["AM"], r, 22)
                self.add_class(t, f"{label} Literacy", "English Language Arts",
                               gr, ["LIT"], r, 22)
                self.add_class(t, f"{label} Math", "Mathematics", gr,
                               ["MATH"], r, 22)
                self.add_class(t, f"{label} Science & Social Studies",
                               "Science", gr, ["SCI", "WIN"], r, 22)
        if self.small:
            return
        # Specialists and support staff.
        t = self.add_teacher(sid, f"{sid}-t{len(self.teachers) + 1:03d}",
                             ["English as a Second Language"], grades)
        for i, (blk, gr) in enumerate([("LIT", "01"), ("MATH", "03"),
                                       ("WIN", "KG"), ("SCI", "05")]):
            self.add_class(t, f"ELD Group {i + 1}",
                           "English as a Second Language", gr, [blk],
                           "Room 120", 6)
        t = self.add_teacher(sid, f"{sid}-t{len(self.teachers) + 1:03d}",
                             ["Special Education"], grades)
        for i, (blk, gr) in enumerate([("LIT", "02"), ("MATH", "04"),
                                       ("WIN", "03")]):
            self.add_class(t, f"Learning Support {i + 1}",
                           "Special Education", gr, [blk], "Room 118", 5)
        t = self.add_teacher(sid, f"{sid}-t{len(self.teachers) + 1:03d}",
                             ["Music"], grades)
        for blk in ["LIT", "MATH", "SPEC", "SCI"]:
            self.add_class(t, f"General Music ({blk})", "Music", "Other",
                           [blk], "Music Room", 0)
        t = self.add_teacher(sid, f"{sid}-t{len(self.teachers) + 1:03d}",
                             ["Physical Education"], grades)
        for blk in ["LIT", "SPEC", "SCI", "WIN"]:
            self.add_class(t, f"PE ({blk})", "Physical Education", "Other",
                           [blk], "Gym", 0)

    def secondary(self, sid, name, grades, depts, ab):
        self.orgs.append({"sourcedId": sid, "name": name, "type": "school",
                          "identifier": sid.upper(),
                          "parentSourcedId": DISTRICT[0]})
        if ab:
            for d, first in (("A", 1), ("B", 5)):
                for i, (s, e) in enumerate(HS_BLOCKS):
                    self.bells.append((sid, d, str(first + i), s, e))
        else:
            for p, s, e in MS_BELLS:
                self.bells.append((sid, "*", p, s, e))
        self.add_students(sid, grades, 40 if self.small else 120)
        room = 200
        for subject, count, titles in depts:
            for k in range(count):
                room += 1
                tg = grades[k % len(grades):] + grades[:k % len(grades)]
                mygrades = sorted(tg[:2])
                t = self.add_teacher(sid, f"{sid}-t{len(self.teachers) + 1:03d}",
                                     [subject], mygrades)
                # Six sections out of eight periods: two planning periods
                # (on A/B days one each day).
                plan = self.rng.sample(range(1, 5), 1) + \
                    self.rng.sample(range(5, 9), 1) if ab else \
                    self.rng.sample(range(1, 9), 2)
                for p in [p for p in range(1, 9) if p not in plan]:
                    gr = mygrades[p % len(mygrades)]
                    title = titles[p % len(titles)]
                    self.add_class(t, f"{title} (P{p})", subject, gr,
                                   [str(p)], f"Room {room}", 24)

    # -- coachd's own files --------------------------------------------------
    def build_coaches(self, schools):
        es = [s for s in schools if "-es-" in s]
        sec = [s for s in schools if "-es-" not in s]
        every = schools
        spec = [
            ("coach-whitfield", "Dana Whitfield", "literacy:3;instruction:2;assessment-data:1",
             "small-group-reading;writing;differentiation", es, 14),
            ("coach-abara", "Chidi Abara", "math:3;instruction:2;classroom-culture:1",
             "math-discourse;questioning-discussion", sec, 16),
            ("coach-lindqvist", "Erik Lindqvist", "science:3;technology:1",
             "science-inquiry;student-autonomy", every, 12),
            ("coach-delacruz", "Marisol De la Cruz",
             "classroom-culture:3;inclusion:1",
             "classroom-management;student-autonomy;social-emotional-learning", every, 18),
            ("coach-farouk", "Leila Farouk", "inclusion:3;literacy:2",
             "english-learners;differentiation", every, 12),
            ("coach-mbeki", "Thandiwe Mbeki", "inclusion:3;classroom-culture:2",
             "special-education;social-emotional-learning;differentiation", every, 10),
            ("coach-kowal", "Ben Kowal", "technology:3;assessment-data:1",
             "technology-integration;formative-assessment", every, 15),
            ("coach-oyelaran", "Funmi Oyelaran", "assessment-data:3;math:2;instruction:1",
             "formative-assessment;data-use", every, 14),
        ]
        if self.small:
            spec = [spec[0], spec[1], spec[3]]
        for cid, name, exp, interests, sch, cap in spec:
            self.coaches.append({
                "id": cid, "name": name,
                "email": cid.replace("coach-", "") + "@" + DOMAIN,
                "schools": ";".join(sch), "expertise": exp,
                "interests": interests, "caseload_cap": str(cap),
                "active": "true"})

    def build_timetable(self):
        """A specialist split between days: timetable.csv overrides."""
        music = [t for t in self.teachers if t["subjects"] == ["Music"]]
        if not music:
            return
        t = music[0]
        mine = [c for c in self.classes if c["_t"] == t["id"]]
        for day in ("mon", "tue", "wed", "thu", "fri"):
            for c in mine:
                blk = c["periods"]
                # Friday afternoons are choir rehearsal planning time.
                if day == "fri" and blk == "SCI":
                    self.timetable.append((t["id"], day, blk, "free", "", "",
                                           ""))
                    continue
                self.timetable.append((t["id"], day, blk, "teach",
                                       c["sourcedId"], "", ""))

    def build_questions(self):
        by_subject = {}
        for t in self.teachers:
            for s in t["subjects"]:
                by_subject.setdefault(s, []).append(t)
        used = {}
        qs = QUESTIONS[:6] + QUESTIONS[32:34] if self.small else QUESTIONS
        for subject, topic, text in qs:
            pool = by_subject.get(subject) or self.teachers
            pool = sorted(pool, key=lambda t: (used.get(t["id"], 0), t["id"]))
            t = pool[self.rng.randrange(min(3, len(pool)))]
            used[t["id"]] = used.get(t["id"], 0) + 1
            self.questions.append((t["id"], text, topic))


ELA, MATH, SCI = "English Language Arts", "Mathematics", "Science"
SS, ESL, SPED = "Social Studies", "English as a Second Language", \
    "Special Education"
# (subject of the teacher who asks, topic id or "" for none, question)
QUESTIONS = [
    (ELA, "small-group-reading", "How can I keep my guided reading groups "
     "moving when the rest of the class is supposed to work independently?"),
    (MATH, "math-discourse", "How can I get more students talking to each "
     "other in math discussions instead of through me?"),
    (SCI, "science-inquiry", "What would it take for my students to design "
     "their own investigations instead of following my lab sheets?"),
    (ELA, "classroom-management", "How do I make transitions between "
     "literacy centers shorter and calmer?"),
    (MATH, "formative-assessment", "Which quick checks during a lesson tell "
     "me who actually understands fractions before the unit test does?"),
    (ESL, "english-learners", "How can I support my newcomers to take part "
     "in academic conversations in English without putting them on the "
     "spot?"),
    (SPED, "special-education", "How can I co-plan with general education "
     "teachers so accommodations are built into lessons from the start?"),
    (SS, "questioning-discussion", "How can I ask questions that push "
     "students past recalling facts to arguing from evidence?"),
    (ELA, "writing", "How do I give feedback on essays that students "
     "actually use in their next draft?"),
    (MATH, "differentiation", "How can I challenge students who finish "
     "early without just giving them more problems?"),
    (SCI, "technology-integration", "How can we use data loggers and "
     "spreadsheets so students analyse real measurements?"),
    (ELA, "student-autonomy", "How can I give students real choice in what "
     "they read while still teaching the standards?"),
    (MATH, "data-use", "How should our team use the interim assessment "
     "results to regroup students for intervention?"),
    (SS, "social-emotional-learning", "How can I build a classroom community where students feel "
     "safe disagreeing with each other?"),
    (ESL, "differentiation", "How do I adapt grade-level texts for students "
     "at very different English proficiency levels?"),
    (SPED, "classroom-management", "What routines help my students with "
     "attention needs stay engaged during independent work?"),
    (SCI, "questioning-discussion", "How can I run a claim-evidence-"
     "reasoning discussion where students respond to each other's ideas?"),
    (ELA, "formative-assessment", "How can exit tickets tell me more than "
     "who got the right answer?"),
    (MATH, "student-autonomy", "How can I get students to persevere on "
     "hard problems instead of waiting for me to show them the steps?"),
    (SS, "writing", "How can I teach students to write arguments using "
     "primary sources?"),
    (ELA, "english-learners", "How can I use sentence frames so my English "
     "learners participate in book clubs?"),
    (MATH, "classroom-management", "My last period class is very chatty; "
     "how can I channel that energy into productive group work?"),
    (SCI, "formative-assessment", "How can I find out what "
     "misconceptions students bring to a new unit before I start teaching "
     "it?"),
    (SPED, "data-use", "How can I track IEP goal progress in a way that is "
     "quick enough to do every week?"),
    (ELA, "technology-integration", "How can I use our laptops for peer "
     "feedback on writing without it becoming a distraction?"),
    (MATH, "questioning-discussion", "What kinds of questions should I ask "
     "while students work in groups so that I do not just give hints?"),
    (SS, "student-autonomy", "How can students run their own inquiry "
     "projects about our town's history?"),
    (SCI, "differentiation", "How can I make labs accessible to students "
     "reading well below grade level?"),
    (ELA, "social-emotional-learning", "How do I help students give each other kind and useful "
     "feedback?"),
    (MATH, "math-discourse", "How can I use number talks to get quieter "
     "students sharing their strategies?"),
    (ESL, "small-group-reading", "What should guided reading look like for "
     "students who are still learning English phonics?"),
    (SPED, "differentiation", "How can I plan one lesson that works for my "
     "whole inclusion class without three separate plans?"),
    # No topic: the queue engine suggests one from the keywords.
    (ELA, "", "My students rush through their reading and cannot tell me "
     "what happened. What can I try?"),
    (MATH, "", "How do I stop a few students from dominating every group "
     "task while others sit back?"),
    (SCI, "", "Students lose interest halfway through our experiments. How "
     "can I keep them curious?"),
    (SS, "", "How can I tell whether my students are really learning from "
     "our class discussions?"),
    (ELA, "", "How can I spend less time redirecting behaviour and more "
     "time teaching?"),
    (MATH, "", "What is a good way to use our online practice platform so "
     "that it helps rather than replaces teaching?"),
    (ESL, "", "How can I work with families who speak little English so "
     "they can support homework?"),
    (SPED, "", "How can my paraprofessional and I share small groups during "
     "math?"),
]

OR_COLUMNS = {
    "orgs.csv": ["sourcedId", "status", "dateLastModified", "name", "type",
                 "identifier", "parentSourcedId"],
    "academicSessions.csv": ["sourcedId", "status", "dateLastModified",
                             "title", "type", "startDate", "endDate",
                             "parentSourcedId", "schoolYear"],
    "courses.csv": ["sourcedId", "status", "dateLastModified",
                    "schoolYearSourcedId", "title", "courseCode", "grades",
                    "orgSourcedId", "subjects", "subjectCodes"],
    "users.csv": ["sourcedId", "status", "dateLastModified", "enabledUser",
                  "orgSourcedIds", "role", "username", "userIds",
                  "givenName", "familyName", "middleName", "identifier",
                  "email", "sms", "phone", "agentSourcedIds", "grades",
                  "password"],
    "classes.csv": ["sourcedId", "status", "dateLastModified", "title",
                    "grades", "courseSourcedId", "classCode", "classType",
                    "location", "schoolSourcedId", "termSourcedIds",
                    "subjects", "subjectCodes", "periods"],
    "enrollments.csv": ["sourcedId", "status", "dateLastModified",
                        "classSourcedId", "schoolSourcedId", "userSourcedId",
                        "role", "primary", "beginDate", "endDate"],
}


def write(outdir, name, header, rows):
    with open(os.path.join(outdir, name), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        for r in rows:
            if isinstance(r, dict):
                r = [r.get(h, "") for h in header]
            w.writerow(r)


def build(small, seed):
    d = District(random.Random(seed), small)
    d.orgs.append({"sourcedId": DISTRICT[0], "name": DISTRICT[1],
                   "type": "district", "identifier": "RBU"})
    d.elementary("rbu-es-lincoln", "Lincoln Elementary School",
                 1 if small else 3)
    if not small:
        d.elementary("rbu-es-maple", "Maple Grove Elementary School", 3)
        d.secondary("rbu-ms-cedar", "Cedar Ridge Middle School",
                    ["06", "07", "08"], [
                        (ELA, 6, ["ELA 6", "ELA 7", "ELA 8"]),
                        (MATH, 6, ["Math 6", "Math 7", "Pre-Algebra"]),
                        (SCI, 5, ["Earth Science", "Life Science",
                                  "Physical Science"]),
                        (SS, 5, ["World Geography", "US History"]),
                        (ESL, 2, ["ELD Intermediate", "ELD Newcomer"]),
                        (SPED, 3, ["Resource ELA", "Resource Math"]),
                        ("Physical Education", 2, ["PE"]),
                    ], False)
    d.secondary("rbu-hs-riverbend", "Riverbend High School",
                ["09", "10", "11", "12"], [
                    (ELA, 2 if small else 8, ["English 9", "English 10",
                                              "American Literature",
                                              "AP Language"]),
                    (MATH, 2 if small else 8, ["Algebra I", "Geometry",
                                               "Algebra II", "Pre-Calculus"]),
                    (SCI, 1 if small else 6, ["Biology", "Chemistry",
                                              "Physics", "Environmental "
                                              "Science"]),
                    (SS, 1 if small else 5, ["World History", "US History",
                                             "Government", "Economics"]),
                    (ESL, 1 if small else 2, ["ELD II", "ELD III"]),
                    (SPED, 1 if small else 3, ["Academic Support",
                                               "Study Skills"]),
                    ("Computer Science", 0 if small else 2,
                     ["Intro to Programming", "AP CS Principles"]),
                    ("World Languages", 0 if small else 3,
                     ["Spanish I", "Spanish II", "Spanish III"]),
                    ("Visual Arts", 0 if small else 2, ["Art I", "Ceramics"]),
                ], True)
    schools = [o["sourcedId"] for o in d.orgs if o["type"] == "school"]
    d.build_coaches(schools)
    d.build_timetable()
    d.build_questions()
    return d


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true",
                    help="two schools, a dozen teachers (tests)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("outdir")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    d = build(a.small, a.seed)
    o = a.outdir
    write(o, "orgs.csv", OR_COLUMNS["orgs.csv"], d.orgs)
    write(o, "academicSessions.csv", OR_COLUMNS["academicSessions.csv"], [{
        "sourcedId": YEAR[0], "title": YEAR[1], "type": "schoolYear",
        "startDate": YEAR[2], "endDate": YEAR[3], "schoolYear": "2027"}])
    write(o, "courses.csv", OR_COLUMNS["courses.csv"], d.courses)
    write(o, "users.csv", OR_COLUMNS["users.csv"], d.users)
    write(o, "classes.csv", OR_COLUMNS["classes.csv"], d.classes)
    write(o, "enrollments.csv", OR_COLUMNS["enrollments.csv"], d.enrollments)
    write(o, "bell_schedules.csv",
          ["school_id", "day_type", "period", "start", "end"], d.bells)
    write(o, "timetable.csv", ["teacher_id", "day", "period", "kind",
                               "class_id", "subject", "room"], d.timetable)
    write(o, "coaches.csv", ["id", "name", "email", "schools", "expertise",
                             "interests", "caseload_cap", "active"],
          d.coaches)
    write(o, "questions.csv", ["teacher_id", "text", "topic"], d.questions)
    print(f"{o}: {len(schools_of(d))} schools, {len(d.teachers)} teachers, "
          f"{len(d.classes)} classes, {len(d.coaches)} coaches, "
          f"{len(d.questions)} questions")
    return 0


def schools_of(d):
    return [o for o in d.orgs if o["type"] == "school"]


if __name__ == "__main__":
    sys.exit(main())
