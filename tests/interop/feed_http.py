"""Interop test: the feed server's HTTP behaviour over verified TLS (and
once over plain HTTP): 200/304 by ETag and by date in all three HTTP date
forms, HEAD, gzip, 404/410/405/414/400, traversal attempts, and a body
that changes after reschedule and cancel."""

import gzip
import os
import socket
import ssl
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import feed_common as fc  # noqa: E402


class FeedHTTP(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir, cls.cleanup = fc.tmpdir()
        cls.ca, cert, key = fc.make_ca(cls.dir)
        cls.fx = fc.Fixture(cert, key)
        cls.conn = staticmethod(fc.client(cls.fx.port, cls.ca))

    @classmethod
    def tearDownClass(cls):
        cls.fx.close()
        cls.cleanup()

    def get(self, path, method="GET", **h):
        return fc.fetch(self.conn, path, method, h)

    def raw(self, request_line):
        """Send a raw request line (no client-side normalisation)."""
        ctx = ssl.create_default_context(cafile=self.ca)
        with socket.create_connection(("127.0.0.1", self.fx.port)) as s:
            with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
                t.sendall(request_line.encode() +
                          b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                data = b""
                while True:
                    chunk = t.recv(65536)
                    if not chunk:
                        break
                    data += chunk
        return int(data.split(b" ", 2)[1]), data

    def test_200_headers(self):
        st, h, body = self.get(self.fx.path("0"))
        self.assertEqual(st, 200)
        self.assertEqual(h["content-type"], "text/calendar; charset=utf-8")
        self.assertTrue(h["etag"].startswith('"'))   # strong, not W/
        self.assertIn("last-modified", h)
        self.assertIn("max-age=", h["cache-control"])
        self.assertEqual(h["vary"], "Accept-Encoding")
        self.assertEqual(int(h["content-length"]), len(body))
        self.assertTrue(body.startswith(b"BEGIN:VCALENDAR\r\n"))
        self.assertTrue(body.endswith(b"END:VCALENDAR\r\n"))
        body.decode("utf-8")    # valid UTF-8 or raises
        for line in body.split(b"\r\n"):
            self.assertLessEqual(len(line), 75)
        self.assertNotIn(b"METHOD", body)

    def test_304_etag(self):
        st, h, body = self.get(self.fx.path("1"))
        st2, h2, b2 = self.get(self.fx.path("1"), **{
            "If-None-Match": h["etag"]})
        self.assertEqual(st2, 304)
        self.assertEqual(b2, b"")
        self.assertEqual(h2["etag"], h["etag"])
        st3, _, _ = self.get(self.fx.path("1"), **{
            "If-None-Match": '"0000", ' + h["etag"]})
        self.assertEqual(st3, 304)
        st4, _, b4 = self.get(self.fx.path("1"), **{
            "If-None-Match": '"deadbeef"'})
        self.assertEqual(st4, 200)
        self.assertEqual(b4, body)

    def test_304_date(self):
        st, h, _ = self.get(self.fx.path("1"))
        lm = h["last-modified"]             # e.g. Mon, 21 Sep 2026 ...
        self.assertEqual(self.get(self.fx.path("1"), **{
            "If-Modified-Since": lm})[0], 304)
        wd, d, mon, y, t, _ = lm.split()
        full = {"Mon": "Monday", "Tue": "Tuesday", "Wed": "Wednesday",
                "Thu": "Thursday", "Fri": "Friday", "Sat": "Saturday",
                "Sun": "Sunday"}[wd.rstrip(",")]
        rfc850 = "%s, %s-%s-%s %s GMT" % (full, d, mon, y[2:], t)
        asctime = "%s %s %2d %s %s" % (wd.rstrip(","), mon, int(d), t, y)
        for form in (rfc850, asctime):
            self.assertEqual(self.get(self.fx.path("1"), **{
                "If-Modified-Since": form})[0], 304, form)
        # One year earlier: modified since then.
        older = "%s %s %s %d %s GMT" % (wd, d, mon, int(y) - 1, t)
        self.assertEqual(self.get(self.fx.path("1"), **{
            "If-Modified-Since": older})[0], 200)
        self.assertEqual(self.get(self.fx.path("1"), **{
            "If-Modified-Since": "garbage"})[0], 200)

    def test_head(self):
        _, hg, body = self.get(self.fx.path("2"))
        st, h, b = self.get(self.fx.path("2"), "HEAD")
        self.assertEqual(st, 200)
        self.assertEqual(b, b"")
        self.assertEqual(int(h["content-length"]), len(body))
        self.assertEqual(h["etag"], hg["etag"])

    def test_gzip(self):
        _, hi, ident = self.get(self.fx.path("coach"))
        st, h, b = self.get(self.fx.path("coach"),
                            **{"Accept-Encoding": "br, gzip;q=0.8"})
        self.assertEqual(st, 200)
        self.assertEqual(h["content-encoding"], "gzip")
        self.assertEqual(gzip.decompress(b), ident)
        self.assertLess(len(b), len(ident))
        self.assertNotEqual(h["etag"], hi["etag"])
        st, h2, _ = self.get(self.fx.path("coach"),
                             **{"Accept-Encoding": "gzip;q=0"})
        self.assertNotIn("content-encoding", h2)
        self.assertEqual(self.get(self.fx.path("coach"), **{
            "Accept-Encoding": "gzip", "If-None-Match": h["etag"]})[0], 304)

    def test_errors(self):
        tok = self.fx.feeds["0"][0]
        self.assertEqual(self.get("/feeds/" + "A" * 43 + ".ics")[0], 404)
        self.assertEqual(self.get("/feeds/abc.ics")[0], 400)      # short
        self.assertEqual(self.get("/feeds/%s.txt" % tok)[0], 400)
        self.assertEqual(self.get("/feeds/%s" % tok)[0], 400)
        self.assertEqual(self.get("/feeds/" + tok[:-1] + "!.ics")[0], 400)
        st, h, _ = self.get(self.fx.path("0"), "POST")
        self.assertEqual(st, 405)
        self.assertEqual(h["allow"], "GET, HEAD")
        self.assertEqual(self.get(self.fx.path("0"), "DELETE")[0], 405)
        self.assertEqual(self.get("/feeds/" + "A" * 2000 + ".ics")[0], 414)
        self.assertEqual(self.get("/")[0], 404)
        self.assertEqual(self.get("/feeds/")[0], 404)   # no listing

    def test_traversal(self):
        for target in ("/feeds/../../../../etc/passwd",
                       "/feeds/%2e%2e/%2e%2e/etc/passwd",
                       "/feeds/..%2f..%2fetc%2fpasswd.ics",
                       "/../../etc/passwd", "/feeds/./" +
                       self.fx.feeds["0"][0] + ".ics",
                       "/feeds//etc/passwd.ics",
                       "/feeds/%s.ics/../x" % self.fx.feeds["0"][0]):
            st, data = self.raw("GET %s HTTP/1.1" % target)
            self.assertIn(st, (400, 404), target)
            self.assertNotIn(b"root:", data)
        st, _ = self.raw("GARBAGE")
        self.assertEqual(st, 400)

    def test_z_changes(self):
        # Named to run late: it changes feed 0 and revokes feed 2.
        _, h0, b0 = self.get(self.fx.path("0"))
        self.fx.cmd("reschedule 0 1 90")
        st, h1, b1 = self.get(self.fx.path("0"), **{
            "If-None-Match": h0["etag"]})
        self.assertEqual(st, 200)
        self.assertNotEqual(h1["etag"], h0["etag"])
        self.assertIn(b"SEQUENCE:1\r\n", b1)
        self.fx.cmd("cancel 0 2")
        _, _, b2 = self.get(self.fx.path("0"))
        self.assertIn(b"STATUS:CANCELLED\r\n", b2)
        self.fx.cmd("revoke 2")
        self.assertEqual(self.get(self.fx.path("2"))[0], 410)
        self.assertEqual(self.get(self.fx.path("2"), "HEAD")[0], 410)
        self.fx.cmd("remove 1")
        self.assertEqual(self.get(self.fx.path("1"))[0], 404)
        # Revoked without ever being published (a revoked row at start).
        path = self.fx.cmd("revoke-new").split()[-1]
        self.assertEqual(self.get(path)[0], 410)
        self.assertEqual(self.get(path, "HEAD")[0], 410)


class FeedPlain(unittest.TestCase):
    def test_plain_http(self):
        fx = fc.Fixture()
        try:
            conn = fc.client(fx.port, None)
            st, h, body = fc.fetch(conn, fx.path("0"))
            self.assertEqual(st, 200)
            self.assertTrue(body.startswith(b"BEGIN:VCALENDAR"))
            self.assertTrue(fx.feeds["0"][1].startswith("http://"))
        finally:
            fx.close()


class FeedGzipOnly(unittest.TestCase):
    """gzip_only mode: identity clients get the body inflated per request."""

    def test_gzip_only(self):
        fx = fc.Fixture(extra=["--gzip-only"])
        try:
            conn = fc.client(fx.port, None)
            st, h, ident = fc.fetch(conn, fx.path("coach"))
            self.assertEqual(st, 200)
            self.assertNotIn("content-encoding", h)
            self.assertEqual(int(h["content-length"]), len(ident))
            self.assertTrue(ident.endswith(b"END:VCALENDAR\r\n"))
            st, hg, gz = fc.fetch(conn, fx.path("coach"),
                                  headers={"Accept-Encoding": "gzip"})
            self.assertEqual(hg["content-encoding"], "gzip")
            self.assertEqual(gzip.decompress(gz), ident)
            st, hh, b = fc.fetch(conn, fx.path("coach"), "HEAD")
            self.assertEqual((st, b), (200, b""))
            self.assertEqual(int(hh["content-length"]), len(ident))
            stats = fx.cmd("stats")
            cached = int(stats.split("bytes=")[1].split()[0])
            self.assertLess(cached, len(ident))     # identity not kept
        finally:
            fx.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
