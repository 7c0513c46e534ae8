"""Interop test: every fixture feed, fetched over verified TLS, parsed by
python3-icalendar (Debian), by ical.js (npm, Thunderbird's parser) and by
libical (feed-ics-check, no parse errors):
unique UIDs, one VTIMEZONE defining every TZID used, times that mean the
same instant in both parsers and in Python's own zoneinfo, a teacher feed
holding only that teacher's sessions, SEQUENCE raised and DTSTART moved
after a reschedule, STATUS:CANCELLED after a cancel.

ical.js is installed with npm into the build tree on first run."""

import datetime
import json
import os
import subprocess
import sys
import unittest
import zoneinfo

import icalendar

sys.path.insert(0, os.path.dirname(__file__))
import feed_common as fc  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ZONE = "America/Chicago"


def icaljs(files):
    out = subprocess.run(["node", os.path.join(HERE, "feed_icaljs.mjs"),
                          fc.icaljs_dir(), *files], check=True,
                         capture_output=True, text=True, timeout=120)
    return {d["file"]: d for d in json.loads(out.stdout)}


def libical(files):
    """feed-ics-check output: {file: {key: value, 'seq': {}, 'status': {}}}"""
    out = subprocess.run([os.path.join(fc.bindir(), "feed-ics-check"),
                          *files], check=True, capture_output=True,
                         text=True, timeout=120)
    res = {}
    for line in out.stdout.splitlines():
        words = line.split(" ")
        d = {"seq": {}, "status": {}}
        for w in words[1:]:
            k, v = w.split("=", 1)
            if ":" in k:
                kind, uid = k.split(":", 1)
                d[kind][uid] = v
            else:
                d[k] = v
        res[words[0]] = d
    return res


class FeedParsers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir, cls.cleanup = fc.tmpdir()
        cls.ca, cert, key = fc.make_ca(cls.dir)
        cls.fx = fc.Fixture(cert, key, extra=["--teachers", "4",
                                              "--events", "9"])
        cls.conn = staticmethod(fc.client(cls.fx.port, cls.ca))

    @classmethod
    def tearDownClass(cls):
        cls.fx.close()
        cls.cleanup()

    def fetch_all(self, tag):
        files = {}
        for name in self.fx.feeds:
            st, _, body = fc.fetch(self.conn, self.fx.path(name))
            self.assertEqual(st, 200)
            fn = os.path.join(self.dir, "%s-%s.ics" % (tag, name))
            with open(fn, "wb") as f:
                f.write(body)
            files[name] = (fn, body)
        return files

    def py_events(self, body):
        cal = icalendar.Calendar.from_ical(body)
        zones = [str(c["TZID"]) for c in cal.walk("VTIMEZONE")]
        self.assertEqual(zones, [ZONE])
        self.assertIsNone(cal.get("METHOD"))
        self.assertEqual(str(cal["X-WR-TIMEZONE"]), ZONE)
        evs = {}
        for ev in cal.walk("VEVENT"):
            uid = str(ev["UID"])
            self.assertNotIn(uid, evs, "duplicate UID")
            for p in ("DTSTART", "DTEND"):
                self.assertEqual(ev[p].params["TZID"], ZONE)
            for p in ("DTSTAMP", "SUMMARY", "SEQUENCE", "STATUS",
                      "CREATED", "LAST-MODIFIED", "ORGANIZER"):
                self.assertIn(p, ev)
            evs[uid] = ev
        return cal, evs

    def check_feeds(self, files):
        js = icaljs([fn for fn, _ in files.values()])
        li = libical([fn for fn, _ in files.values()])
        result = {}
        for name, (fn, body) in files.items():
            cal, evs = self.py_events(body)
            j = js[fn]
            self.assertEqual(j["zones"], [ZONE])
            self.assertEqual(set(j["refs"]) - set(j["zones"]), set())
            self.assertEqual(sorted(e["uid"] for e in j["events"]),
                             sorted(evs))
            self.assertEqual(len({e["uid"] for e in j["events"]}),
                             len(j["events"]))
            # ical.js 2 keeps RFC 7986 NAME and X- values raw (unknown
            # types), so there both must carry the same escaped text;
            # python-icalendar unescapes both to the same plain name.
            self.assertEqual(j["calname"], j["name"])
            self.assertEqual(str(cal["NAME"]), str(cal["X-WR-CALNAME"]))
            self.assertIn(", Lincoln High; " if name != "coach" else "Ana",
                          str(cal["NAME"]))
            self.assertIn("TENTATIVE", {str(e["STATUS"])
                                        for e in evs.values()})
            for e in j["events"]:
                pe = evs[e["uid"]]
                self.assertEqual(e["sequence"], int(pe["SEQUENCE"]))
                self.assertEqual(e["status"].upper(), str(pe["STATUS"]))
                self.assertEqual(e["summary"], str(pe["SUMMARY"]))
                # Same instant for ical.js (its VTIMEZONE reading) and
                # Python's zoneinfo (system tzdata) from the wall time.
                naive = pe["DTSTART"].dt.replace(tzinfo=None)
                want = naive.replace(tzinfo=zoneinfo.ZoneInfo(ZONE))
                self.assertEqual(e["startUTC"], int(want.timestamp()),
                                 e["uid"])
            lc = li[fn]
            self.assertEqual((lc["vtimezones"], lc["uids_unique"],
                              lc["tzids_defined"], lc["errors"]),
                             ("1", "1", "1", "0"), fn)
            self.assertEqual(int(lc["events"]), len(evs))
            for uid, ev in evs.items():
                self.assertEqual(int(lc["seq"][uid]), int(ev["SEQUENCE"]))
                self.assertEqual(lc["status"][uid], str(ev["STATUS"]))
            if name != "coach":
                for uid in evs:     # privacy: only this teacher's sessions
                    self.assertTrue(uid.startswith("session-%s-" % name))
            result[name] = (evs, j)
        return result

    def test_parsers(self):
        before = self.check_feeds(self.fetch_all("a"))
        self.assertEqual(len(before["coach"][0]), 4 * 9)
        uid1 = "session-0-1@fixture.coachd.test"
        uid2 = "session-0-2@fixture.coachd.test"
        self.fx.cmd("reschedule 0 1 1440")
        self.fx.cmd("cancel 0 2")
        after = self.check_feeds(self.fetch_all("b"))
        for feed in ("0", "coach"):
            b, a = before[feed][0], after[feed][0]
            self.assertGreater(int(a[uid1]["SEQUENCE"]),
                               int(b[uid1]["SEQUENCE"]))
            self.assertEqual(a[uid1]["DTSTART"].dt - b[uid1]["DTSTART"].dt,
                             datetime.timedelta(days=1))
            self.assertEqual(str(a[uid2]["STATUS"]), "CANCELLED")
            self.assertGreater(int(a[uid2]["SEQUENCE"]),
                               int(b[uid2]["SEQUENCE"]))
            js = {e["uid"]: e for e in after[feed][1]["events"]}
            self.assertEqual(js[uid2]["status"].upper(), "CANCELLED")
        # Untouched feeds keep their exact bytes.
        self.assertEqual(set(before["1"][0]), set(after["1"][0]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
