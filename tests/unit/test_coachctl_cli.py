#!/usr/bin/python3
"""coachctl's command line without a daemon: help, usage errors, settings
precedence, config file errors, and the exit codes of connection failures
(refused, not TLS, silent peer).  The daemon-backed tests live under
tests/integration/."""
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

BIN = os.path.join(os.environ.get("COACHD_BIN", "build/bin"), "coachctl")
FAILS = []


def run(args, env_extra=None, timeout=30):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACHCTL_")}
    env["HOME"] = HOME  # no personal config leaks into the test
    env.pop("XDG_CONFIG_HOME", None)
    if env_extra:
        env.update(env_extra)
    p = subprocess.run([BIN] + args, capture_output=True, text=True,
                       env=env, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def check(name, cond, detail=""):
    if not cond:
        FAILS.append(name)
        print("FAIL %s %s" % (name, detail))
    else:
        print("ok   %s" % name)


def expect(name, args, code, out_has=None, err_has=None, env=None,
           err_lacks=None):
    rc, out, err = run(args, env)
    ok = rc == code
    if out_has is not None:
        ok = ok and out_has in out
    if err_has is not None:
        ok = ok and err_has in err
    if err_lacks is not None:
        ok = ok and err_lacks not in err and err_lacks not in out
    check(name, ok, "rc=%d out=%r err=%r" % (rc, out[:300], err[:300]))
    return rc, out, err


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def listener(behaviour):
    """A plain TCP server on loopback: 'close' hangs up at once, 'silent'
    accepts and never answers."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    held = []

    def loop():
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            if behaviour == "close":
                c.sendall(b"HTTP/1.0 400 nope\r\n\r\n")
                c.close()
            else:
                held.append(c)
    threading.Thread(target=loop, daemon=True).start()
    return srv, srv.getsockname()[1]


def main():
    global HOME
    tmp = tempfile.mkdtemp(prefix="coachctl-cli-")
    HOME = tmp

    # Help at every level goes to stdout with status 0.
    expect("help", ["--help"], 0, out_has="exit status")
    expect("help lists nouns", ["--help"], 0, out_has="teacher")
    expect("noun help", ["coach", "--help"], 0, out_has="deactivate")
    expect("verb help", ["coach", "add", "--help"], 0,
           out_has="--expertise")
    expect("nested help", ["admin", "token", "--help"], 0,
           out_has="revoke")
    expect("version", ["--version"], 0, out_has="coachctl ")

    # Usage errors: 64, whatever the missing piece.
    expect("no args", [], 64, err_has="usage")
    expect("unknown noun", ["frobnicate"], 64, err_has="unknown noun")
    expect("missing verb", ["coach"], 64, err_has="verbs")
    expect("unknown verb", ["coach", "fly"], 64, err_has="unknown verb")
    expect("unknown option", ["coach", "list", "--colour"], 64,
           err_has="unknown option '--colour'")
    expect("required option", ["coach", "add", "--name", "A"], 64,
           err_has="--id is required")
    expect("missing value", ["coach", "add", "--id"], 64,
           err_has="needs a value")
    expect("too many args", ["coach", "show", "a", "b"], 64,
           err_has="unexpected argument 'b'")
    expect("missing positional", ["teacher", "show"], 64,
           err_has="missing argument")
    expect("repeat of single option", ["coach", "add", "--id", "a",
           "--id", "b", "--name", "x"], 64, err_has="more than once")
    expect("bad role", ["admin", "token", "create", "--role", "root",
           "--user", "x", "--server", "127.0.0.1:1"], 64,
           err_has="--role")
    expect("bad expertise level", ["coach", "add", "--id", "c1", "--name",
           "A", "--expertise", "math:7", "--server", "127.0.0.1:1"], 64,
           err_has="level must be 1, 2 or 3")
    expect("bad cap", ["coach", "add", "--id", "c1", "--name", "A",
           "--cap", "-3", "--server", "127.0.0.1:1"], 64, err_has="--cap")

    # Settings: nothing configured is a configuration error.
    expect("no server", ["ping"], 78, err_has="no server set")

    cfg = os.path.join(tmp, "bad.conf")
    with open(cfg, "w") as f:
        f.write("# comment\nserver = 127.0.0.1:1\ntoken = SECRET-TOKEN-42\n"
                "colour = blue\n")
    expect("unknown config key", ["--config", cfg, "ping"], 78,
           err_has=cfg + ":4: unknown key 'colour'",
           err_lacks="SECRET-TOKEN-42")
    with open(cfg, "w") as f:
        f.write("server\n")
    expect("config syntax", ["--config", cfg, "ping"], 78,
           err_has=cfg + ":1: expected key = value")
    expect("missing --config file", ["--config", os.path.join(tmp, "nope"),
           "ping"], 78, err_has="No such file")
    with open(cfg, "w") as f:
        f.write("timeout = forever\n")
    expect("bad timeout", ["--config", cfg, "ping"], 78, err_has=":1: timeout")

    # Precedence: file < environment < flags.  The port that answers
    # "refused" (69) tells which setting won; a bad value gives 78.
    dead = free_port()
    good = os.path.join(tmp, "good.conf")
    with open(good, "w") as f:
        f.write("server = 127.0.0.1:%d\n" % dead)
    expect("file server used", ["--config", good, "ping"], 69,
           err_has="127.0.0.1 port %d" % dead)
    expect("env beats file", ["--config", good, "ping"], 78,
           env={"COACHCTL_SERVER": "[::1"}, err_has="expected HOST:PORT")
    expect("flag beats env", ["--config", good, "--server",
           "127.0.0.1:%d" % dead, "ping"], 69,
           env={"COACHCTL_SERVER": "[::1"}, err_has="Connection refused")
    # The default file is read from $HOME/.config/coachctl/config.
    os.makedirs(os.path.join(tmp, ".config", "coachctl"))
    with open(os.path.join(tmp, ".config", "coachctl", "config"), "w") as f:
        f.write("server = 127.0.0.1:%d\nwhat = 1\n" % dead)
    expect("default config read", ["ping"], 78, err_has="config:2:")
    os.unlink(os.path.join(tmp, ".config", "coachctl", "config"))
    expect("global option after verb", ["ping", "--server",
           "127.0.0.1:%d" % dead, "--json"], 69)
    expect("global option between noun and verb", ["coach", "--server",
           "127.0.0.1:%d" % dead, "list"], 69)

    # Connection failures are 69, with the reason.
    srv, port = listener("close")
    expect("peer not speaking TLS", ["--server", "127.0.0.1:%d" % port,
           "ping"], 69, err_has="TLS handshake failed")
    srv.close()
    srv, port = listener("silent")
    t0 = time.monotonic()
    expect("silent peer times out", ["--server", "127.0.0.1:%d" % port,
           "--timeout", "1", "ping"], 69)
    check("timeout honoured", time.monotonic() - t0 < 15)
    srv.close()

    # Local input errors of an import come before any connection.
    expect("import missing dir", ["--server", "127.0.0.1:%d" % dead,
           "admin", "import", os.path.join(tmp, "nodir")], 66,
           err_has="orgs.csv")
    ca = os.path.join(tmp, "nope.pem")
    expect("unreadable CA", ["--server", "127.0.0.1:%d" % dead, "--ca", ca,
           "ping"], 78, err_has="ca " + ca)

    if FAILS:
        print("%d failed: %s" % (len(FAILS), ", ".join(FAILS)))
        return 1
    print("all passed")
    return 0


HOME = None
if __name__ == "__main__":
    sys.exit(main())
