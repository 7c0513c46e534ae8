"""iCalendar feeds inside the real coachd: `coachctl feed url`
and `feed rotate` permissions, the HTTPS feed server started from
[feeds] (127.0.0.1:0, the test CA), HTTP caching (ETag, 304 by tag and by
date), 404/410, and the feed content against the database, parsed with
python3-icalendar, ical.js and libical.

The scheduling operations are not in the protocol yet, so sessions are
written into the real database with sqlite3 while coachd is stopped; the
restarted coachd renders them at start-up.  Run by /usr/bin/python3."""

import csv
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import zoneinfo

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "interop"))
import feed_common as fc  # noqa: E402

import icalendar  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("COACHD_SRC") or os.path.join(HERE, "..", "..")
ZONE = "America/Chicago"
NOTE = "CONFIDENTIAL-NOTE-zebra-4471"
NOTE2 = "Private-live-note-okapi-9923"
FEEDS_CONF = "[feeds]\nlisten = 127.0.0.1:0\nretention = 30d\n"

D = None            # the daemon
S = {}              # state shared by the tests, in order


def fetch(url, method="GET", headers=None):
    m = re.match(r"https://127\.0\.0\.1:(\d+)(/.*)$", url)
    assert m, url
    ctx = ssl.create_default_context(cafile=os.path.join(D.pki, "ca.crt"))
    c = http.client.HTTPSConnection("127.0.0.1", int(m.group(1)),
                                    context=ctx, timeout=10)
    c.request(method, m.group(2), headers=headers or {})
    r = c.getresponse()
    body = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, body


def token_for(role, user):
    r = D.ctl_json("admin", "token", "create", "--role", role, "--user",
                   user)
    return r["token"]


def db():
    return sqlite3.connect(D.db)


def seed_sessions():
    """Sessions for every teacher with a class: an observation in that
    class and a debrief, with a cycle, its question and a coaching note."""
    con = db()
    cur = con.cursor()
    coach_of = dict(cur.execute(
        "SELECT school, MIN(coach) FROM coach_schools GROUP BY school"))
    rows = cur.execute(
        "SELECT t.id, t.school, MIN(c.id) FROM teachers t "
        "JOIN classes c ON c.teacher = t.id GROUP BY t.id ORDER BY t.id"
    ).fetchall()
    created = 1764000000
    n = 0
    for teacher, school, cls in rows:
        coach = coach_of.get(school)
        if coach is None:
            continue
        cur.execute(
            "INSERT INTO questions (teacher, text, topic, area, state, "
            "coach, class, submitted_by, submitted_at) VALUES (?, ?, "
            "'questioning-discussion', 'literacy', 'in-cycle', ?, ?, ?, ?)",
            (teacher, "How do I get more students talking?", coach, cls,
             teacher, created))
        q = cur.lastrowid
        cur.execute("INSERT INTO cycles (question, coach, teacher, state, "
                    "created_at) VALUES (?, ?, ?, 'scheduled', ?)",
                    (q, coach, teacher, created))
        cy = cur.lastrowid
        cur.execute("INSERT INTO cycle_notes (cycle, author, at, body) "
                    "VALUES (?, ?, ?, ?)", (cy, coach, created, NOTE))
        day = 1 + n % 20
        for kind, start, cl, period in (("observation", 9 * 60, cls, "3"),
                                        ("debrief", 13 * 60, None, None)):
            n += 1
            cur.execute(
                "INSERT INTO sessions (uid, cycle, kind, coach, teacher, "
                "school, room, class, date, period, start_min, end_min, "
                "status, sequence, initiated_by, created_at, modified_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'confirmed', "
                "0, 'scheduler', ?, ?)",
                ("sess-%04d@coachd.test" % n, cy, kind, coach, teacher,
                 school, "R%d" % (100 + n % 50), cl,
                 "2026-12-%02d" % day, period, start, start + 45,
                 created + n, created + n))
    # One cancelled long ago: past the 30-day retention, never shown.
    cur.execute("UPDATE sessions SET status = 'cancelled', sequence = 1, "
                "cancelled_at = 1600000000, modified_at = 1600000000 "
                "WHERE uid = 'sess-0002@coachd.test'")
    # One the scheduler only proposed so far.
    cur.execute("UPDATE sessions SET status = 'proposed' WHERE uid = "
                "'sess-0004@coachd.test'")
    con.commit()
    con.close()
    return n


def db_events(col, subject):
    """What a feed must show: (uid -> (sequence, status, date, start))."""
    con = db()
    keep = int(time.time()) - 30 * 86400
    out = {}
    for uid, seq, st, date, smin in con.execute(
            "SELECT uid, sequence, status, date, start_min FROM sessions "
            "WHERE %s = ? AND (status IN ('requested', 'proposed', "
            "'confirmed') OR (status IN "
            "('cancelled','declined') AND COALESCE(cancelled_at, "
            "modified_at) >= ?))" % col, (subject, keep)):
        out[uid] = (seq, "CANCELLED" if st in ("cancelled", "declined")
                    else "TENTATIVE" if st in ("proposed", "requested")
                    else "CONFIRMED", date, smin, st)
    con.close()
    return out


def parse(body):
    """python3-icalendar view: {uid: event}; checks TZIDs and UIDs."""
    cal = icalendar.Calendar.from_ical(body)
    zones = [str(c["TZID"]) for c in cal.walk("VTIMEZONE")]
    assert zones == [ZONE], zones
    assert cal.get("METHOD") is None
    evs = {}
    for ev in cal.walk("VEVENT"):
        uid = str(ev["UID"])
        assert uid not in evs, "duplicate UID " + uid
        for p in ("DTSTART", "DTEND"):
            assert ev[p].params["TZID"] in zones, (uid, p)
        for p in ("DTSTAMP", "SUMMARY", "SEQUENCE", "STATUS", "CREATED",
                  "LAST-MODIFIED", "LOCATION", "CATEGORIES"):
            assert p in ev, (uid, p)
        evs[uid] = ev
    return cal, evs


def check_matches_db(body, col, subject):
    _, evs = parse(body)
    want = db_events(col, subject)
    assert set(evs) == set(want), (sorted(evs), sorted(want))
    for uid, (seq, st, date, smin, raw) in want.items():
        ev = evs[uid]
        # not yet agreed: STATUS:TENTATIVE says so, the title does not
        assert "(proposed)" not in str(ev["SUMMARY"]) and \
            "(requested)" not in str(ev["SUMMARY"]), ev["SUMMARY"]
        assert int(ev["SEQUENCE"]) == seq, uid
        assert str(ev["STATUS"]) == st, uid
        dt = ev["DTSTART"].dt
        assert dt.strftime("%Y-%m-%d") == date, uid
        assert dt.hour * 60 + dt.minute == smin, uid
    return evs


# ---- tests -----------------------------------------------------------------

def test_config_refuses_plain_http_off_loopback():
    tmp = tempfile.mkdtemp(prefix="coachd-feeds-cfg-")
    conf = os.path.join(tmp, "c.conf")
    with open(conf, "w") as f:
        f.write("[tls]\ncert = /nonexistent.crt\nkey = /nonexistent.key\n"
                "[store]\npath = x.db\n[feeds]\nlisten = 0.0.0.0:8080\n"
                "tls = no\n")
    r = subprocess.run([os.path.join(h.BIN, "coachd"), "--check-config",
                        "--config", conf], capture_output=True, text=True)
    assert r.returncode != 0
    assert "tls = no is allowed only on a loopback" in r.stderr, r.stderr


def test_start_and_import():
    global D
    D = h.Daemon(extra_conf=FEEDS_CONF)
    D.start()
    S["port"] = D.feed_port()
    D.import_demo()
    D.stop()
    S["nsessions"] = seed_sessions()
    assert S["nsessions"] >= 4
    con = db()
    S["teacher"], S["school"], S["coach"] = con.execute(
        "SELECT teacher, school, coach FROM sessions ORDER BY uid "
        "LIMIT 1").fetchone()
    S["other_teacher"] = con.execute(
        "SELECT id FROM teachers WHERE id != ? ORDER BY id LIMIT 1",
        (S["teacher"],)).fetchone()[0]
    S["other_coach"] = con.execute(
        "SELECT id FROM coaches WHERE id != ? ORDER BY id LIMIT 1",
        (S["coach"],)).fetchone()[0]
    con.close()
    D.start()
    S["port"] = D.feed_port()
    S["ttok"] = token_for("teacher", S["teacher"])
    # the coach writes a note below: a token of their own (enrolment)
    S["ctok"] = D.enrol("coach", S["coach"])


def test_feed_url_permissions():
    t, c = S["ttok"], S["ctok"]
    # Refusals first: nothing issued by them.
    r = D.ctl("feed", "url", "--teacher", S["other_teacher"], token=t,
              check=77)
    assert "forbidden" in r.stderr.lower() and "own feed" in r.stderr, r.stderr
    D.ctl("feed", "url", "--school", S["school"], token=t, check=77)
    D.ctl("feed", "url", "--coach", S["coach"], token=t, check=77)
    D.ctl("feed", "url", "--coach", S["other_coach"], token=c, check=77)
    D.ctl("feed", "url", "--teacher", S["teacher"], token=c, check=77)
    r = D.ctl("feed", "url", check=65)          # admin must name one
    assert "administrators name a feed" in r.stderr, r.stderr
    D.ctl("feed", "url", "--teacher", "no-such-teacher", check=66)
    D.ctl("feed", "url", "--teacher", S["teacher"], "--coach", S["coach"],
          check=64)
    con = db()
    assert con.execute("SELECT count(*) FROM feed_tokens").fetchone()[0] \
        == 0
    con.close()
    # A teacher's own, a coach's own, a school for the admin.
    r = D.ctl_json("feed", "url", token=t)
    fu = r.get("feedUrl") or r.get("feed_url") or r
    assert fu["created"] is True
    https = fu.get("httpsUrl") or fu.get("https_url")
    webcal = fu.get("webcalUrl") or fu.get("webcal_url")
    assert re.match(r"https://127\.0\.0\.1:%d/feeds/[A-Za-z0-9_-]{22,}"
                    r"\.ics$" % S["port"], https), https
    assert webcal == "webcal://" + https[len("https://"):]
    S["teacher_url"] = https
    r = D.ctl("feed", "url", token=c, check=0)
    m = re.search(r"^https:\s+(\S+)$", r.stdout, re.M)
    assert m and "webcal://" in r.stdout, r.stdout
    S["coach_url"] = m.group(1)
    r = D.ctl("feed", "url", "--school", S["school"], check=0)
    S["school_url"] = re.search(r"^https:\s+(\S+)$", r.stdout,
                                re.M).group(1)
    # Asked again: only a hash is stored, so no URL, a hint to rotate.
    r = D.ctl("feed", "url", token=t, check=0)
    assert "feed rotate" in r.stdout and "https://" not in r.stdout
    con = db()
    rows = con.execute("SELECT kind, subject, length(hash) FROM "
                       "feed_tokens ORDER BY id").fetchall()
    assert rows == [("teacher", S["teacher"], 32),
                    ("coach", S["coach"], 32),
                    ("school", S["school"], 32)], rows
    tok = S["teacher_url"].rsplit("/", 1)[1][:-4]
    blob = b"".join(bytes(r[0]) for r in con.execute(
        "SELECT hash FROM feed_tokens"))
    assert tok.encode() not in blob
    con.close()


def test_fetch_and_cache():
    st, hd, body = fetch(S["teacher_url"])
    assert st == 200, st
    assert hd["content-type"].startswith("text/calendar"), hd
    etag, lm = hd["etag"], hd["last-modified"]
    assert etag.startswith('"'), etag
    # Served over TLS: browsers and clients are told to stay on https.
    assert hd["strict-transport-security"] == "max-age=31536000", hd
    st, hd2, b2 = fetch(S["teacher_url"], headers={"If-None-Match": etag})
    assert st == 304 and b2 == b"", st
    st, _, _ = fetch(S["teacher_url"], headers={"If-Modified-Since": lm})
    assert st == 304, st
    st, hd3, b3 = fetch(S["teacher_url"], method="HEAD")
    assert st == 200 and b3 == b"" and hd3["etag"] == etag
    st, hd4, _ = fetch("https://127.0.0.1:%d/feeds/%s.ics" % (
        S["port"], "A" * 43))
    assert st == 404, st
    assert "strict-transport-security" in hd4, hd4
    S["teacher_etag"] = etag


def test_content_matches_database():
    _, _, body = fetch(S["teacher_url"])
    evs = check_matches_db(body, "teacher", S["teacher"])
    assert evs, "teacher feed is empty"
    assert "sess-0002@coachd.test" not in evs    # past retention
    obs = [e for e in evs.values() if "observation" in str(e["SUMMARY"])]
    assert obs and str(obs[0]["SUMMARY"]).startswith(
        "Coaching: observation, 3rd period "), obs[0]["SUMMARY"]
    ev = next(iter(evs.values()))
    assert "questioning" in str(ev.get("DESCRIPTION", "")).lower() or \
        "discussion" in str(ev.get("DESCRIPTION", "")).lower(), ev
    assert "mailto:" in str(ev["ORGANIZER"]).lower()
    assert "mailto:" in str(ev["ATTENDEE"]).lower()
    _, _, body = fetch(S["coach_url"])
    check_matches_db(body, "coach", S["coach"])
    _, _, body = fetch(S["school_url"])
    check_matches_db(body, "school", S["school"])


def test_rotate():
    old = S["teacher_url"]
    r = D.ctl("feed", "rotate", token=S["ttok"], check=0)
    new = re.search(r"^https:\s+(\S+)$", r.stdout, re.M).group(1)
    assert new != old and "revoked" in r.stdout
    st, _, _ = fetch(old)
    assert st == 410, st
    st, _, body = fetch(new)
    assert st == 200, st
    S["teacher_url"] = new
    # Survives a restart: revoked stays 410, the new one is served.
    D.stop()
    D.start()
    S["port"] = D.feed_port()
    fix = lambda u: re.sub(r":\d+/", ":%d/" % S["port"], u)  # noqa: E731
    for k in ("teacher_url", "coach_url", "school_url"):
        S[k] = fix(S[k])
    assert fetch(fix(old))[0] == 410
    st, hd, body2 = fetch(S["teacher_url"])
    assert st == 200 and body2 == body       # byte-stable across restarts
    assert hd["etag"] == S["teacher_etag"]


def test_reschedule_and_cancel():
    con = db()
    uid = con.execute("SELECT uid FROM sessions WHERE teacher = ? AND "
                      "status = 'confirmed' ORDER BY uid LIMIT 1",
                      (S["teacher"],)).fetchone()[0]
    con.close()
    _, hd, body = fetch(S["teacher_url"])
    seq0 = int(parse(body)[1][uid]["SEQUENCE"])
    D.stop()
    now = int(time.time())
    con = db()
    con.execute("UPDATE sessions SET date = '2026-12-28', start_min = 600, "
                "end_min = 645, sequence = sequence + 1, modified_at = ? "
                "WHERE uid = ?", (now, uid))
    con.commit()
    con.close()
    D.start()
    S["port"] = D.feed_port()
    S["teacher_url"] = re.sub(r":\d+/", ":%d/" % S["port"],
                              S["teacher_url"])
    st, hd2, body2 = fetch(S["teacher_url"])
    assert st == 200 and hd2["etag"] != hd["etag"]
    evs = check_matches_db(body2, "teacher", S["teacher"])
    assert int(evs[uid]["SEQUENCE"]) == seq0 + 1
    assert evs[uid]["DTSTART"].dt.strftime("%Y-%m-%d %H:%M") == \
        "2026-12-28 10:00"
    st, _, _ = fetch(S["teacher_url"], headers={"If-None-Match": hd["etag"]})
    assert st == 200                       # the old tag no longer matches
    D.stop()
    con = db()
    con.execute("UPDATE sessions SET status = 'cancelled', sequence = "
                "sequence + 1, cancelled_at = ?, modified_at = ? WHERE "
                "uid = ?", (now + 1, now + 1, uid))
    con.commit()
    con.close()
    D.start()
    S["port"] = D.feed_port()
    for k in ("teacher_url", "coach_url", "school_url"):
        S[k] = re.sub(r":\d+/", ":%d/" % S["port"], S[k])
    _, _, body3 = fetch(S["teacher_url"])
    evs = check_matches_db(body3, "teacher", S["teacher"])
    assert str(evs[uid]["STATUS"]) == "CANCELLED"
    assert int(evs[uid]["SEQUENCE"]) == seq0 + 2


def test_live_cancel_and_note():
    """Through the scheduling operations on a running coachd: the coach
    writes a confidential note and cancels a session; the feeds are
    republished after the commit, before the reply is sent."""
    h.pb2()         # generates every *_pb2 and puts them on sys.path
    try:
        import sched_pb2 as pb
    except ImportError:
        print("  scheduling operations not in this build: skipped")
        return
    con = db()
    sid, uid = con.execute(
        "SELECT id, uid FROM sessions WHERE coach = ? AND status = "
        "'confirmed' ORDER BY uid LIMIT 1", (S["coach"],)).fetchone()
    con.close()
    ctok = S["ctok"]
    _, hd, body = fetch(S["coach_url"])
    seq0 = int(parse(body)[1][uid]["SEQUENCE"])
    c = D.client()
    assert c.hello(ctok).status == 0
    r = c.call(session_note_add=pb.SchedNoteAdd(session=sid, text=NOTE2))
    assert r.status == 0, r.error
    t0 = time.time()
    r = c.call(session_cancel=pb.SchedSessionRef(id=sid))
    assert r.status == 0, r.error
    st, hd2, body2 = fetch(S["coach_url"])
    print("  cancel reply to new body served: %.1f ms"
          % ((time.time() - t0) * 1000))
    c.close()
    assert st == 200 and hd2["etag"] != hd["etag"]
    evs = check_matches_db(body2, "coach", S["coach"])
    assert str(evs[uid]["STATUS"]) == "CANCELLED"
    assert int(evs[uid]["SEQUENCE"]) > seq0


def rendered_counts():
    """The feed counts of the daemon's "feeds: rendered N feeds" lines."""
    return [int(m.group(1)) for m in
            (re.search(r"feeds: rendered (\d+) feed", ln) for ln in D.log)
            if m]


def new_feed_url(kind, subj):
    r = D.ctl_json("feed", "url", "--" + kind, subj)
    fu = r.get("feedUrl") or r.get("feed_url") or r
    url = fu.get("httpsUrl") or fu.get("https_url")
    if not url:
        r = D.ctl_json("feed", "rotate", "--" + kind, subj)
        fu = r.get("feedUrl") or r.get("feed_url") or r
        url = fu.get("httpsUrl") or fu.get("https_url")
    return url


def test_reschedule_renders_only_its_feeds():
    """session_reschedule touches the session's teacher, coach and school
    feeds only: their ETags change, another teacher's and another coach's
    do not, and the daemon re-renders just those three feeds (the log
    says how many; re-rendering all would also leave other ETags alone,
    as bodies are byte-stable, so the count is what proves it)."""
    h.pb2()
    try:
        import sched_pb2 as pb
    except ImportError:
        print("  scheduling operations not in this build: skipped")
        return
    con = db()
    sid, uid, school, teacher = con.execute(
        "SELECT id, uid, school, teacher FROM sessions WHERE coach = ? AND "
        "school = ? AND status IN ('confirmed', 'proposed') ORDER BY "
        "teacher = ? DESC, uid LIMIT 1",
        (S["coach"], S["school"], S["teacher"])).fetchone()
    others = con.execute(
        "SELECT t.id FROM teachers t WHERE t.id NOT IN (?, ?) AND EXISTS "
        "(SELECT 1 FROM sessions s WHERE s.teacher = t.id) ORDER BY t.id "
        "LIMIT 1", (teacher, S["teacher"])).fetchone()
    periods = [r[0] for r in con.execute(
        "SELECT DISTINCT period FROM bell_periods WHERE school = ? "
        "ORDER BY start_min", (school,))]
    con.close()
    other_t = others[0] if others else S["other_teacher"]
    nlog = len(rendered_counts())
    watch = {"teacher": S["teacher_url"] if teacher == S["teacher"] else
             new_feed_url("teacher", teacher), "coach": S["coach_url"],
             "school": S["school_url"],
             "other_teacher": new_feed_url("teacher", other_t),
             "other_coach": new_feed_url("coach", S["other_coach"])}
    # issuing (or rotating) a URL renders that one feed, not all of them
    issued = rendered_counts()[nlog:]
    assert issued and max(issued) == 1, issued
    before = {k: fetch(u)[1]["etag"] for k, u in watch.items()}
    ntok = len(set(watch.values()))
    c = D.client()
    assert c.hello(D.admin_token).status == 0
    nlog = len(rendered_counts())
    moved = None
    # school days from three weeks ahead: never in the past, whatever
    # day the suite runs
    mon = h.next_monday()
    dates = [h.day(mon, k) for k in range(21, 63) if k % 7 < 5]
    for date in dates:
        for per in periods:
            r = c.call(session_reschedule=pb.SchedReschedule(
                id=sid, date=date, period=per))
            if r.status == 0:
                moved = (date, per)
                break
        if moved:
            break
    c.close()
    assert moved, "no free slot accepted for session %d" % sid
    after = {k: fetch(u)[1]["etag"] for k, u in watch.items()}
    for k in ("teacher", "coach", "school"):
        assert after[k] != before[k], k
    assert after["other_teacher"] == before["other_teacher"]
    assert after["other_coach"] == before["other_coach"]
    counts = rendered_counts()[nlog:]
    assert counts, "no render after the reschedule"
    assert max(counts) <= 3 < ntok, counts
    _, _, body = fetch(watch["teacher"])
    evs = check_matches_db(body, "teacher", teacher)
    assert evs[uid]["DTSTART"].dt.strftime("%Y-%m-%d") == moved[0]
    print("  rescheduled to %s period %s: %s feeds re-rendered"
          % (moved[0], moved[1], counts))


def unfolded(body):
    return body.replace(b"\r\n ", b"")


def test_roster_rename_reaches_feeds():
    """`teacher update --name` reaches the teacher's own feed and every
    feed with a session of that teacher (the coach's: ATTENDEE;CN) at the
    commit, not at the hourly re-render; a coach without such a session
    is not re-rendered.  A refused update renders nothing."""
    t = S["teacher"]
    con = db()
    old = con.execute("SELECT name FROM teachers WHERE id = ?",
                      (t,)).fetchone()[0]
    stranger = con.execute(
        "SELECT DISTINCT coach FROM sessions WHERE coach NOT IN (SELECT "
        "coach FROM sessions WHERE teacher = ?) ORDER BY coach LIMIT 1",
        (t,)).fetchone()
    con.close()
    assert stranger, "every coach has a session of the teacher"
    watch = {"teacher": S["teacher_url"], "coach": S["coach_url"],
             "school": S["school_url"],
             "stranger": new_feed_url("coach", stranger[0])}
    before = {k: fetch(u)[1]["etag"] for k, u in watch.items()}
    lm0 = {u: ev["LAST-MODIFIED"].dt for u, ev in
           parse(fetch(watch["coach"])[2])[1].items()}
    # an update that changes nothing a feed shows renders nothing
    nlog = len(rendered_counts())
    D.ctl("teacher", "update", "--id", t, "--name", old, check=0)
    assert rendered_counts()[nlog:] == [] and \
        fetch(watch["coach"])[1]["etag"] == before["coach"]
    new = "Renamed Okafor-Lindqvist"
    t0 = int(time.time())
    D.ctl("teacher", "update", "--id", t, "--name", new, check=0)
    for k in ("teacher", "coach"):
        st, hd, body = fetch(watch[k])
        assert st == 200 and hd["etag"] != before[k], k
        assert new.encode() in unfolded(body), k
        assert old.encode() not in unfolded(body), k
    assert fetch(watch["stranger"])[1]["etag"] == before["stranger"]
    counts = rendered_counts()[nlog:]
    assert counts and max(counts) <= 3, counts
    # the teacher's events say they changed; the coach's others do not
    con = db()
    mine = {u for (u,) in con.execute(
        "SELECT uid FROM sessions WHERE teacher = ?", (t,))}
    con.close()
    evs = parse(fetch(watch["coach"])[2])[1]
    for u, lm in lm0.items():
        now = evs[u]["LAST-MODIFIED"].dt
        if u in mine:
            assert now.timestamp() >= t0 and now > lm, (u, lm, now)
        else:
            assert now == lm, (u, lm, now)
    assert any(u in mine for u in lm0), (mine, sorted(lm0))
    nlog = len(rendered_counts())
    r = D.ctl("teacher", "update", "--id", "no-such-teacher", "--name", "X")
    assert r.returncode == 66 and "no-such-teacher" in r.stderr, r.stderr
    D.ctl("teacher", "update", "--id", t, "--name", old, check=0)
    assert old.encode() in unfolded(fetch(watch["coach"])[2])
    assert rendered_counts()[nlog:] == [counts[0]], rendered_counts()[nlog:]
    # a re-import that renames the teacher in users.csv re-renders too
    users = os.path.join(D.dir, "district", "users.csv")
    with open(users, newline="") as f:
        rows = list(csv.DictReader(f))
    hit = [r for r in rows if r["sourcedId"] == t]
    assert hit, "teacher %s not in users.csv" % t
    hit[0]["givenName"] = "Reimported"
    with open(users, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    D.ctl("admin", "import", os.path.join(D.dir, "district"), check=0)
    assert b"Reimported" in unfolded(fetch(watch["coach"])[2])


def restart_with(conf):
    """Restart D with extra config conf; the feed URLs follow the port."""
    D.stop()
    D.extra_conf = conf
    D.write_conf()
    D.start()
    S["port"] = D.feed_port()
    for k in ("teacher_url", "coach_url", "school_url"):
        S[k] = re.sub(r":\d+/", ":%d/" % S["port"], S[k], count=1)


def test_cancelled_leave_when_retention_ends():
    """With a 4-second retention a cancelled session leaves its feeds about
    a second after the retention ends, without a commit or SIGHUP, and the
    sweep re-renders only the feeds of that session, not every feed."""
    h.pb2()
    try:
        import sched_pb2 as pb
    except ImportError:
        print("  scheduling operations not in this build: skipped")
        return
    restart_with(FEEDS_CONF.replace("30d", "4s"))
    try:
        con = db()
        sid, uid = con.execute(
            "SELECT id, uid FROM sessions WHERE coach = ? AND status = "
            "'confirmed' ORDER BY uid LIMIT 1",
            (S["coach"],)).fetchone()
        ntok = con.execute("SELECT count(*) FROM feed_tokens WHERE "
                           "revoked_at IS NULL").fetchone()[0]
        con.close()
        assert ntok > 3, ntok
        # let the sessions earlier tests cancelled run out their 4 s
        # first, so that the sweeps below are this session's alone
        time.sleep(5.5)
        c = D.client()
        assert c.hello(S["ctok"]).status == 0
        nlog = len(rendered_counts())
        r = c.call(session_cancel=pb.SchedSessionRef(id=sid))
        c.close()
        assert r.status == 0, r.error
        t0 = time.time()
        evs = parse(fetch(S["coach_url"])[2])[1]
        assert str(evs[uid]["STATUS"]) == "CANCELLED"
        while uid in parse(fetch(S["coach_url"])[2])[1]:
            assert time.time() - t0 < 15 * h.SLOW, "still in the feed"
            time.sleep(0.2)
        gone = time.time() - t0
        assert gone >= 3.5, gone           # not before the retention ends
        counts = rendered_counts()[nlog:]
        assert counts and max(counts) <= 3 < ntok, (counts, ntok)
        print("  cancelled session left its feed after %.1f s (retention "
              "4 s); sweeps rendered %s of %d feeds" % (gone, counts, ntok))
    finally:
        restart_with(FEEDS_CONF)


def test_notes_never_in_feeds():
    for k in ("teacher_url", "coach_url", "school_url"):
        _, _, body = fetch(S[k])
        assert NOTE.encode() not in body, k
        assert NOTE2.encode() not in body, k
        assert b"zebra" not in body.replace(b"\r\n ", b""), k


def test_every_demo_feed_three_parsers():
    """Every teacher, coach and school feed of the small demo district
    (with the seeded sessions), read by python3-icalendar, ical.js and
    libical; all three agree on UIDs and events match the database."""
    con = db()
    subjects = [("teacher", r[0]) for r in con.execute(
        "SELECT DISTINCT teacher FROM sessions")]
    subjects += [("coach", r[0]) for r in con.execute(
        "SELECT DISTINCT coach FROM sessions")]
    subjects += [("school", r[0]) for r in con.execute(
        "SELECT DISTINCT school FROM sessions")]
    con.close()
    files = {}
    outdir = os.path.join(D.dir, "feeds")
    os.makedirs(outdir, exist_ok=True)
    for kind, subj in subjects:
        if (kind, subj) == ("teacher", S["teacher"]):
            url = S["teacher_url"]
        else:
            r = D.ctl_json("feed", "url", "--" + kind, subj)
            fu = r.get("feedUrl") or r.get("feed_url") or r
            url = fu.get("httpsUrl") or fu.get("https_url")
            if not url:             # issued earlier in this run
                r = D.ctl_json("feed", "rotate", "--" + kind, subj)
                fu = r.get("feedUrl") or r.get("feed_url") or r
                url = fu.get("httpsUrl") or fu.get("https_url")
        assert url, (kind, subj, r)
        st, _, body = fetch(url)
        assert st == 200, (kind, subj, st, url)
        check_matches_db(body, kind, subj)
        fn = os.path.join(outdir, "%s-%s.ics" % (kind, subj))
        with open(fn, "wb") as f:
            f.write(body)
        files[fn] = body
    # libical
    r = subprocess.run([os.path.join(h.BIN, "feed-ics-check"), *files],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    for line in r.stdout.splitlines():
        words = line.split(" ")
        kv = dict(w.split("=", 1) for w in words[1:]
                  if ":" not in w.split("=", 1)[0])
        assert kv["errors"] == "0" and kv["incomplete"] == "0" and \
            int(kv["events"]) == len(parse(files[words[0]])[1]), line
    # ical.js
    out = subprocess.run(["node", os.path.join(SRC, "tests", "interop",
                                               "feed_icaljs.mjs"),
                          fc.icaljs_dir(), *files], check=True,
                         capture_output=True, text=True, timeout=120)
    for j in json.loads(out.stdout):
        evs = parse(files[j["file"]])[1]
        assert j["zones"] == [ZONE]
        assert set(j["refs"]) <= set(j["zones"])
        assert sorted(e["uid"] for e in j["events"]) == sorted(evs)
        for e in j["events"]:
            pe = evs[e["uid"]]
            assert e["sequence"] == int(pe["SEQUENCE"])
            naive = pe["DTSTART"].dt.replace(tzinfo=None)
            want = naive.replace(tzinfo=zoneinfo.ZoneInfo(ZONE))
            assert e["startUTC"] == int(want.timestamp()), e["uid"]
    # The scheduler's proposal (seeded): TENTATIVE, in every feed it is in.
    tent = [str(parse(b)[1]["sess-0004@coachd.test"]["STATUS"])
            for b in files.values()
            if b"sess-0004@coachd.test" in b]
    assert tent and set(tent) == {"TENTATIVE"}, tent
    S["nfeeds"] = len(files)
    print("  %d demo feeds parsed by python-icalendar, ical.js, libical"
          % len(files))


def peer_der(port):
    """The DER certificate a new TLS connection to the feed port shows."""
    ctx = ssl.create_default_context(cafile=os.path.join(D.pki, "ca.crt"))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            return tls.getpeercert(binary_form=True)


def pem_der(path):
    with open(path) as f:
        return ssl.PEM_cert_to_DER_cert(f.read())


def test_sighup_reloads_feed_certificate():
    """New server key and certificate on disk, SIGHUP: the next TLS
    connection to the feed port presents the new certificate; a
    keep-alive connection opened before keeps working."""
    port = S["port"]
    crt = os.path.join(D.pki, "server.crt")
    old = pem_der(crt)
    assert peer_der(port) == old
    m = re.match(r"https://127\.0\.0\.1:\d+(/.*)$", S["teacher_url"])
    ctx = ssl.create_default_context(cafile=os.path.join(D.pki, "ca.crt"))
    keep = http.client.HTTPSConnection("127.0.0.1", port, context=ctx,
                                       timeout=10)
    keep.request("GET", m.group(1))
    r = keep.getresponse()
    r.read()
    assert r.status == 200
    for a in (["req", "-newkey", "ec", "-pkeyopt",
               "ec_paramgen_curve:P-256", "-nodes", "-subj",
               "/CN=localhost", "-keyout", "new.key", "-out", "new.csr"],
              ["x509", "-req", "-in", "new.csr", "-CA", "ca.crt", "-CAkey",
               "ca.key", "-CAcreateserial", "-days", "2", "-extfile",
               "server.ext", "-out", "new.crt"]):
        h.openssl(*a, cwd=D.pki)
    new = pem_der(os.path.join(D.pki, "new.crt"))
    assert new != old
    os.replace(os.path.join(D.pki, "new.key"),
               os.path.join(D.pki, "server.key"))
    os.replace(os.path.join(D.pki, "new.crt"), crt)
    assert peer_der(port) == old        # nothing changes before SIGHUP
    nlog = len(D.log)
    D.proc.send_signal(signal.SIGHUP)
    for _ in range(100):
        if any("certificates reloaded" in ln for ln in D.log[nlog:]):
            break
        time.sleep(0.05)
    else:
        raise AssertionError("no reload line:\n" + "".join(D.log[nlog:]))
    assert any("feeds: new connections use the reloaded certificate" in ln
               for ln in D.log[nlog:]), "".join(D.log[nlog:])
    got = peer_der(port)
    assert got == new, "feed port still presents the old certificate"
    print("  feed port certificate after SIGHUP: sha256 %s"
          % hashlib.sha256(got).hexdigest()[:16])
    keep.request("GET", m.group(1))     # the old connection still works
    r = keep.getresponse()
    assert r.status == 200 and r.read()
    keep.close()


def test_stop_clean():
    D.stop()
    D.cleanup()


if __name__ == "__main__":
    h.main([test_config_refuses_plain_http_off_loopback,
            test_start_and_import, test_feed_url_permissions,
            test_fetch_and_cache, test_content_matches_database,
            test_rotate, test_reschedule_and_cancel,
            test_live_cancel_and_note,
            test_reschedule_renders_only_its_feeds,
            test_roster_rename_reaches_feeds,
            test_cancelled_leave_when_retention_ends,
            test_notes_never_in_feeds,
            test_every_demo_feed_three_parsers,
            test_sighup_reloads_feed_certificate,
            test_stop_clean])
