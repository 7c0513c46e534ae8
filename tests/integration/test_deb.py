"""The Debian package (`cpack -G DEB`, cmake/package.cmake): built from
this build, its control data and contents checked, its dependencies all
installable here, installed with dpkg into a throwaway root (never onto
this machine), where the maintainer scripts make the coachd user and
folders; then the coachd installed there starts, serves the coachctl
installed there, and stops cleanly; removing keeps the configuration,
purging removes it."""
import os
import re
import shutil
import tempfile

import harness as h

BUILD = os.path.abspath(h.BUILD)


def build_deb(out):
    r = h.run(["cpack", "-G", "DEB", "--config",
               os.path.join(BUILD, "CPackConfig.cmake"), "-B", out], cwd=out)
    assert r.returncode == 0, r.stdout + r.stderr
    debs = [f for f in os.listdir(out) if f.endswith(".deb")]
    assert len(debs) == 1, os.listdir(out)
    return os.path.join(out, debs[0])


def dpkg(root, *args):
    """dpkg on the throwaway root only.  The maintainer scripts run on this
    machine with DPKG_ROOT set (--force-script-chrootless) and must keep
    to that root."""
    return h.run(["dpkg", "--root=" + root, "--log=/dev/null",
                  "--force-depends", "--force-script-chrootless"] +
                 list(args))


def new_root(tmp):
    root = os.path.join(tmp, "root")
    for d in ("var/lib/dpkg/info", "var/lib/dpkg/updates"):
        os.makedirs(os.path.join(root, d))
    for f in ("var/lib/dpkg/status", "var/lib/dpkg/available"):
        open(os.path.join(root, f), "w").close()
    return root


def check_control(deb):
    r = h.run(["dpkg-deb", "-f", deb])
    assert r.returncode == 0, r.stderr
    fields = dict(re.findall(r"^(\S+): (.*)$", r.stdout, re.M))
    assert fields["Package"] == "coachd", fields
    with open(os.path.join(h.SRC, "CMakeLists.txt")) as f:
        version = re.search(r"project\(coachd VERSION (\S+)",
                            f.read()).group(1)
    assert fields["Version"] == version, fields
    deps = [d.strip().split()[0] for d in fields["Depends"].split(",")]
    for lib in ("libevent-2.1-7", "libsqlite3-0", "libssl3", "libical3",
                "systemd"):
        assert lib in deps, (lib, deps)
    # every dependency is a package this Debian has installed
    for d in deps:
        q = h.run(["dpkg-query", "-W", "-f=${Status}", d])
        assert "install ok installed" in q.stdout, (d, q.stdout, q.stderr)

    r = h.run(["dpkg-deb", "-c", deb])
    files = {ln.split()[-1] for ln in r.stdout.splitlines()}
    for f in ("./usr/sbin/coachd", "./usr/bin/coachctl",
              "./usr/bin/coach-solve", "./etc/coachd/coachd.conf",
              "./usr/share/man/man8/coachd.8",
              "./usr/share/bash-completion/completions/coachctl"):
        assert f in files, (f, sorted(files))
    assert any(f.endswith("/systemd/system/coachd.service") for f in files)

    ctl = tempfile.mkdtemp(prefix="coachd-deb-ctl-")
    try:
        r = h.run(["dpkg-deb", "-e", deb, ctl])
        assert r.returncode == 0, r.stderr
        with open(os.path.join(ctl, "conffiles")) as f:
            conffiles = set(f.read().split())
        assert conffiles == {"/etc/coachd/coachd.conf",
                             "/etc/coachd/topics.conf",
                             "/etc/coachd/categories.conf"}, conffiles
        for s in ("postinst", "prerm", "postrm"):
            mode = os.stat(os.path.join(ctl, s)).st_mode & 0o777
            assert mode == 0o755, (s, oct(mode))
    finally:
        shutil.rmtree(ctl, ignore_errors=True)


def run_installed(root):
    """The installed coachd and coachctl, with the installed topics and
    categories, on a test certificate and database."""
    bindir = os.path.join(root, "testbin")
    os.makedirs(bindir)
    os.symlink(os.path.join(root, "usr/sbin/coachd"),
               os.path.join(bindir, "coachd"))
    os.symlink(os.path.join(root, "usr/bin/coachctl"),
               os.path.join(bindir, "coachctl"))
    etc = os.path.join(root, "etc/coachd")
    saved = h.BIN
    h.BIN = bindir
    d = None
    try:
        d = h.Daemon(extra_conf="[queue]\ntopics = %s/topics.conf\n"
                     "[caps]\ncategories = %s/categories.conf\n" % (etc, etc))
        d.start()
        d.ctl("ping", check=0)
        # a write: committed by the installed daemon, shown back to us
        r = d.ctl("admin", "token", "create", "--role", "admin", "--user",
                  "deb-admin", check=0)
        assert re.search(r"^token: \S+$", r.stdout, re.M), r.stdout
        assert "deb-admin" in d.ctl("admin", "token", "list",
                                    check=0).stdout
        d.stop()
    finally:
        h.BIN = saved
        if d is not None:
            d.cleanup()


def test_deb():
    tmp = tempfile.mkdtemp(prefix="coachd-deb-")
    try:
        deb = build_deb(tmp)
        check_control(deb)
        root = new_root(tmp)
        r = dpkg(root, "-i", deb)
        assert r.returncode == 0, r.stdout + r.stderr
        # postinst: the coachd user (sysusers.d) and its folders
        with open(os.path.join(root, "etc/passwd")) as f:
            assert re.search(r"^coachd:x:\d+:\d+:", f.read(), re.M)
        st = os.stat(os.path.join(root, "var/lib/coachd"))
        assert st.st_mode & 0o777 == 0o700, oct(st.st_mode)
        r = h.run([os.path.join(root, "usr/sbin/coachd"), "--version"])
        assert r.returncode == 0 and r.stdout.startswith("coachd "), r
        run_installed(root)

        conf = os.path.join(root, "etc/coachd/coachd.conf")
        r = dpkg(root, "-r", "coachd")
        assert r.returncode == 0, r.stdout + r.stderr
        assert not os.path.exists(os.path.join(root, "usr/sbin/coachd"))
        assert os.path.exists(conf), "remove must keep the conffiles"
        r = dpkg(root, "--purge", "coachd")
        assert r.returncode == 0, r.stdout + r.stderr
        assert not os.path.exists(conf), "purge removes the conffiles"
        # the district's database folder is never removed by the package
        assert os.path.isdir(os.path.join(root, "var/lib/coachd"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    h.main([test_deb])
