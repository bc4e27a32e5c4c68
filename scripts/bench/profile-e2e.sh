#!/usr/bin/env bash
# Where the server's CPU goes under wrk load, for one end-to-end contender: runs E2eServer with
# Java Flight Recorder, loads CONTENDER with wrk (keep-alive, the XFF header), and prints the share
# of execution samples whose stack passes through each of the given frames. A PROXY connector
# (*-proxy) gets a PROXY v1 header on every connection (Connection: close) instead.
# Usage: scripts/bench/profile-e2e.sh CLASSPATH CONTENDER SECONDS FRAME...
#   e.g. scripts/bench/profile-e2e.sh "$CP" trustproxy-filter 20 TrustProxyFilter.doFilter \
#        TrustProxyFilter.apply ClientResolver.walk ForwardedValues.joined
set -euo pipefail
cp=$1 contender=$2 seconds=$3; shift 3
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
java -Xms512m -Xmx512m -XX:StartFlightRecording=filename="$work/rec.jfr",settings=profile \
  -cp "$cp" dev.trustproxy.benchmarks.E2eServer "$work/ports" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do [ -f "$work/ports" ] && break; sleep 0.1; done
port=$(awk -v n="$contender" '$1 == n { print $2 }' "$work/ports")
XFF="203.0.113.7, 10.0.0.3, 10.0.0.2"
# A PROXY connector gets a v1 header on every connection; the others keep-alive with the XFF header.
case $contender in
  *-proxy) args=(-s "$(dirname "$0")/proxy-v1-per-connection.lua") ;;
  *) args=(-H "X-Forwarded-For: $XFF") ;;
esac
wrk -t2 -c32 -d5s "${args[@]}" "http://127.0.0.1:$port/" > /dev/null   # warm-up
wrk -t2 -c32 -d"${seconds}s" "${args[@]}" "http://127.0.0.1:$port/" | grep Requests/sec
jcmd "$server_pid" JFR.dump filename="$work/rec.jfr" > /dev/null
jfr print --events jdk.ExecutionSample --stack-depth 200 "$work/rec.jfr" > "$work/samples.txt"
python3 - "$work/samples.txt" "$@" <<'PY'
import sys
text = open(sys.argv[1]).read()
frames = sys.argv[2:]
samples = [s for s in text.split("jdk.ExecutionSample {")[1:] if "qtp" in s or "Thread" in s]
total = len(samples)
print(f"{total} execution samples of server threads")
for f in frames:
    n = sum(1 for s in samples if f in s)
    print(f"{n / total:6.1%}  {f}")
# For the first frame: which methods it calls, by share of all samples (the frame just above it).
if frames:
    callees = {}
    for s in samples:
        lines = [l.strip() for l in s.splitlines() if "line:" in l]
        for i, l in enumerate(lines):
            if frames[0] in l and i > 0:
                callee = lines[i - 1].split("(")[0]
                callees[callee] = callees.get(callee, 0) + 1
                break
    print(f"under {frames[0]}:")
    for c, n in sorted(callees.items(), key=lambda x: -x[1])[:12]:
        print(f"{n / total:6.1%}  {c}")
PY
