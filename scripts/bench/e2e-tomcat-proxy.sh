#!/usr/bin/env bash
# End-to-end on Tomcat: the PROXY connector (TrustProxyHttp11NioProtocol, one PROXY header per
# connection, one request per connection) against Tomcat's plain NIO connector (one request per
# connection), alternating in rounds in one JVM (TomcatProxyE2eServer).
# Usage: scripts/bench/e2e-tomcat-proxy.sh OUT_DIR CLASSPATH
# Env: E2E_ROUNDS (5), E2E_DURATION (8s), E2E_WARMUP (4s), E2E_THREADS (2), E2E_CONNECTIONS (32)
# Writes OUT_DIR/e2e-tomcat-proxy.csv: mode,contender,round,order,requests_per_sec,errors
set -euo pipefail
out=$1
cp=$2
here=$(cd "$(dirname "$0")" && pwd)
rounds=${E2E_ROUNDS:-5}
duration=${E2E_DURATION:-8s}
warmup=${E2E_WARMUP:-4s}
threads=${E2E_THREADS:-2}
connections=${E2E_CONNECTIONS:-32}
for tool in wrk java curl; do
  command -v "$tool" >/dev/null || { echo "e2e-tomcat-proxy.sh: $tool is missing" >&2; exit 1; }
done
mkdir -p "$out"
. "$here/e2e-lib.sh"
start_server e2e-tomcat-proxy.sh dev.trustproxy.benchmarks.TomcatProxyE2eServer "$out/e2e-tomcat-server.log" "$cp"

# Both must answer right first: plain names the TCP peer, PROXY names the header's source.
body=$(curl -s --max-time 5 "http://127.0.0.1:$(port tomcat-plain)/")
[ "$body" = "hello 127.0.0.1" ] || { echo "plain answered '$body'" >&2; exit 1; }
body=$(curl -s --max-time 5 --haproxy-protocol "http://127.0.0.1:$(port tomcat-proxy)/")
[ "$body" = "hello 127.0.0.1" ] || { echo "proxy answered '$body'" >&2; exit 1; }
body=$(exec 3<>"/dev/tcp/127.0.0.1/$(port tomcat-proxy)"; printf 'PROXY TCP4 198.51.100.22 203.0.113.7 35646 80\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&3; cat <&3 | tail -n 1)
[ "$body" = "hello 198.51.100.22" ] || { echo "proxy v1 answered '$body'" >&2; exit 1; }

csv="$out/e2e-tomcat-proxy.csv"
echo "mode,contender,round,order,requests_per_sec,errors" > "$csv"
target() { # mode contender
  URL="http://127.0.0.1:$(port "$2")/"
  case "$1/$2" in
    */tomcat-plain) ARGS=(-H "Connection: close") ;;
    proxy-v1-close/tomcat-proxy) ARGS=(-s "$here/proxy-v1-per-connection.lua") ;;
    proxy-v2-close/tomcat-proxy) ARGS=(-s "$here/proxy-v2-per-connection.lua") ;;
  esac
}
run_wrk() {
  local text rps errors
  text=$(wrk -t"$threads" -c"$connections" -d"$1" "${ARGS[@]}" "$URL" 2>&1)
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$text")
  errors=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/[^0-9 ]/, " "); n += $1 + $2 + $3 + $4 } END { print n + 0 }' <<<"$text")
  echo "${rps:-0} $errors"
}
for mode in ${E2E_MODES:-proxy-v1-close proxy-v2-close}; do
  names=(tomcat-plain tomcat-proxy)
  for c in "${names[@]}"; do target "$mode" "$c"; run_wrk "$warmup" > /dev/null; done
  for r in $(seq 1 "$rounds"); do
    for k in 0 1; do
      c=${names[$(( (k + r) % 2 ))]}
      target "$mode" "$c"
      read -r rps errors < <(run_wrk "$duration")
      echo "$mode,$c,$r,$k,$rps,$errors" >> "$csv"
      echo "e2e-tomcat: $mode round $r $c $rps req/s ($errors errors) load $(cut -d' ' -f1 /proc/loadavg)" >&2
    done
  done
done
echo "e2e-tomcat: done, $csv" >&2
