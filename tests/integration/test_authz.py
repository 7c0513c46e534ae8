"""The whole authorisation table, walked over the real protocol.

The list of operations comes from daemon/rpc_ops.h (so an operation added
there is walked at once) and every one of them must have a row in the
table of docs/security.md whose "-" cells agree with the roles rpc_ops.h
grants.  Then every operation is sent by every kind of caller: an admin,
the coach of a cycle, a coach outside it, the cycle's teacher, another
teacher probing the first one's records, an admin-issued teacher token
(no note rights) and a connection before hello.  Refused calls get
FORBIDDEN or UNAUTHENTICATED and leave the database dump unchanged;
callers outside a record (the other coach, the other teacher) aimed at
the cycle's session, question and teacher never succeed and change
nothing; allowed calls are never refused by the table (a handler's own
record check may refuse an empty payload); no answer names the note text
to anyone but the cycle's coach and teacher, nor the teacher's question
text to another teacher or a stranger.
Run by ctest with /usr/bin/python3."""

import os
import re
import secrets
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

TAG = secrets.token_hex(6)
NOTE = "AUTHZNOTE-%s the coach worries about period 2" % TAG
QTEXT = "AUTHZQ-%s how do I stop freezing when observed" % TAG
NEEDLES = ("AUTHZNOTE-" + TAG, "AUTHZQ-" + TAG)

ROLE_BITS = {"AUTH_ADMIN": "admin", "AUTH_COACH": "coach",
             "AUTH_TEACHER": "teacher"}
# who -> role column of the table
CALLERS = {"admin": "admin", "coach": "coach", "other_coach": "coach",
           "teacher": "teacher", "other_teacher": "teacher",
           "issued_teacher": "teacher", "preauth": None}
# callers outside the cycle's records: must never succeed when aimed at them
PROBERS = ("other_coach", "other_teacher")

# ops that, aimed at the cycle's records, must fail for each prober
OUTSIDE = {
    "other_coach": ("session_note", "session_confirm", "session_decline",
                    "session_cancel", "session_reschedule"),
    "other_teacher": ("session_", "question_show", "question_history",
                      "question_withdraw", "question_topic", "teacher_get",
                      "feed_"),
}

# how rpc_dispatch words a refusal by the table; a handler's own record
# check (an empty payload names nobody's own record) may still say
# FORBIDDEN in its own words
TABLE_REFUSAL = re.compile(r"not allowed for role|carries no right|"
                           r"only on a new connection")

D = None
S = {}


def rpc_ops():
    """[(name, set of roles, preauth, notes)] from daemon/rpc_ops.h."""
    text = open(os.path.join(h.SRC, "daemon", "rpc_ops.h")).read()
    ops = []
    for m in re.finditer(r"^RPC_OP\((\w+),\s*(\w+),\s*([^,]+),\s*(\w+)\)",
                         text, re.M):
        bits = {b.strip() for b in m.group(3).split("|")}
        roles = set(ROLE_BITS.values()) if "AUTH_ANY" in bits else \
            {ROLE_BITS[b] for b in bits if b in ROLE_BITS}
        ops.append((m.group(2), roles, "AUTH_PREAUTH" in bits,
                    "AUTH_NOTES" in bits))
    assert len(ops) > 50, "rpc_ops.h not parsed"
    return ops


def doc_table():
    """op name -> {role: cell} from docs/security.md's table."""
    text = open(os.path.join(h.SRC, "docs", "security.md")).read()
    sec = text.split("## Authorisation table", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in sec.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("operation", "---"):
            continue
        for name in cells[0].split(","):
            rows[name.strip()] = dict(zip(("admin", "coach", "teacher"),
                                          cells[1:]))
    return rows


def dump():
    con = sqlite3.connect("file:%s?mode=ro" % D.db, uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def leaks(text):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return [n for n in NEEDLES if n in text]


def test_table_covers_every_op():
    rows = doc_table()
    for name, roles, preauth, _ in rpc_ops():
        assert name in rows, "docs/security.md has no row for " + name
        if preauth:
            continue
        for role in ("admin", "coach", "teacher"):
            refused = rows[name][role] == "-"
            assert refused == (role not in roles), \
                "%s/%s: table says %r, rpc_ops.h %s" % (
                    name, role, rows[name][role],
                    "allows" if role in roles else "refuses")


def test_setup():
    global D
    D = h.Daemon()
    D.start()
    _, frm, j = D.schedule_demo()
    assert j["placed"] >= 2, j
    ss = D.ctl_json("schedule", "--from", frm).get("sessions", [])
    s = ss[0]
    others = [x for x in ss if x["teacher"] != s["teacher"]]
    assert others, ss
    S.update(coach=s["coach"], teacher=s["teacher"], session=s["id"],
             other_teacher=others[0]["teacher"])
    con = sqlite3.connect("file:%s?mode=ro" % D.db, uri=True)
    S["other_coach"] = con.execute(
        "SELECT id FROM coaches WHERE id != ? ORDER BY id",
        (s["coach"],)).fetchone()[0]
    con.close()
    S["tok"] = {
        "admin": D.admin_token,
        "coach": D.enrol("coach", S["coach"]),
        "other_coach": D.enrol("coach", S["other_coach"]),
        "teacher": D.enrol("teacher", S["teacher"]),
        "other_teacher": D.enrol("teacher", S["other_teacher"]),
        "issued_teacher": D.token("teacher", S["teacher"]),
    }
    j = D.ctl_json("session", "note", "add", str(S["session"]), NOTE,
                   token=S["tok"]["coach"])
    assert j["text"] == NOTE, j
    j = D.ctl_json("question", "submit", QTEXT, token=S["tok"]["teacher"])
    S["question"] = j["id"]


def build(name, aimed):
    """A request for op `name`; aimed: its ids point at the cycle's
    records (session, question, teacher, coach), else left empty."""
    pb = h.pb2()
    req = pb.Request()
    msg = getattr(req, name)
    msg.SetInParent()
    if not aimed:
        return req
    fields = msg.DESCRIPTOR.fields_by_name
    for f, val in (("teacher", S["teacher"]), ("coach", S["coach"])):
        if f in fields and fields[f].type == fields[f].TYPE_STRING:
            setattr(msg, f, val)
    if "session" in fields and fields["session"].type != \
            fields["session"].TYPE_STRING:
        msg.session = S["session"]
    if "text" in fields and name.startswith("session_note"):
        msg.text = "probe"
    if "id" in fields:
        f = fields["id"]
        if f.type == f.TYPE_STRING:
            ids = {"teacher": S["teacher"], "coach": S["coach"]}
            msg.id = ids.get(name.split("_")[0], "")
        elif name.startswith("question"):
            msg.id = S["question"]
        elif name.startswith("session"):
            msg.id = S["session"]
    return req


class Caller:
    def __init__(self, who):
        self.who = who
        self.c = None

    def call(self, req):
        if self.c is None or self.who == "preauth":
            if self.c is not None:
                self.c.close()
            self.c = D.client()
            if self.who != "preauth":
                r = self.c.hello(S["tok"][self.who])
                assert r.status == self.c.pb.OK, (self.who, r.error)
        req.id = self.c.next_id
        self.c.next_id += 1
        self.c.send_raw(req.SerializeToString())
        r = self.c.recv()
        if r is None:                   # closed after answering: reconnect
            self.c = None
            return None
        if r.status in (self.c.pb.FORBIDDEN, self.c.pb.UNAUTHENTICATED) \
                and self.who == "preauth":
            self.c.close()
            self.c = None
        return r


def test_walk():
    pb = h.pb2()
    callers = {w: Caller(w) for w in CALLERS}
    failures = []
    walked = 0
    for name, roles, preauth, notes in rpc_ops():
        for who, role in CALLERS.items():
            if preauth:
                allowed = who == "preauth"
            else:
                allowed = role in roles and not (
                    notes and who == "issued_teacher")
            aimed = who in PROBERS or not allowed
            before = dump() if (aimed or not allowed) else None
            r = callers[who].call(build(name, aimed))
            walked += 1
            what = "%s as %s" % (name, who)
            if r is None:
                failures.append(what + ": connection closed, no answer")
                continue
            found = leaks(r.SerializeToString())
            # the note: its coach and teacher only (an admin-issued token
            # has no note rights); the question: whoever may see it, never
            # another teacher or a stranger
            if NEEDLES[0] in found and who not in ("coach", "teacher") or \
                    NEEDLES[1] in found and who in ("other_teacher",
                                                    "preauth"):
                failures.append("%s: answer names %s" % (what, found))
            if not allowed:
                if r.status not in (pb.FORBIDDEN, pb.UNAUTHENTICATED):
                    failures.append("%s: refused role got %s %r" % (
                        what, pb.Status.Name(r.status), r.error))
            elif r.status == pb.UNAUTHENTICATED or (
                    r.status == pb.FORBIDDEN and TABLE_REFUSAL.search(
                        r.error)):
                failures.append("%s: allowed role refused: %r" % (
                    what, r.error))
            if who in PROBERS and r.status == pb.OK and \
                    name.startswith(OUTSIDE[who]):
                failures.append("%s: outside the record, yet OK" % what)
            if before is not None and dump() != before:
                failures.append(what + ": changed the store")
    assert walked >= 7 * 50, walked
    assert not failures, "\n".join(failures)


def test_stop():
    D.stop()
    D.cleanup()


if __name__ == "__main__":
    h.main_steps([test_table_covers_every_op, test_setup, test_walk,
                  test_stop], S, lambda: D, stops=test_stop)
