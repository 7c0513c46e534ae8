"""Interop test: subscribe to a fixture feed the way a desktop user would,
with vdirsyncer's read-only http storage (trusting only the test CA)
syncing into a local vdir, list it with khal, reschedule a session, sync
again and see the session move; then revoke and see vdirsyncer fail."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import feed_common as fc  # noqa: E402

# Teacher 0's session 1 starts 2026-12-04 08:55 (see feed_fixture.c).
BEFORE = "2026-12-04 08:55"
AFTER = "2026-12-05 08:55"


class FeedVdirsyncer(unittest.TestCase):
    def setUp(self):
        self.dir, self.cleanup = fc.tmpdir()
        self.ca, cert, key = fc.make_ca(self.dir)
        self.fx = fc.Fixture(cert, key)
        self.vconf, self.kconf, self.env = fc.subscriber(
            self.dir, self.fx.feeds['0'][1], self.ca)

    def tearDown(self):
        self.fx.close()
        self.cleanup()

    def run_tool(self, *argv, check=True):
        r = subprocess.run(argv, env=self.env, capture_output=True,
                           text=True, timeout=120, stdin=subprocess.DEVNULL)
        if check and r.returncode != 0:
            self.fail("%s failed: %s\n%s" % (argv, r.stdout, r.stderr))
        return r

    def sync(self, check=True):
        return self.run_tool("vdirsyncer", "-c", self.vconf, "sync",
                             check=check)

    def khal(self):
        return self.run_tool(
            "khal", "-c", self.kconf, "list", "--format",
            "{start} {title} [{status}]", "2026-11-01", "400d").stdout

    def test_subscribe_and_move(self):
        self.run_tool("vdirsyncer", "-c", self.vconf, "discover")
        self.sync()
        files = os.listdir(os.path.join(self.dir, "cal"))
        self.assertEqual(len(files), 6)     # one file per VEVENT
        out = self.khal()
        self.assertIn(BEFORE + " Coaching: observation, 2nd period", out)
        self.assertNotIn(AFTER, out)
        self.fx.cmd("reschedule 0 1 1440")
        self.fx.cmd("cancel 0 3")
        self.sync()
        out = self.khal()
        self.assertNotIn(BEFORE, out)
        self.assertIn(AFTER + " Coaching: observation, 2nd period", out)
        self.assertIn("CANCELLED", out)
        # Revoked: the subscription stops working (HTTP 410, reason "Gone").
        self.fx.cmd("revoke 0")
        r = self.sync(check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Gone", r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
