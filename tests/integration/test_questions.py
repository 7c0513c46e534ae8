"""Inquiry questions and their queues over the real protocol,
with the real coachctl and the independent Python client: every
transition, every refusal (status, message, and nothing changed after),
who sees what, positions and expected waits, queue order, statistics and
reloading the topics file on SIGHUP."""
import os
import signal
import time

import harness as h

MATH_TEXT = "How do I get more math talk going in number talks?"


def setup(d, lee_cap="2"):
    """One school, three coaches, four teachers, tokens for some."""
    d.ctl("school", "add", "--id", "lin", "--name", "Lincoln", check=0)
    d.ctl("coach", "add", "--id", "c-lee", "--name", "Lee", "--expertise",
          "math:3", "--cap", lee_cap, "--school", "lin", check=0)
    d.ctl("coach", "add", "--id", "c-ana", "--name", "Ana", "--expertise",
          "literacy:2", "--cap", "5", "--school", "lin", check=0)
    # interest only: may claim writing questions without literacy expertise
    d.ctl("coach", "add", "--id", "c-ivo", "--name", "Ivo", "--interest",
          "writing", "--cap", "5", "--school", "lin", check=0)
    for t in ("t1", "t2", "t3", "t4"):
        d.ctl("teacher", "add", "--id", t, "--name", "Teacher " + t,
              "--school", "lin", check=0)
    return {u: d.token(role, u) for role, u in (
        ("teacher", "t1"), ("teacher", "t2"), ("coach", "c-lee"),
        ("coach", "c-ana"), ("coach", "c-ivo"))}


def qshow(d, qid, tok=None):
    return d.ctl_json("question", "show", str(qid), token=tok)


def qlist(d, *args, tok=None):
    return d.ctl_json("question", "list", *args,
                      token=tok).get("questions", [])


def history(d, qid, tok=None):
    return d.ctl_json("question", "history", str(qid),
                      token=tok).get("events", [])


def submit(d, text, *args, tok=None):
    return d.ctl_json("question", "submit", text, *args, token=tok)


def snapshot(d):
    """Everything a refusal must leave untouched."""
    qs = qlist(d)
    return [(q["id"], q["state"], q["topic"], q["coach"]) for q in qs], \
        {q["id"]: len(history(d, q["id"])) for q in qs}


def t_full_flow(d):
    tok = setup(d)
    # a teacher submits free text: submitted, ranked suggestions shown
    r = d.ctl("question", "submit", MATH_TEXT, token=tok["t1"], check=0)
    assert "question 1: submitted" in r.stdout, r.stdout
    assert "suggested topics" in r.stdout and "math-discourse" in r.stdout
    q = qshow(d, 1, tok["t1"])
    assert q["state"] == "submitted" and q["teacher"] == "t1"
    assert q["suggestions"][0]["topic"] == "math-discourse"
    assert q["submitted_by"] == "t1"
    # the teacher confirms the topic: queued, position and expected wait
    r = d.ctl("question", "topic", "1", "math-discourse", token=tok["t1"],
              check=0)
    assert "position 1 of 1 in queue math" in r.stdout, r.stdout
    assert "expected wait" in r.stdout
    q = qshow(d, 1, tok["t1"])
    assert q["state"] == "queued" and q["area"] == "math"
    assert q["position"] == 1 and q["depth"] == 1
    assert q["expected_wait"] == 7 * 86400 and q["rate_is_fallback"]
    # a second question of the same teacher waits behind the first
    r = d.ctl("question", "submit", "Writing conferences with my class",
              "--topic", "writing", token=tok["t1"], check=0)
    assert "waits behind question 1" in r.stdout, r.stdout
    q2 = qshow(d, 2, tok["t1"])
    assert q2["state"] == "queued" and q2["activity"] == "held"
    assert q2["held_behind"] == 1 and q2["held_pos"] == 1
    assert q2["position"] == 0
    # a held question cannot be claimed yet
    r = d.ctl("question", "claim", "2", token=tok["c-ivo"], check=67)
    assert "waits behind question 1" in r.stderr
    # the coach claims: assigned
    r = d.ctl("question", "claim", "1", token=tok["c-lee"], check=0)
    assert "question 1: assigned" in r.stdout and "c-lee" in r.stdout
    c = d.ctl_json("coach", "show", "c-lee")
    assert c["active_teachers"] == 1
    # start the cycle, close it with an outcome
    d.ctl("question", "start", "1", token=tok["c-lee"], check=0)
    assert qshow(d, 1)["state"] == "in-cycle"
    r = d.ctl("question", "close", "1", "--outcome",
              "Students now lead number talks", token=tok["c-lee"], check=0)
    q = qshow(d, 1)
    assert q["state"] == "closed" and q["outcome"].startswith("Students")
    assert q["closed_at"] > 0
    # the held question moves into its queue
    q2 = qshow(d, 2, tok["t1"])
    assert q2["activity"] == "active" and q2["position"] == 1, q2
    # every transition with who and when
    ev = history(d, 1, tok["t1"])
    assert [(e["from_state"], e["to_state"], e["actor"]) for e in ev] == [
        ("", "submitted", "t1"), ("submitted", "queued", "t1"),
        ("queued", "assigned", "c-lee"), ("assigned", "in-cycle", "c-lee"),
        ("in-cycle", "closed", "c-lee")], ev
    assert all(e["at"] > 0 for e in ev)
    r = d.ctl("question", "history", "1", check=0)
    assert "in-cycle" in r.stdout and "c-lee" in r.stdout
    # the teacher withdraws the other one
    d.ctl("question", "withdraw", "2", "--note", "changed my mind",
          token=tok["t1"], check=0)
    assert qshow(d, 2)["state"] == "withdrawn"
    assert history(d, 2)[-1]["note"] == "changed my mind"


def t_refusals_change_nothing(d):
    tok = setup(d, lee_cap="1")
    submit(d, MATH_TEXT, "--teacher", "t1", "--topic", "math-discourse")
    submit(d, "Fractions with manipulatives", "--teacher", "t2", "--topic",
           "math-discourse")
    submit(d, "Unsorted question about my class", "--teacher", "t3")
    d.ctl("question", "claim", "1", token=tok["c-lee"], check=0)
    before = snapshot(d)
    cases = [
        # (args, token, exit code, words in the message)
        (("submit", "   ", "--teacher", "t4"), None, 65, "empty"),
        (("submit", "x" * 2001, "--teacher", "t4"), None, 65, "2000"),
        (("submit", "ok text", "--teacher", "t4", "--topic", "astrology"),
         None, 65, "unknown topic 'astrology'"),
        (("submit", "ok text", "--teacher", "t-ghost"), None, 66,
         "unknown teacher 't-ghost'"),
        (("submit", "ok text"), None, 65, "--teacher"),
        (("submit", "ok text", "--teacher", "t2"), tok["t1"], 77,
         "only submit their own"),
        (("claim", "2"), tok["c-lee"], 67,
         "caseload full: c-lee coaches 1 of 1 teachers"),
        (("claim", "2"), tok["c-ana"], 66, "no question 2"),
        (("claim", "3"), tok["c-lee"], 67, "cannot move question from "
         "submitted to assigned"),
        (("show", "99"), None, 66, "no question 99"),
        (("withdraw", "99"), None, 66, "no question 99"),
        (("topic", "99", "writing"), None, 66, "no question 99"),
        (("topic", "3", "astrology"), None, 65, "unknown topic"),
        (("topic", "2", "math-discourse"), None, 67, "already has topic"),
        (("start", "2"), None, 67, "cannot move question from queued to "
         "in-cycle"),
        (("start", "1"), tok["c-ana"], 66, "no question 1"),
        (("close", "1", "--outcome", "x"), None, 67,
         "cannot move question from assigned to closed"),
        (("withdraw", "1"), tok["c-lee"], 77, "not allowed for role coach"),
        (("withdraw", "1"), tok["t2"], 66, "no question 1"),
        (("assign", "2", "--coach", "c-ghost"), None, 66,
         "unknown coach 'c-ghost'"),
        (("assign", "2", "--coach", "c-lee"), None, 67, "caseload full"),
        (("assign", "1", "--coach", "c-ana"), None, 67, "already assigned"),
        (("reassign", "2", "--coach", "c-ana"), None, 67,
         "only an assigned question"),
        (("reassign", "1", "--coach", "c-lee"), None, 67,
         "already assigned to c-lee"),
        (("assign", "2", "--coach", "c-ana"), tok["c-lee"], 77,
         "not allowed for role coach"),
        (("claim", "2"), None, 77, "not allowed for role admin"),
        (("list", "--state", "sleeping"), None, 65, "unknown state"),
        (("list", "--teacher", "t2"), tok["t1"], 77, "their own"),
        (("claim", "abc"), tok["c-lee"], 64, "not a question id"),
    ]
    for args, t, code, words in cases:
        r = d.ctl("question", *args, token=t)
        assert r.returncode == code, (args, r.returncode, r.stderr)
        assert words in r.stderr, (args, r.stderr)
    assert snapshot(d) == before
    # over capacity, but the same teacher again is not a new teacher
    submit(d, "More about math talk", "--teacher", "t1")
    d.ctl("question", "withdraw", "1", check=0)   # admin may withdraw
    d.ctl("question", "topic", "4", "math-discourse", token=tok["c-lee"],
          check=0)
    d.ctl("question", "claim", "2", token=tok["c-lee"], check=0)


def t_protocol_refusals(d):
    """The same rules seen by an independent client: status codes."""
    tok = setup(d)
    pb = h.pb2()
    import question_pb2 as qpb
    c = d.client()
    assert c.hello(tok["t1"]).status == pb.OK
    r = c.call(question_submit=qpb.QuestionSubmit(text=""))
    assert r.status == pb.BAD_REQUEST and "empty" in r.error, r
    r = c.call(question_submit=qpb.QuestionSubmit(text="x", teacher="t2"))
    assert r.status == pb.FORBIDDEN and "t2" in r.error
    r = c.call(question_submit=qpb.QuestionSubmit(text=MATH_TEXT,
                                                 topic="math-discourse"))
    assert r.status == pb.OK and r.question.state == "queued"
    qid = r.question.id
    r = c.call(question_claim=qpb.QuestionRef(id=qid))
    assert r.status == pb.FORBIDDEN
    r = c.call(queue_list=pb.Empty())
    assert r.status == pb.FORBIDDEN
    c.close()
    c = d.client()
    assert c.hello(tok["c-lee"]).status == pb.OK
    r = c.call(question_claim=qpb.QuestionRef(id=qid))
    assert r.status == pb.OK and r.question.coach == "c-lee"
    r = c.call(question_start=qpb.QuestionRef(id=qid))
    assert r.status == pb.OK and r.question.state == "in-cycle"
    r = c.call(question_close=qpb.QuestionClose(id=qid, outcome=""))
    assert r.status == pb.BAD_REQUEST and "outcome" in r.error, r
    r = c.call(question_close=qpb.QuestionClose(id=qid, outcome="x" * 2001))
    assert r.status == pb.BAD_REQUEST
    r = c.call(question_show=qpb.QuestionRef(id=qid))
    assert r.question.state == "in-cycle"
    r = c.call(question_withdraw=qpb.QuestionRef(id=qid))
    assert r.status == pb.FORBIDDEN
    r = c.call(question_close=qpb.QuestionClose(id=qid, outcome="done"))
    assert r.status == pb.OK and r.question.state == "closed"
    r = c.call(question_close=qpb.QuestionClose(id=qid, outcome="again"))
    assert r.status == pb.CONFLICT and "already closed" in r.error, r
    r = c.call(question_history=qpb.QuestionRef(id=qid))
    assert [e.to_state for e in r.history.events] == [
        "submitted", "queued", "assigned", "in-cycle", "closed"]
    c.close()


def t_visibility(d):
    tok = setup(d)
    submit(d, MATH_TEXT, "--topic", "math-discourse", tok=tok["t1"])
    submit(d, "Peer feedback in writing workshop", "--topic", "writing",
           tok=tok["t2"])
    submit(d, "Something about my class", "--teacher", "t3")
    # teachers: only their own questions, with their standing
    mine = qlist(d, tok=tok["t2"])
    assert [q["teacher"] for q in mine] == ["t2"], mine
    assert mine[0]["position"] == 1 and mine[0]["expected_wait"] > 0
    r = d.ctl("question", "list", token=tok["t2"], check=0)
    assert MATH_TEXT[:20] not in r.stdout and "t1" not in r.stdout
    d.ctl("question", "show", "1", token=tok["t2"], check=66)
    d.ctl("question", "history", "1", token=tok["t2"], check=66)
    d.ctl("question", "withdraw", "1", token=tok["t2"], check=66)
    d.ctl("question", "list", "--teacher", "t1", token=tok["t2"], check=77)
    d.ctl("queue", "list", token=tok["t2"], check=77)
    # coaches: queues of their profile, unconfirmed ones, their own
    ana = {q["id"] for q in qlist(d, tok=tok["c-ana"])}
    assert ana == {2, 3}, ana
    d.ctl("question", "show", "1", token=tok["c-ana"], check=66)
    ivo = {q["id"] for q in qlist(d, tok=tok["c-ivo"])}
    assert ivo == {2, 3}, ivo   # interest in writing
    areas = [q["area"] for q in d.ctl_json("queue", "list",
                                           token=tok["c-ana"])["queues"]]
    assert areas == ["literacy"], areas
    d.ctl("queue", "show", "math", token=tok["c-ana"], check=77)
    d.ctl("queue", "show", "literacy", token=tok["c-ana"], check=0)
    d.ctl("queue", "stats", token=tok["c-ana"], check=77)
    # admins: everything
    assert len(qlist(d)) == 3
    allq = [q["area"] for q in d.ctl_json("queue", "list")["queues"]]
    assert "math" in allq and "literacy" in allq and len(allq) == 8
    # once assigned, the coach keeps seeing it
    d.ctl("question", "claim", "1", token=tok["c-lee"], check=0)
    assert qshow(d, 1, tok["c-lee"])["coach"] == "c-lee"
    # a coach may sort an unconfirmed question
    d.ctl("question", "topic", "3", "small-group-reading",
          token=tok["c-ana"], check=0)
    assert qshow(d, 3)["state"] == "queued"


TOPICS = """
[topic math-discourse]
name = Math discourse
area = math
keywords = math talk, number talk

[topic fractions]
name = Fractions
area = math
keywords = fraction
priority = 3
"""


def t_submit_class_checked(d):
    """--class must name a class the question's teacher teaches
    (classes.teacher or one of their class_periods rows); otherwise
    BAD_REQUEST or NOT_FOUND and nothing is stored."""
    import sqlite3
    d.import_demo()
    con = sqlite3.connect("file:%s?mode=ro" % d.db, uri=True)
    (t, c), (t2, c2) = con.execute(
        "SELECT teacher, id FROM classes WHERE teacher IS NOT NULL "
        "GROUP BY teacher ORDER BY teacher LIMIT 2").fetchall()
    con.close()
    before = snapshot(d)
    r = d.ctl("question", "submit", "--teacher", t, "--class", c2,
              "Pacing?", check=65)
    assert "class %s is not taught by teacher %s" % (c2, t) in r.stderr, \
        r.stderr
    r = d.ctl("question", "submit", "--teacher", t, "--class", "no-such",
              "Pacing?", check=66)
    assert "no class no-such" in r.stderr, r.stderr
    assert snapshot(d) == before
    q = submit(d, "Pacing?", "--teacher", t, "--class", c)
    assert qshow(d, q["id"])["class_id"] == c
    # a class_periods row of t naming c2 (co-teaching) makes it t's too
    con = sqlite3.connect(d.db, timeout=30)
    with con:
        con.execute("INSERT INTO class_periods (teacher, day_type, period,"
                    " kind, class) VALUES (?, 'zz', 'ZZ', 'teach', ?)",
                    (t, c2))
    con.close()
    q = submit(d, "Pacing again?", "--teacher", t, "--class", c2)
    assert qshow(d, q["id"])["class_id"] == c2


def write_topics(d, text):
    path = os.path.join(d.dir, "topics.conf")
    with open(path, "w") as f:
        f.write(text)
    return path


def t_queue_order_and_stats(d):
    setup(d)
    # same-second ties go by id; a later high-priority topic goes first
    for t in ("t1", "t2", "t3"):
        submit(d, MATH_TEXT, "--teacher", t, "--topic", "math-discourse")
    time.sleep(1.1)
    submit(d, "Equivalent fractions", "--teacher", "t4", "--topic",
           "fractions")
    qs = d.ctl_json("queue", "show", "math")
    ents = qs["entries"]
    assert [e["id"] for e in ents] == [4, 1, 2, 3], ents
    assert [e["position"] for e in ents] == [1, 2, 3, 4]
    assert ents[0]["base_priority"] == 3 and ents[0]["total"] == 3
    assert all(e["aging"] == 0 for e in ents)   # waited < aging_hours
    assert ents[1]["submitted_at"] <= ents[2]["submitted_at"]
    assert ents[3]["waited"] >= 1
    r = d.ctl("queue", "show", "math", check=0)
    assert "BASE" in r.stdout and "AGING" in r.stdout and "TOTAL" in r.stdout
    assert "per 1h" in r.stdout   # [queue] aging_hours = 1
    # each teacher's own view agrees with the queue, and list with show
    for e in ents:
        assert qshow(d, e["id"])["position"] == e["position"]
    keys = ("activity", "held_pos", "held_behind", "position", "depth",
            "expected_wait", "rate_is_fallback")
    submit(d, "second one for t1", "--teacher", "t1", "--topic", "fractions")
    for q in qlist(d):
        one = qshow(d, q["id"])
        assert [q[k] for k in keys] == [one[k] for k in keys], (q, one)
    d.ctl("question", "assign", "4", "--coach", "c-lee", check=0)
    d.ctl("question", "reassign", "4", "--coach", "c-ivo", check=0)
    ev = history(d, 4)
    assert ev[-1]["from_state"] == ev[-1]["to_state"] == "assigned"
    assert ev[-1]["note"] == "c-ivo"
    st = d.ctl_json("queue", "stats", "--weeks", "2")
    math = [a for a in st["areas"] if a["area"] == "math"][0]
    assert math["depth"] == 3 and math["assigned"] == 1, math
    assert math["held"] == 1
    assert math["oldest_id"] == 1
    weeks = [w for w in st["week_rows"] if w["area"] == "math"]
    assert len(weeks) == 2 and weeks[-1]["arrivals"] == 5
    assert weeks[-1]["assignments"] == 1
    # with one assignment measured, the expected wait uses the rate
    q = qshow(d, 2)
    assert not q["rate_is_fallback"] and q["position"] == 2
    r = d.ctl("queue", "stats", check=0)
    assert "WAIT-MEDIAN" in r.stdout and "arrived/assigned" in r.stdout
    assert "5/1" in r.stdout   # math: 5 arrived, 1 assigned this week
    d.ctl("queue", "show", "nowhere", check=66)


def t_boost(d):
    """An admin's boost puts a waiting question ahead in its queue (base +
    admin_boost_bonus) and in matching (score + boost); it is recorded;
    nobody else may boost; asking twice records nothing; --off undoes it;
    a question that has left the queue cannot be boosted."""
    tk = setup(d)          # c-lee: the only math coach, cap 2 teachers
    for t in ("t1", "t2", "t3"):
        submit(d, MATH_TEXT, "--teacher", t, "--topic", "math-discourse")
    ids = [e["id"] for e in d.ctl_json("queue", "show", "math")["entries"]]
    assert ids == [1, 2, 3], ids
    plan = d.ctl_json("admin", "assign", "--dry-run")
    assert sorted(p["question"] for p in plan["proposals"]) == [1, 2], plan

    before = snapshot(d), history(d, 3)
    for tok in (tk["t1"], tk["c-lee"]):
        r = d.ctl("question", "boost", "3", token=tok, check=77)
    r = d.ctl("question", "boost", "99", check=66)
    assert "no question 99" in r.stderr, r.stderr
    r = d.ctl("question", "boost", "3", "--note", "x" * 257, check=65)
    assert "boost note is 257 bytes, the limit is 256" in r.stderr
    assert (snapshot(d), history(d, 3)) == before

    q = d.ctl_json("question", "boost", "3", "--note", "principal asks")
    assert q["boosted"] is True and q["position"] == 1, q
    ents = d.ctl_json("queue", "show", "math")["entries"]
    assert [e["id"] for e in ents] == [3, 1, 2], ents
    assert ents[0]["boosted"] and \
        ents[0]["base_priority"] == ents[1]["base_priority"] + 5, ents
    assert "boost" in d.ctl("queue", "show", "math", check=0).stdout
    assert "priority:  boosted by an admin\n" in \
        d.ctl("question", "show", "3", check=0).stdout
    ev = history(d, 3)
    assert ev[-1]["from_state"] == ev[-1]["to_state"] == "queued" and \
        ev[-1]["note"] == "boosted: principal asks" and \
        ev[-1]["actor"] == "root", ev[-1]
    d.ctl("question", "boost", "3", check=0)       # already: no event
    assert len(history(d, 3)) == len(ev)
    # matching: the boosted question takes one of c-lee's two places
    plan = d.ctl_json("admin", "assign", "--dry-run", "--explain")
    got = {p["question"]: p for p in plan["proposals"]}
    assert sorted(got) == [1, 3], plan
    assert got[3]["score"]["boost"] == 30, got[3]
    assert "+30 boost" in d.ctl("admin", "assign", "--dry-run",
                                "--explain", check=0).stdout

    d.ctl("question", "boost", "3", "--off", check=0)
    ents = d.ctl_json("queue", "show", "math")["entries"]
    assert [e["id"] for e in ents] == [1, 2, 3], ents
    assert history(d, 3)[-1]["note"] == "boost removed"
    d.ctl("question", "assign", "1", "--coach", "c-lee", check=0)
    r = d.ctl("question", "boost", "1", check=67)
    assert "question 1 is assigned" in r.stderr, r.stderr
    d.ctl("question", "boost", "2", check=0)
    d.restart()
    assert d.ctl_json("question", "show", "3").get("boosted", False) is False
    assert d.ctl_json("question", "show", "2")["boosted"] is True


def t_new_teacher(d):
    """A teacher marked new (teacher update --new-teacher yes): their
    question goes ahead in its queue (base + new_teacher_bonus) and in
    matching (score + new_teacher); unmarking undoes it."""
    setup(d)               # c-lee: the only math coach, cap 2 teachers
    r = d.ctl("teacher", "update", "--id", "t3", "--new-teacher", "maybe",
              check=64)
    assert "--new-teacher: want yes or no, not 'maybe'" in r.stderr
    assert d.ctl_json("teacher", "show", "t3").get("new_teacher",
                                                   False) is False
    d.ctl("teacher", "update", "--id", "t3", "--new-teacher", "yes", check=0)
    t3 = d.ctl_json("teacher", "show", "t3")
    assert t3["new_teacher"] is True and t3["name"] == "Teacher t3", t3
    for t in ("t1", "t2", "t3"):
        submit(d, MATH_TEXT, "--teacher", t, "--topic", "math-discourse")
    ents = d.ctl_json("queue", "show", "math")["entries"]
    assert [e["id"] for e in ents] == [3, 1, 2], ents
    assert ents[0]["new_teacher"] and \
        ents[0]["base_priority"] == ents[1]["base_priority"] + 2, ents
    assert qshow(d, 3)["new_teacher"] is True
    assert " new" in d.ctl("queue", "show", "math", check=0).stdout
    plan = d.ctl_json("admin", "assign", "--dry-run", "--explain")
    got = {p["question"]: p for p in plan["proposals"]}
    assert sorted(got) == [1, 3], plan
    assert got[3]["score"]["new_teacher"] == 10, got[3]
    assert "+10 new" in d.ctl("admin", "assign", "--dry-run", "--explain",
                              check=0).stdout
    # other fields of an update keep the flag; "no" clears it
    d.ctl("teacher", "update", "--id", "t3", "--name", "T Three", check=0)
    assert d.ctl_json("teacher", "show", "t3")["new_teacher"] is True
    d.ctl("teacher", "update", "--id", "t3", "--new-teacher", "no", check=0)
    ents = d.ctl_json("queue", "show", "math")["entries"]
    assert [e["id"] for e in ents] == [1, 2, 3], ents


def t_topics_reload_on_sighup(d):
    setup(d)
    d.ctl("question", "submit", "x", "--teacher", "t1", "--topic",
          "geometry", check=65)
    with open(d.topics, "a") as f:
        f.write("\n[topic geometry]\nname = Geometry\narea = math\n"
                "keywords = shape, angle\n")
    d.proc.send_signal(signal.SIGHUP)
    deadline = time.time() + 10
    while time.time() < deadline:
        r = d.ctl("question", "submit", "angles", "--teacher", "t1",
                  "--topic", "geometry")
        if r.returncode == 0:
            break
        time.sleep(0.2)
    assert r.returncode == 0, r.stderr
    # a broken file keeps the loaded topics
    with open(d.topics, "a") as f:
        f.write("[topic geometry]\n")
    d.proc.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    submit(d, "more angles", "--teacher", "t2", "--topic", "geometry")
    d.wait_log("keeping the loaded topics")


def custom_topics(fn):
    def prepare(d):
        d.topics = write_topics(d, TOPICS)
        d.extra_conf = "[queue]\ntopics = topics.conf\naging_hours = 1\n"
        d.write_conf()
    return h.with_daemon(fn, prepare=prepare)


def t_config_errors():
    d = h.Daemon()
    try:
        d.extra_conf = "[queue]\ntopics = missing.conf\n"
        d.write_conf()
        r = h.run([os.path.join(h.BIN, "coachd"), "--check-config",
                   "--config", d.conf])
        assert r.returncode != 0 and "missing.conf" in r.stderr, r.stderr
        write_topics(d, "[topic a]\nname = A\n")
        d.extra_conf = "[queue]\ntopics = topics.conf\n"
        d.write_conf()
        r = h.run([os.path.join(h.BIN, "coachd"), "--check-config",
                   "--config", d.conf])
        assert r.returncode != 0 and "topics.conf" in r.stderr, r.stderr
        d.extra_conf = "[queue]\naging_hours = 0\n"
        d.write_conf()
        r = h.run([os.path.join(h.BIN, "coachd"), "--check-config",
                   "--config", d.conf])
        assert r.returncode != 0 and "aging_hours" not in r.stdout
    finally:
        d.cleanup()


if __name__ == "__main__":
    h.main([h.with_daemon(t_full_flow),
            h.with_daemon(t_refusals_change_nothing),
            h.with_daemon(t_protocol_refusals),
            h.with_daemon(t_visibility),
            h.with_daemon(t_submit_class_checked),
            h.with_daemon(t_boost),
            h.with_daemon(t_new_teacher),
            custom_topics(t_queue_order_and_stats),
            custom_topics(t_topics_reload_on_sighup),
            t_config_errors])
