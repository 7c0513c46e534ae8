#!/bin/sh
# feed_bench.sh: serve one teacher's feed over HTTPS from feed-fixture and
# the same bytes as a static file from nginx (same certificate, one worker
# each, since feed-fixture is one event loop), then drive both with wrk in
# the same run: keep-alive and Connection: close, 200s and 304s
# (If-None-Match).  Prints a table of medians over ROUNDS runs and the
# ratio to nginx, then the time from a reschedule to the new body being
# served.  Optionally (RENDER=1) the 100,000-teacher render benchmark.
#
#   tests/bench/feed_bench.sh [BINDIR]   (default build/bin)
#   env: ROUNDS=3 DURATION=5 CONNS=20 RENDER=0
set -eu

BIN=${1:-${COACHD_BIN:-build/bin}}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNS=${CONNS:-20}
RENDER=${RENDER:-0}
T=$(mktemp -d /tmp/coachd-feedbench.XXXXXX)
FXPID=""
NGPID=""

cleanup() {
	[ -n "$FXPID" ] && kill "$FXPID" 2>/dev/null || true
	[ -n "$NGPID" ] && kill "$NGPID" 2>/dev/null || true
	exec 3>&- 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

for tool in wrk nginx curl openssl /usr/bin/python3; do
	command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout "$T/key.pem" \
    -out "$T/cert.pem" -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1

# feed-fixture: one teacher with a school year's worth of sessions.
mkfifo "$T/cmd"
"$BIN/feed-fixture" --cert "$T/cert.pem" --key "$T/key.pem" \
    --teachers 1 --events 24 <"$T/cmd" >"$T/fx.out" 2>"$T/fx.err" &
FXPID=$!
exec 3>"$T/cmd"
i=0
until grep -q '^ready' "$T/fx.out"; do
	i=$((i + 1)); [ $i -gt 100 ] && { cat "$T/fx.err"; exit 1; }
	sleep 0.1
done
FXURL=$(awk '$1 == "feed" && $2 == "0" { print $4 }' "$T/fx.out")
TOKEN=$(awk '$1 == "feed" && $2 == "0" { print $3 }' "$T/fx.out")
FXPATH="/feeds/$TOKEN.ics"

# nginx: the same bytes as a static file, private prefix, no daemon.
mkdir -p "$T/www/feeds" "$T/ng"
curl -sk "$FXURL" -o "$T/www/feeds/$TOKEN.ics"
NGPORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -e "s|@T@|$T|g" -e "s|@PORT@|$NGPORT|g" \
    "$(dirname "$0")/feed_nginx.conf.in" >"$T/nginx.conf"
nginx -p "$T/ng" -c "$T/nginx.conf" -e "$T/ng/error.log" &
NGPID=$!
sleep 0.5
NGURL="https://127.0.0.1:$NGPORT$FXPATH"
curl -sk "$NGURL" | cmp -s - "$T/www/feeds/$TOKEN.ics" ||
    { echo "nginx does not serve the same bytes" >&2; exit 1; }
BYTES=$(wc -c <"$T/www/feeds/$TOKEN.ics")

etag() {
	curl -sk -D - -o /dev/null "$1" |
	    awk -F': ' 'tolower($1) == "etag" { sub(/\r$/, "", $2); print $2 }'
}
FXTAG=$(etag "$FXURL")
NGTAG=$(etag "$NGURL")

# One wrk run -> requests/s (fails on any non-2xx/3xx response).
run_wrk() {	# url mode(keep|close) kind(200|304) etag
	set -- "$1" "$2" "$3" "$4"
	hdr=""
	out=$(
	if [ "$3" = 304 ] && [ "$2" = close ]; then
		wrk -t1 -c"$CONNS" -d"${DURATION}s" -H 'Connection: close' \
		    -H "If-None-Match: $4" "$1"
	elif [ "$3" = 304 ]; then
		wrk -t1 -c"$CONNS" -d"${DURATION}s" -H "If-None-Match: $4" "$1"
	elif [ "$2" = close ]; then
		wrk -t1 -c"$CONNS" -d"${DURATION}s" -H 'Connection: close' "$1"
	else
		wrk -t1 -c"$CONNS" -d"${DURATION}s" "$1"
	fi)
	: "$hdr"
	if echo "$out" | grep -q 'Non-2xx'; then
		echo "non-2xx/3xx responses from $1 ($2 $3)" >&2
		echo "$out" >&2
		exit 1
	fi
	echo "$out" | awk '/^Requests\/sec:/ { print $2 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "feed body: $BYTES bytes, $ROUNDS rounds x ${DURATION}s, $CONNS connections, wrk -t1"
printf '%-16s %11s %12s %8s %12s\n' "case" "feed req/s" "nginx req/s" "ratio" "round ratio"
for mode in keep close; do
	for kind in 200 304; do
		: >"$T/fx.rps"; : >"$T/ng.rps"; : >"$T/ratio"
		r=0
		while [ $r -lt "$ROUNDS" ]; do
			a=$(run_wrk "$FXURL" $mode $kind "$FXTAG")
			b=$(run_wrk "$NGURL" $mode $kind "$NGTAG")
			echo "$a" >>"$T/fx.rps"
			echo "$b" >>"$T/ng.rps"
			echo "$a $b" | awk '{ print $1 / $2 }' >>"$T/ratio"
			r=$((r + 1))
		done
		fx=$(median <"$T/fx.rps")
		ng=$(median <"$T/ng.rps")
		# Median of the per-round ratios: each pair ran back to back,
		# so it is less exposed to other jobs on this shared machine.
		rr=$(median <"$T/ratio")
		printf '%-16s %11.0f %12.0f %7.2fx %11.2fx\n' "$mode-alive $kind" \
		    "$fx" "$ng" "$(echo "$fx $ng" | awk '{ print $1 / $2 }')" \
		    "$rr" | sed 's/close-alive/conn-close/'
	done
done

# Reschedule -> new body served: write the command, poll until the ETag
# changes (one kept-alive HTTPS connection, no verification: timing only).
/usr/bin/python3 - "$T/cmd" 127.0.0.1 "$(echo "$FXURL" | sed 's|.*:\([0-9]*\)/.*|\1|')" "$FXPATH" <<'EOF'
import http.client, ssl, statistics, sys, time
fifo, host, port, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
ctx = ssl._create_unverified_context()
c = http.client.HTTPSConnection(host, port, context=ctx)
def etag():
    c.request("GET", path); r = c.getresponse(); r.read()
    return r.getheader("ETag")
cur = etag()
times = []
with open(fifo, "w") as f:
    for i in range(20):
        t0 = time.perf_counter()
        f.write("reschedule 0 %d 30\n" % (i % 24)); f.flush()
        polls = 0
        while True:
            polls += 1
            tag = etag()
            if tag != cur:
                break
        times.append((time.perf_counter() - t0) * 1e3)
        cur = tag
print("reschedule -> new body served: median %.2f ms, max %.2f ms "
      "(20 reschedules, client polling over keep-alive TLS)"
      % (statistics.median(times), max(times)))
EOF
grep 'publish_us' "$T/fx.out" | sed 's/.*publish_us=//' | median |
    awk '{ printf "fixture re-render + publish (teacher + coach feed): median %d us\n", $1 }'

if [ "$RENDER" = 1 ]; then
	echo "100,000-teacher district render:"
	"$BIN/feed-render-bench" --teachers 100000 --events 24
fi
