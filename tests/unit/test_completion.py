"""bash and zsh completion of coachctl (completion/), run against the
built coachctl: nouns, verbs, nested verbs, options of the command being
typed (after global options and option values), files for the file
options.  bash runs the real completion function with COMP_WORDS set as
readline sets it; zsh runs _coachctl with compadd/_files stand-ins that
print what would be offered."""
import os
import shutil
import subprocess
import sys
import tempfile

BIN = os.environ["COACHD_BIN"]
SRC = os.environ["COACHD_SRC"]
ENV = dict(os.environ, PATH=os.path.abspath(BIN) + ":" + os.environ["PATH"])


def nouns():
    r = subprocess.run([os.path.join(BIN, "coachctl"), "--help"],
                       capture_output=True, text=True)
    block = r.stdout.split("nouns:\n", 1)[1].split("\n\n", 1)[0]
    return {ln.split()[0] for ln in block.splitlines()}


def bash_complete(*words, cwd=None):
    """What bash would offer for the command line `words` (the last one
    being the word under the cursor)."""
    quoted = " ".join("'%s'" % w for w in words)
    script = ('source "%s/completion/coachctl.bash"; COMP_WORDS=(%s); '
              'COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _coachctl; '
              'printf "%%s\\n" "${COMPREPLY[@]}"' % (SRC, quoted))
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", script],
                       capture_output=True, text=True, env=ENV, cwd=cwd)
    assert r.returncode == 0, r.stderr
    assert r.stderr == "", r.stderr
    return set(r.stdout.split())


def zsh_complete(*words):
    quoted = " ".join("'%s'" % w for w in words)
    script = '''
compadd() { while [[ $1 != -- ]]; do shift; done; shift; print -rl -- "$@"; }
_files() { print -r -- "<files $*>"; }
source "%s/completion/_coachctl" >/dev/null
words=(%s); CURRENT=${#words}
_coachctl
''' % (SRC, quoted)
    r = subprocess.run(["zsh", "-f", "-c", script], capture_output=True,
                       text=True, env=ENV)
    assert r.returncode == 0, r.stderr
    return set(r.stdout.split("\n")) - {""}


def test_bash():
    want = nouns()
    assert len(want) >= 10, want
    assert bash_complete("coachctl", "") == want
    assert bash_complete("coachctl", "qu") == {"question", "queue"}
    assert bash_complete("coachctl", "admin", "") >= {
        "token", "import", "assign", "schedule", "caps", "calendar"}
    assert bash_complete("coachctl", "admin", "token", "") == {
        "create", "revoke", "list"}
    assert bash_complete("coachctl", "session", "note", "") == {"add",
                                                                "list"}
    # global options and their values are skipped on the way
    assert bash_complete("coachctl", "--server", "h:1", "--json", "admin",
                         "token", "") == {"create", "revoke", "list"}
    opts = bash_complete("coachctl", "admin", "token", "create", "--")
    assert {"--role", "--user", "--label", "--json", "--server"} <= opts
    assert "--dry-run" not in opts        # another command's option
    assert bash_complete("coachctl", "admin", "token", "create", "--role",
                         "coach", "--u") == {"--user"}
    # a command that takes no verb offers no words, only its options
    assert bash_complete("coachctl", "caps", "") == set()
    assert "--coach" in bash_complete("coachctl", "caps", "--")
    # files where a file is asked for
    tmp = tempfile.mkdtemp(prefix="coachd-compl-")
    try:
        open(os.path.join(tmp, "ca.crt"), "w").close()
        os.mkdir(os.path.join(tmp, "roster"))
        assert bash_complete("coachctl", "--ca", "c", cwd=tmp) == {"ca.crt"}
        assert bash_complete("coachctl", "admin", "import", "",
                             cwd=tmp) == {"roster"}
        # an option value that is not a file gets nothing
        assert bash_complete("coachctl", "admin", "token", "create",
                             "--role", "", cwd=tmp) == set()
    finally:
        shutil.rmtree(tmp)


def test_zsh():
    if shutil.which("zsh") is None:
        print("skip: zsh not installed")
        return
    r = subprocess.run(["zsh", "-n", os.path.join(SRC, "completion",
                                                  "_coachctl")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    with open(os.path.join(SRC, "completion", "_coachctl")) as f:
        assert f.readline().strip() == "#compdef coachctl"
    assert zsh_complete("coachctl", "") == nouns()
    assert zsh_complete("coachctl", "admin", "token", "") == {
        "create", "revoke", "list"}
    assert zsh_complete("coachctl", "--json", "session", "note", "") == {
        "add", "list"}
    opts = zsh_complete("coachctl", "admin", "token", "create", "--")
    assert {"--role", "--user", "--label", "--json"} <= opts, opts
    assert "--dry-run" not in opts
    assert zsh_complete("coachctl", "--ca", "") == {"<files >"}
    assert zsh_complete("coachctl", "admin", "import", "") == {"<files -/>"}


def main():
    failed = 0
    for t in (test_bash, test_zsh):
        try:
            t()
            print("ok   %s" % t.__name__)
        except AssertionError:
            import traceback
            traceback.print_exc()
            print("FAIL %s" % t.__name__)
            failed += 1
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
