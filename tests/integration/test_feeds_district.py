"""Every feed of the FULL demo district (Riverbend Unified: 4 schools,
~112 teachers, 8 coaches), scheduled by the real coachd, read by three
independent parsers: python3-icalendar, ical.js (Thunderbird's
parser) and libical (feed-ics-check).  For each teacher, coach and school
feed: it parses, its UIDs are unique, its one VTIMEZONE defines every
TZID used, and its events are exactly that person's sessions as
`coachctl --json schedule` lists them (same UIDs, start, end, SEQUENCE).

The demo's questions (questions.csv) are submitted with their topics,
`admin assign` and `admin schedule` place them; feed URLs are issued over
one protocol connection.  Run by /usr/bin/python3."""

import datetime
import http.client
import json
import os
import re
import sqlite3
import ssl
import subprocess
import sys
import time
import zoneinfo

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "interop"))
import feed_common as fc  # noqa: E402

import icalendar  # noqa: E402

ZONE = "America/Chicago"
MON = h.next_monday()        # a school week that has not begun
FROM = MON.isoformat()
# wide enough for every session the test makes
EVER = (h.day(MON, -400), h.day(MON, 400))
CONF = "[feeds]\nlisten = 127.0.0.1:0\n"

D = None
S = {}


def local(date, minutes):
    d = datetime.date.fromisoformat(date)
    if minutes >= 1440:          # ends at midnight: the renderer's 23:59:59
        return datetime.datetime(d.year, d.month, d.day, 23, 59, 59)
    return datetime.datetime(d.year, d.month, d.day, minutes // 60,
                             minutes % 60)


def test_setup_full_district():
    global D
    D = h.Daemon(extra_conf=CONF)
    D.write_conf(server__max_frame="8M")    # the import is one big frame
    D.start()
    S["port"] = D.feed_port()
    _, _, j = D.schedule_demo(small=False, frm=FROM)
    assert j.get("placed", 0) >= 10, j
    print("  admin schedule placed %d cycles" % j["placed"])


def test_issue_and_fetch_every_feed():
    h.pb2()         # generates every *_pb2 and puts them on sys.path
    import feeds_pb2 as fpb
    con = sqlite3.connect(D.db)
    subjects = [("teacher", r[0]) for r in con.execute(
        "SELECT id FROM teachers ORDER BY id")]
    subjects += [("coach", r[0]) for r in con.execute(
        "SELECT id FROM coaches ORDER BY id")]
    subjects += [("school", r[0]) for r in con.execute(
        "SELECT id FROM schools ORDER BY id")]
    con.close()
    assert len(subjects) > 100, len(subjects)
    c = D.client()
    assert c.hello(D.admin_token).status == 0
    urls = {}
    for kind, subj in subjects:
        r = c.call(feed_url=fpb.FeedRef(**{kind: subj}))
        assert r.status == 0, (kind, subj, r.error)
        assert r.feed_url.created and r.feed_url.https_url, r
        urls[(kind, subj)] = r.feed_url.https_url
    c.close()
    ctx = ssl.create_default_context(cafile=os.path.join(D.pki, "ca.crt"))
    conn = http.client.HTTPSConnection("127.0.0.1", S["port"], context=ctx,
                                       timeout=30)
    outdir = os.path.join(D.dir, "feeds")
    os.makedirs(outdir, exist_ok=True)
    files = {}
    t0 = time.time()
    for (kind, subj), url in urls.items():
        conn.request("GET", re.sub(r"^https://[^/]+", "", url))
        r = conn.getresponse()
        body = r.read()
        assert r.status == 200, (kind, subj, r.status)
        fn = os.path.join(outdir, "%s-%s.ics" % (kind, subj))
        with open(fn, "wb") as f:
            f.write(body)
        files[fn] = (kind, subj, body)
    conn.close()
    S["files"] = files
    print("  %d feeds fetched over one keep-alive connection in %.2f s, "
          "%d bytes" % (len(files), time.time() - t0,
                        sum(len(b) for _, _, b in files.values())))


def py_events(body):
    """python3-icalendar: {uid: event}; one VTIMEZONE defining all TZIDs."""
    cal = icalendar.Calendar.from_ical(body)
    zones = [str(z["TZID"]) for z in cal.walk("VTIMEZONE")]
    assert zones == [ZONE], zones
    evs = {}
    for ev in cal.walk("VEVENT"):
        uid = str(ev["UID"])
        assert uid not in evs, "duplicate UID " + uid
        for p in ("DTSTART", "DTEND"):
            assert ev[p].params["TZID"] in zones, (uid, p)
        evs[uid] = ev
    return evs


def test_events_equal_coachctl_schedule():
    """Each feed's events are that person's `coachctl --json schedule`."""
    allss = D.ctl_json("schedule", "--from", EVER[0], "--to",
                       EVER[1]).get("sessions", [])
    assert allss, "no sessions"
    want = {}
    for s in allss:
        for kind in ("teacher", "coach", "school"):
            want.setdefault((kind, s[kind]), {})[s["uid"]] = s
    # the per-person query agrees with the district-wide one
    t = allss[0]["teacher"]
    one = D.ctl_json("schedule", "--teacher", t, "--from", EVER[0],
                     "--to", EVER[1]).get("sessions", [])
    assert {s["uid"] for s in one} == set(want[("teacher", t)])
    nonempty = 0
    for fn, (kind, subj, body) in S["files"].items():
        evs = py_events(body)
        exp = want.get((kind, subj), {})
        assert set(evs) == set(exp), (kind, subj, sorted(evs), sorted(exp))
        for uid, s in exp.items():
            ev = evs[uid]
            assert ev["DTSTART"].dt.replace(tzinfo=None) == \
                local(s["date"], s["start_min"]), (uid, s)
            assert ev["DTEND"].dt.replace(tzinfo=None) == \
                local(s["date"], s["end_min"]), (uid, s)
            assert int(ev["SEQUENCE"]) == s.get("sequence", 0), uid
            assert str(ev["STATUS"]) == "TENTATIVE", uid   # proposed
        nonempty += bool(exp)
    S["want"] = want
    print("  %d feeds match coachctl schedule (%d with sessions, %d "
          "sessions)" % (len(S["files"]), nonempty, len(allss)))


def test_icaljs():
    files = list(S["files"])
    out = subprocess.run(["node", os.path.join(h.SRC, "tests", "interop",
                                               "feed_icaljs.mjs"),
                          fc.icaljs_dir(), *files], check=True,
                         capture_output=True, text=True, timeout=300)
    res = json.loads(out.stdout)
    assert len(res) == len(files)
    for j in res:
        kind, subj, _ = S["files"][j["file"]]
        exp = S["want"].get((kind, subj), {})
        assert j["zones"] == [ZONE], j["file"]
        assert set(j["refs"]) <= set(j["zones"]), j["file"]
        uids = [e["uid"] for e in j["events"]]
        assert len(uids) == len(set(uids)), j["file"]
        assert set(uids) == set(exp), j["file"]
        for e in j["events"]:
            s = exp[e["uid"]]
            want = local(s["date"], s["start_min"]).replace(
                tzinfo=zoneinfo.ZoneInfo(ZONE))
            assert e["startUTC"] == int(want.timestamp()), e
            assert e["status"].upper() == "TENTATIVE", e


def test_libical():
    files = list(S["files"])
    r = subprocess.run([os.path.join(h.BIN, "feed-ics-check"), *files],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == len(files)
    for line in lines:
        words = line.split(" ")
        kv = dict(w.split("=", 1) for w in words[1:] if ":" not in
                  w.split("=", 1)[0])
        kind, subj, _ = S["files"][words[0]]
        exp = S["want"].get((kind, subj), {})
        assert kv["vtimezones"] == "1" and kv["uids_unique"] == "1" and \
            kv["tzids_defined"] == "1" and kv["errors"] == "0" and \
            kv["incomplete"] == "0", line
        assert int(kv["events"]) == len(exp), line
        seq = {w.split("=", 1)[0][4:]: int(w.split("=", 1)[1])
               for w in words[1:] if w.startswith("seq:")}
        assert set(seq) == set(exp), line[:200]
    print("  %d feeds parsed by libical with no errors" % len(lines))


def test_stop_clean():
    D.stop()
    D.cleanup()


if __name__ == "__main__":
    h.main([test_setup_full_district, test_issue_and_fetch_every_feed,
            test_events_equal_coachctl_schedule, test_icaljs, test_libical,
            test_stop_clean])
