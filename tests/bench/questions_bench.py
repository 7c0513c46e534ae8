"""Question/queue operations against a real coachd over TLS: N teachers,
N questions spread over four areas (a fifth of them unconfirmed, a quarter
of the teachers with a held second question), then the median of 5 calls
of question_list (admin: every question with its standing), question_show,
queue_show and queue_stats.  Prints a table; no assertion on time.

  COACHD_BIN=build-x/bin COACHD_SRC=. COACHD_BUILD=build-x \\
    /usr/bin/python3 tests/bench/questions_bench.py 500 2000 8000
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration"))
import harness as h  # noqa: E402


def run(n):
    d = h.Daemon()
    d.write_conf(server__max_frame="64M")
    d.start()
    rows = []
    try:
        pb = h.pb2()
        import question_pb2 as qpb
        c = d.client(timeout=120)
        c.hello(d.admin_token)
        c.call(school_add=pb.SchoolPut(school=pb.School(id="s", name="S")))
        for i in range(n):
            c.send(teacher_add=pb.TeacherPut(teacher=pb.Teacher(
                id="t%d" % i, name="T", school="s")))
        for i in range(n):
            assert c.recv().status == pb.OK
        topics = ["math-discourse", "writing", "classroom-management",
                  "data-use", ""]
        for i in range(n):
            c.send(question_submit=qpb.QuestionSubmit(
                text="How do I get math talk going %d" % i,
                teacher="t%d" % (i % (n * 3 // 4)), topic=topics[i % 5]))
        for i in range(n):
            r = c.recv()
            assert r.status == pb.OK, r.error
        ops = [("question_list", dict(
                    question_list=qpb.QuestionListRequest())),
               ("question_show", dict(
                   question_show=qpb.QuestionRef(id=n // 2))),
               ("queue_show", dict(
                   queue_show=qpb.QueueShowRequest(area="math"))),
               ("queue_stats", dict(
                   queue_stats=qpb.QueueStatsRequest()))]
        for name, kw in ops:
            ts = []
            for _ in range(5):
                t = time.time()
                r = c.call(**kw)
                ts.append(time.time() - t)
                assert r.status == pb.OK, r.error
            ts.sort()
            rows.append((name, n, ts[2] * 1000))
        c.close()
        d.stop()
    finally:
        d.cleanup()
    return rows


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [500, 2000]
    print("%-14s %8s %12s" % ("operation", "questions", "median ms"))
    for n in sizes:
        for name, k, ms in run(n):
            print("%-14s %8d %12.1f" % (name, k, ms))


if __name__ == "__main__":
    main()
