"""Confidentiality over the real coachd, the real coachctl and the
independent Python client, on the full demo district: what passes between
coach and teacher (`session note add/list`, the cycle_notes table) is
readable by the coach and the teacher of that cycle and by nobody else.

A distinctive note text is written by the coach and another by the
teacher; then the test proves neither appears anywhere else: refused to
an admin (FORBIDDEN), to another coach and another teacher (NOT_FOUND,
exactly like a session id that does not exist), and to anyone
enumerating session ids; absent from every read command an admin can run
(table, --json, --csv), from every feed, from coachd's debug log and from
every table of the SQLite file, cycle_notes included, whose bodies are
sealed (and no bearer or feed token is in the log or stored in clear).  Also: teachers never
see other teachers' questions (every other id reads "no question N",
exactly like an id that does not exist) and no teacher's feed holds
another teacher's sessions.  Run by ctest with /usr/bin/python3."""

import datetime
import os
import re
import secrets
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

import icalendar  # noqa: E402

ZONE = "America/Chicago"
FEEDS_CONF = "[feeds]\nlisten = 127.0.0.1:0\nretention = 30d\n"
# Distinct per run, so a hit can only come from this run's notes.
TAG = secrets.token_hex(6)
NOTE = "CONFIDENTIAL-%s Ms Ortiz is anxious about period 3" % TAG
NOTE2 = "PRIVATE-%s I freeze when the principal walks in" % TAG
NEEDLES = ("CONFIDENTIAL-" + TAG, "PRIVATE-" + TAG, TAG)

D = None
S = {}


def fetch(url):
    status, _, body = D.fetch_feed(url)
    assert status == 200, (url, status)
    return body


def leaks(text):
    """The needles found in text (str or bytes), folded lines undone."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = text.replace("\r\n ", "").replace("\n ", "")
    return [n for n in NEEDLES if n in text]


def assert_clean(what, text):
    found = leaks(text)
    assert not found, "%s leaks %s:\n%s" % (what, found, str(text)[:2000])


def feed_url(*args, tok=None):
    j = D.ctl_json("feed", "url", *args, token=tok)
    if not j.get("https_url"):       # issued earlier: rotate for a new one
        j = D.ctl_json("feed", "rotate", *args, token=tok)
    S.setdefault("feed_secrets", set()).add(
        j["https_url"].rsplit("/", 1)[1][:-len(".ics")])
    return j["https_url"]


def sessions(*args, tok=None):
    return D.ctl_json("schedule", *args, token=tok).get("sessions", [])


# ---- steps ------------------------------------------------------------------

def test_setup_district_with_cycles():
    """Full demo district, its questions assigned and scheduled."""
    global D
    D = h.Daemon(extra_conf=FEEDS_CONF)       # harness: log_level = debug
    D.write_conf(server__max_frame="8M")
    D.start()
    _, S["from"], j = D.schedule_demo(small=False)
    assert j["placed"] >= 10, j
    ss = sessions("--from", S["from"])
    # the cycle under test: a coach with at least two placed cycles, so
    # the coach's other cycle shows that notes stay with their cycle
    by_coach = {}
    for s in ss:
        by_coach.setdefault(s["coach"], {}).setdefault(s["cycle"], []).\
            append(s)
    coach = sorted(c for c, cy in by_coach.items() if len(cy) >= 2)[0]
    cyc, other_cyc = sorted(by_coach[coach])[:2]
    mine = by_coach[coach][cyc]
    S.update(coach=coach, cycle=cyc, teacher=mine[0]["teacher"],
             school=mine[0]["school"],
             session=[s for s in mine if s["kind"] == "observation"][0],
             other_session=by_coach[coach][other_cyc][0])
    S["other_teacher"] = S["other_session"]["teacher"]
    assert S["other_teacher"] != S["teacher"]
    # a coach who works at the same school but not in this cycle
    con = sqlite3.connect("file:%s?mode=ro" % D.db, uri=True)
    S["other_coach"] = con.execute(
        "SELECT coach FROM coach_schools WHERE school = ? AND coach != ? "
        "ORDER BY coach", (S["school"], coach)).fetchone()[0]
    S["question"] = con.execute("SELECT question FROM cycles WHERE id = ?",
                                (cyc,)).fetchone()[0]
    con.close()
    S["tok"] = {
        "coach": D.enrol("coach", coach),
        "teacher": D.enrol("teacher", S["teacher"]),
        "other_coach": D.enrol("coach", S["other_coach"]),
        "other_teacher": D.enrol("teacher", S["other_teacher"]),
    }


def test_notes_for_coach_and_teacher_only():
    sid = str(S["session"]["id"])
    tk = S["tok"]
    j = D.ctl_json("session", "note", "add", sid, NOTE, token=tk["coach"])
    assert j["text"] == NOTE and j["author"] == S["coach"], j
    j = D.ctl_json("session", "note", "add", sid, NOTE2,
                   token=tk["teacher"])
    assert j["text"] == NOTE2 and j["author"] == S["teacher"], j
    # both parties read both notes, from any session of the cycle
    for who in ("coach", "teacher"):
        for s in sessions("--from", S["from"], tok=tk[who]):
            if s["cycle"] != S["cycle"]:
                continue
            notes = D.ctl_json("session", "note", "list", str(s["id"]),
                               token=tk[who])["notes"]
            assert [(n["author"], n["text"]) for n in notes] == [
                (S["coach"], NOTE), (S["teacher"], NOTE2)], (who, notes)
    r = D.ctl("session", "note", "list", sid, token=tk["teacher"], check=0)
    assert NOTE in r.stdout and NOTE2 in r.stdout, r.stdout
    # the same coach's other cycle has its own (empty) notes
    osid = str(S["other_session"]["id"])
    j = D.ctl_json("session", "note", "list", osid, token=tk["coach"])
    assert j.get("notes", []) == [], j
    j = D.ctl_json("session", "note", "list", osid,
                   token=tk["other_teacher"])
    assert j.get("notes", []) == [], j
    # an admin: refused, both ways, and the message says why
    r = D.ctl("session", "note", "list", sid, check=77)
    assert "not allowed for role admin" in r.stderr, r.stderr
    assert_clean("admin note list", r.stdout + r.stderr)
    r = D.ctl("--json", "session", "note", "list", sid, check=77)
    assert_clean("admin note list --json", r.stdout + r.stderr)
    D.ctl("session", "note", "add", sid, "admin remark", check=77)
    # another coach and another teacher: the session does not exist for
    # them, exactly like an id that does not exist
    missing = str(max(s["id"] for s in sessions("--all")) + 1000)
    for who in ("other_coach", "other_teacher"):
        r = D.ctl("session", "note", "list", sid, token=tk[who], check=66)
        assert_clean(who + " note list", r.stdout + r.stderr)
        assert "no session %s" % sid in r.stderr, r.stderr
        r2 = D.ctl("session", "note", "list", missing, token=tk[who],
                   check=66)
        assert r.stderr.replace(sid, "N") == \
            r2.stderr.replace(missing, "N"), (r.stderr, r2.stderr)
        D.ctl("session", "note", "add", sid, "x", token=tk[who], check=66)
        for verb in ("confirm", "decline", "cancel"):
            r = D.ctl("session", verb, sid, token=tk[who], check=66)
            assert "no session %s" % sid in r.stderr, r.stderr


def test_enumeration_finds_nothing():
    """Every session id, as an admin, another coach and another teacher,
    over the wire: never a note of this cycle in any reply."""
    h.pb2()
    import sched_pb2 as spb
    pb = h.pb2()
    n = max(s["id"] for s in sessions("--all")) + 3
    for who in ("admin", "other_coach", "other_teacher"):
        c = D.client()
        assert c.hello(D.admin_token if who == "admin"
                       else S["tok"][who]).status == pb.OK
        ok = 0
        for sid in range(0, n + 1):
            r = c.call(session_note_list=spb.SchedSessionRef(id=sid))
            assert_clean("%s note list %d" % (who, sid),
                         r.SerializeToString())
            if sid == S["session"]["id"]:
                # admins: the operation table refuses notes; parties
                # only: others are told it does not exist
                want = pb.FORBIDDEN if who == "admin" else pb.NOT_FOUND
                assert r.status == want, (who, r.status, r.error)
            if who != "admin" and sid > 0 and r.status != pb.OK:
                assert r.status == pb.NOT_FOUND and \
                    r.error == "no session %d" % sid, (who, sid, r.error)
            if r.status == pb.OK:
                ok += 1
                assert all(x.text != NOTE for x in r.notes.notes)
        if who == "admin":
            assert ok == 0, "an admin read notes"
        c.close()


def admin_reads():
    """Every read an admin can make (the list of the brief, and more)."""
    F = S["from"]
    c, t, q = S["coach"], S["teacher"], str(S["question"])
    area = D.ctl_json("question", "show", q)["area"]
    return [
        ("schedule",), ("schedule", "--all"), ("schedule", "--from", F),
        ("schedule", "--coach", c, "--all"), ("schedule", "--teacher", t),
        ("week", "--coach", c, "--date", F),
        ("week", "--teacher", t, "--date", F, "--ascii"),
        ("question", "show", q), ("question", "history", q),
        ("question", "list"), ("question", "list", "--teacher", t),
        ("queue", "list"), ("queue", "show", area), ("queue", "stats"),
        ("report", "time", "--coach", c), ("report", "time", "--coach", c,
                                           "--csv"),
        ("report", "time", "--school", S["school"]),
        ("report", "time", "--school", S["school"], "--csv"),
        ("report", "district"), ("report", "district", "--csv"),
        ("coach", "show", c), ("coach", "list"),
        ("teacher", "show", t), ("teacher", "list"),
        ("admin", "assign", "--dry-run", "--explain"),
        ("admin", "schedule", "--dry-run", "--from", F),
        ("caps", "--coach", c), ("log", "list", "--coach", c),
        ("admin", "caps", "list"), ("admin", "token", "list"),
        ("school", "list"), ("school", "show", S["school"]),
    ]


def test_no_admin_read_shows_notes():
    n = 0
    for args in admin_reads():
        for js in (False, True):
            r = D.ctl(*args, json=js)
            assert r.returncode == 0, (args, js, r.returncode, r.stderr)
            assert r.stdout.strip(), (args, js)
            assert_clean(" ".join(args) + (" --json" if js else ""),
                         r.stdout + r.stderr)
            n += 1
    assert n >= 60
    # the coach's and the teacher's own views outside `note list` too
    F = S["from"]
    for who, extra in (("coach", [("caps",), ("report", "time"),
                                  ("log", "list"),
                                  ("week", "--date", F)]),
                       ("teacher", [("week", "--date", F),
                                    ("question", "show",
                                     str(S["question"]))])):
        for args in [("schedule",), ("schedule", "--all"),
                     ("question", "list")] + extra:
            r = D.ctl(*args, json=True, token=S["tok"][who])
            assert r.returncode == 0, (who, args, r.stderr)
            assert_clean("%s: %s" % (who, " ".join(args)), r.stdout)


def test_no_feed_shows_notes():
    tk = S["tok"]
    S["port"] = D.feed_port()
    urls = {"teacher": feed_url(tok=tk["teacher"]),
            "coach": feed_url(tok=tk["coach"]),
            "school": feed_url("--school", S["school"])}
    for who, url in urls.items():
        body = fetch(url)
        assert b"BEGIN:VEVENT" in body, who
        assert S["session"]["uid"].encode() in body, who
        assert_clean(who + " feed", body)


def feed_uids(url):
    cal = icalendar.Calendar.from_ical(fetch(url))
    return {str(ev["UID"]) for ev in cal.walk("VEVENT")}


def test_feeds_hold_only_their_owners_sessions():
    """Every teacher and coach with sessions: the feed's UIDs are exactly
    theirs (the admin's full list is the reference)."""
    everyone = sessions("--all")
    owner = {s["uid"]: (s["teacher"], s["coach"]) for s in everyone}
    teachers = sorted({s["teacher"] for s in everyone})
    coaches = sorted({s["coach"] for s in everyone})
    assert len(teachers) >= 10
    for t in teachers:
        uids = feed_uids(feed_url("--teacher", t))
        want = {u for u, (tt, _) in owner.items() if tt == t}
        assert uids == want, (t, sorted(uids ^ want))
        assert all(owner[u][0] == t for u in uids), t
    for c in coaches:
        uids = feed_uids(feed_url("--coach", c))
        want = {u for u, (_, cc) in owner.items() if cc == c}
        assert uids == want, (c, sorted(uids ^ want))
    # the teacher's own token: their feed and nobody else's
    D.ctl("feed", "url", "--teacher", S["other_teacher"],
          token=S["tok"]["teacher"], check=77)
    D.ctl("schedule", "--teacher", S["other_teacher"],
          token=S["tok"]["teacher"], check=77)


def test_teachers_never_see_others_questions():
    pb = h.pb2()
    import question_pb2 as qpb
    allq = D.ctl_json("question", "list")["questions"]
    top = max(q["id"] for q in allq)
    t = S["teacher"]
    own = {q["id"] for q in allq if q["teacher"] == t}
    assert own and len(own) < len(allq)
    c = D.client()
    assert c.hello(S["tok"]["teacher"]).status == pb.OK
    for qid in range(1, top + 4):
        for op in ("question_show", "question_history"):
            r = c.call(**{op: qpb.QuestionRef(id=qid)})
            if qid in own:
                assert r.status == pb.OK, (qid, op, r.error)
                continue
            # another teacher's question reads exactly like a missing one
            assert r.status == pb.NOT_FOUND, (qid, op, r.status)
            assert r.error == "no question %d" % qid, (qid, op, r.error)
            assert r.WhichOneof("result") is None, (qid, op)
    r = c.call(question_list=qpb.QuestionListRequest())
    assert r.status == pb.OK
    assert {q.id for q in r.questions.questions} == own
    c.close()
    # and with coachctl: exit 66 and the same words
    other = sorted(q["id"] for q in allq if q["teacher"] != t)[0]
    for verb in ("show", "history"):
        r = D.ctl("question", verb, str(other), token=S["tok"]["teacher"],
                  check=66)
        assert "no question %d" % other in r.stderr, r.stderr
    mine = D.ctl_json("question", "list", token=S["tok"]["teacher"])
    assert {q["id"] for q in mine["questions"]} == own
    r = D.ctl("question", "list", token=S["tok"]["teacher"], check=0)
    for q in allq:
        if q["teacher"] != t:
            assert q["teacher"] not in r.stdout, q["teacher"]


def test_log_and_database_hold_notes_only_in_cycle_notes():
    D.stop()
    log = "".join(D.log)
    # the note requests were logged (debug level), their text was not
    assert "session_note_add" in log and "session_note_list" in log, \
        log[-2000:]
    assert_clean("coachd stderr (debug)", log)
    # nor any secret: bearer tokens and feed URL tokens (stored hashed)
    secrets_ = set(S["feed_secrets"]) | set(S["tok"].values()) | {
        D.admin_token}
    assert len(S["feed_secrets"]) >= 10
    assert not [x for x in secrets_ if x in log], "a secret is in the log"
    con = sqlite3.connect("file:%s?mode=ro" % D.db, uri=True)
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert "cycle_notes" in tables and "sessions" in tables
    checked = 0
    for tbl in tables:
        cols = [r[1] for r in con.execute(
            "PRAGMA table_info(\"%s\")" % tbl)]
        for row in con.execute("SELECT * FROM \"%s\"" % tbl):
            for col, v in zip(cols, row):
                if not isinstance(v, (str, bytes)):
                    continue
                checked += 1
                raw = v if isinstance(v, str) else v.decode("latin-1")
                assert not [x for x in secrets_ if x in raw], \
                    "a secret in table %s column %s" % (tbl, col)
                # cycle_notes too: its bodies are sealed (test_at_rest.py)
                assert_clean("table %s column %s" % (tbl, col), v)
    assert checked > 1000, checked
    notes = con.execute("SELECT cycle, author, typeof(body) FROM "
                        "cycle_notes ORDER BY id").fetchall()
    con.close()
    assert notes == [(S["cycle"], S["coach"], "blob"),
                     (S["cycle"], S["teacher"], "blob")], notes
    D.cleanup()


def test_reassign_closes_old_cycle():
    """`question reassign` of an assigned question whose cycle is open
    (unplaceable) ends the old coach's relationship: the cycle becomes
    'cancelled' ("reassigned to <coach>"), its future sessions are
    cancelled, `admin schedule` opens a new cycle for the new coach, the
    old coach's sessions with the teacher no longer join any cycle, and
    the old cycle's notes stay readable by the old coach and the teacher
    only.  `admin assign --full-replan` moves go through the same code
    (test_assign.py).  Own daemon, small district."""
    d = h.Daemon()
    try:
        d.start()
        d.import_demo()
        old, new = "coach-whitfield", "coach-delacruz"  # both at Lincoln
        con = sqlite3.connect("file:%s?mode=ro" % d.db, uri=True)
        t = con.execute("SELECT t.id FROM teachers t JOIN classes c ON "
                        "c.teacher = t.id WHERE t.school = "
                        "'rbu-es-lincoln' ORDER BY t.id").fetchone()[0]
        con.close()

        # tokens of their own (enrolment): only those read notes
        tk = {old: d.enrol("coach", old), new: d.enrol("coach", new),
              t: d.enrol("teacher", t)}
        q = d.ctl_json("question", "submit", "--teacher", t, "--topic",
                       "classroom-management", "Calmer transitions?")["id"]
        d.ctl("question", "assign", str(q), "--coach", old, check=0)
        # the old coach only works on Saturdays: the cycle is unplaceable
        d.ctl("admin", "calendar", "availability", "--coach", old,
              "--slot", "sat 08:00-09:00 rbu-es-lincoln", check=0)
        F = h.next_monday().isoformat()
        j = d.ctl_json("admin", "schedule", "--from", F)
        assert j["unplaceable"] == 1 and j.get("placed", 0) == 0, j
        assert d.ctl_json("question", "show", str(q))["state"] == "assigned"
        # a session of the old coach joins the open cycle; the teacher
        # writes a note on it
        s_old = d.ctl_json("session", "request", "--teacher", t, "--date",
                           F, "--period", "AM", "--kind", "observation",
                           token=tk[old])["id"]
        note = "REASSIGN-%s only for the old coach" % TAG
        d.ctl("session", "note", "add", str(s_old), note, token=tk[t],
              check=0)
        con = sqlite3.connect("file:%s?mode=ro" % d.db, uri=True)
        c_old = con.execute("SELECT cycle FROM sessions WHERE id = ?",
                            (s_old,)).fetchone()[0]
        con.close()
        assert c_old, "the old coach's session joined no cycle"

        d.ctl("question", "reassign", str(q), "--coach", new, check=0)
        con = sqlite3.connect("file:%s?mode=ro" % d.db, uri=True)
        row = con.execute("SELECT coach, state, reason FROM cycles WHERE "
                          "id = ?", (c_old,)).fetchone()
        assert row == (old, "cancelled", "reassigned to %s" % new), row
        row = con.execute("SELECT status, sequence, cancelled_at IS NOT "
                          "NULL FROM sessions WHERE id = ?",
                          (s_old,)).fetchone()
        assert row == ("cancelled", 1, 1), row
        con.close()

        j = d.ctl_json("admin", "schedule", "--from", F)
        mine = d.ctl_json("schedule", "--teacher", t).get("sessions", [])
        con = sqlite3.connect("file:%s?mode=ro" % d.db, uri=True)
        cyc = con.execute("SELECT id, coach, state FROM cycles WHERE "
                          "question = ? AND state NOT IN ('done', "
                          "'cancelled')", (q,)).fetchall()
        con.close()
        assert [c[1:] for c in cyc] == [(new, "scheduled")], \
            "question %d now belongs to %s, but its open cycle is %s" % (
                q, new, cyc)
        assert [s["coach"] for s in mine] == [new] * 3, mine
        # the teacher is off the old coach's caseload: the old coach may
        # not book them any more; a session an admin books for the two
        # joins no cycle
        busy = {(s["date"], s.get("period")) for s in mine}
        day = datetime.date.fromisoformat(F) + datetime.timedelta(days=14)
        assert (day.isoformat(), "AM") not in busy, mine
        r = d.ctl("session", "request", "--teacher", t, "--date",
                  day.isoformat(), "--period", "AM", "--kind",
                  "observation", token=tk[old], check=77)
        assert "not on your caseload" in r.stderr, r.stderr
        s2 = d.ctl_json("session", "request", "--teacher", t, "--coach",
                        old, "--date", day.isoformat(), "--period", "AM",
                        "--kind", "observation")["id"]
        con = sqlite3.connect("file:%s?mode=ro" % d.db, uri=True)
        c2 = con.execute("SELECT cycle FROM sessions WHERE id = ?",
                         (s2,)).fetchone()[0]
        con.close()
        assert not c2, "old coach's session %d joined cycle %s" % (s2, c2)
        # old notes: the old coach and the teacher, never the new coach
        for who in (old, t):
            notes = d.ctl_json("session", "note", "list", str(s_old),
                               token=tk[who])["notes"]
            assert [n["text"] for n in notes] == [note], (who, notes)
        r = d.ctl("session", "note", "list", str(s_old), token=tk[new],
                  check=66)
        assert note not in r.stdout + r.stderr, r
        for s in mine:
            j = d.ctl_json("session", "note", "list", str(s["id"]),
                           token=tk[new])
            assert j.get("notes", []) == [], j
        d.stop()
    finally:
        d.cleanup()


def skipped(fn, why):
    def run():
        if os.environ.get("COACHD_KNOWN_BUGS") == "1":
            return fn()
        print("  skipped: " + why)
    run.__name__ = "SKIPPED_" + fn.__name__
    return run


if __name__ == "__main__":
    h.main_steps([
        test_setup_district_with_cycles,
        test_notes_for_coach_and_teacher_only,
        test_enumeration_finds_nothing,
        test_no_admin_read_shows_notes,
        test_no_feed_shows_notes,
        test_feeds_hold_only_their_owners_sessions,
        test_teachers_never_see_others_questions,
        test_log_and_database_hold_notes_only_in_cycle_notes,
        test_reassign_closes_old_cycle,
    ], S, lambda: D)
