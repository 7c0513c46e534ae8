#!/bin/sh
# match_bench.sh: matching benchmark table.  Generates instances with
# match_gen.py (fixed seeds), solves each with our engine (match_bench)
# and with LEMON's NetworkSimplex (match_lemon), and prints median solve
# times, their ratio, peak RSS of each process and whether both found the
# same optimum (assigned count and total score).
#
# usage: tests/bench/match_bench.sh [BUILD_DIR] [RUNS] [SIZES...]
#   BUILD_DIR  default build; needs `cmake --build BUILD_DIR --target
#              match_bench match_lemon` first
#   RUNS       solves per instance for the median (default 5)
#   SIZES      request counts (default 1000 10000 100000)
# environment: MATCH_BENCH_SEED (default 1), MATCH_BENCH_COACHES (default
# 3% of the requests; raise it for instances where everyone can be placed)
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
runs=${2:-5}
[ $# -ge 2 ] && shift 2 || shift $#
sizes=${*:-"1000 10000 100000"}
seed=${MATCH_BENCH_SEED:-1}
ours="$build/bin/match_bench"
lemon="$build/bin/match_lemon"
for b in "$ours" "$lemon"; do
	[ -x "$b" ] || { echo "missing $b: build target $(basename "$b")" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run PROGRAM INSTANCE -> "median_ms assigned total rss_mb"
run() {
	/usr/bin/time -v "$1" "$2" "$runs" >"$tmp/out" 2>"$tmp/time"
	rss=$(awk -F: '/Maximum resident set size/ {print int($2 / 1024)}' "$tmp/time")
	awk -v rss="$rss" '{print $4, $5, $6, rss}' "$tmp/out"
}

printf '%-8s %-6s %-9s %10s %10s %7s %8s %8s %9s %s\n' requests coaches \
    edges ours_ms lemon_ms ratio ours_MB lemon_MB assigned same_opt
for n in $sizes; do
	inst="$tmp/m$n.txt"
	/usr/bin/python3 "$src/tests/bench/match_gen.py" --requests "$n" \
	    --coaches "${MATCH_BENCH_COACHES:-0}" --seed "$seed" >"$inst"
	set -- $(sed -n 2p "$inst")
	nc=$1 ne=$3
	set -- $(run "$ours" "$inst")
	o_ms=$1 o_n=$2 o_s=$3 o_rss=$4
	set -- $(run "$lemon" "$inst")
	l_ms=$1 l_n=$2 l_s=$3 l_rss=$4
	same=no
	[ "$o_n" = "$l_n" ] && [ "$o_s" = "$l_s" ] && same=yes
	ratio=$(awk -v a="$o_ms" -v b="$l_ms" 'BEGIN {printf "%.2f", a / b}')
	printf '%-8s %-6s %-9s %10s %10s %7s %8s %8s %9s %s\n' "$n" "$nc" \
	    "$ne" "$o_ms" "$l_ms" "$ratio" "$o_rss" "$l_rss" "$o_n" "$same"
done
