"""The man pages document what the programs have: every coachctl command
and each of its options (from `coachctl --commands`, the command table
itself), every configuration key in its section (from `coachd
--config-keys`, the key table), every coachd and coach-solve option.
Checked in the scdoc sources and in the pages the build generated."""
import os
import re
import subprocess
import sys

BIN = os.environ["COACHD_BIN"]
SRC = os.environ["COACHD_SRC"]
BUILD = os.environ["COACHD_BUILD"]


def out(*cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 0, (cmd, r.stderr)
    return r.stdout


def scd(name):
    with open(os.path.join(SRC, "man", name + ".scd")) as f:
        return f.read()


def entries(text, head_re):
    """Split scdoc text into {heading: body} at lines matching head_re."""
    found, cur = {}, None
    for line in text.splitlines():
        m = re.match(head_re, line)
        if m:
            cur = m.group(1)
            found[cur] = ""
        elif cur is not None:
            found[cur] += line + "\n"
    return found


def test_coachctl_commands():
    lines = out(os.path.join(BIN, "coachctl"), "--commands").splitlines()
    assert len(lines) > 40, lines
    page = scd("coachctl.1")
    # each command: an entry "*coachctl PATH*" (then its arguments)
    cmds = entries(page, r"^\*coachctl ([a-z][a-z -]*)\*")
    errors = []
    for line in lines:
        path, opts = line.split("\t")
        names = [o.rstrip("=") for o in opts.split()]
        if path == "-":
            body = page.split("# GLOBAL OPTIONS", 1)[1].split("# ", 1)[0]
        elif path not in cmds:
            errors.append("coachctl %s: no entry" % path)
            continue
        else:
            body = cmds[path]
        for n in names:
            if "*%s*" % n not in body:
                errors.append("coachctl %s: %s not described" % (path, n))
    extra = set(cmds) - {ln.split("\t")[0] for ln in lines}
    errors += ["coachctl %s: documented but not a command" % p
               for p in sorted(extra)]
    assert not errors, "\n".join(errors)


def test_config_keys():
    keys = [ln.split("\t") for ln in
            out(os.path.join(BIN, "coachd"), "--config-keys").splitlines()]
    assert len(keys) > 30
    sections = entries(scd("coachd.conf.5"), r"^## \[(\w+)\]")
    errors = []
    for sec, key, typ, *_ in keys:
        body = sections.get(sec)
        if body is None:
            errors.append("[%s]: no section" % sec)
        elif not re.search(r"^\*%s\* = _%s_" % (re.escape(key),
                                              re.escape(typ)), body, re.M):
            errors.append("[%s] %s (%s): not documented" % (sec, key, typ))
    documented = {(s, k) for s, body in sections.items()
                  for k in re.findall(r"^\*(\w+)\* = ", body, re.M)}
    extra = documented - {(k[0], k[1]) for k in keys}
    errors += ["[%s] %s: documented but not a key" % e for e in sorted(extra)]
    assert not errors, "\n".join(errors)


def test_daemon_and_solver_options():
    usage = out(os.path.join(BIN, "coachd"), "--help")
    page = scd("coachd.8")
    for opt in sorted(set(re.findall(r"--[a-z-]+", usage))):
        assert "*%s*" % opt in page, "coachd.8: %s" % opt
    solve = scd("coach-solve.1")
    for cmd in re.findall(r"^  (\w+) ", out(os.path.join(BIN, "coach-solve"),
                                          "--help"), re.M):
        assert "*coach-solve %s*" % cmd in solve, cmd
        r = subprocess.run([os.path.join(BIN, "coach-solve"), cmd,
                            "--help"], capture_output=True, text=True)
        sub = r.stdout + r.stderr   # schedule prints its usage on stderr
        assert "usage: coach-solve %s" % cmd in sub, sub
        for opt in re.findall(r"--[a-z-]+", sub):
            assert "*%s*" % opt in solve, "coach-solve %s %s" % (cmd, opt)


def test_generated_pages():
    """The build turned every page into roff, with the same commands."""
    d = os.path.join(BUILD, "man")
    for page in ("coachd.8", "coachd.conf.5", "coachctl.1", "coach-solve.1"):
        path = os.path.join(d, page)
        assert os.path.isfile(path), "%s not generated" % path
        with open(path) as f:
            roff = f.read()
        assert roff.startswith(".\\\"") or ".TH" in roff[:400], page
        assert os.path.getmtime(path) >= os.path.getmtime(
            os.path.join(SRC, "man", page + ".scd")), "%s is stale" % page
    with open(os.path.join(d, "coachctl.1")) as f:
        roff = f.read()
    assert "coachctl admin token create" in roff


def main():
    failed = 0
    for t in (test_coachctl_commands, test_config_keys,
              test_daemon_and_solver_options, test_generated_pages):
        try:
            t()
            print("ok   %s" % t.__name__)
        except AssertionError as e:
            print("FAIL %s\n%s" % (t.__name__, e))
            failed += 1
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
