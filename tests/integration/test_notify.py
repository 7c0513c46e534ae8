"""coachd under a service manager: the sd_notify protocol for real.

The test plays systemd's part: it binds a unix datagram socket, points
NOTIFY_SOCKET (and, for the watchdog, WATCHDOG_USEC) at it and starts the
real coachd, then reads what arrives.  READY=1 must come only once the
RPC and feed ports accept connections, RELOADING=1 (with MONOTONIC_USEC)
and READY=1 must bracket a SIGHUP, STOPPING=1 must come on SIGTERM.  A
TLS key passed as the credential server.key (LoadCredential=) must be
used instead of [tls] key, and --init-admin must work without the key.
"""
import os
import re
import shutil
import signal
import socket
import tempfile
import time

import harness as h

FEEDS_CONF = "[feeds]\nlisten = 127.0.0.1:0\n"


class Manager:
    """The service manager's end of NOTIFY_SOCKET."""

    def __init__(self, tmp):
        self.path = os.path.join(tmp, "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.msgs = []

    def recv(self, timeout=10):
        """The next message as a dict of its KEY=VALUE lines."""
        self.sock.settimeout(timeout * h.SLOW)
        data = self.sock.recv(4096).decode()
        msg = dict(line.split("=", 1) for line in data.split("\n") if line)
        self.msgs.append(msg)
        return msg

    def wait_for(self, key, timeout=10):
        """Read messages until one carries key; returns it and the skipped."""
        skipped = []
        deadline = time.time() + timeout * h.SLOW
        while time.time() < deadline:
            m = self.recv(timeout)
            if key in m:
                return m, skipped
            skipped.append(m)
        raise AssertionError("no %s; got %r" % (key, skipped))

    def close(self):
        self.sock.close()


def start_managed(d, env):
    """d.start() with env added to the daemon's environment only (a None
    value removes the variable)."""
    saved = {k: os.environ.get(k) for k in env}
    for k, v in env.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        return d.start()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def connectable(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.close()


def test_ready_reload_stopping():
    d = h.Daemon(extra_conf=FEEDS_CONF)
    m = Manager(d.dir)
    try:
        start_managed(d, {"NOTIFY_SOCKET": m.path})
        ready, before = m.wait_for("READY")
        # Nothing claims readiness before it: no other state came first.
        assert not any("READY" in x or "STOPPING" in x for x in before), \
            before
        assert ready["READY"] == "1", ready
        # Both listeners are bound and accepting the moment READY arrives.
        connectable(d.port)
        connectable(d.feed_port())
        st = ready.get("STATUS", "")
        assert st.startswith("ready: listening on 127.0.0.1:%d" % d.port), st
        assert "feeds at https://127.0.0.1:%d" % d.feed_port() in st, st
        assert "\n" not in st
        # and the daemon answers for real
        d.ctl("ping", check=0)

        # SIGHUP: RELOADING=1 with the monotonic clock, then READY=1.
        t0 = int(time.monotonic() * 1e6)
        d.proc.send_signal(signal.SIGHUP)
        rel, _ = m.wait_for("RELOADING")
        t1 = int(time.monotonic() * 1e6)
        assert rel["RELOADING"] == "1", rel
        assert t0 <= int(rel["MONOTONIC_USEC"]) <= t1, (t0, rel, t1)
        again, between = m.wait_for("READY")
        assert not between or all("READY" not in x for x in between)
        assert again["STATUS"].startswith("reloaded: "), again
        d.wait_log("SIGHUP: configuration and certificates reloaded")

        # A broken file: still RELOADING/READY, and the status says so.
        with open(d.conf, "a") as f:
            f.write("[server]\nno_such_key = 1\n")
        d.proc.send_signal(signal.SIGHUP)
        m.wait_for("RELOADING")
        bad, _ = m.wait_for("READY")
        assert bad["STATUS"].startswith(
            "reload failed, running configuration kept"), bad
        d.ctl("ping", check=0)
        d.write_conf()

        # SIGTERM: STOPPING=1 with a status, then a clean exit.
        d.proc.send_signal(signal.SIGTERM)
        stop, _ = m.wait_for("STOPPING")
        assert stop["STOPPING"] == "1"
        assert stop["STATUS"].startswith("SIGTERM: finishing"), stop
        rc = d.proc.wait(timeout=30 * h.SLOW)
        d.proc = None
        assert rc == 0, "".join(d.log[-20:])
    finally:
        m.close()
        d.cleanup()


def test_watchdog():
    """WATCHDOG_USEC set (systemd's WatchdogSec=): WATCHDOG=1 at least
    every half period; without it, none (checked in the test above)."""
    d = h.Daemon()
    m = Manager(d.dir)
    try:
        start_managed(d, {"NOTIFY_SOCKET": m.path,
                          "WATCHDOG_USEC": "400000",
                          "WATCHDOG_PID": None})
        m.wait_for("READY")
        start = time.time()
        beats = 0
        while beats < 4:
            msg, _ = m.wait_for("WATCHDOG", timeout=2)
            assert msg["WATCHDOG"] == "1"
            # the status rides along, with the live connection count
            assert msg["STATUS"].startswith(
                "running: listening on 127.0.0.1:%d" % d.port), msg
            beats += 1
        # 4 beats at one per 200 ms: about 0.8 s, far below 4 periods.
        assert time.time() - start < 1.6 * h.SLOW, time.time() - start
        d.stop()
    finally:
        m.close()
        d.cleanup()


def test_no_watchdog_without_request():
    """No WATCHDOG_USEC: READY, then nothing until STOPPING."""
    d = h.Daemon()
    m = Manager(d.dir)
    try:
        start_managed(d, {"NOTIFY_SOCKET": m.path})
        m.wait_for("READY")
        m.sock.settimeout(0.5)
        try:
            extra = m.sock.recv(4096)
        except socket.timeout:
            extra = None
        assert extra is None, extra
        d.stop()
    finally:
        m.close()
        d.cleanup()


def test_tls_key_credential():
    """LoadCredential=server.key:...: the key comes from
    $CREDENTIALS_DIRECTORY even when [tls] key names no readable file."""
    d = h.Daemon()
    creds = tempfile.mkdtemp(prefix="coachd-creds-")
    try:
        shutil.copy(os.path.join(d.pki, "server.key"),
                    os.path.join(creds, "server.key"))
        d.write_conf(tls__key="/nonexistent/server.key")
        # Without the credential the configuration is refused...
        r = h.run([os.path.join(h.BIN, "coachd"), "--check-config",
                   "--config", d.conf])
        assert r.returncode != 0, r.stdout
        # --init-admin needs only the database: the service's user runs
        # it without the key (systemd reads the key, not that user).
        # The harness made an admin already, hence --force.
        r = h.run([os.path.join(h.BIN, "coachd"), "--init-admin", "bob",
                   "--force", "--config", d.conf])
        assert r.returncode == 0, r.stderr
        bob = re.search(r"^token: (\S+)$", r.stdout, re.M).group(1)
        # ...with it coachd starts and serves TLS with that key.
        start_managed(d, {"CREDENTIALS_DIRECTORY": creds})
        d.ctl("ping", check=0)
        assert "bob" in d.ctl("whoami", token=bob, check=0).stdout
        d.stop()
    finally:
        shutil.rmtree(creds, ignore_errors=True)
        d.cleanup()


if __name__ == "__main__":
    h.main([test_ready_reload_stopping, test_watchdog,
            test_no_watchdog_without_request, test_tls_key_credential])
