"""Integration-test harness: real certificates, a real coachd on a loopback
port, a real SQLite file, the real coachctl, and an independent protocol
client written from docs/protocol.md (Python ssl + python3-protobuf).

Run by ctest with /usr/bin/python3; COACHD_BIN points at build/bin.
"""
import datetime
import http.client
import os
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import struct
import subprocess
import sys
import tempfile
import time
import zoneinfo

BIN = os.environ.get("COACHD_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "bin")
SRC = os.environ.get("COACHD_SRC") or os.path.join(
    os.path.dirname(__file__), "..", "..")
BUILD = os.environ.get("COACHD_BUILD") or os.path.join(BIN, "..")
SANITIZE = os.environ.get("COACHD_SANITIZE", "OFF") in ("ON", "1", "TRUE")
# Sanitized binaries are several times slower.
SLOW = 4 if SANITIZE else 1


# The district timezone write_conf() sets.  Tests that schedule pick their
# dates from the district's own calendar, relative to today, so the suite
# means the same thing whatever day and hour CI runs it.
ZONE = "America/Chicago"


def district_today(zone=ZONE):
    return datetime.datetime.now(zoneinfo.ZoneInfo(zone)).date()


def next_monday(zone=ZONE):
    """The Monday after the district's today: a school week of which no
    period has begun yet (today's passed periods are never scheduled)."""
    t = district_today(zone)
    return t + datetime.timedelta(days=7 - t.weekday())


def day(base, n):
    """ISO date n days after the date `base`."""
    return (base + datetime.timedelta(days=n)).isoformat()


def gen_district(out, small=False):
    """Write the demo district's CSV folder (full, or --small) to out."""
    r = run(["/usr/bin/python3", os.path.join(SRC, "scripts",
             "gen-demo-district.py")] + (["--small"] if small else []) +
            [out])
    assert r.returncode == 0, r.stderr
    return out


def run(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    return subprocess.run(cmd, **kw)


def openssl(*args, cwd):
    r = run(["openssl", *args], cwd=cwd)
    if r.returncode != 0:
        raise RuntimeError("openssl %s: %s" % (" ".join(args), r.stderr))


def make_pki(d, clients=()):
    """A throwaway CA, a server certificate for 127.0.0.1/localhost and one
    client certificate per CN in `clients` (for mTLS)."""
    os.makedirs(d, exist_ok=True)
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", "/CN=coachd test CA", "-keyout", "ca.key",
            "-out", "ca.crt", cwd=d)
    with open(os.path.join(d, "server.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                "extendedKeyUsage=serverAuth\n")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key",
            "-out", "server.csr", cwd=d)
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey",
            "ca.key", "-CAcreateserial", "-days", "2", "-extfile",
            "server.ext", "-out", "server.crt", cwd=d)
    for cn in clients:
        openssl("req", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + cn,
                "-keyout", cn + ".key", "-out", cn + ".csr", cwd=d)
        openssl("x509", "-req", "-in", cn + ".csr", "-CA", "ca.crt",
                "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-out", cn + ".crt", cwd=d)
    return d


class Daemon:
    """One coachd process with its own directory, config and database."""

    def __init__(self, tmp=None, extra_conf="", clients=()):
        self.dir = tmp or tempfile.mkdtemp(prefix="coachd-test-")
        self.pki = make_pki(os.path.join(self.dir, "pki"), clients)
        self.db = os.path.join(self.dir, "coachd.db")
        self.conf = os.path.join(self.dir, "coachd.conf")
        self.extra_conf = extra_conf
        self.proc = None
        self.port = None
        self.log = []
        self.write_conf()
        self.admin_token = self.init_admin("root")

    def write_conf(self, **over):
        sections = {
            "server": {"listen": "127.0.0.1:0", "handshake_timeout": "2s",
                       "idle_timeout": "60s", "shutdown_timeout": "5s",
                       "log_level": "debug",
                       # tests fail logins from 127.0.0.1 on purpose;
                       # test_limits.py turns the backoff on itself
                       "login_failures": "0"},
            "tls": {"cert": "pki/server.crt", "key": "pki/server.key",
                    "client_ca": "pki/ca.crt"},
            "store": {"path": "coachd.db"},
            "district": {"name": "Test District",
                         "timezone": "America/Chicago"},
        }
        for key, val in over.items():
            sec, k = key.split("__")
            sections.setdefault(sec, {})[k] = val
        with open(self.conf, "w") as f:
            for sec, kv in sections.items():
                f.write("[%s]\n" % sec)
                for k, v in kv.items():
                    if v is not None:
                        f.write("%s = %s\n" % (k, v))
            f.write(self.extra_conf)

    def init_admin(self, name):
        r = run([os.path.join(BIN, "coachd"), "--config", self.conf,
                 "--init-admin", name])
        if r.returncode != 0:
            raise RuntimeError("init-admin failed: " + r.stderr)
        m = re.search(r"^token: (\S+)$", r.stdout, re.M)
        return m.group(1)

    def start(self):
        self.log = []
        self.proc = subprocess.Popen(
            [os.path.join(BIN, "coachd"), "--config", self.conf],
            stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 20 * SLOW
        while time.time() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.log.append(line)
            m = re.search(r"listening on [^ ]+:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                # keep draining stderr so the daemon never blocks on it
                import threading
                threading.Thread(target=self._drain, daemon=True).start()
                return self
        raise RuntimeError("coachd did not start:\n" + "".join(self.log))

    def _drain(self):
        for line in self.proc.stderr:
            self.log.append(line)

    def stop(self, sig=signal.SIGTERM, expect_clean=True):
        """Stop the daemon; a clean stop must exit 0 with no sanitizer
        report (leaks included)."""
        if self.proc is None:
            return None
        self.proc.send_signal(sig)
        rc = self.proc.wait(timeout=30 * SLOW)
        time.sleep(0.05)
        text = "".join(self.log)
        self.proc = None
        if expect_clean:
            assert rc == 0, "coachd exited %s:\n%s" % (rc, text[-4000:])
            assert "Sanitizer" not in text and "runtime error" not in text, \
                text[-4000:]
        return rc

    def wait_log(self, text, timeout=10):
        """Wait until the daemon's stderr (read by a thread) shows text."""
        deadline = time.time() + timeout * SLOW
        while not any(text in line for line in self.log):
            if time.time() > deadline:
                raise AssertionError("coachd never logged %r:\n%s" % (
                    text, "".join(self.log[-40:])))
            time.sleep(0.02)

    def feed_port(self):
        """The port the feeds listener bound, from its start-up line."""
        for _ in range(100):
            for line in self.log:
                m = re.search(r"feeds listening on [^ ]+:(\d+)", line)
                if m:
                    return int(m.group(1))
            time.sleep(0.1)     # the line may still be on its way
        raise AssertionError("no 'feeds listening on' line:\n" +
                             "".join(self.log))

    def token(self, role, user):
        """Issue a token through coachctl; returns the secret."""
        r = self.ctl("admin", "token", "create", "--role", role, "--user",
                     user, check=0)
        return re.search(r"^token: (\S+)$", r.stdout, re.M).group(1)

    def enrol(self, role, user):
        """A token of the person's own, with note rights: the admin issues
        a one-time enrolment code, the person redeems it with `coachctl
        enrol` (saved into their own config file, read back here)."""
        r = self.ctl("admin", "enrol", "--role", role, "--user", user,
                     check=0)
        code = re.search(r"^code: (\S+)$", r.stdout, re.M).group(1)
        conf = os.path.join(self.dir, "enrol-%s-%s.conf" % (role, user))
        with open(conf, "w") as f:
            f.write("# %s's own coachctl settings\n" % user)
        self.ctl("--config", conf, "enrol", code, check=0)
        with open(conf) as f:
            return re.search(r"^token = (\S+)$", f.read(), re.M).group(1)

    def free_periods(self, teacher):
        """Periods with no class for an elementary teacher (every day the
        same: day type '*'), earliest first, read from the database."""
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)
        rows = con.execute(
            "SELECT cp.period FROM class_periods cp JOIN bell_periods bp "
            "ON bp.period = cp.period AND bp.day_type = cp.day_type JOIN "
            "teachers t ON t.id = cp.teacher AND t.school = bp.school "
            "WHERE cp.teacher = ? AND cp.kind = 'free' AND cp.day_type = "
            "'*' ORDER BY bp.start_min", (teacher,)).fetchall()
        con.close()
        assert rows, teacher
        return [p for (p,) in rows]

    def fetch_feed(self, url, headers=None):
        """GET a feed URL the daemon handed out: (status, headers, body)."""
        m = re.match(r"https://127\.0\.0\.1:(\d+)(/feeds/.*)$", url)
        assert m, url
        ctx = ssl.create_default_context(
            cafile=os.path.join(self.pki, "ca.crt"))
        c = http.client.HTTPSConnection("127.0.0.1", int(m.group(1)),
                                        context=ctx, timeout=10 * SLOW)
        c.request("GET", m.group(2), headers=headers or {})
        r = c.getresponse()
        body = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        c.close()
        return r.status, hdrs, body

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        self.proc = None

    def restart(self):
        self.stop()
        return self.start()

    def cleanup(self):
        if self.proc is not None:
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    # ---- the real coachctl -------------------------------------------------
    def import_demo(self, small=True, name="district"):
        """Generate the demo district (--small by default) into the
        daemon's directory and import it; returns the folder."""
        dist = gen_district(os.path.join(self.dir, name), small)
        self.ctl("admin", "import", dist, check=0)
        return dist

    def submit_questions_csv(self, dist):
        """Submit the folder's questions.csv as the admin (a topic when
        the row has one); returns the rows."""
        import csv
        with open(os.path.join(dist, "questions.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            args = ["question", "submit", "--teacher", row["teacher_id"],
                    row["text"]]
            if row["topic"]:
                args += ["--topic", row["topic"]]
            self.ctl(*args, check=0)
        return rows

    def schedule_demo(self, small=True, frm=None):
        """The demo district with its questions submitted, coaches
        assigned and cycles scheduled from frm (next Monday by default);
        returns (folder, frm, the `admin schedule` result)."""
        dist = self.import_demo(small=small)
        self.submit_questions_csv(dist)
        self.ctl_json("admin", "assign")
        frm = frm or next_monday().isoformat()
        return dist, frm, self.ctl_json("admin", "schedule", "--from", frm)

    def ctl(self, *args, token=None, json=False, check=None, stdin=None):
        env = dict(os.environ)
        env.update({"COACHCTL_SERVER": "127.0.0.1:%d" % self.port,
                    "COACHCTL_CA": os.path.join(self.pki, "ca.crt"),
                    "COACHCTL_TOKEN": token or self.admin_token,
                    "HOME": self.dir})
        cmd = [os.path.join(BIN, "coachctl")]
        if json:
            cmd.append("--json")
        r = run(cmd + list(args), env=env, input=stdin)
        if check is not None:
            assert r.returncode == check, \
                "coachctl %s -> %d (want %d)\nstdout: %s\nstderr: %s" % (
                    " ".join(args), r.returncode, check, r.stdout, r.stderr)
        return r

    def ctl_json(self, *args, token=None):
        import json as _json
        r = self.ctl(*args, token=token, json=True, check=0)
        return _json.loads(r.stdout)

    def client(self, **kw):
        return Client(self, **kw)


# ---- independent protocol client ---------------------------------------------

_pb2 = None


def with_daemon(fn, prepare=None, **kw):
    """fn(d) as a test of its own on a fresh Daemon(**kw): prepare(d), if
    given, runs before start (config changes); the daemon is stopped, which
    checks a clean exit, when fn passes, and its directory removed either
    way."""
    def wrapped():
        d = Daemon(**kw)
        try:
            if prepare is not None:
                prepare(d)
            d.start()
            fn(d)
            d.stop()
        finally:
            d.cleanup()
    wrapped.__name__ = fn.__name__
    return wrapped


def pb2():
    """coachd_pb2 generated from proto/coachd.proto by Debian's protoc."""
    global _pb2
    if _pb2 is None:
        out = os.path.join(BUILD, "python-proto")
        os.makedirs(out, exist_ok=True)
        pdir = os.path.join(SRC, "proto")
        # Tests run in parallel: generate aside, then rename each module
        # into place, so that no test imports a half-written one.
        tmp = tempfile.mkdtemp(dir=out)
        r = run(["protoc", "--proto_path=" + pdir, "--python_out=" + tmp] +
                sorted(os.path.join(pdir, f) for f in os.listdir(pdir)
                       if f.endswith(".proto")))
        if r.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            raise RuntimeError("protoc: " + r.stderr)
        for f in os.listdir(tmp):
            os.replace(os.path.join(tmp, f), os.path.join(out, f))
        os.rmdir(tmp)
        sys.path.insert(0, out)
        import coachd_pb2
        _pb2 = coachd_pb2
    return _pb2


class Client:
    """Speaks the wire protocol directly: TLS, 4-byte big-endian length,
    one protobuf message per frame."""

    def __init__(self, daemon, cert=None, timeout=10):
        ctx = ssl.create_default_context(
            cafile=os.path.join(daemon.pki, "ca.crt"))
        if cert:
            ctx.load_cert_chain(os.path.join(daemon.pki, cert + ".crt"),
                                os.path.join(daemon.pki, cert + ".key"))
        raw = socket.create_connection(("127.0.0.1", daemon.port),
                                       timeout=timeout * SLOW)
        self.sock = ctx.wrap_socket(raw, server_hostname="localhost")
        self.next_id = 1
        self.pb = pb2()

    def send_raw(self, payload):
        self.sock.sendall(struct.pack(">I", len(payload)) + payload)

    def send(self, **op):
        req = self.pb.Request(id=self.next_id, **op)
        self.next_id += 1
        self.send_raw(req.SerializeToString())
        return req.id

    def _recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return buf

    def recv(self):
        hdr = self._recv_exact(4)
        if hdr is None:
            return None
        (n,) = struct.unpack(">I", hdr)
        resp = self.pb.Response()
        resp.ParseFromString(self._recv_exact(n))
        return resp

    def call(self, **op):
        rid = self.send(**op)
        resp = self.recv()
        assert resp is not None, "connection closed"
        assert resp.id == rid, (resp.id, rid)
        return resp

    def hello(self, token=""):
        return self.call(hello=self.pb.Hello(protocol_version=1,
                                              client="pytest", token=token))

    def closed(self):
        """True when the server has closed the connection."""
        try:
            return self.sock.recv(1) == b""
        except (ConnectionResetError, ssl.SSLError, BrokenPipeError):
            return True

    def close(self):
        self.sock.close()


def main_steps(steps, state, daemon, stops=None):
    """Run steps that build on each other: stop at the first failure
    (and still stop the daemon) instead of piling up follow-on errors.
    state is the module's shared dict, daemon() its current Daemon (or
    None); the step stops, if given, cleans up by itself."""
    def guard(step):
        def run():
            if state.get("failed"):
                raise RuntimeError("not run: an earlier step failed")
            try:
                step()
            except BaseException:
                state["failed"] = True
                if daemon() is not None and step is not stops:
                    daemon().cleanup()
                raise
        run.__name__ = step.__name__
        return run
    main([guard(s) for s in steps])


def main(tests):
    """Run test functions in order; exit non-zero if any failed."""
    failed = 0
    for t in tests:
        name = t.__name__
        try:
            start = time.time()
            t()
            print("ok   %s (%.1fs)" % (name, time.time() - start))
        except Exception:
            import traceback
            traceback.print_exc()
            print("FAIL %s" % name)
            failed += 1
    sys.exit(1 if failed else 0)
