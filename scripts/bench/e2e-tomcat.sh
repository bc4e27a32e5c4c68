#!/usr/bin/env bash
# End-to-end throughput on embedded Tomcat: wrk against TomcatE2eServer's contenders (no valve,
# TrustProxyValve, RemoteIpValve), X-Forwarded-For from a trusted peer, keep-alive, contenders
# alternating in rotating order per round.
# Usage: scripts/bench/e2e-tomcat.sh OUT_DIR CLASSPATH
# Env: E2E_ROUNDS (5), E2E_DURATION (8s), E2E_WARMUP (4s), E2E_THREADS (2), E2E_CONNECTIONS (32)
# Writes OUT_DIR/e2e-tomcat.csv: contender,round,order,requests_per_sec
set -euo pipefail
out=$1
cp=$2
rounds=${E2E_ROUNDS:-5}
duration=${E2E_DURATION:-8s}
warmup=${E2E_WARMUP:-4s}
threads=${E2E_THREADS:-2}
connections=${E2E_CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "e2e-tomcat.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }
mkdir -p "$out"
. "$(dirname "$0")/e2e-lib.sh"
start_server e2e-tomcat.sh dev.trustproxy.benchmarks.TomcatE2eServer "$out/e2e-tomcat-server.log" "$cp"

XFF="203.0.113.7, 10.0.0.3, 10.0.0.2"
names=(tomcat-none tomcat-valve tomcat-remoteip)
expected=(127.0.0.1 203.0.113.7 203.0.113.7)
for i in 0 1 2; do
  body=$(curl -s --max-time 5 -H "X-Forwarded-For: $XFF" "http://127.0.0.1:$(port "${names[$i]}")/")
  [ "$body" = "hello ${expected[$i]}" ] || { echo "e2e-tomcat.sh: ${names[$i]} answered '$body'" >&2; exit 1; }
done
rps() { wrk -t"$threads" -c"$connections" -d"$2" -H "X-Forwarded-For: $XFF" \
  "http://127.0.0.1:$(port "$1")/" | awk '/^Requests\/sec:/ { print $2 }'; }
csv="$out/e2e-tomcat.csv"
echo "contender,round,order,requests_per_sec" > "$csv"
for c in "${names[@]}"; do rps "$c" "$warmup" > /dev/null; done
for r in $(seq 1 "$rounds"); do
  for k in 0 1 2; do
    c=${names[$(( (k + r) % 3 ))]}
    v=$(rps "$c" "$duration")
    echo "$c,$r,$k,$v" >> "$csv"
    echo "e2e-tomcat: round $r $c $v req/s" >&2
  done
done
echo "e2e-tomcat: done, $csv" >&2
