"""Wire protocol over real TLS, driven by an independent Python client
written from docs/protocol.md: hello by token and by client certificate,
refusals, framing limits, pipelining, timeouts, reload and durability."""
import os
import signal
import socket
import ssl
import struct
import time

import harness as h


def t_hello_token_and_query(d):
    c = d.client()
    r = c.hello(d.admin_token)
    assert r.status == h.pb2().OK, r
    assert r.hello.principal.user == "root"
    assert r.hello.principal.role == h.pb2().ADMIN
    assert r.hello.district_timezone == "America/Chicago"
    r = c.call(whoami=h.pb2().Empty())
    assert r.status == h.pb2().OK and r.principal.user == "root"
    r = c.call(school_list=h.pb2().ListRequest())
    assert r.status == h.pb2().OK, r.error
    c.close()


def t_bad_token_refused_and_closed(d):
    c = d.client()
    r = c.hello("cd1_not-a-real-token")
    assert r.status == h.pb2().UNAUTHENTICATED, r
    assert "token" in r.error
    assert c.closed()


def t_request_before_hello(d):
    c = d.client()
    r = c.call(ping=h.pb2().Empty())
    assert r.status == h.pb2().UNAUTHENTICATED
    assert "hello" in r.error
    assert c.closed()


def t_protocol_version_mismatch(d):
    c = d.client()
    r = c.call(hello=h.pb2().Hello(protocol_version=99,
                                   token=d.admin_token))
    assert r.status == h.pb2().UNSUPPORTED and "99" in r.error


def t_oversized_frame(d):
    c = d.client()
    assert c.hello(d.admin_token).status == h.pb2().OK
    # Declares 2 MiB against the 1 MiB default: refused before reading it.
    c.sock.sendall(struct.pack(">I", 2 * 1024 * 1024) + b"x" * 100)
    r = c.recv()
    assert r.status == h.pb2().TOO_LARGE, r
    assert "2097152" in r.error and "1048576" in r.error
    assert c.closed()


def t_malformed_frame(d):
    c = d.client()
    assert c.hello(d.admin_token).status == h.pb2().OK
    c.send_raw(b"\xff\xff\xff\xff\x0f garbage")
    r = c.recv()
    assert r.status == h.pb2().BAD_REQUEST, r
    assert "malformed" in r.error
    assert c.closed()
    # the daemon is still serving
    c2 = d.client()
    assert c2.hello(d.admin_token).status == h.pb2().OK


def t_unknown_operation(d):
    c = d.client()
    assert c.hello(d.admin_token).status == h.pb2().OK
    r = c.call()   # a Request with no operation set
    assert r.status == h.pb2().UNSUPPORTED, r
    assert c.call(ping=h.pb2().Empty()).status == h.pb2().OK


def t_pipelining_in_order(d):
    c = d.client()
    ids = [c.send(hello=h.pb2().Hello(protocol_version=1,
                                      token=d.admin_token))]
    pb = h.pb2()
    for i in range(200):
        school = pb.School(id="s%03d" % i, name="School %d" % i, kind="high")
        ids.append(c.send(school_add=pb.SchoolPut(school=school)))
    for rid in ids:
        r = c.recv()
        assert r.id == rid and r.status == pb.OK, (rid, r)
    r = c.call(school_list=pb.ListRequest())
    assert len(r.schools.schools) == 200


def t_role_is_enforced(d):
    pb = h.pb2()
    c = d.client()
    c.hello(d.admin_token)
    c.call(school_add=pb.SchoolPut(school=pb.School(id="lin", name="Lincoln")))
    r = c.call(teacher_add=pb.TeacherPut(teacher=pb.Teacher(
        id="t1", name="Maria Ortiz", school="lin")))
    assert r.status == pb.OK, r.error
    r = c.call(token_create=pb.TokenCreate(role=pb.TEACHER, user="t1"))
    assert r.status == pb.OK, r.error
    tok = r.token_created.token
    t = d.client()
    assert t.hello(tok).hello.principal.role == pb.TEACHER
    r = t.call(school_add=pb.SchoolPut(school=pb.School(id="x", name="X")))
    assert r.status == pb.FORBIDDEN and "teacher" in r.error, r
    r = t.call(school_list=pb.ListRequest())
    assert r.status == pb.OK
    assert len(r.schools.schools) == 1   # nothing was added
    # revoking the token ends logins with it
    tid = c.call(token_list=pb.ListRequest()).tokens.tokens
    tid = [x.id for x in tid if x.user == "t1"][0]
    assert c.call(token_revoke=pb.IdRequest(id=tid)).status == pb.OK
    assert d.client().hello(tok).status == pb.UNAUTHENTICATED


def t_client_certificate_login(d):
    pb = h.pb2()
    c = d.client(cert="root")
    r = c.hello("")
    assert r.status == pb.OK, r.error
    assert r.hello.principal.user == "root"
    # a certificate for a user the store does not know is refused
    c = d.client(cert="stranger")
    r = c.hello("")
    assert r.status == pb.UNAUTHENTICATED and "stranger" in r.error


def t_handshake_timeout(d):
    # A TCP connection that never starts TLS is closed after the timeout.
    s = socket.create_connection(("127.0.0.1", d.port))
    s.settimeout(30 * h.SLOW)
    start = time.time()
    assert s.recv(1) == b""
    assert time.time() - start < 20 * h.SLOW


def t_idle_timeout(d):
    d.stop()
    d.write_conf(server__idle_timeout="1s")
    d.start()
    c = d.client()
    assert c.hello(d.admin_token).status == h.pb2().OK
    c.sock.settimeout(20 * h.SLOW)
    start = time.time()
    assert c.closed()
    assert 0.5 < time.time() - start < 10 * h.SLOW
    d.wait_log("idle timeout")
    d.stop()
    d.write_conf()
    d.start()


def t_durable_after_kill(d):
    """Every acknowledged write survives SIGKILL right after the reply."""
    pb = h.pb2()
    c = d.client()
    c.hello(d.admin_token)
    ids = [c.send(school_add=pb.SchoolPut(school=pb.School(
        id="k%d" % i, name="Kill %d" % i))) for i in range(50)]
    for rid in ids:
        assert c.recv().status == pb.OK
    d.kill()
    d.start()
    c = d.client()
    c.hello(d.admin_token)
    r = c.call(school_list=pb.ListRequest())
    assert sorted(s.id for s in r.schools.schools) == \
        sorted("k%d" % i for i in range(50))


def t_sighup_reload_and_graceful_stop(d):
    pb = h.pb2()
    c = d.client()
    c.hello(d.admin_token)
    d.write_conf(server__idle_timeout="2s", district__name="Renamed")
    d.proc.send_signal(signal.SIGHUP)
    d.wait_log("reloaded")
    # bad config on SIGHUP keeps the running one
    with open(d.conf, "a") as f:
        f.write("bogus_key = 1\n")
    d.proc.send_signal(signal.SIGHUP)
    d.wait_log("keeping the running")
    assert c.call(ping=pb.Empty()).status == pb.OK
    d.write_conf()


def t_sigterm_finishes_inflight(d):
    """Requests already sent when SIGTERM arrives are answered, committed
    and flushed before coachd exits 0."""
    pb = h.pb2()
    c = d.client()
    c.hello(d.admin_token)
    ids = [c.send(school_add=pb.SchoolPut(school=pb.School(
        id="g%d" % i, name="Graceful %d" % i))) for i in range(300)]
    d.proc.send_signal(signal.SIGTERM)
    got = 0
    while True:
        r = c.recv()
        if r is None:
            break
        assert r.status == pb.OK and r.id == ids[got], r
        got += 1
    assert d.proc.wait(timeout=30 * h.SLOW) == 0
    d.proc = None
    d.start()
    c = d.client()
    c.hello(d.admin_token)
    n = len(c.call(school_list=pb.ListRequest()).schools.schools)
    # every acknowledged write is there; nothing unacknowledged half-done
    assert n == got, (n, got)
    assert got > 0


def t_connection_limit(d):
    """At max_connections the listener pauses: a further client waits in
    the accept queue and is served as soon as a slot frees."""
    d.stop()
    d.write_conf(server__max_connections="2")
    d.start()
    pb = h.pb2()
    a, b = d.client(), d.client()
    assert a.hello(d.admin_token).status == pb.OK
    assert b.hello(d.admin_token).status == pb.OK
    d.wait_log("connection limit 2 reached")
    raw = socket.create_connection(("127.0.0.1", d.port))
    raw.settimeout(1)
    ctx = ssl.create_default_context(cafile=os.path.join(d.pki, "ca.crt"))
    try:
        ctx.wrap_socket(raw, server_hostname="localhost")
        assert False, "third connection was served above the limit"
    except (socket.timeout, TimeoutError):
        pass
    raw.close()
    a.close()
    c = d.client()
    assert c.hello(d.admin_token).status == pb.OK
    d.stop()
    d.write_conf()
    d.start()


tests = [h.with_daemon(f, clients=("root", "stranger")) for f in [
    t_hello_token_and_query, t_bad_token_refused_and_closed,
    t_request_before_hello, t_protocol_version_mismatch, t_oversized_frame,
    t_malformed_frame, t_unknown_operation, t_pipelining_in_order,
    t_role_is_enforced, t_client_certificate_login, t_handshake_timeout, t_idle_timeout,
    t_durable_after_kill, t_sighup_reload_and_graceful_stop,
    t_sigterm_finishes_inflight, t_connection_limit]]

if __name__ == "__main__":
    h.main(tests)
