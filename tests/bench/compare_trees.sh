#!/bin/sh
# compare_trees.sh: run the matching, scheduling, feeds, caps and
# questions benchmarks alternately on two builds (an older tree and this
# one), ROUNDS rounds, so that a loaded machine hurts both alike; then
# print medians, new/old ratios and whether the outputs agree
# (compare_summary.py).  Each tree's own tests/bench scripts and
# tests/integration harness drive its own binaries.
#
#   tests/bench/compare_trees.sh OLD_TREE OLD_BUILD NEW_TREE NEW_BUILD \
#       [ROUNDS] [OUT_DIR]
#
# Builds need coachd, coachctl, coach-solve and match_bench
# (RelWithDebInfo).  OUT_DIR (default a new temporary folder) keeps the
# raw logs.
set -eu
OT=$(cd "$1" && pwd); OB=$(cd "$2" && pwd)
NT=$(cd "$3" && pwd); NB=$(cd "$4" && pwd)
ROUNDS=${5:-3}
OUT=${6:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
mkdir -p "$OUT"
cd "$OUT"
for n in 10000 100000; do
	[ -f m$n.txt ] || $PY "$HERE/match_gen.py" --requests $n --seed 1 > m$n.txt
done
[ -f s1.json ] || $PY "$HERE/sched_gen.py" --seed 1 > s1.json

r=1
while [ "$r" -le "$ROUNDS" ]; do
	for side in old new; do
		if [ $side = old ]; then T=$OT B=$OB; else T=$NT B=$NB; fi
		for n in 10000 100000; do
			echo "match $n $side $r $("$B/bin/match_bench" m$n.txt 5)" \
			    >> match.log
		done
		/usr/bin/time -f "%e %M" -o time.$side "$B/bin/coach-solve" \
		    schedule < s1.json > sched.$side.json
		echo "sched $side $r $(cat time.$side) $(sha256sum < \
		    sched.$side.json | cut -c1-16)" >> sched.log
		(
			cd "$T"
			export COACHD_BIN=$B/bin COACHD_SRC=$T COACHD_BUILD=$B
			echo "feeds $side $r $(RUNS=5 $PY "$HERE/feeds_bodies.py" \
			    "$T" 2>&1 | tail -1)" >> "$OUT/feeds.log"
			$PY tests/bench/caps_bench.py 100 300 2>&1 |
			    sed "s/^/caps $side $r /" >> "$OUT/caps.log"
			$PY tests/bench/questions_bench.py 2000 8000 2>&1 |
			    sed "s/^/questions $side $r /" >> "$OUT/questions.log"
		)
	done
	r=$((r + 1))
done
$PY "$HERE/compare_summary.py" "$OUT"
