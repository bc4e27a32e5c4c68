#!/usr/bin/env bash
# End-to-end throughput on embedded Jetty: wrk against the E2eServer contenders, X-Forwarded-For
# (keep-alive and a new connection per request) and the PROXY connectors (keep-alive through
# haproxy, and a PROXY header on every new connection), contenders alternating in rounds.
# Usage: scripts/bench/e2e.sh OUT_DIR CLASSPATH
# Env: as e2e-lib.sh, and E2E_MODES (all five below). Writes OUT_DIR/e2e.csv (see e2e-lib.sh).
set -euo pipefail
. "$(dirname "$0")/e2e-lib.sh"
command -v haproxy >/dev/null || { echo "e2e: haproxy is missing (apt-get install -y haproxy)" >&2; exit 1; }
start_server dev.trustproxy.benchmarks.E2eServer

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

# target MODE CONTENDER: sets URL and ARGS (wrk arguments) for one contender in one mode.
target() {
  URL="http://127.0.0.1:$(port "$2")/"
  ARGS=()
  case $1 in
    xff-keepalive) ARGS=(-H "X-Forwarded-For: $XFF") ;;
    xff-close) ARGS=(-H "X-Forwarded-For: $XFF" -H "Connection: close") ;;
    proxy-v2-keepalive-haproxy)
      if [ "$2" = jetty-proxy ]; then URL="http://127.0.0.1:$hp_jetty/"; else URL="http://127.0.0.1:$hp_ours/"; fi ;;
    proxy-v1-close) ARGS=(-s "$here/proxy-v1-per-connection.lua") ;;
    proxy-v2-close) ARGS=(-s "$here/proxy-v2-per-connection.lua") ;;
    *) echo "e2e: unknown mode $1" >&2; exit 1 ;;
  esac
}

for mode in ${E2E_MODES:-xff-keepalive xff-close proxy-v2-keepalive-haproxy proxy-v1-close proxy-v2-close}; do
  case $mode in
    xff-*) measure "$mode" none noop-filter trustproxy-filter jetty-forwarded ;;
    proxy-*) measure "$mode" jetty-proxy trustproxy-proxy ;;
  esac
done
echo "e2e: done, $csv" >&2
