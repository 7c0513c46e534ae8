"""District-scale roster import over the real wire: a real coachd with a
small frame limit and an [import] dir, the real coachctl, and the
independent Python client pinging while the import runs.

- a district too big for one frame is refused as an upload and imports
  with --server-path;
- a folder outside the import dir (directly, or through a symbolic link,
  or a roster file that links out) is refused, naming the path;
- a ping sent during a several-second import is answered promptly
  (the daemon's loop never waits for the import), and writes meanwhile
  get UNAVAILABLE, never half-applied;
- a client killed mid-import leaves the daemon serving and nothing
  half-imported (the import rolls back).
"""
import os
import shutil
import signal
import subprocess
import tempfile
import time

import harness as h

# Teachers in the "big" district: a few seconds to import (sanitized
# builds are slower: fewer), enrollments well over the test's frame limit.
BIG = 2000 if h.SANITIZE else 4000
SMALL = 200
MAX_FRAME = "1M"
# The districts, generated once and shared by every daemon of the test.
SHARED = {}


def gen(dirpath, n):
    r = h.run(["/usr/bin/python3", os.path.join(h.SRC, "tests", "bench",
               "roster_gen.py"), dirpath, str(n)])
    assert r.returncode == 0, r.stderr
    return dirpath


def prepare(d):
    if not SHARED:
        SHARED["dir"] = tempfile.mkdtemp(prefix="coachd-imports-")
        gen(os.path.join(SHARED["dir"], "small"), SMALL)
        gen(os.path.join(SHARED["dir"], "big"), BIG)
    d.imports = SHARED["dir"]
    d.extra_conf = ("[import]\ndir = %s\n[feeds]\nlisten = 127.0.0.1:0\n"
                    % d.imports)
    d.write_conf(server__max_frame=MAX_FRAME)


def teachers(d):
    return d.ctl_json("teacher", "list")


def n_teachers(d):
    t = teachers(d)
    return len(t.get("teachers", [])) if isinstance(t, dict) else len(t)


def ctl_popen(d, *args):
    env = dict(os.environ)
    env.update({"COACHCTL_SERVER": "127.0.0.1:%d" % d.port,
                "COACHCTL_CA": os.path.join(d.pki, "ca.crt"),
                "COACHCTL_TOKEN": d.admin_token, "HOME": d.dir})
    return subprocess.Popen([os.path.join(h.BIN, "coachctl")] + list(args),
                            env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_too_big_for_a_frame(d):
    big = os.path.join(d.imports, "big")
    assert os.path.getsize(os.path.join(big, "enrollments.csv")) > 2 << 20
    r = d.ctl("admin", "import", big)
    assert r.returncode != 0, r.stdout
    assert n_teachers(d) == 0
    r = d.ctl("admin", "import", "--server-path", "big", check=0)
    assert "teachers" in r.stdout and str(BIG) in r.stdout, r.stdout
    # quiet when piped: no progress line on a pipe
    assert "server working" not in r.stderr, r.stderr
    assert n_teachers(d) == BIG
    # the same folder again: everything unchanged
    r = d.ctl("--json", "admin", "import", "--server-path",
              os.path.join(d.imports, "big"), check=0)
    assert '"updated"' not in r.stdout or '"updated": 0' in r.stdout or \
        '"updated":0' in r.stdout, r.stdout


def test_outside_refused(d):
    outside = gen(os.path.join(d.dir, "outside"), 5)
    r = d.ctl("admin", "import", "--server-path", outside, check=77)
    assert outside in r.stderr and "outside the import folder" in r.stderr, \
        r.stderr
    r = d.ctl("admin", "import", "--server-path",
              os.path.relpath(outside, d.imports), check=77)
    assert "outside the import folder" in r.stderr, r.stderr
    os.symlink(outside, os.path.join(d.imports, "link"))
    os.makedirs(os.path.join(d.imports, "sneaky"))
    r = d.ctl("admin", "import", "--server-path", "link", check=77)
    assert "outside the import folder" in r.stderr, r.stderr
    # a folder inside whose users.csv links out
    sneaky = os.path.join(d.imports, "sneaky")
    for f in os.listdir(outside):
        os.symlink(os.path.join(outside, f), os.path.join(sneaky, f))
    r = d.ctl("admin", "import", "--server-path", "sneaky", check=77)
    assert "leads outside the import folder" in r.stderr, r.stderr
    r = d.ctl("admin", "import", "--server-path", "nope", check=66)
    assert "nope" in r.stderr, r.stderr
    assert n_teachers(d) == 0


def feed_url(d, teacher):
    r = d.ctl_json("feed", "url", "--teacher", teacher)
    fu = r.get("feedUrl") or r.get("feed_url") or r
    return fu.get("httpsUrl") or fu.get("https_url")


def test_ping_during_import(d):
    d.ctl("admin", "import", "--server-path", "small", check=0)
    url = feed_url(d, "t1")
    status, _, before = d.fetch_feed(url)
    assert status == 200 and b"BEGIN:VCALENDAR" in before
    c = d.client()
    assert c.hello(d.admin_token).status == 0
    pb = h.pb2()
    t0 = time.time()
    p = ctl_popen(d, "admin", "import", "--server-path", "big")
    d.wait_log("roster_import -> OK")
    lat, refused, feeds = [], 0, 0
    while p.poll() is None:
        s = time.time()
        r = c.call(ping=pb.Empty())
        lat.append(time.time() - s)
        assert r.status == 0, r
        if feeds < 3:
            # feeds go on serving the last committed body meanwhile
            s = time.time()
            status, _, body = d.fetch_feed(url)
            lat.append(time.time() - s)
            assert status == 200 and body == before, status
            feeds += 1
        if p.poll() is None:
            # a write meanwhile: refused whole, retry later
            w = c.call(school_add=pb.SchoolPut(
                school=pb.School(id="x-new", name="New")))
            if p.poll() is None and w.status == pb.UNAVAILABLE:
                refused += 1
        time.sleep(0.05)
    took = time.time() - t0
    out, err = p.communicate()
    assert p.returncode == 0, (out, err)
    assert took > 1.0, "import too quick to test: %.2f s" % took
    assert len(lat) >= 3, (lat, took)
    assert max(lat) < took / 4, (max(lat), took)
    assert refused >= 1, refused
    assert n_teachers(d) == BIG
    c.close()


def test_killed_client(d):
    d.ctl("admin", "import", "--server-path", "small", check=0)
    assert n_teachers(d) == SMALL
    p = ctl_popen(d, "admin", "import", "--server-path", "big")
    d.wait_log("roster_import -> OK")
    time.sleep(0.3)
    p.send_signal(signal.SIGKILL)
    p.wait()
    c = d.client()
    assert c.hello(d.admin_token).status == 0
    assert c.call(ping=h.pb2().Empty()).status == 0
    c.close()
    # writes wait for the cancelled import to end (UNAVAILABLE: retry)
    deadline = time.time() + 60 * h.SLOW
    while True:
        r = d.ctl("admin", "import", "--server-path", "small")
        if r.returncode != 69:
            break
        assert "import is running" in r.stderr, r.stderr
        assert time.time() < deadline, "the import never ended"
        time.sleep(0.1)
    assert r.returncode == 0, r.stderr
    d.wait_log("(closed): deferred request finished: UNAVAILABLE")
    assert "cancelling it" in "".join(d.log)
    # rolled back whole: the teachers of the small district, no more
    assert n_teachers(d) == SMALL


def cleanup_shared():
    if SHARED:
        shutil.rmtree(SHARED["dir"], ignore_errors=True)


if __name__ == "__main__":
    try:
        h.main([h.with_daemon(t, prepare=prepare) for t in (
            test_too_big_for_a_frame, test_outside_refused,
            test_ping_during_import, test_killed_client)])
    finally:
        cleanup_shared()
