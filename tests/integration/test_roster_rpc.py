"""Roster operations over the real wire: a real coachd on a loopback port,
driven by the independent Python client.  Covers the roster handlers'
rules that unit tests of the store cannot see: error statuses, a teacher
reading only their own record, tokens stored and listed, and roster import
(dry run, idempotent re-import, a bad row rejected with file:line and
nothing changed, survival across a restart).
"""
import os
import shutil
import tempfile
import time

import harness as h

ORGS = (
    "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
    "d1,,,Test District,district,TD,\n"
    "s1,,,North High,school,NH,d1\n"
    "s2,active,,South Elementary,school,SE,d1\n")
BELLS = (
    "school_id,day_type,period,start,end\n"
    "s1,A,1,07:45,09:15\n"
    "s1,A,2,9:25,10:55\n"
    "s2,*,LIT,08:20,09:50\n")
USERS = (
    "sourcedId,status,enabledUser,orgSourcedIds,role,username,givenName,"
    "familyName,email,grades,password\n"
    "t1,,true,s1,teacher,mortiz,Maria,Ortiz,maria@x.org,\"09,10\",\n"
    "t2,,true,s1,teacher,jlee,James,Lee,,,\n"
    "t3,,true,s2,teacher,,Zoe,Brien,,KG,\n"
    "st1,,true,s1,student,,A,B,,09,\n")
CLASSES = (
    "sourcedId,title,grades,courseSourcedId,classCode,classType,location,"
    "schoolSourcedId,termSourcedIds,subjects,periods\n"
    "c1,Algebra I,09,alg,A1,scheduled,Room 201,s1,y1,Mathematics,1\n"
    "c3,Reading K,KG,lit,,homeroom,Room 5,s2,y1,Reading,LIT\n")
ENROLL = (
    "sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role,primary\n"
    "e1,c1,s1,t1,teacher,true\n"
    "e2,c1,s1,st1,student,false\n"
    "e3,c3,s2,t3,teacher,\n")
COACHES = (
    "id,name,email,schools,expertise,interests,caseload_cap,active\n"
    "k1,Dana W,dana@x.org,s1;s2,literacy:3;assessment:1,writing,12,\n")


def files(**over):
    base = {"orgs.csv": ORGS, "bell_schedules.csv": BELLS,
            "users.csv": USERS, "classes.csv": CLASSES,
            "enrollments.csv": ENROLL, "coaches.csv": COACHES}
    base.update(over)
    pb = h.pb2()
    return [pb.ImportFile(name=n, content=t.encode())
            for n, t in base.items() if t is not None]


def counts(resp):
    # "import" is a Python keyword, hence getattr
    return {c.kind: (c.added, c.updated, c.unchanged)
            for c in getattr(resp, "import").counts}


def admin(d):
    c = d.client()
    assert c.hello(d.admin_token).status == h.pb2().OK
    return c


def t_import_dry_run_then_real_then_again(d):
    pb = h.pb2()
    c = admin(d)
    r = c.call(roster_import=pb.RosterImport(files=files(), dry_run=True))
    assert r.status == pb.OK, r.error
    n = counts(r)
    assert n["schools"] == (2, 0, 0) and n["teachers"] == (3, 0, 0), n
    # the dry run left nothing behind
    r = c.call(school_list=pb.ListRequest(include_inactive=True))
    assert len(r.schools.schools) == 0
    r = c.call(roster_import=pb.RosterImport(files=files()))
    assert r.status == pb.OK, r.error
    n = counts(r)
    assert n["coaches"] == (1, 0, 0) and n["bells"] == (3, 0, 0), n
    r = c.call(roster_import=pb.RosterImport(files=files()))
    assert r.status == pb.OK, r.error
    for kind, (a, u, _) in counts(r).items():
        assert (a, u) == (0, 0), (kind, a, u)
    r = c.call(teacher_get=pb.IdRequest(id="t1"))
    assert r.status == pb.OK and r.teacher.name == "Maria Ortiz"
    assert r.teacher.school == "s1"
    r = c.call(coach_get=pb.IdRequest(id="k1"))
    assert [(e.area, e.level) for e in r.coach.expertise] == \
        [("assessment", 1), ("literacy", 3)]
    # acknowledged imports survive a restart
    c.close()
    d.restart()
    c = admin(d)
    r = c.call(teacher_list=pb.ListRequest(school="s1"))
    assert sorted(t.id for t in r.teachers.teachers) == ["t1", "t2"]


def t_import_bad_row_changes_nothing(d):
    pb = h.pb2()
    c = admin(d)
    assert c.call(roster_import=pb.RosterImport(files=files())).status == \
        pb.OK
    bad_users = USERS.replace("t2,,true,s1,", "t2,,true,s9,")
    renamed = ORGS.replace("North High", "Renamed High")
    r = c.call(roster_import=pb.RosterImport(
        files=files(**{"orgs.csv": renamed, "users.csv": bad_users})))
    assert r.status == pb.BAD_REQUEST, r
    assert r.error.startswith("users.csv:3:"), r.error
    r = c.call(school_get=pb.IdRequest(id="s1"))
    assert r.school.name == "North High"
    # files the server does not know, or a missing required file
    r = c.call(roster_import=pb.RosterImport(
        files=files(**{"notes.csv": "a,b\n1,2\n"})))
    assert r.status == pb.BAD_REQUEST and "notes.csv" in r.error, r
    r = c.call(roster_import=pb.RosterImport(
        files=files(**{"orgs.csv": None})))
    assert r.status == pb.BAD_REQUEST and "orgs.csv" in r.error, r


def t_crud_statuses(d):
    pb = h.pb2()
    c = admin(d)
    r = c.call(school_add=pb.SchoolPut(school=pb.School(id="s1", name="N")))
    assert r.status == pb.OK and r.school.kind == "other" and r.school.active
    r = c.call(school_add=pb.SchoolPut(school=pb.School(id="s1", name="N")))
    assert r.status == pb.CONFLICT, r
    r = c.call(coach_add=pb.CoachPut(coach=pb.Coach(
        id="c9", name="C", caseload_cap=5, schools=["s1"],
        expertise=[pb.Expertise(area="math", level=4)])))
    assert r.status == pb.BAD_REQUEST
    assert r.error == "coach c9: expertise level 4 out of range 1-3", r.error
    r = c.call(teacher_add=pb.TeacherPut(teacher=pb.Teacher(
        id="t1", name="T", school="x")))
    assert r.status == pb.BAD_REQUEST
    assert r.error == "teacher t1: unknown school 'x'", r.error
    r = c.call(teacher_update=pb.TeacherPut(teacher=pb.Teacher(
        id="t1", name="T", school="s1")))
    assert r.status == pb.NOT_FOUND, r
    r = c.call(coach_get=pb.IdRequest(id="nobody"))
    assert r.status == pb.NOT_FOUND and "nobody" in r.error
    r = c.call(school_deactivate=pb.IdRequest(id="s1"))
    assert r.status == pb.OK and not r.school.active


def t_teacher_reads_only_self_and_tokens(d):
    pb = h.pb2()
    c = admin(d)
    c.call(school_add=pb.SchoolPut(school=pb.School(id="s1", name="N")))
    for tid in ("t1", "t2"):
        assert c.call(teacher_add=pb.TeacherPut(teacher=pb.Teacher(
            id=tid, name="T " + tid, school="s1"))).status == pb.OK
    r = c.call(token_create=pb.TokenCreate(role=pb.COACH, user="nobody"))
    assert r.status == pb.BAD_REQUEST, r
    r = c.call(token_create=pb.TokenCreate(role=pb.TEACHER, user="t1",
                                           label="phone"))
    assert r.status == pb.OK, r.error
    tok, tid = r.token_created.token, r.token_created.info.id
    assert tok.startswith("cd1_") and r.token_created.info.label == "phone"
    t = d.client()
    assert t.hello(tok).status == pb.OK
    assert t.call(teacher_get=pb.IdRequest(id="t1")).status == pb.OK
    r = t.call(teacher_get=pb.IdRequest(id="t2"))
    assert r.status == pb.FORBIDDEN, r
    # the list never carries secrets; revoked tokens only on request
    r = c.call(token_list=pb.ListRequest())
    assert tid in [x.id for x in r.tokens.tokens]
    assert c.call(token_revoke=pb.IdRequest(id=tid)).status == pb.OK
    assert c.call(token_revoke=pb.IdRequest(id=tid)).status == pb.CONFLICT
    r = c.call(token_list=pb.ListRequest())
    assert tid not in [x.id for x in r.tokens.tokens]
    r = c.call(token_list=pb.ListRequest(include_inactive=True))
    assert [x.revoked for x in r.tokens.tokens if x.id == tid] == [True]
    for path in (d.db, d.db + "-wal"):
        try:
            with open(path, "rb") as f:
                assert tok.encode() not in f.read()
        except FileNotFoundError:
            pass


def t_demo_district_import(d):
    """The full demo district (about 120 teachers) imports, then
    re-imports as all unchanged.  Its enrollments.csv alone is over the
    default 1 MiB frame, so this daemon runs with a larger max_frame."""
    pb = h.pb2()
    out = tempfile.mkdtemp(prefix="coachd-demo-")
    h.gen_district(out)
    fl = []
    for name in sorted(os.listdir(out)):
        if name == "questions.csv":   # not a roster file (questions area)
            continue
        with open(os.path.join(out, name), "rb") as f:
            fl.append(pb.ImportFile(name=name, content=f.read()))
    shutil.rmtree(out, ignore_errors=True)
    c = admin(d)
    t0 = time.time()
    r = c.call(roster_import=pb.RosterImport(files=fl))
    first = time.time() - t0
    assert r.status == pb.OK, r.error
    n = counts(r)
    assert n["teachers"][0] >= 100 and n["coaches"][0] >= 6, n
    assert n["timetable"][0] > 0 and n["bells"][0] > 0, n
    t0 = time.time()
    r = c.call(roster_import=pb.RosterImport(files=fl))
    again = time.time() - t0
    assert r.status == pb.OK, r.error
    for kind, (a, u, _) in counts(r).items():
        assert (a, u) == (0, 0), (kind, a, u)
    print("     demo import %.2fs, re-import %.2fs" % (first, again))


def with_big_frames(fn):
    return h.with_daemon(
        fn, prepare=lambda d: d.write_conf(server__max_frame="16M"))


if __name__ == "__main__":
    h.main([h.with_daemon(t) for t in (
        t_import_dry_run_then_real_then_again,
        t_import_bad_row_changes_nothing,
        t_crud_statuses,
        t_teacher_reads_only_self_and_tokens)] +
        [with_big_frames(t_demo_district_import)])
