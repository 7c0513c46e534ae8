"""Shared helpers for the feed interop tests: a throw-away CA and server
certificate made with the openssl CLI, and a running feed-fixture whose
stdout/stdin we drive.  Run by /usr/bin/python3 (Debian modules)."""

import http.client
import os
import shutil
import ssl
import subprocess
import sys
import tempfile


def subscriber(d, url, ca):
    """A desktop user's subscription in d: vdirsyncer's read-only http
    storage for url (trusting only the CA file ca) synced into d/cal, and
    khal reading that vdir in America/Chicago.  Returns the vdirsyncer and
    khal config paths and the environment to run both in."""
    for sub in ("cal", "status"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    vconf = os.path.join(d, "vdirsyncer.conf")
    with open(vconf, "w") as f:
        f.write(f"""[general]
status_path = "{d}/status/"

[pair coaching]
a = "coaching_remote"
b = "coaching_local"
collections = null

[storage coaching_remote]
type = "http"
url = "{url}"
verify = "{ca}"

[storage coaching_local]
type = "filesystem"
path = "{d}/cal/"
fileext = ".ics"
""")
    kconf = os.path.join(d, "khal.conf")
    with open(kconf, "w") as f:
        f.write(f"""[calendars]
[[coaching]]
path = {d}/cal/
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = America/Chicago
default_timezone = America/Chicago

[sqlite]
path = {d}/khal.db
""")
    env = dict(os.environ, HOME=d, XDG_CONFIG_HOME=d, XDG_DATA_HOME=d,
               XDG_CACHE_HOME=d, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    return vconf, kconf, env


def bindir():
    return os.environ.get("COACHD_BIN") or os.path.join(
        os.path.dirname(__file__), "..", "..", "build", "bin")


def icaljs_dir():
    """node_modules holding ical.js, installed under the build dir once."""
    build = os.environ.get("COACHD_BUILD") or os.path.join(bindir(), "..")
    prefix = os.path.join(build, "feed-node")
    mod = os.path.join(prefix, "node_modules")
    if not os.path.exists(os.path.join(mod, "ical.js", "package.json")):
        subprocess.run(["npm", "install", "--silent", "--no-audit",
                        "--no-fund", "--prefix", prefix, "ical.js@2"],
                       check=True, timeout=300)
    return mod


def make_ca(d):
    """CA + server cert for 127.0.0.1/localhost under d; returns paths."""
    def run(*args):
        subprocess.run(["openssl", *args], cwd=d, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=coachd test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key",
        "-out", "srv.csr", "-subj", "/CN=127.0.0.1")
    with open(os.path.join(d, "ext.cnf"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                "extendedKeyUsage=serverAuth\n")
    run("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey",
        "ca.key", "-CAcreateserial", "-days", "2", "-out", "srv.pem",
        "-extfile", "ext.cnf")
    return (os.path.join(d, "ca.pem"), os.path.join(d, "srv.pem"),
            os.path.join(d, "srv.key"))


class Fixture:
    """feed-fixture child: .port, .feeds {name: (token, url)}, .cmd()."""

    def __init__(self, cert=None, key=None, extra=(), valgrind=None):
        argv = [os.path.join(bindir(), "feed-fixture"), *extra]
        if cert:
            argv += ["--cert", cert, "--key", key]
        vg = valgrind if valgrind is not None else os.environ.get(
            "FEED_VALGRIND")
        if vg:
            self.vglog = tempfile.mktemp(prefix="feed-vg-")
            argv = ["valgrind", "--leak-check=full", "--error-exitcode=99",
                    "--errors-for-leak-kinds=definite,indirect",
                    "--log-file=" + self.vglog] + argv
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        self.feeds = {}
        self.port = None
        for line in self.p.stdout:
            w = line.split()
            if w[0] == "port":
                self.port = int(w[1])
            elif w[0] == "feed":
                self.feeds[w[1]] = (w[2], w[3])
            elif w[0] == "ready":
                break
        if self.port is None or not self.feeds:
            raise RuntimeError("feed-fixture did not start")

    def path(self, name):
        return "/feeds/%s.ics" % self.feeds[name][0]

    def cmd(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        out = self.p.stdout.readline().strip()
        if not out.startswith("ok"):
            raise RuntimeError("fixture: %s -> %s" % (line, out))
        return out

    def close(self):
        try:
            self.cmd("quit")
        except (RuntimeError, BrokenPipeError):
            pass
        self.p.stdin.close()
        rc = self.p.wait(timeout=60)
        self.p.stdout.close()
        if rc != 0:
            log = getattr(self, "vglog", None)
            if log and os.path.exists(log):
                sys.stderr.write(open(log).read())
            raise RuntimeError("feed-fixture exited %d" % rc)


def client(port, cafile):
    """A verifying HTTPS connection factory (plain HTTP when cafile None)."""
    if cafile is None:
        return lambda: http.client.HTTPConnection("127.0.0.1", port,
                                                  timeout=20)
    ctx = ssl.create_default_context(cafile=cafile)
    return lambda: http.client.HTTPSConnection("127.0.0.1", port,
                                               context=ctx, timeout=20)


def fetch(conn_factory, path, method="GET", headers=None):
    c = conn_factory()
    try:
        c.request(method, path, headers=headers or {})
        r = c.getresponse()
        body = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, body
    finally:
        c.close()


def tmpdir():
    d = tempfile.mkdtemp(prefix="coachd-feed-")
    return d, lambda: shutil.rmtree(d, ignore_errors=True)
