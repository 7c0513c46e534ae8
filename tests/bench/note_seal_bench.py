"""What sealing costs a district with many coaching notes: N plaintext
notes of 500 bytes are written straight into the database of a real
coachd (small demo district, one cycle) as a coachd from before sealing
left them; then the wall time of the first start, which seals them all
in one transaction (until the "listening" line), and of an offline
`coachd --rotate-note-key` re-sealing them with a new key.  Prints one
line, no assertion.

  COACHD_BIN=build/bin /usr/bin/python3 tests/bench/note_seal_bench.py 100000
"""
import os
import secrets
import sqlite3
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration"))
import harness as h  # noqa: E402


def main(n):
    d = h.Daemon()
    try:
        d.start()
        dist = d.import_demo(small=True)
        d.submit_questions_csv(dist)
        d.ctl_json("admin", "assign")
        d.ctl_json("admin", "schedule", "--from",
                   h.next_monday().isoformat())
        d.stop()
        con = sqlite3.connect(d.db)
        cyc, coach = con.execute(
            "SELECT id, coach FROM cycles ORDER BY id LIMIT 1").fetchone()
        con.executemany("INSERT INTO cycle_notes (cycle, author, at, body) "
                        "VALUES (?, ?, 1, ?)",
                        [(cyc, coach, "x" * 500) for _ in range(n)])
        con.commit()
        con.close()
        t = time.time()
        d.start()
        first = time.time() - t
        d.stop()
        new = os.path.join(d.dir, "new.key")
        with open(new, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
        os.chmod(new, 0o600)
        t = time.time()
        r = h.run([os.path.join(h.BIN, "coachd"), "--config", d.conf,
                   "--rotate-note-key", new])
        rotate = time.time() - t
        assert r.returncode == 0, r.stderr
        print("notes=%d  first start (sealing them): %.2f s  "
              "--rotate-note-key: %.2f s  database: %.1f MB" % (
                  n, first, rotate, os.path.getsize(d.db) / 1e6))
    finally:
        d.cleanup()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
