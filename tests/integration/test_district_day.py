"""One realistic day of the full demo district (Riverbend Unified, 4
schools, 112 teachers, 8 coaches) through the real coachd, the real
coachctl and the independent Python client:

import the roster; submit the district's questions on behalf of the
teachers; a teacher submits their own; a coach sorts an unconfirmed
question and claims it; `admin assign` and `admin schedule` plan the rest;
a teacher asks for a session and the coach confirms it; a coach logs data
work past the weekly cap and is flagged, and `report district` says so;
the teacher's and the coach's feeds hold exactly their sessions; then a
SIGTERM restart keeps every acknowledged write (questions, sessions, log
entries) and every feed URL answers with the same body and ETag.

The planning week is next Monday (district time), so the test does not
depend on a date written into it.  Run by ctest with /usr/bin/python3."""

import csv
import datetime
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

import icalendar  # noqa: E402

ZONE = "America/Chicago"
FEEDS_CONF = "[feeds]\nlisten = 127.0.0.1:0\nretention = 30d\n"
COACH = "coach-whitfield"     # literacy:3, serves Lincoln and Maple
OWN_TEXT = ("How do I help my students use math journals to explain "
            "their thinking?")

D = None            # the daemon
S = {}              # state handed from one step to the next


# ---- helpers ----------------------------------------------------------------

def db():
    return sqlite3.connect("file:%s?mode=ro" % D.db, uri=True)


def questions(tok=None, *args):
    return D.ctl_json("question", "list", *args, token=tok).get(
        "questions", [])


def sessions(*args, tok=None):
    return D.ctl_json("schedule", *args, token=tok).get("sessions", [])


def feed_events(body):
    """python3-icalendar's reading of a feed: {uid: VEVENT}."""
    cal = icalendar.Calendar.from_ical(body)
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == [ZONE]
    evs = {}
    for ev in cal.walk("VEVENT"):
        uid = str(ev["UID"])
        assert uid not in evs, "duplicate UID " + uid
        evs[uid] = ev
    return evs


def check_feed_is_schedule(body, mine):
    """The feed holds exactly the sessions `schedule` lists, each at the
    same date and time, with the same SEQUENCE and status."""
    evs = feed_events(body)
    want = {s["uid"]: s for s in mine}
    assert set(evs) == set(want), (sorted(evs), sorted(want))
    for uid, s in want.items():
        ev = evs[uid]
        dt = ev["DTSTART"].dt
        assert str(ev["DTSTART"].params["TZID"]) == ZONE, uid
        assert dt.strftime("%Y-%m-%d") == s["date"], (uid, dt, s)
        assert dt.hour * 60 + dt.minute == s["start_min"], (uid, dt, s)
        end = ev["DTEND"].dt
        assert end.hour * 60 + end.minute == s["end_min"], (uid, end, s)
        assert int(ev["SEQUENCE"]) == s["sequence"], (uid, s)
        # not yet agreed (proposed, requested): TENTATIVE
        want_st = "CONFIRMED" if s["status"] == "confirmed" else "TENTATIVE"
        assert str(ev["STATUS"]) == want_st, (uid, s["status"],
                                              ev["STATUS"])
        assert s["kind"] in str(ev["SUMMARY"]), (uid, ev["SUMMARY"])
    return evs


def snapshot():
    """Everything the day wrote, as coachctl reports it."""
    qs = [(q["id"], q["teacher"], q["state"], q["topic"], q["coach"],
           q["text"], q["submitted_by"]) for q in questions()]
    ss = [(s["id"], s["uid"], s["cycle"], s["kind"], s["coach"],
           s["teacher"], s["date"], s["period"], s["status"],
           s["sequence"], s["initiated_by"])
          for s in sessions("--from", S["from"], "--all")]
    log = [(e["id"], e["category"], e["minutes"], e["date"], e["note"],
            e["flagged"]) for e in D.ctl_json(
                "log", "list", "--coach", COACH).get("entries", [])]
    over = D.ctl_json("report", "district")["over"]
    hist = {q[0]: [(e["from_state"], e["to_state"], e["actor"])
                   for e in D.ctl_json("question", "history",
                                       str(q[0]))["events"]]
            for q in qs if q[0] in (S["sorted_q"], S["own_q"])}
    return qs, ss, log, over, hist


# ---- the day ----------------------------------------------------------------

def test_start_and_import():
    global D
    D = h.Daemon(extra_conf=FEEDS_CONF)
    D.write_conf(server__max_frame="8M")
    D.start()
    S["from"] = h.next_monday().isoformat()
    dist = os.path.join(D.dir, "district")
    r = h.run(["/usr/bin/python3", os.path.join(h.SRC, "scripts",
               "gen-demo-district.py"), dist])
    assert r.returncode == 0, r.stderr   # its summary line is checked
    assert "4 schools, 112 teachers, 582 classes, 8 coaches, 40 " \
        "questions" in r.stdout, r.stdout
    S["dist"] = dist
    r = D.ctl("admin", "import", dist, check=0)
    rows = {ln.split()[0]: ln.split()[1:] for ln in
            r.stdout.splitlines()[1:] if ln.strip()}
    assert rows["schools"][0] == "4" and rows["teachers"][0] == "112" and \
        rows["classes"][0] == "582" and rows["coaches"][0] == "8", r.stdout
    assert len(D.ctl_json("teacher", "list")["teachers"]) == 112
    coaches = D.ctl_json("coach", "list")["coaches"]
    assert len(coaches) == 8
    with open(os.path.join(dist, "coaches.csv"), newline="") as f:
        S["caps"] = {row["id"]: int(row["caseload_cap"])
                     for row in csv.DictReader(f)}
        f.seek(0)
        S["schools_of"] = {row["id"]: row["schools"].split(";")
                           for row in csv.DictReader(f)}


def test_submit_district_questions():
    """The admin submits questions.csv for the teachers: a known topic
    queues the question, an empty one leaves it 'submitted' with
    suggestions."""
    rows = D.submit_questions_csv(S["dist"])
    assert len(rows) == 40
    qs = questions()
    assert len(qs) == 40
    for q, row in zip(qs, rows):
        assert (q["teacher"], q["text"]) == (row["teacher_id"],
                                             row["text"]), (q, row)
        assert q["submitted_by"] == "root"
        if row["topic"]:
            assert q["state"] == "queued" and q["topic"] == row["topic"], q
            assert q["position"] >= 1 and q["expected_wait"] > 0, q
        else:
            assert q["state"] == "submitted" and q["topic"] == "", q
    S["csv"] = rows
    S["topic_ids"] = sorted(q["id"] for q in qs if q["topic"])
    S["n_topic"] = sum(1 for r in rows if r["topic"])
    assert S["n_topic"] == 32
    depth = sum(a["depth"] for a in D.ctl_json("queue", "list")["queues"])
    assert depth == S["n_topic"], depth


def test_teacher_submits_own():
    asked = {r["teacher_id"] for r in S["csv"]}
    con = db()
    teacher = con.execute(
        "SELECT id FROM teachers WHERE school = 'rbu-es-maple' ORDER BY "
        "id").fetchall()
    con.close()
    teacher = [t for (t,) in teacher if t not in asked][0]
    S["own_teacher"] = teacher
    S["own_tok"] = D.token("teacher", teacher)
    r = D.ctl("question", "submit", OWN_TEXT, token=S["own_tok"], check=0)
    m = re.search(r"^question (\d+): submitted$", r.stdout, re.M)
    assert m, r.stdout
    S["own_q"] = int(m.group(1))
    assert S["own_q"] == 41
    assert "math-discourse" in r.stdout, r.stdout
    mine = questions(S["own_tok"])
    assert [(q["id"], q["submitted_by"], q["state"]) for q in mine] == \
        [(41, teacher, "submitted")], mine
    assert mine[0]["suggestions"][0]["topic"] == "math-discourse"
    # for someone else: refused, nothing stored
    other = S["csv"][0]["teacher_id"]
    r = D.ctl("question", "submit", "x", "--teacher", other,
              token=S["own_tok"], check=77)
    assert "only submit their own" in r.stderr, r.stderr
    assert len(questions()) == 41


def test_coach_sorts_and_claims():
    """The coach confirms a topic for an unconfirmed question of one of
    their schools, then claims it."""
    ctok = D.token("coach", COACH)
    S["coach_tok"] = ctok
    mine = questions(ctok, "--state", "submitted")
    assert {q["id"] for q in mine} >= {33, 41}, mine
    # `list` has no suggestions: `show` has
    shown = [D.ctl_json("question", "show", str(q["id"]), token=ctok)
             for q in mine if q["school"] in S["schools_of"][COACH]]
    cand = [q for q in shown if q.get("suggestions") and
            q["suggestions"][0]["area"] == "literacy"]
    assert cand, shown
    q = cand[0]
    S["sorted_q"], S["sorted_teacher"] = q["id"], q["teacher"]
    topic = q["suggestions"][0]["topic"]
    r = D.ctl("question", "topic", str(q["id"]), topic, token=ctok, check=0)
    assert "question %d: queued" % q["id"] in r.stdout, r.stdout
    assert "queue literacy" in r.stdout, r.stdout
    r = D.ctl("question", "claim", str(q["id"]), token=ctok, check=0)
    assert "question %d: assigned" % q["id"] in r.stdout, r.stdout
    one = D.ctl_json("question", "show", str(q["id"]))
    assert (one["state"], one["coach"], one["topic"]) == (
        "assigned", COACH, topic), one
    ev = D.ctl_json("question", "history", str(q["id"]))["events"]
    assert [(e["from_state"], e["to_state"], e["actor"]) for e in ev] == [
        ("", "submitted", "root"), ("submitted", "queued", COACH),
        ("queued", "assigned", COACH)], ev
    assert D.ctl_json("coach", "show", COACH)["active_teachers"] == 1


def test_admin_assign():
    before = [(q["id"], q["state"], q["coach"]) for q in questions()]
    j = D.ctl_json("admin", "assign", "--dry-run")
    assert j["applied"] is False and j["assigned"] == S["n_topic"], j
    assert [(q["id"], q["state"], q["coach"]) for q in questions()] == \
        before, "dry run changed questions"
    r = D.ctl("admin", "assign", "--dry-run", "--explain", check=0)
    assert "RUNNER-UP" in r.stdout and "nothing changed" in r.stdout
    j = D.ctl_json("admin", "assign")
    assert j["applied"] is True and j["assigned"] == S["n_topic"] and \
        j["added"] == S["n_topic"] and j["kept"] == 1, \
        {k: v for k, v in j.items() if k != "proposals"}
    # the claimed question is no candidate: it is not in the plan
    assert sorted(p["question"] for p in j["proposals"]
                  if p["change"] == "assign_added") == S["topic_ids"], \
        j["proposals"]
    qs = questions()
    assert not [q for q in qs if q["state"] == "queued"], qs
    assigned = [q for q in qs if q["state"] == "assigned"]
    assert len(assigned) == S["n_topic"] + 1
    # caseload caps hold; every coach serves the teacher's school
    load = {}
    for q in assigned:
        load.setdefault(q["coach"], set()).add(q["teacher"])
        assert q["school"] in S["schools_of"][q["coach"]], q
    for c, ts in load.items():
        assert len(ts) <= S["caps"][c], (c, len(ts))
        assert D.ctl_json("coach", "show", c)["active_teachers"] == \
            len(ts), c
    S["n_assigned"] = len(assigned)


def test_admin_schedule():
    F = S["from"]
    j = D.ctl_json("admin", "schedule", "--dry-run", "--from", F)
    assert j["dry_run"] is True and j["cycles_created"] == S["n_assigned"]
    assert sessions("--from", F, "--all") == []
    j = D.ctl_json("admin", "schedule", "--from", F)
    assert j["from"] == F and j["school_days"] == 10, j
    assert j["cycles_created"] == S["n_assigned"], j
    assert j["placed"] + j["unplaceable"] == S["n_assigned"], j
    assert j["placed"] >= S["n_assigned"] - 5, j
    ss = sessions("--from", F)
    assert len(ss) == 3 * j["placed"], (len(ss), j)
    by_cycle = {}
    for s in ss:
        assert s["status"] == "proposed" and s["sequence"] == 0 and \
            s["initiated_by"] == "scheduler", s
        assert F <= s["date"] <= j["to"], s
        by_cycle.setdefault(s["cycle"], []).append(s)
    for cyc, group in by_cycle.items():
        group.sort(key=lambda s: (s["date"], s["start_min"]))
        assert [s["kind"] for s in group] == ["meeting", "observation",
                                              "debrief"], group
    # nobody is in two places at once
    for who in ("coach", "teacher"):
        seen = {}
        for s in ss:
            for o in seen.get((s[who], s["date"]), []):
                assert s["end_min"] <= o["start_min"] or \
                    s["start_min"] >= o["end_min"], (s, o)
            seen.setdefault((s[who], s["date"]), []).append(s)
    in_cycle = [q for q in questions() if q["state"] == "in-cycle"]
    assert len(in_cycle) == j["placed"]
    # the claimed question is placed (its teacher is at an elementary
    # school where the coach serves)
    mine = [s for s in ss if s["teacher"] == S["sorted_teacher"]]
    assert [s["coach"] for s in mine] == [COACH] * 3, mine
    S["cycle"] = mine[0]["cycle"]
    S["placed"] = j["placed"]


def free_period(teacher):
    return D.free_periods(teacher)[0]


def test_teacher_requests_coach_confirms():
    t = S["sorted_teacher"]
    ttok = D.token("teacher", t)
    S["t_tok"] = ttok
    # the Monday after the planning horizon: nothing booked yet
    date = (h.next_monday() + datetime.timedelta(days=14)).isoformat()
    period = free_period(t)
    j = D.ctl_json("session", "request", "--coach", COACH, "--date", date,
                   "--period", period, "--kind", "meeting", token=ttok)
    assert (j["status"], j["initiated_by"], j["teacher"], j["coach"],
            j["cycle"], j["date"], j["period"], j["sequence"]) == (
        "requested", "teacher", t, COACH, S["cycle"], date, period, 0), j
    sid = j["id"]
    S["req_session"] = sid
    # the same slot again is a clash, named
    r = D.ctl("session", "request", "--coach", COACH, "--date", date,
              "--period", period, "--kind", "meeting", token=ttok, check=67)
    assert "already booked" in r.stderr and "session %d" % sid in \
        r.stderr, r.stderr
    # only the coach (or admin) may confirm it for the coach's side; a
    # teacher of another cycle may not touch it
    other = S["own_tok"]
    r = D.ctl("session", "confirm", str(sid), token=other, check=66)
    assert "no session %d" % sid in r.stderr, r.stderr
    r = D.ctl("session", "confirm", str(sid), token=S["coach_tok"], check=0)
    assert "confirmed" in r.stdout, r.stdout
    mine = [s for s in sessions(tok=ttok) if s["id"] == sid]
    assert mine and mine[0]["status"] == "confirmed", mine
    D.ctl("session", "confirm", str(sid), token=S["coach_tok"], check=67)


def test_data_work_past_cap():
    ctok = S["coach_tok"]
    r = D.ctl("log", "add", "--category", "data-work", "--minutes", "200",
              "interim assessment item analysis", token=ctok, check=0)
    assert "FLAGGED" not in r.stdout
    r = D.ctl("log", "add", "--category", "data-work", "--minutes", "30",
              token=ctok, check=0)
    assert "warning: data-work at 3h50m of its 4h week cap" in r.stderr, \
        r.stderr
    r = D.ctl("log", "add", "--category", "data-work", "--minutes", "60",
              "benchmark data for the leadership team", token=ctok, check=0)
    assert "FLAGGED" in r.stdout, r.stdout
    assert "flagged: over the cap: data-work: 3h50m already this week, 60 " \
        "more minutes make 4h50m, past the cap of 4h (district level)" in \
        r.stderr, r.stderr
    ents = D.ctl_json("log", "list", token=ctok)["entries"]
    today = h.district_today().isoformat()
    assert [(e["minutes"], e["flagged"], e["date"]) for e in ents] == [
        (200, False, today), (30, False, today), (60, True, today)], ents
    st = D.ctl_json("caps", token=ctok)
    dw = [u for u in st["usage"] if u["category"] == "data-work"][0]
    assert (dw["week_used"], dw["week_limit"], dw["status"]) == (
        290, 240, "over"), dw
    r = D.ctl("caps", token=ctok, check=0)
    assert re.search(r"data-work .*4h50m / 4h over", r.stdout), r.stdout


def test_report_district():
    j = D.ctl_json("report", "district")
    assert j["over"] == [{"coach": COACH, "category": "data-work",
                          "period": "week", "used": 290, "limit": 240,
                          "pct_bp": 12083}], j["over"]
    dw = [c for c in j["ranked"] if c["category"] == "data-work"]
    assert dw and dw[0]["actual"] == 290, j["ranked"]
    assert j["ranked"][0]["category"] == "data-work", j["ranked"]
    # every session is in the future: all 112 teachers unseen
    assert len(j["unseen"]) == 112, len(j["unseen"])
    r = D.ctl("report", "district", check=0)
    assert re.search(r"^%s\s+data-work\s+week\s+4h50m\s+4h\s+120%%$"
                     % COACH, r.stdout, re.M), r.stdout
    r = D.ctl("report", "district", "--csv", check=0)
    assert "over,%s,data-work,week,290,240,120.83" % COACH in \
        r.stdout.splitlines(), r.stdout
    r = D.ctl("report", "district", token=S["coach_tok"], check=77)


def test_feeds_are_the_schedule():
    S["port"] = D.feed_port()
    urls = {}
    for who, tok in (("teacher", S["t_tok"]), ("coach", S["coach_tok"])):
        fu = D.ctl_json("feed", "url", token=tok)
        assert fu["kind"] == who and fu["created"] is True, fu
        urls[who] = fu["https_url"]
    urls["school"] = D.ctl_json("feed", "url", "--school",
                                "rbu-es-maple")["https_url"]
    S["urls"] = urls
    S["bodies"] = {}
    mine_t = sessions(tok=S["t_tok"])
    assert mine_t and all(s["teacher"] == S["sorted_teacher"]
                          for s in mine_t), mine_t
    assert len(mine_t) == 4 and \
        [s["status"] for s in mine_t].count("confirmed") == 1, mine_t
    mine_c = sessions(tok=S["coach_tok"])
    assert mine_c and all(s["coach"] == COACH for s in mine_c)
    assert {s["id"] for s in mine_c} == {
        s["id"] for s in sessions("--coach", COACH)}
    for who, mine in (("teacher", mine_t), ("coach", mine_c)):
        st, hd, body = D.fetch_feed(urls[who])
        assert st == 200 and hd["content-type"].startswith(
            "text/calendar"), (st, hd)
        check_feed_is_schedule(body, mine)
        S["bodies"][who] = (body, hd["etag"])
    st, hd, body = D.fetch_feed(urls["school"])
    assert st == 200
    school = [s for s in sessions() if s["school"] == "rbu-es-maple"]
    assert school
    check_feed_is_schedule(body, school)
    S["bodies"]["school"] = (body, hd["etag"])


def test_restart_keeps_acknowledged_writes():
    before = snapshot()
    # a last write over the wire, acknowledged, then SIGTERM at once
    h.pb2()
    import question_pb2 as qpb
    c = D.client()
    assert c.hello(S["own_tok"]).status == 0
    r = c.call(question_submit=qpb.QuestionSubmit(
        text="Last one before the daemon stops: exit tickets?"))
    assert r.status == 0, r.error
    last = r.question.id
    c.close()
    D.stop()
    con = db()
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
    D.start()
    port = D.feed_port()
    after = snapshot()
    qs = after[0]
    assert qs[-1][0] == last and qs[-1][1] == S["own_teacher"] and \
        qs[-1][6] == S["own_teacher"], qs[-1]
    assert (qs[:-1],) + after[1:] == (before[0],) + before[1:]
    # the state the day left, as concrete values
    states = {q[0]: q[2] for q in qs}
    assert states[S["sorted_q"]] == "in-cycle"
    assert states[S["own_q"]] == "submitted"
    assert sum(1 for s in states.values() if s == "in-cycle") == S["placed"]
    sess = {s[0]: s for s in after[1]}
    assert sess[S["req_session"]][8] == "confirmed"
    assert [e[2] for e in after[2]] == [200, 30, 60]
    assert [e[5] for e in after[2]] == [False, False, True]
    # every feed URL answers with the same body and ETag
    for who, url in S["urls"].items():
        url = re.sub(r":\d+/", ":%d/" % port, url)
        st, hd, body = D.fetch_feed(url)
        assert st == 200, (who, st)
        assert body == S["bodies"][who][0], who
        assert hd["etag"] == S["bodies"][who][1], who
        st, _, _ = D.fetch_feed(url, headers={"If-None-Match": hd["etag"]})
        assert st == 304, (who, st)


def test_stop_clean():
    D.stop()
    D.cleanup()


if __name__ == "__main__":
    h.main_steps([
        test_start_and_import, test_submit_district_questions,
        test_teacher_submits_own, test_coach_sorts_and_claims,
        test_admin_assign, test_admin_schedule,
        test_teacher_requests_coach_confirms, test_data_work_past_cap,
        test_report_district, test_feeds_are_the_schedule,
        test_restart_keeps_acknowledged_writes, test_stop_clean,
    ], S, lambda: D, stops=test_stop_clean)
