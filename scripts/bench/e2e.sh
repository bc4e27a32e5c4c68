#!/usr/bin/env bash
# End-to-end throughput: wrk against the E2eServer contenders, alternating contenders in rounds.
# Usage: scripts/bench/e2e.sh OUT_DIR CLASSPATH
# Env: E2E_ROUNDS (5), E2E_DURATION (8s), E2E_WARMUP (4s), E2E_THREADS (2), E2E_CONNECTIONS (32)
# Writes OUT_DIR/e2e.csv: mode,contender,round,order,requests_per_sec,errors
set -euo pipefail
out=$1
cp=$2
here=$(cd "$(dirname "$0")" && pwd)
rounds=${E2E_ROUNDS:-5}
duration=${E2E_DURATION:-8s}
warmup=${E2E_WARMUP:-4s}
threads=${E2E_THREADS:-2}
connections=${E2E_CONNECTIONS:-32}
export PATH="$PATH:/usr/sbin:/sbin"
for tool in wrk haproxy java curl; do
  command -v "$tool" >/dev/null || { echo "e2e.sh: $tool is missing (apt-get install -y wrk haproxy curl)" >&2; exit 1; }
done

mkdir -p "$out"
. "$here/e2e-lib.sh"
start_server e2e.sh dev.trustproxy.benchmarks.E2eServer "$out/e2e-server.log" "$cp"

# haproxy in TCP mode in front of the two PROXY connectors: one send-proxy-v2 header per
# connection, keep-alive through it. Free ports come from the kernel (bind to 0, read back).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
hp_jetty=$(free_port); hp_ours=$(free_port)
cat > "$work/haproxy.cfg" <<CFG
global
  nbthread 1
  maxconn 4096
defaults
  mode tcp
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend fe_jetty
  bind 127.0.0.1:$hp_jetty
  default_backend be_jetty
backend be_jetty
  server s1 127.0.0.1:$(port jetty-proxy) send-proxy-v2
frontend fe_ours
  bind 127.0.0.1:$hp_ours
  default_backend be_ours
backend be_ours
  server s1 127.0.0.1:$(port trustproxy-proxy) send-proxy-v2
CFG
haproxy -db -f "$work/haproxy.cfg" > "$out/e2e-haproxy.log" 2>&1 &
extra_pids+=($!)
sleep 0.5

XFF="203.0.113.7, 10.0.0.3, 10.0.0.2"
# Every contender must answer right before its throughput means anything.
check() { # name url expected [curl args...]
  local name=$1 url=$2 expected=$3; shift 3
  local body
  body=$(curl -s --max-time 5 "$@" "$url" || true)
  if [ "$body" != "hello $expected" ]; then
    echo "e2e.sh: $name answered '$body', expected 'hello $expected'" >&2; exit 1
  fi
}
check_raw() { # name port header-bytes-printf-format expected
  local name=$1 p=$2 fmt=$3 expected=$4 body
  body=$(exec 3<>"/dev/tcp/127.0.0.1/$p"; printf "$fmt"'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&3; cat <&3 | tail -n 1)
  if [ "$body" != "hello $expected" ]; then
    echo "e2e.sh: $name answered '$body', expected 'hello $expected'" >&2; exit 1
  fi
}
check none "http://127.0.0.1:$(port none)/" 127.0.0.1 -H "X-Forwarded-For: $XFF"
check noop-filter "http://127.0.0.1:$(port noop-filter)/" 127.0.0.1 -H "X-Forwarded-For: $XFF"
check trustproxy-filter "http://127.0.0.1:$(port trustproxy-filter)/" 203.0.113.7 -H "X-Forwarded-For: $XFF"
check jetty-forwarded "http://127.0.0.1:$(port jetty-forwarded)/" 203.0.113.7 -H "X-Forwarded-For: $XFF"
check jetty-proxy-haproxy "http://127.0.0.1:$hp_jetty/" 127.0.0.1
check trustproxy-proxy-haproxy "http://127.0.0.1:$hp_ours/" 127.0.0.1
for c in jetty-proxy trustproxy-proxy; do
  check_raw "$c-v1" "$(port $c)" 'PROXY TCP4 198.51.100.22 203.0.113.7 35646 80\r\n' 198.51.100.22
  check_raw "$c-v2" "$(port $c)" '\r\n\r\n\0\r\nQUIT\n\x21\x11\0\x0c\xc6\x33\x64\x16\xcb\0\x71\x07\x8b\x3e\0\x50' 198.51.100.22
done

csv="$out/e2e.csv"
echo "mode,contender,round,order,requests_per_sec,errors" > "$csv"

# target MODE CONTENDER: sets URL and ARGS (wrk arguments) for one contender in one mode.
target() {
  local mode=$1 c=$2
  ARGS=()
  case $mode in
    xff-keepalive) URL="http://127.0.0.1:$(port "$c")/"; ARGS=(-H "X-Forwarded-For: $XFF") ;;
    xff-close) URL="http://127.0.0.1:$(port "$c")/"
      ARGS=(-H "X-Forwarded-For: $XFF" -H "Connection: close") ;;
    proxy-v2-keepalive-haproxy)
      if [ "$c" = jetty-proxy ]; then URL="http://127.0.0.1:$hp_jetty/"; else URL="http://127.0.0.1:$hp_ours/"; fi ;;
    proxy-v1-close) URL="http://127.0.0.1:$(port "$c")/"; ARGS=(-s "$here/proxy-v1-per-connection.lua") ;;
    proxy-v2-close) URL="http://127.0.0.1:$(port "$c")/"; ARGS=(-s "$here/proxy-v2-per-connection.lua") ;;
    *) echo "e2e.sh: unknown mode $mode" >&2; exit 1 ;;
  esac
}

# run_wrk DURATION -> prints "rps errors" for the current URL/ARGS
run_wrk() {
  local text rps errors
  text=$(wrk -t"$threads" -c"$connections" -d"$1" "${ARGS[@]}" "$URL" 2>&1)
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$text")
  errors=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/[^0-9 ]/, " "); n += $1 + $2 + $3 + $4 } END { print n + 0 }' <<<"$text")
  echo "${rps:-0} $errors"
}

# measure MODE CONTENDER...: warm every contender once, then rounds in rotating order, so no
# contender always runs first or right after the same neighbour.
measure() {
  local mode=$1; shift
  local names=("$@") n=$#
  echo "e2e: $mode warm-up" >&2
  for c in "${names[@]}"; do target "$mode" "$c"; run_wrk "$warmup" > /dev/null; done
  for r in $(seq 1 "$rounds"); do
    for k in $(seq 0 $((n - 1))); do
      local c=${names[$(( (k + r) % n ))]}
      target "$mode" "$c"
      read -r rps errors < <(run_wrk "$duration")
      echo "$mode,$c,$r,$k,$rps,$errors" >> "$csv"
      echo "e2e: $mode round $r $c $rps req/s ($errors errors)" >&2
    done
  done
}

modes=${E2E_MODES:-xff-keepalive xff-close proxy-v2-keepalive-haproxy proxy-v1-close proxy-v2-close}
for mode in $modes; do
  case $mode in
    xff-*) measure "$mode" none noop-filter trustproxy-filter jetty-forwarded ;;
    proxy-*) measure "$mode" jetty-proxy trustproxy-proxy ;;
  esac
done
echo "e2e: done, $csv" >&2
