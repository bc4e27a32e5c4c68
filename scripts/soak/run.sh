#!/usr/bin/env bash
# Soak and attack run (not part of CI's test phase). One command, from the repository root:
#
#   scripts/soak/run.sh
#
# Legitimate load: wrk -> haproxy (mode tcp, send-proxy-v2) -> Jetty 12 with the PROXY
# connection factory and the TrustProxyFilter (integration-tests' SoakServer), keep-alive, for
# 60 s in all: ROUNDS rounds of PHASE_SECONDS quiet, then PHASE_SECONDS while AttackDriver hits
# the PROXY port directly with waves of STALLED connections that send a partial PROXY header
# and stall, and JUNK connections that send random bytes. Reports requests served, errors, the throughput under
# attack as a fraction of the quiet phase, whether every stalled connection was closed within
# the header deadline plus one second, and the server's open descriptors and heap after GC
# before and after. Exits non-zero when a check fails. Everything runs on 127.0.0.1.
#
# Settings (environment): ROUNDS=3 PHASE_SECONDS=10 HEADER_TIMEOUT_MS=3000 STALLED=1000 JUNK=1000
# CONNECTIONS=50 (wrk keep-alive connections) WRK_THREADS=1 OUT=integration-tests/target-soak/soak
# DELAY_MS=0: each wrk connection waits this long between requests. 0 saturates the two cores,
# so the ratio then also measures the attacker's own CPU use on the shared machine; a pause
# (for example 2) offers a load below capacity and measures whether the server keeps serving it.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PHASE_SECONDS=${PHASE_SECONDS:-10}
ROUNDS=${ROUNDS:-3}
HEADER_TIMEOUT_MS=${HEADER_TIMEOUT_MS:-3000}
STALLED=${STALLED:-1000}
JUNK=${JUNK:-1000}
CONNECTIONS=${CONNECTIONS:-50}
WRK_THREADS=${WRK_THREADS:-1}
DELAY_MS=${DELAY_MS:-0}
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
HAPROXY=$!
pids+=("$HAPROXY")
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
cpu_ms() { # user + system CPU time of a process so far, in milliseconds
  awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"
}
printf 'function delay()\n  return %d\nend\n' "$DELAY_MS" > "$OUT/pace.lua"
wrk_run() { # name seconds
  local script=()
  [ "$DELAY_MS" -gt 0 ] && script=(-s "$OUT/pace.lua")
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$2"s --latency "${script[@]}" "$URL" > "$OUT/wrk-$1.txt"
}
field() { sed -n "$2" "$OUT/wrk-$1.txt" | head -1; }
requests() { field "$1" 's/^ *\([0-9]*\) requests in.*/\1/p'; }
rate() { field "$1" 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }
latency() { echo "$(field "$1" 's/^ *50% *\([0-9.a-z]*\).*/\1/p')/$(field "$1" 's/^ *99% *\([0-9.a-z]*\).*/\1/p')"; }
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

# Quiet and attacked phases alternate (ROUNDS times), so a change in the machine's other load
# during the run falls on both kinds alike; the ratio compares their sums.
: > "$OUT/attack.txt"
ATTACK_RC=0
CPU_QUIET_S=0; CPU_QUIET_H=0; CPU_ATTACK_S=0; CPU_ATTACK_H=0
for round in $(seq 1 "$ROUNDS"); do
  echo "soak: round $round/$ROUNDS: ${PHASE_SECONDS} s of load, no attack"
  s0=$(cpu_ms "$SERVER"); h0=$(cpu_ms "$HAPROXY")
  wrk_run "quiet-$round" "$PHASE_SECONDS"
  s1=$(cpu_ms "$SERVER"); h1=$(cpu_ms "$HAPROXY")
  CPU_QUIET_S=$((CPU_QUIET_S + s1 - s0)); CPU_QUIET_H=$((CPU_QUIET_H + h1 - h0))

  echo "soak: round $round/$ROUNDS: ${PHASE_SECONDS} s of load while waves of ${STALLED} stalled + ${JUNK} junk connections hit port $PROXY_PORT"
  # The driver starts a second early so its JVM start-up is not inside the measured window.
  java -Xmx256m -cp "$CP" dev.trustproxy.integration.soak.AttackDriver \
    "$PROXY_PORT" "$((PHASE_SECONDS + 1))" "$HEADER_TIMEOUT_MS" "$STALLED" "$JUNK" >> "$OUT/attack.txt" 2>&1 &
  ATTACK=$!
  pids+=("$ATTACK")
  sleep 1
  s0=$(cpu_ms "$SERVER"); h0=$(cpu_ms "$HAPROXY")
  wrk_run "attack-$round" "$PHASE_SECONDS"
  s1=$(cpu_ms "$SERVER"); h1=$(cpu_ms "$HAPROXY")
  CPU_ATTACK_S=$((CPU_ATTACK_S + s1 - s0)); CPU_ATTACK_H=$((CPU_ATTACK_H + h1 - h0))
  # The driver ends when its last wave is closed (stalled ones at the header deadline).
  wait "$ATTACK" || ATTACK_RC=$?
done

sleep $(( HEADER_TIMEOUT_MS / 1000 + 2 ))
HEAP_END=$(heap_kb); FD_END=$(fds end); STATS_END=$(stats)

sum_over() { # kind function: the function's value summed over the rounds
  local total=0 v
  for round in $(seq 1 "$ROUNDS"); do
    v=$("$2" "$1-$round"); total=$(awk -v t="$total" -v v="${v:-0}" 'BEGIN { print t + v }')
  done
  echo "$total"
}
Q_REQ=$(sum_over quiet requests); A_REQ=$(sum_over attack requests)
Q_RATE=$(awk -v r="$(sum_over quiet rate)" -v n="$ROUNDS" 'BEGIN { printf "%.0f", r / n }')
A_RATE=$(awk -v r="$(sum_over attack rate)" -v n="$ROUNDS" 'BEGIN { printf "%.0f", r / n }')
Q_ERR=$(sum_over quiet errors); A_ERR=$(sum_over attack errors)
ERRORS=$((Q_ERR + A_ERR))
FRACTION=$(awk -v a="$A_REQ" -v q="$Q_REQ" 'BEGIN { printf "%.3f", a / q }')
PER_ROUND=$(for round in $(seq 1 "$ROUNDS"); do printf '%s/%s ' "$(rate "quiet-$round")" "$(rate "attack-$round")"; done)
# Totals of the driver's key=value lines over the rounds.
DRIVER=$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] ~ /^max/) { if (kv[2] > t[kv[1]]) t[kv[1]] = kv[2] } else t[kv[1]] += kv[2]; if (!(kv[1] in seen)) { seen[kv[1]] = 1; order[++n] = kv[1] } } }
  END { for (i = 1; i <= n; i++) printf "%s=%s ", order[i], t[order[i]] }' "$OUT/attack.txt")
HEAP_OK=$(awk -v s="$HEAP_START" -v e="$HEAP_END" 'BEGIN { print (e <= s * 1.10 + 4096) ? "yes" : "no" }')
FD_OK=$([ "$FD_END" -le "$FD_START" ] && echo yes || echo no)

{
  echo "date: $(date -u +%FT%TZ)"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $(java -version 2>&1 | head -1), $(haproxy -v | head -1 | cut -d' ' -f1-3), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "settings: PHASE_SECONDS=$PHASE_SECONDS HEADER_TIMEOUT_MS=$HEADER_TIMEOUT_MS STALLED=$STALLED JUNK=$JUNK CONNECTIONS=$CONNECTIONS WRK_THREADS=$WRK_THREADS DELAY_MS=$DELAY_MS"
  echo "load seconds: quiet $((ROUNDS * PHASE_SECONDS)), under attack $((ROUNDS * PHASE_SECONDS)) (alternating, $ROUNDS rounds)"
  echo "quiet:  requests=$Q_REQ mean rate=$Q_RATE/s errors=$Q_ERR latency p50/p99 (last round): $(latency "quiet-$ROUNDS")"
  echo "attack: requests=$A_REQ mean rate=$A_RATE/s errors=$A_ERR latency p50/p99 (last round): $(latency "attack-$ROUNDS")"
  echo "rate per round (quiet/attack): $PER_ROUND"
  echo "throughput under attack / quiet: $FRACTION (target >= 0.90)"
  echo "CPU ms: quiet phases server=$CPU_QUIET_S haproxy=$CPU_QUIET_H; attacked phases server=$CPU_ATTACK_S haproxy=$CPU_ATTACK_H (wrk, the driver and the machine's other work share the same $(nproc) cores)"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "attack driver (totals): $DRIVER(exit status of the worst round: $ATTACK_RC)"
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
