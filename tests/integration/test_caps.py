"""Time caps over the real wire: a real coachd, the real coachctl.

Log entries (add, list, edit, delete; the edit window; another coach's
entry), an entry past a cap stored but flagged, a will-not-do category
refused then logged by an admin override that is audited, runtime caps
persisted across a restart and kept over a SIGHUP re-read of the
categories file, report numbers against hand-computed fixtures (--json and
--csv), who may see which report, and the note text never in a report.
"""
import datetime
import json
import os
import re
import shutil
import signal
import sqlite3
import tempfile
import time

import harness as h

try:
    from zoneinfo import ZoneInfo
except ImportError:  # pragma: no cover
    ZoneInfo = None

NOTE = "SECRET-NOTE-text-zq81"
NOTE2 = "private-remark-pk33"


def today():
    """The district's local date (America/Chicago in the harness)."""
    return datetime.datetime.now(ZoneInfo("America/Chicago")).date()


def ds(d):
    return d.isoformat()


def setup(d):
    d.ctl("school", "add", "--id", "s1", "--name", "North", "--kind",
          "high", check=0)
    d.ctl("school", "add", "--id", "s2", "--name", "South", "--kind",
          "high", check=0)
    for c in ("k1", "k2"):
        d.ctl("coach", "add", "--id", c, "--name", "Coach " + c,
              "--school", "s1", check=0)
    d.ctl("teacher", "add", "--id", "t1", "--name", "Tea Cher",
          "--school", "s1", check=0)
    return {"k1": d.token("coach", "k1"), "k2": d.token("coach", "k2"),
            "t1": d.token("teacher", "t1")}


def log_entries(d, tok, *extra):
    r = d.ctl("log", "list", *extra, token=tok, json=True, check=0)
    return json.loads(r.stdout).get("entries", [])


def check_log_crud(d, tk):
    t = today()
    r = d.ctl("log", "add", "--category", "data-work", "--minutes", "45",
              NOTE, token=tk["k1"], json=True, check=0)
    e = json.loads(r.stdout)
    eid = str(e["id"])
    assert e["coach"] == "k1" and e["minutes"] == 45 and \
        e["date"] == ds(t) and e["note"] == NOTE, e
    assert [x["id"] for x in log_entries(d, tk["k1"])] == [e["id"]]
    # another coach may neither change nor delete it
    r = d.ctl("log", "edit", eid, "--minutes", "5", token=tk["k2"],
              check=77)
    assert "belongs to another coach" in r.stderr, r.stderr
    d.ctl("log", "delete", eid, token=tk["k2"], check=77)
    # nor list another coach's log; a teacher nothing at all
    d.ctl("log", "list", "--coach", "k1", token=tk["k2"], check=77)
    d.ctl("log", "list", token=tk["t1"], check=77)
    assert log_entries(d, tk["k1"])[0]["minutes"] == 45
    # edit by its coach
    r = d.ctl("log", "edit", eid, "--minutes", "60", token=tk["k1"],
              check=0)
    assert "changed log entry " + eid in r.stdout, r.stdout
    assert log_entries(d, tk["k1"])[0]["minutes"] == 60
    # outside the 14-day window: refused, nothing added
    old = ds(t - datetime.timedelta(days=20))
    r = d.ctl("log", "add", "--category", "pd-delivery", "--minutes", "30",
              "--date", old, token=tk["k1"], check=67)
    assert "outside the edit window" in r.stderr and "14 days" in r.stderr
    r = d.ctl("log", "edit", eid, "--date", old, token=tk["k1"], check=67)
    assert log_entries(d, tk["k1"])[0]["date"] == ds(t)
    assert log_entries(d, tk["k1"], "--week", old) == []
    # the future is not loggable; unknown categories and bad minutes
    r = d.ctl("log", "add", "--category", "data-work", "--minutes", "30",
              "--date", ds(t + datetime.timedelta(days=2)), token=tk["k1"],
              check=65)
    assert "in the future" in r.stderr, r.stderr
    r = d.ctl("log", "add", "--category", "knitting", "--minutes", "30",
              token=tk["k1"], check=65)
    assert "unknown category 'knitting'" in r.stderr
    # admin needs --coach
    r = d.ctl("log", "add", "--category", "data-work", "--minutes", "30",
              check=65)
    assert "--coach" in r.stderr
    # the school it was for: only one the coach serves
    school0 = log_entries(d, tk["k1"])[0].get("school", "")
    r = d.ctl("log", "edit", eid, "--school", "s2", token=tk["k1"], check=65)
    assert "log edit: k1 does not serve school 's2'" in r.stderr, r.stderr
    assert log_entries(d, tk["k1"])[0].get("school", "") == school0
    d.ctl("coach", "update", "--id", "k1", "--school", "s1,s2", check=0)
    d.ctl("log", "edit", eid, "--school", "s2", token=tk["k1"], check=0)
    assert log_entries(d, tk["k1"])[0]["school"] == "s2"
    d.ctl("coach", "update", "--id", "k1", "--school", "s1", check=0)
    # delete
    d.ctl("log", "delete", eid, token=tk["k1"], check=0)
    assert log_entries(d, tk["k1"]) == []
    d.ctl("log", "delete", eid, token=tk["k1"], check=66)


def check_over_cap(d, tk):
    # data-work: district cap 4h/week.  200 min: fine, 230: warning (80%),
    # 290: over -> stored but flagged, exit 0 with a warning line.
    r = d.ctl("log", "add", "--category", "data-work", "--minutes", "200",
              NOTE, token=tk["k1"], json=True, check=0)
    assert json.loads(r.stdout).get("flagged", False) is False
    r = d.ctl("log", "add", "--category", "data-work", "--minutes", "30",
              token=tk["k1"], check=0)
    assert "warning: data-work at 3h50m of its 4h week cap" in r.stderr, \
        r.stderr
    r = d.ctl("log", "add", "--category", "data-work", "--minutes", "60",
              token=tk["k1"], check=0)
    assert "FLAGGED" in r.stdout, r.stdout
    assert "flagged: over the cap" in r.stderr and "4h" in r.stderr, \
        r.stderr
    ents = log_entries(d, tk["k1"])
    assert [e.get("flagged", False) for e in ents] == [False, False, True]
    # the coach's standing says so
    r = d.ctl("caps", token=tk["k1"], check=0)
    assert re.search(r"data-work .*4h50m / 4h over", r.stdout), r.stdout
    assert "warning: data-work: 4h50m of 4h this week (over the cap)" in \
        r.stdout, r.stdout
    st = d.ctl_json("caps", token=tk["k1"])
    dw = [u for u in st["usage"] if u["category"] == "data-work"][0]
    assert dw["week_used"] == 290 and dw["week_limit"] == 240 and \
        dw["status"] == "over", dw


def check_will_not(d, tk):
    r = d.ctl("log", "add", "--category", "duty", "--minutes", "30",
              token=tk["k1"], check=67)
    assert "duty is marked will-not-do" in r.stderr, r.stderr
    r = d.ctl("log", "add", "--category", "duty", "--minutes", "30",
              "--override", token=tk["k1"], check=77)
    assert "only an admin" in r.stderr
    assert all(e["category"] != "duty" for e in log_entries(d, tk["k1"]))
    r = d.ctl("log", "add", "--category", "duty", "--minutes", "30",
              "--coach", "k1", "--override", json=True, check=0)
    e = json.loads(r.stdout)
    assert e["override"] is True and e["created_by"] == "root", e
    db = sqlite3.connect(d.db)
    rows = db.execute("SELECT who, what FROM caps_audit").fetchall()
    db.close()
    assert any(w == "root" and "override" in x and "duty" in x and
               "k1" in x for w, x in rows), rows


def rules(d, tok=None):
    return d.ctl_json("admin", "caps", "list", token=tok)


def check_runtime_caps(d, tk):
    r = d.ctl("admin", "caps", "set", "data-work", "4x/week", check=65)
    assert "unit must be h, m or %" in r.stderr, r.stderr
    d.ctl("admin", "caps", "set", "data-work", "2h/week", "--coach", "nobody",
          check=66)
    d.ctl("admin", "caps", "set", "knitting", "2h/week", check=65)
    d.ctl("admin", "caps", "set", "data-work", "2h/week", token=tk["k1"],
          check=77)
    assert [x for x in rules(d)["rules"] if x["source"] == "runtime"] == []
    d.ctl("admin", "caps", "set", "data-work", "3h/week", "--coach", "k2",
          check=0)
    d.ctl("admin", "caps", "set", "pd-delivery", "none", "--school", "s2",
          check=0)
    rt = [(x["scope"], x.get("scope_id", ""), x["category"], x["spec"])
          for x in rules(d)["rules"] if x["source"] == "runtime"]
    assert rt == [("coach", "k2", "data-work", "3h/week"),
                  ("school", "s2", "pd-delivery", "none")], rt
    r = d.ctl("admin", "caps", "list", check=0)
    assert "3h/week" in r.stdout and "will-not" in r.stdout
    # persisted across a restart
    d.restart()
    rt2 = [(x["scope"], x.get("scope_id", ""), x["category"], x["spec"])
           for x in rules(d)["rules"] if x["source"] == "runtime"]
    assert rt2 == rt, rt2
    st = d.ctl_json("caps", "--coach", "k2")
    dw = [u for u in st["usage"] if u["category"] == "data-work"][0]
    assert dw["week_limit"] == 180 and dw["limit_scope"] == "coach", dw
    d.ctl("admin", "caps", "unset", "pd-delivery", "--school", "s2", check=0)
    d.ctl("admin", "caps", "unset", "pd-delivery", "--school", "s2",
          check=66)
    db = sqlite3.connect(d.db)
    what = [w for (w,) in db.execute("SELECT what FROM caps_audit")]
    db.close()
    assert "caps set data-work 3h/week (coach k2)" in what, what
    assert "caps unset pd-delivery (school s2)" in what, what


def check_reports(d, tk):
    t = today()
    last = t - datetime.timedelta(days=7)
    # k2's fixture: this week data-work 90 + pd-delivery 60 + student-crisis
    # 60 (non-coaching); last week own-learning 90.  Total 300 min,
    # coaching 240 -> 80%; shares 30% / 20% / 20% / 30%.
    for cat, m, day in (("data-work", 90, t), ("pd-delivery", 60, t),
                        ("student-crisis", 60, t), ("own-learning", 90, last)):
        d.ctl("log", "add", "--category", cat, "--minutes", str(m),
              "--date", ds(day), NOTE2, token=tk["k2"], check=0)
    rep = d.ctl_json("report", "time", "--weeks", "2", token=tk["k2"])
    assert rep["scope"] == "coach" and rep["scope_id"] == "k2"
    assert rep["weeks"] == 2 and int(rep["actual"]) == 300, rep
    rows = {r["category"]: r for r in rep["rows"]}
    want = {"data-work": (90, 3000), "pd-delivery": (60, 2000),
            "student-crisis": (60, 2000), "own-learning": (90, 3000)}
    got = {c: (int(r.get("actual", 0)), r.get("share_bp", 0))
           for c, r in rows.items() if int(r.get("actual", 0)) > 0}
    assert got == want, got
    assert int(rep["coaching_actual"]) == 240 and \
        rep["coaching_share_bp"] == 8000 and rep["protected_bp"] == 6000
    # k2's coach cap 3h/week over 2 weeks
    assert int(rows["data-work"]["limit"]) == 360, rows["data-work"]
    # --weeks 1 leaves last week out
    rep1 = d.ctl_json("report", "time", "--weeks", "1", "--coach", "k2")
    assert int(rep1["actual"]) == 210, rep1
    # CSV: same numbers
    r = d.ctl("report", "time", "--weeks", "2", "--csv", token=tk["k2"],
              check=0)
    lines = r.stdout.strip().split("\n")
    assert lines[0] == ("category,name,kind,planned_minutes,actual_minutes,"
                        "share_pct,limit_minutes"), lines[0]
    csv = {x.split(",")[0]: x.split(",") for x in lines[1:]}
    assert csv["data-work"][4] == "90" and csv["data-work"][5] == "30.00"
    assert csv["data-work"][6] == "360"
    assert csv["own-learning"][4] == "90"
    assert csv["student-crisis"][2] == "non-coaching"
    assert csv["total"][4] == "300"
    assert csv["coaching-share"][4:7] == ["240", "80.00", "60.00"], csv
    # text: bars in ASCII without a UTF-8 locale
    env_lang = os.environ.pop("LANG", None)
    os.environ["LC_ALL"] = "C"
    try:
        r = d.ctl("report", "time", "--weeks", "2", token=tk["k2"], check=0)
    finally:
        os.environ.pop("LC_ALL")
        if env_lang is not None:
            os.environ["LANG"] = env_lang
    assert "#" in r.stdout and "coaching share 80%" in r.stdout, r.stdout
    assert "\u2588" not in r.stdout
    os.environ["LC_ALL"] = "C.UTF-8"
    try:
        r = d.ctl("report", "time", "--weeks", "2", token=tk["k2"], check=0)
    finally:
        os.environ.pop("LC_ALL")
    assert "\u2588" in r.stdout, r.stdout
    # who may see what
    r = d.ctl("report", "time", "--coach", "k2", token=tk["k1"], check=77)
    assert "only their own" in r.stderr
    d.ctl("report", "time", "--school", "s1", token=tk["k1"], check=77)
    d.ctl("report", "time", token=tk["t1"], check=77)
    d.ctl("report", "district", token=tk["k1"], check=77)
    d.ctl("report", "district", token=tk["t1"], check=77)
    sch = d.ctl_json("report", "time", "--school", "s1", "--weeks", "2")
    assert int(sch["actual"]) == 300 + 290 + 30, sch   # k1 and k2
    # district: k1 over data-work (290 of 240), t1 never seen
    dr = d.ctl_json("report", "district", "--weeks", "2")
    top = dr["ranked"][0]
    assert top["category"] == "data-work" and int(top["actual"]) == 380
    over = {(o["coach"], o["category"]) for o in dr["over"]}
    assert ("k1", "data-work") in over, dr["over"]
    k1 = [o for o in dr["over"] if o["coach"] == "k1"][0]
    assert int(k1["used"]) == 290 and int(k1["limit"]) == 240 and \
        k1["pct_bp"] == 12083, k1
    un = [u for u in dr["unseen"] if u["teacher"] == "t1"]
    assert un and un[0]["days"] == -1, dr["unseen"]
    # note text never in any report output
    outs = []
    for tok, args in ((tk["k2"], ("report", "time", "--weeks", "2")),
                      (tk["k2"], ("report", "time", "--csv")),
                      (None, ("report", "time", "--school", "s1")),
                      (None, ("report", "district")),
                      (None, ("report", "district", "--csv"))):
        outs.append(d.ctl(*args, token=tok, check=0).stdout)
        outs.append(d.ctl(*args, token=tok, json=True, check=0).stdout)
    for o in outs:
        assert NOTE not in o and NOTE2 not in o
    # ...while the coach's own log does carry it
    assert any(e["note"] == NOTE2 for e in log_entries(d, tk["k2"]))


def check_sighup(d, tk):
    cats = os.path.join(d.dir, "cats.conf")
    good = open(cats).read()
    with open(cats, "w") as f:
        f.write(good.replace("name = Data work",
                             "name = Data work (renamed)"))
    d.proc.send_signal(signal.SIGHUP)
    deadline = time.time() + 10 * h.SLOW
    while time.time() < deadline:
        names = {c["id"]: c["name"] for c in rules(d)["categories"]}
        if names["data-work"] == "Data work (renamed)":
            break
        time.sleep(0.1)
    assert names["data-work"] == "Data work (renamed)", names
    with open(cats, "w") as f:
        f.write(good + "\n[category broken\n")
    d.proc.send_signal(signal.SIGHUP)
    time.sleep(0.5 * h.SLOW)
    names = {c["id"]: c["name"] for c in rules(d)["categories"]}
    assert names["data-work"] == "Data work (renamed)", names
    d.wait_log("keeping the loaded categories")
    # runtime caps survive both
    assert any(x["source"] == "runtime" and x["category"] == "data-work"
               for x in rules(d)["rules"])


def test_caps():
    tmp = tempfile.mkdtemp(prefix="coachd-caps-")
    shutil.copy(os.path.join(h.SRC, "conf", "categories.conf"),
                os.path.join(tmp, "cats.conf"))
    d = h.Daemon(tmp=tmp, extra_conf="[caps]\ncategories = cats.conf\n"
                 "edit_window = 14d\n")
    try:
        d.start()
        tk = setup(d)
        check_log_crud(d, tk)
        check_over_cap(d, tk)
        check_will_not(d, tk)
        check_runtime_caps(d, tk)
        check_reports(d, tk)
        check_sighup(d, tk)
        d.stop()
    finally:
        d.cleanup()


def weekday_step(d, step):
    """The nearest weekday from d in direction step (d excluded)."""
    d += datetime.timedelta(days=step)
    while d.weekday() >= 5:
        d += datetime.timedelta(days=step)
    return d


def test_sessions_count():
    """Scheduled sessions count by themselves (meeting -> cycle-meeting,
    past ones actual, all planned) and the scheduler refuses a booking
    past a hard cap, over the real session operations."""
    d = h.Daemon()
    try:
        d.start()
        import_roster(d)
        t = today()
        past, future = weekday_step(t, -1), weekday_step(t, 1)
        sunday = t + datetime.timedelta(days=6 - t.weekday())
        for day in (past, future):     # period 2: 9:25-10:55, 90 min
            d.ctl("session", "request", "--coach", "k1", "--teacher", "t2",
                  "--date", ds(day), "--period", "2", "--kind", "meeting",
                  check=0)
        d.ctl("log", "add", "--coach", "k1", "--category", "data-work",
              "--minutes", "30", "--date", ds(past), check=0)
        rep = d.ctl_json("report", "time", "--coach", "k1", "--weeks", "2")
        rows = {r["category"]: r for r in rep["rows"]}
        planned = 90 + (90 if future <= sunday else 0)
        cm = rows["cycle-meeting"]
        assert (int(cm["actual"]), int(cm["planned"])) == (90, planned), cm
        assert int(rep["actual"]) == 120 and \
            int(rep["planned"]) == planned, rep
        # a hard cap on cycle meetings: 2h/week for k1; 90 min already
        # in the week of `past`, 90 more are refused by the scheduler
        d.ctl("admin", "caps", "set", "cycle-meeting", "2h/week", "--coach",
              "k1", check=0)
        r = d.ctl("session", "request", "--coach", "k1", "--teacher", "t2",
                  "--date", ds(past), "--period", "1", "--kind", "meeting",
                  check=67)
        assert "past the cap of 2h (coach level)" in r.stderr, r.stderr
        rep2 = d.ctl_json("report", "time", "--coach", "k1", "--weeks", "2")
        nums = [(r["category"], r["planned"], r["actual"])
                for r in rep["rows"]]
        assert [(r["category"], r["planned"], r["actual"])
                for r in rep2["rows"]] == nums, rep2
        assert int(rep2["rows"][0]["limit"]) == 240    # 2h x 2 weeks
        # reaching the cap exactly is allowed: raise it to what the week
        # holds (past, and future if it falls in the same week) + 90
        same = past.isocalendar()[:2] == future.isocalendar()[:2]
        cap = 90 + (90 if same else 0) + 90
        d.ctl("admin", "caps", "set", "cycle-meeting", "%dm/week" % cap,
              "--coach", "k1", check=0)
        d.ctl("session", "request", "--coach", "k1", "--teacher", "t2",
              "--date", ds(past), "--period", "1", "--kind", "meeting",
              check=0)
        d.stop()
    finally:
        d.cleanup()


def term_conf(tmp, start, end):
    """The shipped categories with one term [start, end] and data work
    capped at 10h/term (4h/week as shipped)."""
    with open(os.path.join(h.SRC, "conf", "categories.conf")) as f:
        text = f.read()
    text = re.sub(r"^terms = .*$", "terms = %s..%s" % (ds(start), ds(end)),
                  text, flags=re.M)
    text = text.replace("cap = 4h/week, 40h/term", "cap = 4h/week, 10h/term")
    with open(os.path.join(tmp, "cats.conf"), "w") as f:
        f.write(text)


def import_roster(d):
    import test_roster_rpc as R
    folder = os.path.join(d.dir, "roster")
    os.makedirs(folder)
    for n, t in {"orgs.csv": R.ORGS, "bell_schedules.csv": R.BELLS,
                 "users.csv": R.USERS, "classes.csv": R.CLASSES,
                 "enrollments.csv": R.ENROLL,
                 "coaches.csv": R.COACHES}.items():
        with open(os.path.join(folder, n), "w") as f:
            f.write(t)
    d.ctl("admin", "import", folder, check=0)


def test_term_caps():
    """Term caps: the term holding the day counts, days outside it do
    not; log add flags past the term cap, `caps` and the district report
    show the term, and the scheduler refuses a booking past a term cap."""
    t = today()
    start, end = t - datetime.timedelta(days=35), \
        t + datetime.timedelta(days=20)
    tmp = tempfile.mkdtemp(prefix="coachd-term-")
    term_conf(tmp, start, end)
    d = h.Daemon(tmp=tmp, extra_conf="[caps]\ncategories = cats.conf\n")
    try:
        d.start()
        import_roster(d)
        # 3h of data work in each of the three weeks before this one
        # (540 min in the term) and 3h before the term (not counted)
        for back in (7, 14, 21, 42):
            d.ctl("log", "add", "--coach", "k1", "--category", "data-work",
                  "--minutes", "180", "--date",
                  ds(t - datetime.timedelta(days=back)), check=0)
        # 90 more today: 90 of 4h this week, but 540 + 90 = 630 > 600
        r = d.ctl("log", "add", "--coach", "k1", "--category", "data-work",
                  "--minutes", "90", check=0)
        assert "FLAGGED" in r.stdout, r.stdout
        assert "term" in r.stderr and "10h" in r.stderr, r.stderr
        st = d.ctl_json("caps", "--coach", "k1")
        assert st["term_start"] == ds(start) and st["term_end"] == ds(end)
        dw = [u for u in st["usage"] if u["category"] == "data-work"][0]
        assert (int(dw["term_used"]), int(dw["term_limit"])) == (630, 600)
        assert int(dw["week_used"]) == 90 and dw["status"] == "over", dw
        r = d.ctl("caps", "--coach", "k1", check=0)
        assert re.search(r"data-work +10h30m / 10h this term \(105%\)",
                         r.stdout), r.stdout
        assert "data-work: 10h30m of 10h this term (over the term cap)" \
            in r.stdout, r.stdout
        dr = d.ctl_json("report", "district")
        assert dr["term_start"] == ds(start), dr
        ov = [o for o in dr["over"] if o["coach"] == "k1"][0]
        assert (ov["category"], ov["period"], int(ov["used"]),
                int(ov["limit"]), ov["pct_bp"]) == \
            ("data-work", "term", 630, 600, 10500), ov
        r = d.ctl("report", "district", check=0)
        assert "term %s..%s" % (ds(start), ds(end)) in r.stdout, r.stdout
        # the scheduler: cycle meetings 2h/term for k1; one 90-min
        # meeting last week passes, a second one this week does not
        d.ctl("admin", "caps", "set", "cycle-meeting", "2h/term", "--coach",
              "k1", check=0)
        lastweek = weekday_step(t - datetime.timedelta(days=7), -1)
        d.ctl("session", "request", "--coach", "k1", "--teacher", "t2",
              "--date", ds(lastweek), "--period", "2", "--kind", "meeting",
              check=0)
        r = d.ctl("session", "request", "--coach", "k1", "--teacher", "t2",
                  "--date", ds(weekday_step(t, -1)), "--period", "2",
                  "--kind", "meeting", check=67)
        assert "term" in r.stderr and "2h" in r.stderr, r.stderr
        d.stop()
    finally:
        d.cleanup()


def curriculum(d, coach):
    st = d.ctl_json("caps", "--coach", coach)
    return st, [u for u in st["usage"] if u["category"] == "curriculum"][0]


def test_working_time():
    """A part-time coach's working time (admin caps working-time): share
    caps scale with it, it is persisted and audited, default restores
    the district's working_week.  curriculum is capped at 15%/week: 6h of
    40h, 3h36m (216 min) of 24h."""
    d = h.Daemon()
    try:
        d.start()
        tk = setup(d)
        d.ctl("admin", "caps", "working-time", "k2", "24h/week",
              token=tk["k2"], check=77)
        d.ctl("admin", "caps", "working-time", "nobody", "24h/week",
              check=66)
        r = d.ctl("admin", "caps", "working-time", "k2", "24x", check=65)
        assert "like 24h/week" in r.stderr and "'24x'" in r.stderr, r.stderr
        r = d.ctl("admin", "caps", "working-time", "k2", "200h/week",
                  check=65)
        assert "up to 168h" in r.stderr, r.stderr
        st, cu = curriculum(d, "k2")
        assert int(st["working_minutes"]) == 2400 and \
            int(cu["week_limit"]) == 360, (st, cu)
        r = d.ctl("admin", "caps", "working-time", "k2", "24h/week",
                  check=0)
        assert "working time of k2: 24h/week" in r.stdout, r.stdout
        d.restart()     # persisted
        for who, m in (("k1", "200"), ("k2", "200"), ("k2", "30")):
            r = d.ctl("log", "add", "--category", "curriculum", "--minutes",
                      m, token=tk[who], check=0)
        # k2: 230 > 216 flagged; k1: 200 of 360, not even a warning
        assert "FLAGGED" in r.stdout and "3h36m" in r.stderr, r.stderr
        assert [e.get("flagged", False) for e in
                log_entries(d, tk["k2"])] == [False, True]
        assert [e.get("flagged", False) for e in
                log_entries(d, tk["k1"])] == [False]
        st, cu = curriculum(d, "k2")
        assert int(st["working_minutes"]) == 1440 and \
            (int(cu["week_used"]), int(cu["week_limit"])) == (230, 216)
        assert "working time 24h/week" in d.ctl("caps", token=tk["k2"],
                                                 check=0).stdout
        rep = d.ctl_json("report", "time", "--coach", "k2", "--weeks", "1")
        row = [x for x in rep["rows"] if x["category"] == "curriculum"][0]
        assert int(row["limit"]) == 216, row
        dr = d.ctl_json("report", "district")
        ov = [(o["coach"], o["category"], int(o["used"]), int(o["limit"]))
              for o in dr.get("over", [])]
        assert ov == [("k2", "curriculum", 230, 216)], ov
        r = d.ctl("admin", "caps", "working-time", "k2", "default", check=0)
        assert "40h/week (the district's working_week)" in r.stdout
        st, cu = curriculum(d, "k2")
        # 230 of 360 min: 64%, below the 80% warning
        assert int(cu["week_limit"]) == 360 and cu["status"] == "ok"
        db = sqlite3.connect(d.db)
        what = [w for (w,) in db.execute("SELECT what FROM caps_audit")]
        db.close()
        assert what == ["caps working-time k2 24h/week",
                        "caps working-time k2 default"], what
        d.stop()
    finally:
        d.cleanup()


def test_several_schools():
    """A coach serving s1 and s2 (data-work: district 4h/week, s2 2h/week
    at runtime): an entry for s1 is held to 4h, an entry of no stated
    school to the strictest school's 2h, an edit keeps the entry's
    school, a school the coach does not serve is refused."""
    d = h.Daemon()
    try:
        d.start()
        setup(d)
        d.ctl("coach", "add", "--id", "k3", "--name", "Coach k3",
              "--school", "s1,s2", check=0)
        d.ctl("school", "add", "--id", "s3", "--name", "East", "--kind",
              "high", check=0)
        d.ctl("admin", "caps", "set", "data-work", "2h/week", "--school",
              "s2", check=0)
        add = ("log", "add", "--coach", "k3", "--category", "data-work")
        r = d.ctl(*add, "--minutes", "30", "--school", "s3", check=65)
        assert "k3 does not serve school 's3'" in r.stderr, r.stderr
        assert log_entries(d, None, "--coach", "k3") == []
        e1 = json.loads(d.ctl(*add, "--minutes", "150", "--school", "s1",
                              json=True, check=0).stdout)
        assert e1["school"] == "s1" and not e1.get("flagged"), e1
        # no school said: s2's 2h binds: 150 + 30 = 180 > 120
        r = d.ctl(*add, "--minutes", "30", check=0)
        assert "FLAGGED" in r.stdout and "past the cap of 2h (school " \
            "level)" in r.stderr, r.stderr
        # for s1 again: 210 of 240 (87%): a warning, not flagged
        r = d.ctl(*add, "--minutes", "30", "--school", "s1", check=0)
        assert "FLAGGED" not in r.stdout and \
            "warning: data-work at 3h30m of its 4h week cap" in r.stderr, \
            r.stderr
        st = d.ctl_json("caps", "--coach", "k3")
        dw = [u for u in st["usage"] if u["category"] == "data-work"][0]
        assert (int(dw["week_used"]), int(dw["week_limit"]),
                dw["limit_scope"]) == (210, 120, "school"), dw
        # edit the s1 entry to 200: 260 > 240, still held to s1's 4h
        r = d.ctl("log", "edit", str(e1["id"]), "--minutes", "200",
                  json=True, check=0)
        e = json.loads(r.stdout)
        assert e["flagged"] is True and e["school"] == "s1", e
        ents = log_entries(d, None, "--coach", "k3")
        assert [(x.get("school", ""), x["minutes"], x.get("flagged", False))
                for x in ents] == [("s1", 200, True), ("", 30, True),
                                   ("s1", 30, False)], ents
        d.stop()
    finally:
        d.cleanup()


if __name__ == "__main__":
    h.main([test_caps, test_sessions_count, test_term_caps,
            test_working_time, test_several_schools])
