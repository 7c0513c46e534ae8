"""coachd --check-config: good configs pass; each kind of bad config is
refused with "file:line: what is wrong" and a non-zero exit.  coachd
--config-keys: the key table, which conf/coachd.conf documents."""
import os
import re
import shutil
import tempfile

import harness as h

GOOD = """[server]
listen = 127.0.0.1:7443
max_frame = 1M
idle_timeout = 5m
[tls]
cert = pki/server.crt
key = pki/server.key
[store]
path = coachd.db
[district]
timezone = America/New_York
"""


def check(tmp, text):
    path = os.path.join(tmp, "c.conf")
    with open(path, "w") as f:
        f.write(text)
    r = h.run([os.path.join(h.BIN, "coachd"), "--check-config", "--config",
               path])
    return r, path


def test_check_config():
    tmp = tempfile.mkdtemp(prefix="coachd-conf-")
    try:
        h.make_pki(os.path.join(tmp, "pki"))
        r, path = check(tmp, GOOD)
        assert r.returncode == 0, r.stderr
        # the shipped example must at least parse up to its TLS files
        r = h.run([os.path.join(h.BIN, "coachd"), "--check-config",
                   "--config", os.path.join(h.SRC, "conf", "coachd.conf")])
        assert "server.crt" in r.stderr, r.stderr
        bad = [
            (GOOD.replace("max_frame = 1M", "max_frame = lots"), 3,
             "not a size"),
            (GOOD.replace("idle_timeout = 5m", "idel_timeout = 5m"), 4,
             "unknown key 'idel_timeout' in [server]"),
            (GOOD + "[bogus]\nx = 1\n", 13, "unknown section [bogus]"),
            (GOOD.replace("America/New_York", "Mars/Olympus"), 11,
             "not an IANA time zone"),
            (GOOD.replace("listen = 127.0.0.1:7443", "listen = 127.0.0.1"),
             2, "not host:port"),
            (GOOD.replace("listen = 127.0.0.1:7443",
                          "listen = 127.0.0.1:99999"), 2, "out of range"),
            ("stray line without equals\n" + GOOD, 1, "syntax error"),
        ]
        for text, line, words in bad:
            r, path = check(tmp, text)
            assert r.returncode != 0, text
            want = "%s:%d: " % (path, line)
            assert want in r.stderr and words in r.stderr, \
                (want, words, r.stderr)
        r, path = check(tmp, GOOD.replace("cert = pki/server.crt\n", ""))
        assert r.returncode != 0 and "cert and key are required" in r.stderr
        r, path = check(tmp, GOOD.replace("pki/server.key", "pki/nope.key"))
        assert r.returncode != 0 and "nope.key" in r.stderr
    finally:
        shutil.rmtree(tmp)


def conf_keys(path):
    """(section, key) of every `key = value` line of a config file and of
    every `#key = value` line (a key shown without being set); prose
    comments start with '# '."""
    keys, section = [], None
    with open(path) as f:
        for line in f:
            m = re.match(r"\[([a-z]+)\]\s*$", line)
            if m:
                section = m.group(1)
                continue
            m = re.match(r"#?([A-Za-z][A-Za-z0-9_-]*)\s*=", line)
            if m:
                keys.append((section, m.group(1)))
    return keys


def test_keys_documented():
    """conf/coachd.conf shows every key of the key table, each once, and no
    key the table lacks; every row has a type, a default and a doc line."""
    r = h.run([os.path.join(h.BIN, "coachd"), "--config-keys"])
    assert r.returncode == 0 and r.stdout, r.stderr
    table = []
    for line in r.stdout.splitlines():
        section, key, kind, default, doc = line.split("\t")
        assert section and key and kind and default and doc, line
        table.append((section, key))
    assert len(set(table)) == len(table), table
    doc = conf_keys(os.path.join(h.SRC, "conf", "coachd.conf"))
    assert len(set(doc)) == len(doc), doc
    missing = [k for k in table if k not in doc]
    unknown = [k for k in doc if k not in table]
    assert not missing, ("keys conf/coachd.conf does not show", missing)
    assert not unknown, ("keys coachd does not know", unknown)


if __name__ == "__main__":
    h.main([test_check_config, test_keys_documented])
