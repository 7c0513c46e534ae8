"""Coaching notes at rest, over the real coachd, the real coachctl and a
real SQLite file: a note's text is never in the bytes of coachd.db, of
its -wal file or of a `coachd --backup` copy, yet reads back through
coachctl after a restart; plaintext notes of a database written before
sealing existed are sealed on the first start; a wrong key or a missing
key stops coachd at start-up with a clear message and leaves the
database untouched; `coachd --rotate-note-key` re-seals every note and
the old key no longer opens them; a sealed body moved to another row
does not open.  Run by ctest with /usr/bin/python3."""

import hashlib
import os
import re
import secrets
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

TAG = secrets.token_hex(6)
NOTE = "ATREST-%s Ms Ortiz freezes when the principal walks in" % TAG
LEGACY = "LEGACY-%s written before notes were sealed" % TAG
NEEDLES = (b"ATREST-" + TAG.encode(), b"LEGACY-" + TAG.encode(),
           TAG.encode())

D = None
S = {}


def raw(path):
    with open(path, "rb") as f:
        return f.read()


def assert_no_text(path):
    data = raw(path)
    found = [n for n in NEEDLES if n in data]
    assert not found, "%s holds %s in clear" % (path, found)
    return len(data)


def digest(path):
    return hashlib.sha256(raw(path)).hexdigest() if os.path.exists(path) \
        else None


def db_files():
    return {p: digest(p) for p in (D.db, D.db + "-wal")}


def coachd(*args):
    r = h.run([os.path.join(h.BIN, "coachd"), "--config", D.conf] +
              list(args), timeout=60 * h.SLOW)
    assert "Sanitizer" not in r.stderr and "runtime error" not in \
        r.stderr, r.stderr
    return r


def start_fails(want):
    """coachd refuses to start, saying want; the database is unchanged."""
    before = db_files()
    r = h.run([os.path.join(h.BIN, "coachd"), "--config", D.conf],
              timeout=60 * h.SLOW)
    assert r.returncode != 0, r.stderr
    assert want in r.stderr, r.stderr
    assert "listening" not in r.stderr, r.stderr
    assert db_files() == before, "a refused start changed the database"
    assert "Sanitizer" not in r.stderr and "runtime error" not in \
        r.stderr, r.stderr
    return r.stderr


def write_key(name, mode=0o600, text=None):
    path = os.path.join(D.dir, name)
    with open(path, "w") as f:
        f.write(text or secrets.token_hex(32) + "\n")
    os.chmod(path, mode)
    return path


def notes(tok):
    j = D.ctl_json("session", "note", "list", S["sid"], token=tok)
    return [(n["author"], n["text"]) for n in j.get("notes", [])]


# ---- steps ------------------------------------------------------------------

def test_setup_legacy_database():
    """A district with scheduled cycles, then a plaintext note written
    into cycle_notes as a coachd from before sealing stored it."""
    global D
    D = h.Daemon()
    D.start()
    D.schedule_demo()
    ss = D.ctl_json("schedule", "--from", h.next_monday().isoformat())
    ss = [s for s in ss.get("sessions", []) if s.get("cycle")]
    assert ss, "no scheduled session"
    s = ss[0]
    S.update(sid=str(s["id"]), cycle=s["cycle"], coach=s["coach"],
             teacher=s["teacher"])
    D.stop()
    # back to the schema and contents of a database written before
    # notes were sealed: plaintext body, no recorded key, no key file
    con = sqlite3.connect(D.db)
    con.execute("DROP TABLE IF EXISTS note_seal")
    con.execute("DELETE FROM schema_migrations WHERE module = 'coaching' "
                "AND version >= 4")
    con.execute("DELETE FROM cycle_notes")
    con.execute("INSERT INTO cycle_notes (cycle, author, at, body) VALUES "
                "(?, ?, 1764000000, ?)", (S["cycle"], S["coach"], LEGACY))
    con.commit()
    con.close()
    key = os.path.join(D.dir, "note.key")
    if os.path.exists(key):
        os.unlink(key)
    assert LEGACY.encode() in raw(D.db)


def test_first_start_seals_plaintext_and_makes_key():
    D.start()
    D.wait_log("sealed 1 plaintext note")
    key = os.path.join(D.dir, "note.key")
    assert oct(os.stat(key).st_mode & 0o777) == "0o600", oct(
        os.stat(key).st_mode)
    S["key"] = raw(key).decode().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", S["key"]), S["key"]
    assert S["key"] not in "".join(D.log), "the key is in the log"
    S["tok"] = {"coach": D.enrol("coach", S["coach"]),
                "teacher": D.enrol("teacher", S["teacher"])}
    assert notes(S["tok"]["teacher"]) == [(S["coach"], LEGACY)]
    assert_no_text(D.db)


def test_note_never_in_db_wal_or_backup():
    D.ctl_json("session", "note", "add", S["sid"], NOTE,
               token=S["tok"]["coach"])
    # coachd is running: the new note is in the -wal file, sealed
    assert os.path.getsize(D.db + "-wal") > 0
    assert_no_text(D.db + "-wal")
    assert_no_text(D.db)
    bak = os.path.join(D.dir, "backup.db")
    r = coachd("--backup", bak)
    assert r.returncode == 0, r.stderr
    assert assert_no_text(bak) > 0
    con = sqlite3.connect("file:%s?mode=ro" % bak, uri=True)
    rows = con.execute("SELECT typeof(body), body FROM cycle_notes ORDER "
                       "BY id").fetchall()
    con.close()
    assert [t for t, _ in rows] == ["blob", "blob"], rows
    S["backup"] = bak
    want = [(S["coach"], LEGACY), (S["coach"], NOTE)]
    assert notes(S["tok"]["coach"]) == want
    D.restart()
    assert notes(S["tok"]["teacher"]) == want
    # the independent client reads the same over the wire
    pb = h.pb2()
    c = D.client()
    assert c.hello(S["tok"]["teacher"]).status == pb.OK
    import sched_pb2 as spb
    r = c.call(session_note_list=spb.SchedSessionRef(id=int(S["sid"])))
    assert r.status == pb.OK, r.error
    assert [n.text for n in r.notes.notes] == [LEGACY, NOTE]
    c.close()
    D.stop()
    for p in (D.db, D.db + "-wal", bak):
        if os.path.exists(p):
            assert_no_text(p)
    assert not [x for x in NEEDLES if x in "".join(D.log).encode()]


def test_wrong_key_refused_database_untouched():
    D.write_conf(store__note_key=write_key("wrong.key"))
    start_fails("note key does not match the one this database was "
                "sealed with")
    # a raw 32-byte key file works the same way
    path = os.path.join(D.dir, "wrong.raw")
    with open(path, "wb") as f:
        f.write(os.urandom(32))
    os.chmod(path, 0o600)
    D.write_conf(store__note_key=path)
    start_fails("note key does not match")
    # a key file others may read is refused before anything is opened
    D.write_conf(store__note_key=write_key("loose.key", 0o640))
    start_fails("group or others may read it")
    r = coachd("--check-config")
    assert r.returncode != 0 and "chmod 600" in r.stderr, r.stderr
    D.write_conf(store__note_key=write_key("junk.key", text="not a key\n"))
    start_fails("64 hex digits")


def test_missing_key_refused():
    key = os.path.join(D.dir, "note.key")
    os.rename(key, key + ".away")
    D.write_conf()
    err = start_fails("notes are sealed")
    assert "note.key does not exist" in err, err
    assert not os.path.exists(key), "a new key replaced the lost one"
    D.write_conf(store__note_key=os.path.join(D.dir, "gone.key"))
    start_fails("No such file")
    D.write_conf(store__note_key_credential="coachd-note")
    start_fails("CREDENTIALS_DIRECTORY")
    os.rename(key + ".away", key)
    D.write_conf()


def test_systemd_credential():
    """The key as a systemd credential: $CREDENTIALS_DIRECTORY/NAME."""
    cred = os.path.join(D.dir, "credentials")
    os.makedirs(cred, mode=0o700)
    path = os.path.join(cred, "coachd-note")
    with open(path, "w") as f:
        f.write(S["key"] + "\n")
    os.chmod(path, 0o400)
    D.write_conf(store__note_key_credential="coachd-note")
    os.environ["CREDENTIALS_DIRECTORY"] = cred
    try:
        D.start()
        assert notes(S["tok"]["coach"])[1] == (S["coach"], NOTE)
        D.stop()
    finally:
        del os.environ["CREDENTIALS_DIRECTORY"]
    D.write_conf()


def test_rotate_note_key():
    new = write_key("new.key")
    r = coachd("--rotate-note-key", write_key("loose2.key", 0o644))
    assert r.returncode != 0 and "group or others" in r.stderr, r.stderr
    r = coachd("--rotate-note-key", new)
    assert r.returncode == 0, r.stderr
    assert "2 note(s) re-sealed" in r.stdout, r.stdout
    assert "note_key = %s" % new in r.stdout, r.stdout
    for p in (D.db, D.db + "-wal"):
        if os.path.exists(p):
            assert_no_text(p)
    # the old key (note.key, still what the config names) no longer opens
    start_fails("note key does not match")
    D.write_conf(store__note_key=new)
    D.start()
    assert notes(S["tok"]["teacher"]) == [(S["coach"], LEGACY),
                                         (S["coach"], NOTE)]
    D.stop()
    # rotating to the key already in use is refused, nothing changes
    r = coachd("--rotate-note-key", new)
    assert r.returncode != 0 and "already" in r.stderr, r.stderr
    # the backup taken before rotation still needs the old key
    con = sqlite3.connect("file:%s?mode=ro" % S["backup"], uri=True)
    old_id = con.execute("SELECT key_id FROM note_seal").fetchone()[0]
    con.close()
    con = sqlite3.connect("file:%s?mode=ro" % D.db, uri=True)
    new_id = con.execute("SELECT key_id FROM note_seal").fetchone()[0]
    con.close()
    assert old_id != new_id and re.fullmatch(r"[0-9a-f]{16}", new_id)
    # the database stores the key's id only, never the key
    assert bytes.fromhex(raw(new).decode().strip()) not in raw(D.db)
    assert raw(new).strip() not in raw(D.db)


def test_body_moved_between_rows_does_not_open():
    """Swap the two sealed bodies: each names its own row in its
    associated data, so neither opens, and no text leaks in the error."""
    con = sqlite3.connect(D.db)
    (a, ba), (b, bb) = con.execute(
        "SELECT id, body FROM cycle_notes ORDER BY id").fetchall()
    con.execute("UPDATE cycle_notes SET body = ? WHERE id = ?", (bb, a))
    con.execute("UPDATE cycle_notes SET body = ? WHERE id = ?", (ba, b))
    con.commit()
    con.close()
    D.start()
    r = D.ctl("session", "note", "list", S["sid"], token=S["tok"]["coach"])
    assert r.returncode != 0, r.stdout
    assert "fails authentication" in r.stderr, r.stderr
    assert not [x for x in NEEDLES if x.decode() in r.stdout + r.stderr]
    D.stop()
    D.cleanup()


if __name__ == "__main__":
    h.main_steps([test_setup_legacy_database,
                  test_first_start_seals_plaintext_and_makes_key,
                  test_note_never_in_db_wal_or_backup,
                  test_wrong_key_refused_database_untouched,
                  test_missing_key_refused,
                  test_systemd_credential,
                  test_rotate_note_key,
                  test_body_moved_between_rows_does_not_open],
                 S, lambda: D)
