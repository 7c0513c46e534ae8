"""`cmake --install` into a staging folder (DESTDIR), as a packager runs
it: the FHS tree, the configuration and unit paths that follow the
prefix, an administrator's configuration kept on reinstall, the installed
programs and configuration working, the unit checked by systemd-analyze
(verify, and an exposure score of 2.0 or lower), the man pages rendering
and the installed bash completion offering the nouns."""
import os
import re
import shutil
import stat
import subprocess
import tempfile

import harness as h

BUILD = os.path.abspath(h.BUILD)


def project_version():
    with open(os.path.join(h.SRC, "CMakeLists.txt")) as f:
        return re.search(r"project\(coachd VERSION (\S+)", f.read()).group(1)


def cmake_install(stage, prefix):
    env = dict(os.environ, DESTDIR=stage)
    r = h.run(["cmake", "--install", BUILD, "--prefix", prefix], env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def unit_dir():
    """Where the build installs units: the cache's COACHD_SYSTEMD_UNITDIR."""
    with open(os.path.join(BUILD, "CMakeCache.txt")) as f:
        m = re.search(r"^COACHD_SYSTEMD_UNITDIR:\w+=(.*)$", f.read(), re.M)
    return m.group(1)


def staged(stage, path):
    return os.path.join(stage, path.lstrip("/"))


def read(path):
    with open(path) as f:
        return f.read()


def test_tree_prefix_usr():
    stage = tempfile.mkdtemp(prefix="coachd-stage-")
    try:
        cmake_install(stage, "/usr")
        units = unit_dir()
        if not os.path.isabs(units):
            units = "/usr/" + units
        want_exec = ["usr/sbin/coachd", "usr/bin/coachctl",
                     "usr/bin/coach-solve"]
        want = want_exec + [
            "etc/coachd/coachd.conf", "etc/coachd/topics.conf",
            "etc/coachd/categories.conf",
            units.lstrip("/") + "/coachd.service",
            "usr/share/man/man8/coachd.8", "usr/share/man/man5/coachd.conf.5",
            "usr/share/man/man1/coachctl.1",
            "usr/share/man/man1/coach-solve.1",
            "usr/share/bash-completion/completions/coachctl",
            "usr/share/zsh/vendor-completions/_coachctl",
            "usr/share/doc/coachd/README.md",
            "usr/share/doc/coachd/install.md",
            "usr/share/doc/coachd/examples/coachd.conf",
        ]
        missing = [p for p in want if not os.path.isfile(staged(stage, p))]
        assert not missing, "not installed: %s\ntree:\n%s" % (
            missing, "\n".join(sorted(
                os.path.relpath(os.path.join(d, f), stage)
                for d, _, fs in os.walk(stage) for f in fs)))
        for p in want_exec:
            mode = os.stat(staged(stage, p)).st_mode
            assert mode & stat.S_IXOTH, (p, oct(mode))
        # nothing lands in /usr/etc or outside the expected top folders
        assert not os.path.exists(staged(stage, "usr/etc"))
        tops = set(os.listdir(stage))
        assert tops <= {"usr", "etc", "lib"}, tops

        # sysusers.d and tmpfiles.d entries, wherever systemd keeps them
        sysusers = [os.path.join(d, f) for d, _, fs in os.walk(stage)
                    for f in fs if d.endswith("sysusers.d")]
        tmpfiles = [os.path.join(d, f) for d, _, fs in os.walk(stage)
                    for f in fs if d.endswith("tmpfiles.d")]
        assert len(sysusers) == 1 and len(tmpfiles) == 1, (sysusers,
                                                           tmpfiles)
        assert re.search(r"^u coachd - ", read(sysusers[0]), re.M)
        tf = read(tmpfiles[0])
        assert re.search(r"^d /var/lib/coachd 0700 coachd coachd", tf, re.M)
        assert re.search(r"^d /etc/coachd/tls 0750 root coachd", tf, re.M)

        # the unit: notify, the installed paths, the credential
        unit = read(staged(stage, units + "/coachd.service"))
        assert "@COACHD_" not in unit, unit
        assert re.search(r"^Type=notify$", unit, re.M)
        assert re.search(r"^ExecStart=/usr/sbin/coachd --config "
                         r"/etc/coachd/coachd.conf$", unit, re.M), unit
        assert re.search(r"^ExecReload=", unit, re.M)
        assert re.search(r"^User=coachd$", unit, re.M)
        assert re.search(r"^LoadCredential=server.key:"
                         r"/etc/coachd/tls/server.key$", unit, re.M)
        for d in ("StateDirectory", "ConfigurationDirectory",
                  "LogsDirectory"):
            assert re.search(r"^%s=coachd$" % d, unit, re.M), d

        # the configuration points at this install's files
        conf = read(staged(stage, "etc/coachd/coachd.conf"))
        assert re.search(r"^topics = /etc/coachd/topics.conf$", conf, re.M)
        assert re.search(r"^categories = /etc/coachd/categories.conf$",
                         conf, re.M)
        check_installed_programs(stage)
        check_installed_config(stage)
        check_systemd_analyze(stage, units)
        check_man_pages(stage)
        check_bash_completion(stage)
        check_reinstall_keeps_config(stage)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def check_installed_programs(stage):
    v = project_version()
    for prog, p in (("coachd", "usr/sbin/coachd"),
                    ("coachctl", "usr/bin/coachctl"),
                    ("coach-solve", "usr/bin/coach-solve")):
        r = h.run([staged(stage, p), "--version"])
        assert r.returncode == 0 and r.stdout == "%s %s\n" % (prog, v), \
            (prog, r.stdout, r.stderr)


def check_installed_config(stage):
    """The installed coachd.conf, topics and categories pass
    --check-config once its absolute paths point into the stage and its
    TLS files at a test certificate."""
    tmp = tempfile.mkdtemp(prefix="coachd-inst-conf-")
    try:
        pki = h.make_pki(os.path.join(tmp, "pki"))
        text = read(staged(stage, "etc/coachd/coachd.conf"))
        text = text.replace("/etc/coachd/tls/server.crt",
                            os.path.join(pki, "server.crt"))
        text = text.replace("/etc/coachd/tls/server.key",
                            os.path.join(pki, "server.key"))
        text = text.replace("/etc/coachd/", staged(stage, "etc/coachd/"))
        text = text.replace("/var/lib/coachd/", tmp + "/")
        path = os.path.join(tmp, "coachd.conf")
        with open(path, "w") as f:
            f.write(text)
        r = h.run([staged(stage, "usr/sbin/coachd"), "--check-config",
                   "--config", path])
        assert r.returncode == 0, r.stdout + r.stderr
        assert "configuration OK" in r.stdout
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_systemd_analyze(stage, units):
    sa = shutil.which("systemd-analyze")
    if sa is None:
        print("skip: systemd-analyze not installed")
        return
    unit = staged(stage, units + "/coachd.service")
    r = h.run([sa, "security", "--offline=true", unit])
    m = re.search(r"Overall exposure level for coachd.service: ([\d.]+)",
                  r.stdout)
    assert m, r.stdout + r.stderr
    assert float(m.group(1)) <= 2.0, r.stdout
    # verify checks that ExecStart= runs something: point it at the
    # staged binary; every other line stays as installed.
    tmp = tempfile.mkdtemp(prefix="coachd-verify-")
    try:
        text = read(unit).replace("ExecStart=/usr/sbin/coachd",
                                  "ExecStart=" + staged(stage,
                                                        "usr/sbin/coachd"))
        path = os.path.join(tmp, "coachd.service")
        with open(path, "w") as f:
            f.write(text)
        r = h.run([sa, "verify", "--man=no", path])
        assert r.returncode == 0 and r.stderr.strip() == "", \
            r.stdout + r.stderr
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_man_pages(stage):
    if shutil.which("man") is None:
        print("skip: man not installed")
        return
    for page in ("man8/coachd.8", "man5/coachd.conf.5", "man1/coachctl.1",
                 "man1/coach-solve.1"):
        path = staged(stage, "usr/share/man/" + page)
        r = h.run(["man", "--warnings", "-l", path],
                  env=dict(os.environ, MANPAGER="cat", MANWIDTH="80"))
        assert r.returncode == 0, (page, r.stderr)
        assert r.stderr.strip() == "", (page, r.stderr)
        name = os.path.basename(page).rsplit(".", 1)[0]
        assert re.search(r"^NAME\n\s+%s - " % re.escape(name), r.stdout,
                         re.M), (page, r.stdout[:400])


def check_bash_completion(stage):
    """The installed completion, run against the installed coachctl."""
    comp = staged(stage, "usr/share/bash-completion/completions/coachctl")
    script = ('source "%s"; COMP_WORDS=(coachctl ""); COMP_CWORD=1; '
              '_coachctl; printf "%%s\\n" "${COMPREPLY[@]}"' % comp)
    env = dict(os.environ, PATH=staged(stage, "usr/bin") + ":" +
               os.environ["PATH"])
    r = h.run(["bash", "--norc", "-c", script], env=env)
    assert r.returncode == 0, r.stderr
    got = set(r.stdout.split())
    assert {"question", "queue", "admin", "session", "feed"} <= got, got


def check_reinstall_keeps_config(stage):
    """An administrator's coachd.conf survives a reinstall; the shipped
    one goes next to it as coachd.conf.dist."""
    conf = staged(stage, "etc/coachd/coachd.conf")
    with open(conf, "a") as f:
        f.write("# edited by the administrator\n")
    cmake_install(stage, "/usr")
    assert read(conf).endswith("# edited by the administrator\n")
    dist = read(conf + ".dist")
    assert "edited by the administrator" not in dist
    assert "[server]" in dist


def test_prefix_usr_local():
    """Another prefix: the configuration goes under it (PREFIX/etc), and
    the unit and the configuration name the paths of that install."""
    stage = tempfile.mkdtemp(prefix="coachd-stage-local-")
    try:
        cmake_install(stage, "/usr/local")
        assert os.path.isfile(staged(stage, "usr/local/sbin/coachd"))
        conf = read(staged(stage, "usr/local/etc/coachd/coachd.conf"))
        assert re.search(r"^topics = /usr/local/etc/coachd/topics.conf$",
                         conf, re.M), conf
        assert not os.path.exists(staged(stage, "etc/coachd"))
        units = unit_dir()
        if not os.path.isabs(units):
            units = "/usr/local/" + units
        unit = read(staged(stage, units + "/coachd.service"))
        assert re.search(r"^ExecStart=/usr/local/sbin/coachd --config "
                         r"/usr/local/etc/coachd/coachd.conf$", unit,
                         re.M), unit
        assert os.path.isfile(staged(
            stage, "usr/local/share/man/man1/coachctl.1"))
    finally:
        shutil.rmtree(stage, ignore_errors=True)


if __name__ == "__main__":
    h.main([test_tree_prefix_usr, test_prefix_usr_local])
