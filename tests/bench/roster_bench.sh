#!/bin/sh
# Roster import benchmark: roster_load_dir() (parse, validate, derive the
# timetable) on synthetic districts from roster_gen.py, against Python's
# csv module merely reading the same files.  Prints a table of medians.
#
# usage: tests/bench/roster_bench.sh BUILD_DIR [RUNS] [TEACHERS...]
set -eu
build=${1:?usage: roster_bench.sh BUILD_DIR [RUNS] [TEACHERS...]}
runs=${2:-3}
shift $(( $# >= 2 ? 2 : 1 ))
sizes=${*:-1000 10000 100000}
src=$(cd "$(dirname "$0")/../.." && pwd)
check=$build/tests/roster-check
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run CMD...: prints "seconds maxrss_kb" of one run.
run() { /usr/bin/time -f '%e %M' -o "$tmp/t" "$@" >/dev/null; cat "$tmp/t"; }

printf '| teachers | rows | MB | ours (s) | python csv (s) | ours MB RSS | python MB RSS |\n'
printf '|---------:|-----:|---:|---------:|---------------:|------------:|--------------:|\n'
for n in $sizes; do
	d=$tmp/d$n
	/usr/bin/python3 "$src/tests/bench/roster_gen.py" "$d" "$n"
	rows=$(cat "$d"/*.csv | wc -l)
	mb=$(du -sm "$d" | cut -f1)
	: >"$tmp/ours"; : >"$tmp/py"
	i=0
	while [ $i -lt "$runs" ]; do
		run "$check" -q "$d" >>"$tmp/ours"
		run /usr/bin/python3 -c 'import csv, glob, sys
for p in sorted(glob.glob(sys.argv[1] + "/*.csv")):
    with open(p, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))' "$d" >>"$tmp/py"
		i=$((i + 1))
	done
	ot=$(cut -d' ' -f1 "$tmp/ours" | median)
	pt=$(cut -d' ' -f1 "$tmp/py" | median)
	om=$(cut -d' ' -f2 "$tmp/ours" | median)
	pm=$(cut -d' ' -f2 "$tmp/py" | median)
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$rows" "$mb" \
	    "$ot" "$pt" $((om / 1024)) $((pm / 1024))
	rm -rf "$d"
done
