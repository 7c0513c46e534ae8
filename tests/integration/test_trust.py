"""Separation of administration and confidentiality, and revocation, over
the real protocol with the real coachd and coachctl: admin-issued coach
and teacher tokens read no notes; one-time enrolment codes (single use,
expiring, revocable) are redeemed by the person for a token no admin sees;
a revoked token or a deactivated user is refused on the connection that
was already open, and the user's feed URL answers 410; a certificate CN
held in two roles names nobody; --init-admin refuses a store that has an
administrator."""
import json
import os
import re
import secrets
import sqlite3
import time

import harness as h

FEEDS_CONF = "[feeds]\nlisten = 127.0.0.1:0\nretention = 30d\n"
TAG = secrets.token_hex(6)
NOTE = "TRUST-%s the teacher's own words" % TAG

D = None
S = {}


def pb():
    return h.pb2()


def cert_for(cn):
    """A client certificate for cn from the daemon's own test CA."""
    d = D.pki
    h.openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
              "-nodes", "-subj", "/CN=" + cn, "-keyout", cn + ".key",
              "-out", cn + ".csr", cwd=d)
    h.openssl("x509", "-req", "-in", cn + ".csr", "-CA", "ca.crt", "-CAkey",
              "ca.key", "-CAcreateserial", "-days", "2", "-out", cn + ".crt",
              cwd=d)
    return cn


def admin_enrol(user, *extra):
    r = D.ctl("admin", "enrol", "--user", user, *extra, check=0)
    code = re.search(r"^code: (\S+)$", r.stdout, re.M).group(1)
    cid = re.search(r"^id: +(\S+)$", r.stdout, re.M).group(1)
    return code, cid


def redeem(code, conf, check=0):
    return D.ctl("--config", conf, "enrol", code, check=check)


def token_in(conf):
    with open(conf) as f:
        m = re.search(r"^token = (\S+)$", f.read(), re.M)
    return m.group(1) if m else None


def token_id_of(user, role):
    """Newest unrevoked token id of (role, user), from the admin's list."""
    j = D.ctl_json("admin", "token", "list")
    ids = [t["id"] for t in j["tokens"] if t["user"] == user
           and str(t["role"]).lower() == role]
    assert ids, j
    return ids[-1]


def ping(c):
    return c.call(ping=pb().Empty())


# ---- steps ------------------------------------------------------------------

def test_setup_district_with_cycles():
    global D
    D = h.Daemon(extra_conf=FEEDS_CONF)
    D.start()
    _, frm, j = D.schedule_demo()
    assert j["placed"] >= 2, j
    ss = [s for s in D.ctl_json("schedule", "--from", frm)["sessions"]
          if s.get("cycle")]
    s = ss[0]
    S.update(session=str(s["id"]), coach=s["coach"], teacher=s["teacher"])
    con = sqlite3.connect("file:%s?mode=ro" % D.db, uri=True)
    busy = {x["teacher"] for x in ss} | {x["coach"] for x in ss}
    S["spare_teachers"] = [r[0] for r in con.execute(
        "SELECT id FROM teachers WHERE active ORDER BY id") if r[0] not in busy]
    S["spare_coaches"] = [r[0] for r in con.execute(
        "SELECT id FROM coaches WHERE active ORDER BY id") if r[0] not in busy]
    con.close()
    for i in (1, 2):            # coaches of no cycle, to revoke and retire
        cid = "spare-coach-%d" % i
        D.ctl("coach", "add", "--id", cid, "--name", "Spare %d" % i,
              "--school", "rbu-es-lincoln", check=0)
        S["spare_coaches"].append(cid)
    assert len(S["spare_teachers"]) >= 2 and len(S["spare_coaches"]) >= 2, S
    S["port"] = D.feed_port()


def test_admin_issued_tokens_read_no_notes():
    """The attack of the issue: an admin issues themself a token for the
    teacher (and the coach) and lists the notes.  Refused, and says why."""
    for role, user in (("teacher", S["teacher"]), ("coach", S["coach"])):
        tok = D.token(role, user)
        r = D.ctl("session", "note", "list", S["session"], token=tok,
                  check=77)
        assert "issued by an administrator" in r.stderr, r.stderr
        assert "coachctl enrol" in r.stderr, r.stderr
        r = D.ctl("session", "note", "add", S["session"], "by admin " + TAG,
                  token=tok, check=77)
        # everything else still works with it
        D.ctl("schedule", token=tok, check=0)
        j = D.ctl_json("whoami", token=tok)
        assert j["user"] == user and not j.get("note_rights"), j
    # the independent client gets the same answer
    c = D.client()
    assert c.hello(D.token("teacher", S["teacher"])).status == pb().OK
    sp = h.pb2()
    import sched_pb2
    r = c.call(session_note_list=sched_pb2.SchedSessionRef(
        id=int(S["session"])))
    assert r.status == sp.FORBIDDEN and "administrator" in r.error, r
    c.close()


def test_enrolment_gives_the_person_note_rights():
    conf_t = os.path.join(D.dir, "teacher.conf")
    conf_c = os.path.join(D.dir, "coach.conf")
    for conf in (conf_t, conf_c):
        with open(conf, "w") as f:
            f.write("# own settings\ntimeout = 30\n")
    code, cid = admin_enrol(S["teacher"], "--expires", "1h")
    assert code.startswith("en1_") and cid.startswith("en_"), (code, cid)
    r = redeem(code, conf_t)
    assert "saved to" in r.stdout and code not in r.stdout, r.stdout
    tt = token_in(conf_t)
    assert tt and tt.startswith("cd1_"), tt
    with open(conf_t) as f:
        assert "timeout = 30" in f.read()           # the rest is kept
    assert os.stat(conf_t).st_mode & 0o077 == 0      # 0600
    code_c, _ = admin_enrol(S["coach"])
    redeem(code_c, conf_c)
    ct = token_in(conf_c)
    j = D.ctl_json("whoami", token=tt)
    assert j["user"] == S["teacher"] and j["note_rights"] is True, j
    c = D.client()
    r = c.hello(tt)
    assert r.status == pb().OK and r.hello.principal.note_rights, r
    c.close()
    # the enrolled tokens read and write the cycle's notes
    D.ctl("session", "note", "add", S["session"], NOTE, token=ct, check=0)
    for tok in (tt, ct):
        notes = D.ctl_json("session", "note", "list", S["session"],
                           token=tok)["notes"]
        assert [n["text"] for n in notes] == [NOTE], notes
    S.update(tt=tt, ct=ct, code=code, cid=cid, conf_t=conf_t)


def test_enrolment_code_works_once():
    conf = os.path.join(D.dir, "again.conf")
    open(conf, "w").close()
    r = redeem(S["code"], conf, check=77)
    assert "already used" in r.stderr, r.stderr
    assert token_in(conf) is None
    # the server closes a connection whose redemption failed
    c = D.client()
    r = c.call(enrol_redeem=pb().EnrolRedeem(code=S["code"]))
    assert r.status == pb().UNAUTHENTICATED and "already used" in r.error
    assert c.closed()
    # unknown codes likewise
    c = D.client()
    r = c.call(enrol_redeem=pb().EnrolRedeem(code="en1_" + "A" * 24))
    assert r.status == pb().UNAUTHENTICATED and "unknown" in r.error, r
    assert c.closed()
    # and redemption is for connections nobody authenticated yet
    c = D.client()
    assert c.hello(D.admin_token).status == pb().OK
    code, _ = admin_enrol(S["spare_teachers"][0])
    r = c.call(enrol_redeem=pb().EnrolRedeem(code=code))
    assert r.status == pb().FORBIDDEN and "before hello" in r.error, r
    c.close()
    S["unused_code"] = code


def test_enrolment_code_expires_and_revokes():
    code, _ = admin_enrol(S["spare_teachers"][0], "--expires", "1s")
    time.sleep(2.2)
    conf = os.path.join(D.dir, "late.conf")
    open(conf, "w").close()
    r = redeem(code, conf, check=77)
    assert "expired" in r.stderr, r.stderr
    code, cid = admin_enrol(S["spare_teachers"][0])
    D.ctl("admin", "enrol-revoke", cid, check=0)
    r = redeem(code, conf, check=77)
    assert "revoked" in r.stderr, r.stderr
    D.ctl("admin", "enrol-revoke", cid, check=67)      # twice: conflict
    D.ctl("admin", "enrol-revoke", S["cid"], check=67)  # used: conflict
    D.ctl("admin", "enrol", "--user", "no-such-person", check=66)
    D.ctl("admin", "enrol", "--user", S["teacher"], "--expires", "soon",
          check=64)
    # only admins issue codes
    D.ctl("admin", "enrol", "--user", S["teacher"], token=S["tt"], check=77)
    assert token_in(conf) is None


def test_admin_never_sees_the_enrolled_token():
    outs = []
    for args in (("admin", "token", "list", "--all"),
                 ("admin", "enrolments")):
        for js in (False, True):
            outs.append(D.ctl(*args, json=js, check=0).stdout)
    text = "\n".join(outs)
    for secret in (S["tt"], S["ct"], S["code"], S["unused_code"]):
        assert secret not in text, "an admin listing shows a secret"
        assert secret not in "".join(D.log), "the log shows a secret"
    toks = json.loads(D.ctl("admin", "token", "list", json=True,
                            check=0).stdout)["tokens"]
    mine = [t for t in toks if t["user"] == S["teacher"]
            and t.get("note_rights")]
    assert len(mine) == 1 and mine[0]["created_by"].startswith(
        "enrolment en_"), mine
    codes = json.loads(D.ctl("admin", "enrolments", json=True,
                             check=0).stdout)["codes"]
    used = [c for c in codes if c["id"] == S["cid"]][0]
    assert used["token_id"] == mine[0]["id"] and int(used["used"]) > 0, used
    # the database keeps hashes only
    con = sqlite3.connect("file:%s?mode=ro" % D.db, uri=True)
    dump = "\n".join(con.iterdump())
    con.close()
    assert S["code"] not in dump and S["tt"] not in dump


def test_revoked_token_fails_on_open_connection():
    tok = D.token("coach", S["spare_coaches"][0])
    c = D.client()
    assert c.hello(tok).status == pb().OK
    assert ping(c).status == pb().OK
    D.ctl("admin", "token", "revoke",
          token_id_of(S["spare_coaches"][0], "coach"), check=0)
    r = ping(c)
    assert r.status == pb().UNAUTHENTICATED, r
    assert "no longer valid" in r.error, r.error
    assert c.closed()
    # the enrolled token too, and a fresh connection is refused at hello
    tid = [t["id"] for t in D.ctl_json("admin", "token", "list")["tokens"]
           if t["user"] == S["coach"] and t.get("note_rights")][0]
    c = D.client()
    assert c.hello(S["ct"]).status == pb().OK
    D.ctl("admin", "token", "revoke", tid, check=0)
    r = ping(c)
    assert r.status == pb().UNAUTHENTICATED, r
    assert c.closed()
    assert D.client().hello(S["ct"]).status == pb().UNAUTHENTICATED
    # other connections carry on
    c = D.client()
    assert c.hello(S["tt"]).status == pb().OK and ping(c).status == pb().OK
    c.close()


def test_deactivated_user_fails_and_feed_gone():
    t = S["spare_teachers"][1]
    tok = D.token("teacher", t)
    url = D.ctl_json("feed", "url", token=tok)["https_url"]
    status, _, _ = D.fetch_feed(url)
    assert status == 200
    c = D.client()
    assert c.hello(tok).status == pb().OK
    assert ping(c).status == pb().OK
    D.ctl("teacher", "deactivate", t, check=0)
    r = ping(c)
    assert r.status == pb().UNAUTHENTICATED and t in r.error, r
    assert c.closed()
    status, _, body = D.fetch_feed(url)
    assert status == 410, (status, body)
    # a coach on a certificate, deactivated: the same
    co = S["spare_coaches"][1]
    cert_for(co)
    c = D.client(cert=co)
    r = c.hello("")
    assert r.status == pb().OK and r.hello.principal.user == co, r
    assert not r.hello.principal.note_rights
    D.ctl("coach", "deactivate", co, check=0)
    r = ping(c)
    assert r.status == pb().UNAUTHENTICATED and "certificate" in r.error, r
    assert c.closed()
    # and the feed stays gone after a restart
    D.restart()
    status, _, _ = D.fetch_feed(url.replace(
        ":%d/" % S["port"], ":%d/" % D.feed_port()))
    assert status == 410


def test_certificates_carry_no_note_rights():
    cert_for(S["teacher"])
    c = D.client(cert=S["teacher"])
    r = c.hello("")
    assert r.status == pb().OK and r.hello.principal.user == S["teacher"]
    import sched_pb2
    r = c.call(session_note_list=sched_pb2.SchedSessionRef(
        id=int(S["session"])))
    assert r.status == pb().FORBIDDEN and "certificate" in r.error, r
    c.close()


def test_cn_role_confusion():
    """An id held by an admin and a coach: no role is guessed."""
    # an admin may not take a coach's id ...
    r = D.ctl("admin", "token", "create", "--role", "admin", "--user",
              S["coach"], check=65)
    assert "administrator needs an id of their own" in r.stderr, r.stderr
    # ... but the coach may arrive after the admin (an import, coach add)
    D.ctl("admin", "token", "create", "--role", "admin", "--user",
          "dual-" + TAG, check=0)
    D.ctl("coach", "add", "--id", "dual-" + TAG, "--name", "Dual Person",
          "--school", "rbu-es-lincoln", check=0)
    cert_for("dual-" + TAG)
    c = D.client(cert="dual-" + TAG)
    r = c.hello("")
    assert r.status == pb().UNAUTHENTICATED, r
    assert "both an admin and a coach" in r.error, r.error
    assert c.closed()


def test_init_admin_gate():
    D.stop()
    r = h.run([os.path.join(h.BIN, "coachd"), "--config", D.conf,
               "--init-admin", "mallory"])
    assert r.returncode != 0 and "already has" in r.stderr, r
    assert "token:" not in r.stdout
    r = h.run([os.path.join(h.BIN, "coachd"), "--config", D.conf,
               "--init-admin", "rescue", "--force"])
    assert r.returncode == 0 and "token: cd1_" in r.stdout, r
    D.cleanup()


if __name__ == "__main__":
    h.main_steps([
        test_setup_district_with_cycles,
        test_admin_issued_tokens_read_no_notes,
        test_enrolment_gives_the_person_note_rights,
        test_enrolment_code_works_once,
        test_enrolment_code_expires_and_revokes,
        test_admin_never_sees_the_enrolled_token,
        test_revoked_token_fails_on_open_connection,
        test_deactivated_user_fails_and_feed_gone,
        test_certificates_carry_no_note_rights,
        test_cn_role_confusion,
        test_init_admin_gate,
    ], S, lambda: D, stops=test_init_admin_gate)
