#!/usr/bin/env bash
# Soak and attack run (not part of CI's test phase). One command, from the repository root:
#
#   scripts/soak/run.sh
#
# Legitimate load: wrk -> haproxy (mode tcp, send-proxy-v2) -> Jetty 12 with the PROXY
# connection factory and the TrustProxyFilter (integration-tests' SoakServer), keep-alive, for
# PHASE_SECONDS quiet, then PHASE_SECONDS more while AttackDriver hits the PROXY port directly
# with waves of STALLED connections that send a partial PROXY header and stall, and JUNK
# connections that send random bytes. Reports requests served, errors, the throughput under
# attack as a fraction of the quiet phase, whether every stalled connection was closed within
# the header deadline plus one second, and the server's open descriptors and heap after GC
# before and after. Exits non-zero when a check fails. Everything runs on 127.0.0.1.
#
# Settings (environment): PHASE_SECONDS=30 HEADER_TIMEOUT_MS=3000 STALLED=1000 JUNK=1000
# CONNECTIONS=50 (wrk keep-alive connections) WRK_THREADS=1 OUT=integration-tests/target-soak/soak
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PHASE_SECONDS=${PHASE_SECONDS:-30}
HEADER_TIMEOUT_MS=${HEADER_TIMEOUT_MS:-3000}
STALLED=${STALLED:-1000}
JUNK=${JUNK:-1000}
CONNECTIONS=${CONNECTIONS:-50}
WRK_THREADS=${WRK_THREADS:-1}
OUT=${OUT:-$ROOT/integration-tests/target-soak/soak}
export PATH="$PATH:/usr/sbin:/sbin"

# Thousands of sockets at once on both ends: raise the descriptor limit (as root, the hard one too).
ulimit -Hn 65536 2>/dev/null || true
ulimit -n "$(ulimit -Hn)"
echo "soak: open-file limit $(ulimit -n)"

missing=()
for program in wrk haproxy curl jcmd; do
  command -v "$program" >/dev/null 2>&1 || missing+=("$program")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [[ " ${missing[*]} " == *" jcmd "* ]]; then
    echo "soak: jcmd (a full JDK) is needed to read the heap" >&2; exit 2
  fi
  echo "soak: installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk haproxy curl
fi

mkdir -p "$OUT"
echo "soak: building the server and the attack driver (integration-tests test classes)"
./mvnw -B -q -pl integration-tests -am test-compile dependency:build-classpath \
  -Dtp.target=target-soak -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt"
CP="$(cat "$OUT/classpath.txt"):$ROOT/integration-tests/target-soak/test-classes"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

java -Xms256m -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
  dev.trustproxy.integration.soak.SoakServer "$HEADER_TIMEOUT_MS" > "$OUT/server.log" 2>&1 &
SERVER=$!
pids+=("$SERVER")
for _ in $(seq 1 100); do
  grep -q '^proxyPort=' "$OUT/server.log" 2>/dev/null && break
  sleep 0.2
done
read -r PROXY_PORT STATS_PORT < <(sed -n 's/^proxyPort=\([0-9]*\) statsPort=\([0-9]*\)$/\1 \2/p' "$OUT/server.log") || true
[ -n "${PROXY_PORT:-}" ] || { echo "soak: server did not start:"; cat "$OUT/server.log"; exit 1; }

FRONT_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# haproxy needs two descriptors per connection and refuses to start beyond the limit.
HAPROXY_MAXCONN=$(( ($(ulimit -n) - 100) / 2 ))
cat > "$OUT/haproxy.cfg" <<CFG
global
  maxconn $HAPROXY_MAXCONN
defaults
  mode tcp
  timeout connect 2s
  timeout client 60s
  timeout server 60s
frontend fe
  bind 127.0.0.1:$FRONT_PORT
  default_backend jetty
backend jetty
  server jetty 127.0.0.1:$PROXY_PORT send-proxy-v2
CFG
haproxy -db -f "$OUT/haproxy.cfg" > "$OUT/haproxy.log" 2>&1 &
pids+=("$!")
sleep 1
URL="http://127.0.0.1:$FRONT_PORT/"
curl -fsS "$URL" | grep -q '^client=127.0.0.1$' || { echo "soak: no answer through haproxy"; exit 1; }

fds() { # count, and the list for the record; jcmd's attach listener is open from the first heap_kb on
  ls -l "/proc/$SERVER/fd" 2>/dev/null | sed 's/.* -> //' | sort > "$OUT/fds-$1.txt"
  wc -l < "$OUT/fds-$1.txt"
}
heap_kb() { # used heap after a full GC, in KiB
  jcmd "$SERVER" GC.run > /dev/null
  sleep 1
  jcmd "$SERVER" GC.heap_info | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1
}
stats() { curl -fsS "http://127.0.0.1:$STATS_PORT/stats"; }
wrk_run() { # name seconds
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$2"s --latency "$URL" > "$OUT/wrk-$1.txt"
}
field() { sed -n "$2" "$OUT/wrk-$1.txt" | head -1; }
requests() { field "$1" 's/^ *\([0-9]*\) requests in.*/\1/p'; }
rate() { field "$1" 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }
errors() { # socket errors + non-2xx
  local s n
  s=$(field "$1" 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1+\2+\3+\4/p')
  n=$(field "$1" 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p')
  echo $(( ${s:-0} + ${n:-0} ))
}

echo "soak: warm-up 5 s"
wrk_run warmup 5
sleep 1
HEAP_START=$(heap_kb); FD_START=$(fds start); STATS_START=$(stats)

echo "soak: phase 1, ${PHASE_SECONDS} s of load, no attack"
wrk_run quiet "$PHASE_SECONDS"

echo "soak: phase 2, ${PHASE_SECONDS} s of load while ${STALLED} stalled + ${JUNK} junk connections per wave hit port $PROXY_PORT"
java -Xmx256m -cp "$CP" dev.trustproxy.integration.soak.AttackDriver \
  "$PROXY_PORT" "$PHASE_SECONDS" "$HEADER_TIMEOUT_MS" "$STALLED" "$JUNK" > "$OUT/attack.txt" 2>&1 &
ATTACK=$!
pids+=("$ATTACK")
wrk_run attack "$PHASE_SECONDS"
ATTACK_RC=0
wait "$ATTACK" || ATTACK_RC=$?

sleep $(( HEADER_TIMEOUT_MS / 1000 + 2 ))
HEAP_END=$(heap_kb); FD_END=$(fds end); STATS_END=$(stats)

Q_REQ=$(requests quiet); A_REQ=$(requests attack)
Q_RATE=$(rate quiet); A_RATE=$(rate attack)
ERRORS=$(( $(errors quiet) + $(errors attack) ))
FRACTION=$(awk -v a="$A_RATE" -v q="$Q_RATE" 'BEGIN { printf "%.3f", a / q }')
HEAP_OK=$(awk -v s="$HEAP_START" -v e="$HEAP_END" 'BEGIN { print (e <= s * 1.10 + 4096) ? "yes" : "no" }')
FD_OK=$([ "$FD_END" -le "$FD_START" ] && echo yes || echo no)

{
  echo "date: $(date -u +%FT%TZ)"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $(java -version 2>&1 | head -1), $(haproxy -v | head -1 | cut -d' ' -f1-3), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "settings: PHASE_SECONDS=$PHASE_SECONDS HEADER_TIMEOUT_MS=$HEADER_TIMEOUT_MS STALLED=$STALLED JUNK=$JUNK CONNECTIONS=$CONNECTIONS WRK_THREADS=$WRK_THREADS"
  echo "quiet:  requests=$Q_REQ rate=$Q_RATE/s errors=$(errors quiet)"
  echo "attack: requests=$A_REQ rate=$A_RATE/s errors=$(errors attack)"
  echo "throughput under attack / quiet: $FRACTION (target >= 0.90)"
  echo "attack driver: $(tail -1 "$OUT/attack.txt") (exit $ATTACK_RC)"
  echo "server stats before: $STATS_START"
  echo "server stats after:  $STATS_END"
  echo "open fds: start=$FD_START end=$FD_END back=$FD_OK"
  echo "heap used after GC (KiB): start=$HEAP_START end=$HEAP_END back=$HEAP_OK"
} | tee "$OUT/summary.txt"

status=0
[ "$ERRORS" -eq 0 ] || { echo "soak: FAIL legitimate requests had $ERRORS errors"; status=1; }
[ "$ATTACK_RC" -eq 0 ] || { echo "soak: FAIL a stalled or junk connection was not closed in time"; status=1; }
[ "$FD_OK" = yes ] || { echo "soak: FAIL descriptors did not return to the start level"; status=1; }
[ "$HEAP_OK" = yes ] || { echo "soak: FAIL heap after GC did not return to the start level"; status=1; }
awk -v f="$FRACTION" 'BEGIN { exit !(f >= 0.90) }' || { echo "soak: MISS throughput under attack is below 90% of quiet"; status=1; }
[ "$status" -eq 0 ] && echo "soak: all checks passed"
exit "$status"
