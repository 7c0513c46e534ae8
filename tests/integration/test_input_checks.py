"""Input checks over the real coachd, the real coachctl and the independent
Python client (small demo district imported):

- a request whose strings are not UTF-8 (plain, nested, repeated) is
  refused with BAD_REQUEST naming the field, before any handler runs:
  nothing is stored.  python3-protobuf will not serialize such a string,
  so the frame is built with a placeholder of the same length whose bytes
  are then replaced: lengths stay right, only the bytes go bad;
- a coach may request a session only with a teacher on their caseload,
  and the refusal names nothing beyond the caller's own request;
- a slot conflict tells a caller who is no party to the booking in the
  way only that the coach or the teacher is busy: no other person's id,
  no kind, no session id.  A party still gets the details.

Run by ctest with /usr/bin/python3."""

import datetime
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

D = None            # the daemon
S = {}              # state handed from one step to the next

BAD = b"\xff\xfe\xc0\xaf"          # never UTF-8
PH = "QQQQ"                        # its placeholder, same length
NOT_UTF8 = "is not valid UTF-8"


def db():
    return sqlite3.connect("file:%s?mode=ro" % D.db, uri=True)


def raw_call(c, **op):
    """Send a request with every PH in its strings turned into BAD."""
    req = c.pb.Request(id=c.next_id, **op)
    c.next_id += 1
    data = req.SerializeToString()
    assert PH.encode() in data
    c.send_raw(data.replace(PH.encode(), BAD))
    resp = c.recv()
    assert resp is not None, "connection closed"
    assert resp.id == req.id
    return resp


def admin_client():
    c = D.client()
    assert c.hello(token=D.admin_token).status == 0
    return c


# ---- steps --------------------------------------------------------------------

def test_start():
    global D
    D = h.Daemon()
    D.start()
    D.import_demo()
    con = db()
    # a school with two elementary teachers (same periods every day) and
    # two coaches serving it
    rows = con.execute(
        "SELECT t.school, t.id FROM teachers t WHERE t.active = 1 AND "
        "EXISTS (SELECT 1 FROM class_periods cp WHERE cp.teacher = t.id AND "
        "cp.kind = 'free' AND cp.day_type = '*') ORDER BY t.school, t.id"
    ).fetchall()
    by_school = {}
    for school, t in rows:
        by_school.setdefault(school, []).append(t)
    for school, ts in by_school.items():
        coaches = [c for (c,) in con.execute(
            "SELECT coach FROM coach_schools WHERE school = ? ORDER BY "
            "coach", (school,))]
        if len(ts) >= 3 and len(coaches) >= 2:
            break
    else:
        raise AssertionError("no school with 3 teachers and 2 coaches")
    con.close()
    S.update(school=school, t1=ts[0], t2=ts[1], t3=ts[2], c1=coaches[0],
             c2=coaches[1])
    # t1 is on c1's caseload, t2 on c2's; t3 on nobody's
    for t, c in ((S["t1"], S["c1"]), (S["t2"], S["c2"])):
        q = D.ctl_json("question", "submit", "--teacher", t, "--topic",
                       "student-autonomy", "How do I give students more "
                       "choice in group work?")
        D.ctl("question", "assign", str(q["id"]), "--coach", c, check=0)
    S["c1_tok"] = D.token("coach", S["c1"])
    S["c2_tok"] = D.token("coach", S["c2"])
    S["t1_tok"] = D.token("teacher", S["t1"])
    S["t3_tok"] = D.token("teacher", S["t3"])
    # a Monday past any planning: nothing is booked then
    S["date"] = (h.next_monday() + datetime.timedelta(days=14)).isoformat()


def test_utf8_plain_field():
    c = admin_client()
    import sched_pb2 as spb
    r = raw_call(c, session_request=spb.SchedSessionRequest(
        teacher=S["t1"], coach=S["c1"] + PH, date=S["date"], period="1",
        kind="meeting"))
    assert r.status == c.pb.BAD_REQUEST, (r.status, r.error)
    assert r.error == "session_request: field coach " + NOT_UTF8, r.error
    # the connection goes on
    assert c.call(ping=c.pb.Empty()).status == 0
    c.close()
    con = db()
    assert con.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0
    con.close()


def test_utf8_nested_and_repeated():
    c = admin_client()
    coach = c.pb.Coach(id="coach-utf8", name="Zo\u00eb Utf", caseload_cap=3,
                       interests=["student-autonomy", "x" + PH],
                       schools=[S["school"]])
    r = raw_call(c, coach_add=c.pb.CoachPut(coach=coach))
    assert r.status == c.pb.BAD_REQUEST, (r.status, r.error)
    assert r.error == "coach_add: field coach.interests[1] " + NOT_UTF8, \
        r.error
    coach = c.pb.Coach(id="coach-utf8", name="Zo\u00eb Utf", caseload_cap=3,
                       expertise=[c.pb.Expertise(area="math", level=2),
                                  c.pb.Expertise(area=PH, level=1)])
    r = raw_call(c, coach_add=c.pb.CoachPut(coach=coach))
    assert r.status == c.pb.BAD_REQUEST, (r.status, r.error)
    assert r.error == "coach_add: field coach.expertise[1].area " + \
        NOT_UTF8, r.error
    con = db()
    assert con.execute("SELECT COUNT(*) FROM coaches WHERE id = "
                       "'coach-utf8'").fetchone()[0] == 0
    con.close()
    # real UTF-8 passes: the same coach with a name of non-ASCII letters
    coach = c.pb.Coach(id="coach-utf8", name="Zo\u00eb \u65e5\u672c \u2014",
                       caseload_cap=3, schools=[S["school"]],
                       expertise=[c.pb.Expertise(area="math", level=2)])
    r = c.call(coach_add=c.pb.CoachPut(coach=coach))
    assert r.status == 0, (r.status, r.error)
    c.close()
    j = D.ctl_json("coach", "show", "coach-utf8")
    assert "Zo\u00eb \u65e5\u672c \u2014" in str(j), j


def test_utf8_before_role_handler():
    """A teacher's request with bad bytes is refused as bad input, and
    the question text is not stored."""
    c = D.client()
    assert c.hello(token=S["t1_tok"]).status == 0
    before = db().execute("SELECT COUNT(*) FROM questions").fetchone()[0]
    import question_pb2 as qpb
    r = raw_call(c, question_submit=qpb.QuestionSubmit(
        text="How do I " + PH + " pacing?"))
    assert r.status == c.pb.BAD_REQUEST, (r.status, r.error)
    assert r.error == "question_submit: field text " + NOT_UTF8, r.error
    after = db().execute("SELECT COUNT(*) FROM questions").fetchone()[0]
    assert before == after
    c.close()


def free_period(teacher):
    return D.free_periods(teacher)[0]


def test_caseload_only():
    period = free_period(S["t1"])
    S["period"] = period
    # t2 is c2's, t3 nobody's: c1 may book neither
    for t in (S["t2"], S["t3"], "t-no-such-teacher"):
        r = D.ctl("session", "request", "--teacher", t, "--date",
                  S["date"], "--period", period, "--kind", "meeting",
                  token=S["c1_tok"], check=77)
        assert "teacher '%s' is not on your caseload" % t in r.stderr, \
            r.stderr
        # nothing about whose caseload it is instead
        assert S["c2"] not in r.stderr, r.stderr
    con = db()
    assert con.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0
    con.close()
    # t1 is c1's: booked
    j = D.ctl_json("session", "request", "--teacher", S["t1"], "--date",
                   S["date"], "--period", period, "--kind", "meeting",
                   token=S["c1_tok"])
    assert (j["coach"], j["teacher"], j["status"]) == (
        S["c1"], S["t1"], "requested"), j
    S["sid"] = j["id"]


def test_conflict_hides_others_booking():
    # t3 asks c1 for the slot c1 has with t1: the coach is busy, no more
    r = D.ctl("session", "request", "--coach", S["c1"], "--date",
              S["date"], "--period", S["period"], "--kind", "observation",
              token=S["t3_tok"], check=67)
    assert "the coach is busy at that time" in r.stderr, r.stderr
    for x in (S["t1"], "meeting", "(session", "session %d" % S["sid"]):
        assert x not in r.stderr, (x, r.stderr)
    # the teacher side: an admin books t2 with c1; c2, t2's own coach,
    # then asks for t2 at that time and learns only that t2 is busy
    p2 = [p for p in D.free_periods(S["t2"]) if p != S["period"]][0]
    j = D.ctl_json("session", "request", "--teacher", S["t2"], "--coach",
                   S["c1"], "--date", S["date"], "--period", p2, "--kind",
                   "meeting")
    other = j["id"]
    r = D.ctl("session", "request", "--teacher", S["t2"], "--date",
              S["date"], "--period", p2, "--kind", "meeting",
              token=S["c2_tok"], check=67)
    assert "the teacher is busy at that time" in r.stderr, r.stderr
    for x in (S["c1"], "meeting", "(session", "session %d" % other):
        assert x not in r.stderr, (x, r.stderr)


def test_conflict_party_sees_details():
    # t1 asks c1 for its own booked slot again: t1 is a party, so the
    # clash is named
    r = D.ctl("session", "request", "--coach", S["c1"], "--date",
              S["date"], "--period", S["period"], "--kind", "meeting",
              token=S["t1_tok"], check=67)
    assert "already booked then" in r.stderr and "session %d" % S["sid"] \
        in r.stderr, r.stderr


def test_stop():
    D.stop()
    D.cleanup()


if __name__ == "__main__":
    h.main_steps([test_start, test_utf8_plain_field,
                  test_utf8_nested_and_repeated, test_utf8_before_role_handler,
                  test_caseload_only, test_conflict_hides_others_booking,
                  test_conflict_party_sees_details, test_stop], S,
                  lambda: D, stops=test_stop)
