#!/bin/sh
# tests/fuzz/run.sh [SECONDS]: build the fuzz targets with clang's libFuzzer
# (+ASan+UBSan) and run each for SECONDS (default 60) over its corpus.
# New interesting inputs land in build-fuzz/corpus/<target>/; copy the ones
# that found bugs into tests/fuzz/corpus/<target>/ so the regression replay
# (ctest -R fuzz) keeps them.  Needs a configured build/ for the generated
# protobuf-c sources.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
out=build-fuzz
mkdir -p "$out"
[ -f build/proto/coachd.pb-c.c ] || { cmake -S . -B build >/dev/null; cmake --build build --target coach_proto; }
cflags="-g -O1 -std=c17 -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined \
    -Iproto -Ibuild/proto"
clang $cflags -o "$out/fuzz-frame" tests/fuzz/fuzz_frame.c proto/frame.c \
    build/proto/*.pb-c.c $(pkg-config --cflags --libs libprotobuf-c)
clang $cflags -o "$out/fuzz-roster" tests/fuzz/fuzz_roster.c lib/roster/csv.c \
    lib/roster/roster.c lib/roster/roster_local.c lib/roster/roster_util.c lib/roster/roster_dir.c lib/util/*.c -Ilib/roster/include -Ilib/roster -Ilib/util/include
for t in frame roster; do
	mkdir -p "$out/corpus/$t"
	echo "== fuzz-$t for ${secs}s =="
	"$out/fuzz-$t" -max_total_time="$secs" -max_len=65536 \
	    "$out/corpus/$t" "tests/fuzz/corpus/$t" 2>&1 | tail -n 3
done
