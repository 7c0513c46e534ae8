"""TLS policy of both of coachd's ports, the coachctl protocol port and
the HTTPS feed listener, tested with Python's ssl module as an
independent client: a client offering only CBC suites on TLS 1.2 is
refused; an AEAD suite with ECDHE works; TLS 1.2 without restrictions
gets an AEAD suite; a default client gets TLS 1.3.  And [tls] crl: a
client certificate the CA revoked is refused, another one from the same
CA still logs in, and a CRL reissued with one more revocation takes
effect on SIGHUP.  Run by ctest with /usr/bin/python3."""

import os
import signal
import socket
import ssl
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

FEEDS_CONF = "[feeds]\nlisten = 127.0.0.1:0\n"
# Every CBC suite an ECDSA or RSA server could pick on TLS 1.2, with
# and without forward secrecy, SHA-1 and SHA-2 MACs.
CBC = ("ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:"
       "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:"
       "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:"
       "ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:"
       "AES128-SHA:AES256-SHA:AES128-SHA256:AES256-SHA256")
AEAD = "ECDHE-ECDSA-AES128-GCM-SHA256"
CA_CNF = """[ca]
default_ca = ca_default
[ca_default]
database = index.txt
crlnumber = crlnumber
certificate = ca.crt
private_key = ca.key
default_md = sha256
default_crl_days = 2
"""


def context(d, ciphers=None, max12=False):
    ctx = ssl.create_default_context(cafile=os.path.join(d.pki, "ca.crt"))
    if max12:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if ciphers:
        ctx.set_ciphers(ciphers)
    return ctx


def handshake(port, ctx):
    """(TLS version, cipher name) or the ssl.SSLError of the handshake."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=10 * h.SLOW)
    try:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            return s.version(), s.cipher()[0]
    except ssl.SSLError as e:
        return e
    finally:
        raw.close()


def ports(d):
    return {"protocol": d.port, "feeds": d.feed_port()}


def t_cbc_refused_on_both_ports(d):
    for name, port in ports(d).items():
        r = handshake(port, context(d, CBC, max12=True))
        assert isinstance(r, ssl.SSLError), \
            "%s port accepted a CBC suite: %s" % (name, r)


def t_aead_on_both_ports(d):
    for name, port in ports(d).items():
        assert handshake(port, context(d, AEAD, max12=True)) == (
            "TLSv1.2", AEAD), name
        chacha = handshake(port, context(
            d, "ECDHE-ECDSA-CHACHA20-POLY1305", max12=True))
        assert chacha == ("TLSv1.2", "ECDHE-ECDSA-CHACHA20-POLY1305"), \
            (name, chacha)
        # a TLS 1.2 client offering everything it has still gets AEAD
        v, c = handshake(port, context(d, "ALL:@SECLEVEL=0", max12=True))
        assert v == "TLSv1.2" and ("GCM" in c or "CHACHA20" in c), \
            (name, c)
        # a default client gets TLS 1.3
        v, c = handshake(port, context(d))
        assert v == "TLSv1.3", (name, v, c)


def make_revoked(d):
    """Three more client certificates for user root from the test CA,
    one of them revoked in pki/ca.crl; [tls] crl names the CRL."""
    pki = d.pki
    for cn, f in (("root", "revoked"), ("root", "kept"), ("root", "fresh")):
        h.openssl("req", "-newkey", "ec", "-pkeyopt",
                  "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + cn,
                  "-keyout", f + ".key", "-out", f + ".csr", cwd=pki)
        h.openssl("x509", "-req", "-in", f + ".csr", "-CA", "ca.crt",
                  "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                  "-out", f + ".crt", cwd=pki)
    with open(os.path.join(pki, "ca.cnf"), "w") as f:
        f.write(CA_CNF)
    open(os.path.join(pki, "index.txt"), "w").close()
    with open(os.path.join(pki, "crlnumber"), "w") as f:
        f.write("1000\n")
    h.openssl("ca", "-config", "ca.cnf", "-revoke", "revoked.crt", cwd=pki)
    h.openssl("ca", "-config", "ca.cnf", "-gencrl", "-out", "ca.crl",
              cwd=pki)
    d.write_conf(tls__crl="pki/ca.crl")


def login(d, cert):
    """hello with only a client certificate: the reply, or the error."""
    try:
        c = d.client(cert=cert)
        r = c.hello("")
        c.close()
        return r
    except (ssl.SSLError, ConnectionError, AssertionError, OSError) as e:
        return e


def t_revoked_client_certificate_refused(d):
    pb = h.pb2()
    r = login(d, "kept")
    assert not isinstance(r, Exception) and r.status == pb.OK, r
    assert r.hello.principal.user == "root"
    # the handshake fails (TLS 1.3: the client learns it on first read)
    r = login(d, "revoked")
    assert isinstance(r, Exception), "a revoked certificate got a " \
        "reply: %s" % r
    d.wait_log("certificate verify failed")
    # a token login is not affected by the CRL
    c = d.client()
    assert c.hello(d.admin_token).status == pb.OK
    c.close()
    # a new CRL takes effect on SIGHUP, for new connections
    h.openssl("ca", "-config", "ca.cnf", "-revoke", "kept.crt", cwd=d.pki)
    h.openssl("ca", "-config", "ca.cnf", "-gencrl", "-out", "ca.crl",
              cwd=d.pki)
    d.proc.send_signal(signal.SIGHUP)
    d.wait_log("SIGHUP: configuration and certificates reloaded")
    assert isinstance(login(d, "kept"), Exception)
    assert login(d, "fresh").status == pb.OK    # never revoked


def t_crl_needs_client_ca(d):
    """[tls] crl without client_ca, or a file that is no CRL, is a start-
    up error naming it."""
    d.stop()
    d.write_conf(tls__client_ca=None, tls__crl="pki/ca.crl")
    r = h.run([os.path.join(h.BIN, "coachd"), "--config", d.conf])
    assert r.returncode != 0 and "client_ca" in r.stderr, r.stderr
    d.write_conf(tls__crl="pki/ca.crt")
    r = h.run([os.path.join(h.BIN, "coachd"), "--config", d.conf])
    assert r.returncode != 0 and "CRL" in r.stderr, r.stderr
    d.write_conf(tls__crl="pki/ca.crl")
    d.start()


if __name__ == "__main__":
    h.main([
        h.with_daemon(t_cbc_refused_on_both_ports, extra_conf=FEEDS_CONF),
        h.with_daemon(t_aead_on_both_ports, extra_conf=FEEDS_CONF),
        h.with_daemon(t_revoked_client_certificate_refused,
                      prepare=make_revoked),
        h.with_daemon(t_crl_needs_client_ca, prepare=make_revoked),
    ])
