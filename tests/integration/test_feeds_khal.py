"""A teacher subscribes to their coachd feed the way a desktop user would:
vdirsyncer's read-only http storage, trusting only the test CA,
syncs the REAL daemon's feed into a vdir and khal lists it.  The small demo
district is imported, questions are submitted with topics, `admin assign`
and `admin schedule` plan the cycles; then `coachctl session reschedule`
moves a session (the next sync shows it at the new time, SEQUENCE up) and
`coachctl session cancel` cancels one (khal shows it CANCELLED: it keeps
cancelled events it is given).

vdirsyncer's http storage replaces every UID by a hash of the event's
text (it cannot trust a web calendar's UIDs), so a moved session arrives
as a new item and the old one is deleted; events are matched here by time
and title, which is what a user sees (a teacher is never double-booked).
The daemon runs with `[feeds] gzip_only = yes` (vdirsyncer asks for gzip;
a client that does not gets the body inflated per request, checked too).
Run by /usr/bin/python3."""

import datetime
import gzip
import http.client
import os
import re
import ssl
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "interop"))
import feed_common as fc  # noqa: E402

MON = h.next_monday()        # a school week that has not begun
FROM = MON.isoformat()
CONF = ("[feeds]\nlisten = 127.0.0.1:0\ngzip_only = yes\n"
        "[schedule]\nhorizon_days = 10\ndebrief_within_days = 2\n"
        "max_teachers_per_week = 5\n")
FMT = "{start}|{end}|{status}|{title}"

D = None
S = {}


def run_tool(*argv, check=True):
    r = subprocess.run(argv, env=S["env"], capture_output=True, text=True,
                       timeout=120, stdin=subprocess.DEVNULL)
    if check and r.returncode != 0:
        raise AssertionError("%s failed (%d): %s\n%s" % (
            argv, r.returncode, r.stdout, r.stderr))
    return r


def sync():
    return run_tool("vdirsyncer", "-c", S["vconf"], "sync")


def khal_events():
    """khal's view: {start: (end, status, title)} of the synced vdir."""
    out = run_tool("khal", "-c", S["kconf"], "list", "--format", FMT,
                   "--day-format", "", h.day(MON, -30), "400d").stdout
    evs = {}
    for line in out.splitlines():
        if "|" not in line:
            continue
        start, end, status, title = line.split("|", 3)
        assert start not in evs, ("two events at " + start, out)
        evs[start] = (end, status.strip(), title)
    return evs


def hhmm(date, minutes):
    return "%s %02d:%02d" % (date, minutes // 60, minutes % 60)


def coachd_sessions(teacher):
    """What coachctl says the teacher's calendar holds, by uid."""
    j = D.ctl_json("schedule", "--teacher", teacher, "--from", FROM,
                   "--to", h.day(MON, 200))
    return {s["uid"]: s for s in j.get("sessions", [])}


def test_setup_district_and_schedule():
    global D
    D = h.Daemon(extra_conf=CONF)
    D.start()
    S["port"] = D.feed_port()
    D.import_demo()
    con = sqlite3.connect(D.db)
    rows = con.execute(
        "SELECT t.id, (SELECT cl.id FROM classes cl WHERE cl.teacher = t.id"
        " ORDER BY cl.id LIMIT 1) FROM teachers t WHERE EXISTS (SELECT 1"
        " FROM coach_schools cs WHERE cs.school = t.school) ORDER BY t.id"
        " LIMIT 6").fetchall()
    con.close()
    for t, cls in rows:
        args = ["question", "submit", "--teacher", t, "--topic",
                "student-autonomy", "How do I give students more choice?"]
        if cls:
            args += ["--class", cls]
        D.ctl(*args, check=0)
    D.ctl("admin", "assign", check=0)
    j = D.ctl_json("admin", "schedule", "--from", FROM)
    assert j.get("placed", 0) >= 1, j
    con = sqlite3.connect(D.db)
    S["teacher"] = con.execute(
        "SELECT teacher FROM sessions GROUP BY teacher ORDER BY count(*)"
        " DESC, teacher LIMIT 1").fetchone()[0]
    con.close()
    r = D.ctl_json("feed", "url", "--teacher", S["teacher"])
    fu = r.get("feedUrl") or r.get("feed_url") or r
    S["url"] = fu.get("httpsUrl") or fu.get("https_url")
    assert S["url"], r


def test_subscribe_and_list():
    S["vconf"], S["kconf"], S["env"] = fc.subscriber(
        D.dir, S["url"], os.path.join(D.pki, "ca.crt"))
    run_tool("vdirsyncer", "-c", S["vconf"], "discover")
    sync()
    want = coachd_sessions(S["teacher"])
    assert want, "the teacher has no sessions"
    got = khal_events()
    assert set(got) == {hhmm(s["date"], s["start_min"])
                        for s in want.values()}, (got, want)
    for uid, s in want.items():
        end, status, title = got[hhmm(s["date"], s["start_min"])]
        assert end == hhmm(s["date"], s["end_min"]), (uid, end, s)
        assert status == "TENTATIVE", (uid, status)    # proposed
        assert title.startswith("Coaching: " + s["kind"]), title
    print("  khal lists %d sessions of %s" % (len(got), S["teacher"]))


def test_reschedule_moves():
    want = coachd_sessions(S["teacher"])
    s = sorted(want.values(), key=lambda x: (x["date"], x["start_min"]))[0]
    con = sqlite3.connect(D.db)
    periods = [p for (p,) in con.execute(
        "SELECT DISTINCT period FROM bell_periods WHERE school = ? ORDER BY"
        " start_min", (s["school"],))]
    con.close()
    day = MON + datetime.timedelta(days=14)
    moved = None
    for _ in range(15):
        if day.weekday() < 5:
            for p in periods:
                r = D.ctl("session", "reschedule", str(s["id"]), "--date",
                          day.isoformat(), "--period", p)
                if r.returncode == 0:
                    moved = (day.isoformat(), p)
                    break
        if moved:
            break
        day += datetime.timedelta(days=1)
    assert moved, "no slot accepted for session %d" % s["id"]
    now = coachd_sessions(S["teacher"])[s["uid"]]
    assert (now["date"], now["period"]) == moved
    assert now["sequence"] == s.get("sequence", 0) + 1, now
    old, new = hhmm(s["date"], s["start_min"]), \
        hhmm(now["date"], now["start_min"])
    before = khal_events()
    assert old in before and new not in before, (old, new, before)
    sync()
    got = khal_events()
    assert old not in got and new in got, (old, new, got)
    assert got[new][2] == before[old][2], (got[new], before[old])
    assert set(got) == {hhmm(x["date"], x["start_min"]) for x in
                        coachd_sessions(S["teacher"]).values()}
    S["moved"] = s["uid"]
    print("  session %d (%s): khal %s -> %s" % (s["id"], s["kind"], old,
                                                new))


def test_cancel_shows_cancelled():
    want = coachd_sessions(S["teacher"])
    s = want[S["moved"]]
    D.ctl("session", "cancel", str(s["id"]), check=0)
    sync()
    got = khal_events()
    # coachd keeps it (STATUS:CANCELLED) for the retention period; khal
    # keeps what the feed holds and shows its status.
    at = hhmm(s["date"], s["start_min"])
    assert at in got and got[at][1] == "CANCELLED", (at, got)
    assert [e for e in got.values() if e[1] == "CANCELLED"] == [got[at]]
    assert len(got) == len(want)


def test_gzip_only_identity():
    """gzip_only: the gzip body is what is cached; a client without
    Accept-Encoding gets the same calendar, inflated."""
    assert any("gzip only)" in ln for ln in D.log if "feeds listening" in
               ln), "gzip_only not in effect"
    ctx = ssl.create_default_context(cafile=os.path.join(D.pki, "ca.crt"))
    path = re.sub(r"^https://[^/]+", "", S["url"])
    got = {}
    for enc in ("gzip", None):
        c = http.client.HTTPSConnection("127.0.0.1", S["port"], context=ctx,
                                        timeout=10)
        c.request("GET", path, headers={"Accept-Encoding": enc} if enc
                  else {})
        r = c.getresponse()
        got[enc] = (r.status, r.getheader("Content-Encoding"), r.read())
        c.close()
    assert got["gzip"][:2] == (200, "gzip"), got["gzip"][:2]
    assert got[None][:2] == (200, None), got[None][:2]
    assert gzip.decompress(got["gzip"][2]) == got[None][2]
    assert got[None][2].startswith(b"BEGIN:VCALENDAR\r\n")


def test_stop_clean():
    D.stop()
    D.cleanup()


if __name__ == "__main__":
    h.main([test_setup_district_and_schedule, test_subscribe_and_list,
            test_reschedule_moves, test_cancel_shows_cancelled,
            test_gzip_only_identity, test_stop_clean])
