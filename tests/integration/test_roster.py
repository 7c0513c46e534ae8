"""Roster over the real protocol with the real coachctl: CRUD of schools,
coaches and teachers, tokens, OneRoster import (all-or-nothing,
idempotent), coachctl exit codes, and nothing acknowledged lost across
restarts."""
import json
import os
import re
import shutil
import sqlite3
import threading

import harness as h


def gen_small(tmp):
    return h.gen_district(os.path.join(tmp, "district"), small=True)


def counts(result):
    return {c["kind"]: c for c in result.get("counts", [])}


def t_crud_and_exit_codes(d):
    d.ctl("school", "add", "--id", "lin", "--name", "Lincoln ES", "--kind",
          "elementary", check=0)
    # duplicate add: conflict, exit 67, message names the id
    r = d.ctl("school", "add", "--id", "lin", "--name", "Again", check=67)
    assert "lin" in r.stderr
    d.ctl("coach", "add", "--id", "c-lee", "--name", "Mr Lee", "--email",
          "lee@example.org", "--expertise", "math:3,literacy:1",
          "--interest", "math-discourse", "--cap", "12", "--school", "lin",
          check=0)
    d.ctl("teacher", "add", "--id", "t-ortiz", "--name", "Ms Ortiz",
          "--school", "lin", "--subject", "Math", "--grade", "4", check=0)
    c = d.ctl_json("coach", "show", "c-lee")
    c = c.get("coach", c)
    assert c["name"] == "Mr Lee" and c["caseloadCap" if "caseloadCap" in c
                                      else "caseload_cap"] == 12
    # bad values: clear errors, nothing changed
    r = d.ctl("coach", "add", "--id", "c-bad", "--name", "X",
              "--expertise", "math:4", "--school", "lin")
    assert r.returncode in (64, 65) and "level" in r.stderr, r.stderr
    r = d.ctl("teacher", "add", "--id", "t-x", "--name", "X", "--school",
              "nowhere")
    assert r.returncode in (65, 66) and "nowhere" in r.stderr, r.stderr
    ids = [t["id"] for t in d.ctl_json("teacher", "list").get(
        "teachers", [])]
    assert ids == ["t-ortiz"], ids
    # unknown id: exit 66
    r = d.ctl("teacher", "show", "t-nobody", check=66)
    assert "t-nobody" in r.stderr
    # usage error: exit 64
    d.ctl("school", "frobnicate", check=64)
    d.ctl("coach", "add", "--name", "no id", check=64)
    # bad token: exit 77
    r = d.ctl("whoami", token="cd1_wrong", check=77)
    # deactivate keeps the record but hides it from default lists
    d.ctl("teacher", "deactivate", "t-ortiz", check=0)
    assert d.ctl_json("teacher", "list").get("teachers", []) == []
    # human tables by default
    r = d.ctl("coach", "list", check=0)
    assert "c-lee" in r.stdout and "Mr Lee" in r.stdout


def t_tokens_and_roles(d):
    d.ctl("school", "add", "--id", "lin", "--name", "Lincoln", check=0)
    d.ctl("coach", "add", "--id", "c-lee", "--name", "Mr Lee", "--school",
          "lin", "--cap", "10", check=0)
    r0 = r = d.ctl("admin", "token", "create", "--role", "coach", "--user",
                   "c-lee", check=0)
    tok = [w for w in r.stdout.split() if w.startswith("cd1_")][0]
    who = d.ctl_json("whoami", token=tok)
    who = who.get("principal", who)
    assert who["user"] == "c-lee"
    # a coach may not add schools or create tokens
    d.ctl("school", "add", "--id", "x", "--name", "X", token=tok, check=77)
    d.ctl("admin", "token", "create", "--role", "admin", "--user", "evil",
          token=tok, check=77)
    # tokens for unknown users are refused
    r = d.ctl("admin", "token", "create", "--role", "teacher", "--user",
              "t-ghost")
    assert r.returncode in (65, 66) and "t-ghost" in r.stderr
    # the token list never shows secrets
    r = d.ctl("--json", "admin", "token", "list", check=0)
    assert tok not in r.stdout
    # ... but shows who issued each token: a token for a person lets the
    # issuer act as them, so every issuance is on record
    tid = re.search(r"^id: +(tk_\S+)$", r0.stdout, re.M).group(1)
    by = {t["id"]: (t["user"], t.get("created_by", ""))
          for t in json.loads(r.stdout)["tokens"]}
    assert by[tid] == ("c-lee", "root"), by
    assert ("root", "coachd --init-admin") in by.values(), by
    r = d.ctl("admin", "token", "list", check=0)
    assert "CREATED BY" in r.stdout.splitlines()[0], r.stdout
    row = [ln for ln in r.stdout.splitlines() if tid in ln]
    assert len(row) == 1 and " root " in row[0] + " ", r.stdout
    # and in the log at info level, without the secret
    d.wait_log("admin root issued a coach token %s for c-lee" % tid)
    assert not any(tok in ln or tok[4:] in ln for ln in d.log)


def t_import_idempotent_and_all_or_nothing(d):
    src = gen_small(d.dir)
    first = d.ctl_json("admin", "import", src)
    c1 = counts(first.get("import", first))
    assert c1["teachers"]["added"] > 5, c1
    assert c1["schools"]["added"] >= 2, c1
    teachers = d.ctl_json("teacher", "list").get("teachers", [])
    assert len(teachers) == c1["teachers"]["added"]
    # the same data again changes nothing
    again = counts(d.ctl_json("admin", "import", src).get("import", {}))
    for kind, c in again.items():
        assert c.get("added", 0) == 0 and c.get("updated", 0) == 0, again
    # a bad row anywhere aborts the whole import with file:line: reason
    bad = os.path.join(d.dir, "bad")
    shutil.copytree(src, bad)
    with open(os.path.join(bad, "users.csv")) as f:
        lines = f.read().splitlines()
    # rename a teacher (would be an update) and break a later row
    for i, line in enumerate(lines):
        if ",teacher," in line:
            lines[i] = line.replace(",teacher,", ",teacher,", 1)
            first_teacher = i
            break
    cols = lines[first_teacher].split(",")
    cols[8] = "Renamed"
    lines[first_teacher] = ",".join(cols)
    lines.append("broken-row,,,maybe,rbu-es-lincoln,teacher")
    with open(os.path.join(bad, "users.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    r = d.ctl("admin", "import", bad)
    assert r.returncode == 65, (r.returncode, r.stderr)
    assert "users.csv:%d:" % len(lines) in r.stderr, r.stderr
    after = d.ctl_json("teacher", "list").get("teachers", [])
    assert after == teachers, "a failed import changed data"
    # survive a restart
    d.restart()
    assert d.ctl_json("teacher", "list").get("teachers", []) == teachers


def without_users(src, dst, gone, deleted):
    """A copy of the roster folder src where the users in `gone` have no
    rows at all and those in `deleted` are marked tobedeleted (their
    enrolments too; coachd's own timetable.csv has no status column)."""
    shutil.copytree(src, dst)
    for name in ("users.csv", "enrollments.csv", "timetable.csv"):
        path = os.path.join(dst, name)
        if not os.path.exists(path):
            continue
        with open(path) as f:
            lines = f.read().splitlines()
        head = lines[0].split(",")
        out = [lines[0]]
        for ln in lines[1:]:
            cols = ln.split(",")
            if set(cols) & set(gone):
                continue
            if set(cols) & set(deleted):
                if "status" not in head:
                    continue
                cols[head.index("status")] = "tobedeleted"
            out.append(",".join(cols))
        with open(path, "w") as f:
            f.write("\n".join(out) + "\n")


def active(d, tid):
    return d.ctl_json("teacher", "show", tid).get("active", False)


def t_import_deactivate_missing(d):
    """--deactivate-missing: a bulk export is the whole roster.  Imported
    teachers it no longer lists are deactivated and named (not on a dry
    run, not without the flag); hand-made teachers stay; the teacher
    coming back in a later export is active again."""
    src = gen_small(d.dir)
    d.ctl("admin", "import", src, check=0)
    teachers = d.ctl_json("teacher", "list").get("teachers", [])
    gone, deleted = teachers[3]["id"], teachers[5]["id"]
    d.ctl("teacher", "add", "--id", "by-hand", "--name", "Hand Made",
          "--school", teachers[0]["school"], check=0)
    less = os.path.join(d.dir, "less")
    without_users(src, less, [gone], [deleted])

    r = d.ctl("admin", "import", "--dry-run", "--deactivate-missing", less,
              check=0)
    assert "deactivated (not in this roster): teacher %s\n" % gone in \
        r.stdout and "by-hand" not in r.stdout, r.stdout
    assert active(d, gone), "a dry run deactivated"
    j = d.ctl_json("admin", "import", less)
    assert not j.get("deactivated") and active(d, gone), j

    j = d.ctl_json("admin", "import", "--deactivate-missing", less)
    assert j.get("deactivated") == sorted(["teacher " + gone,
                                           "teacher " + deleted]), j
    assert counts(j)["teachers"]["deactivated"] == 2, j
    assert not counts(j)["schools"].get("deactivated"), j
    assert not active(d, gone) and not active(d, deleted)
    assert active(d, "by-hand")
    d.restart()
    assert not active(d, gone), "deactivation lost across a restart"
    j = d.ctl_json("admin", "import", "--deactivate-missing", less)
    assert not j.get("deactivated"), j
    # back in the next export: active again, counted as an update
    j = d.ctl_json("admin", "import", "--deactivate-missing", src)
    assert active(d, gone) and active(d, deleted), j
    assert counts(j)["teachers"]["updated"] == 2, j


def t_import_keeps_new_teacher(d):
    """new_teacher is coachd's, not the roster's: a re-import that changes
    an imported teacher's name keeps the flag an admin set."""
    src = gen_small(d.dir)
    d.ctl("admin", "import", src, check=0)
    tid = d.ctl_json("teacher", "list")["teachers"][2]["id"]
    d.ctl("teacher", "update", "--id", tid, "--new-teacher", "yes", check=0)
    users = os.path.join(src, "users.csv")
    with open(users) as f:
        lines = f.read().splitlines()
    head = lines[0].split(",")
    for i, ln in enumerate(lines):
        cols = ln.split(",")
        if cols[head.index("sourcedId")] == tid:
            cols[head.index("givenName")] = "Renamed"
            lines[i] = ",".join(cols)
    with open(users, "w") as f:
        f.write("\n".join(lines) + "\n")
    j = d.ctl_json("admin", "import", src)
    assert counts(j)["teachers"]["updated"] == 1, j
    t = d.ctl_json("teacher", "show", tid)
    assert t["name"].startswith("Renamed") and t["new_teacher"] is True, t


def t_backup_while_running(d):
    """coachd --backup FILE copies the database while the daemon runs and
    writes: the copy passes SQLite's integrity check, is mode 0600, holds
    what was committed, never overwrites, and restoring it works."""
    d.ctl("school", "add", "--id", "bk1", "--name", "Before", check=0)
    stop = threading.Event()

    def writer():          # keep the daemon committing during the copy
        i = 0
        while not stop.is_set():
            d.ctl("school", "add", "--id", "w%d" % i, "--name", "W")
            i += 1
    th = threading.Thread(target=writer)
    th.start()
    out = os.path.join(d.dir, "backup.db")
    try:
        r = h.run([os.path.join(h.BIN, "coachd"), "--backup", out,
                   "--config", d.conf])
    finally:
        stop.set()
        th.join()
    assert r.returncode == 0 and "copied to " + out in r.stdout, r.stderr
    assert os.stat(out).st_mode & 0o777 == 0o600
    con = sqlite3.connect(out)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT name FROM schools WHERE id = 'bk1'"
                       ).fetchone() == ("Before",)
    con.close()
    size = os.path.getsize(out)
    r = h.run([os.path.join(h.BIN, "coachd"), "--backup", out, "--config",
               d.conf])
    assert r.returncode != 0 and "File exists" in r.stderr and \
        out in r.stderr, r.stderr
    assert os.path.getsize(out) == size
    # restore: stop, put the copy in place, start; later writes are gone
    d.ctl("school", "add", "--id", "bk2", "--name", "After", check=0)
    d.stop()
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(d.db + ext):
            os.unlink(d.db + ext)
    shutil.copy(out, d.db)
    d.start()
    ids = {s["id"] for s in d.ctl_json("school", "list").get("schools", [])}
    assert "bk1" in ids and "bk2" not in ids, sorted(ids)


def t_missing_import_folder(d):
    r = d.ctl("admin", "import", os.path.join(d.dir, "nope"))
    assert r.returncode == 66, (r.returncode, r.stderr)


if __name__ == "__main__":
    h.main([h.with_daemon(f) for f in [
        t_crud_and_exit_codes, t_tokens_and_roles,
        t_import_idempotent_and_all_or_nothing, t_import_deactivate_missing,
        t_import_keeps_new_teacher, t_backup_while_running,
        t_missing_import_folder]])
