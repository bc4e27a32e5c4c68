# Sourced by the end-to-end scripts (each takes OUT_DIR CLASSPATH): one benchmark server class in
# its own JVM, its ports, answer checks, wrk rounds, and a cleanup that stops the server (and any
# pid the caller adds to extra_pids) however the script ends.
# Env: E2E_ROUNDS (4), E2E_DURATION (5s), E2E_WARMUP (3s), E2E_THREADS (2), E2E_CONNECTIONS (32)
# measure writes OUT_DIR/<script name>.csv: mode,contender,baseline,round,order,requests_per_sec,errors
export PATH="$PATH:/usr/sbin:/sbin"
e2e_name=$(basename "$0" .sh)
[ $# -ge 2 ] || { echo "usage: $0 OUT_DIR CLASSPATH" >&2; exit 2; }
out=$1
cp=$2
here=$(cd "$(dirname "$0")" && pwd)
rounds=${E2E_ROUNDS:-4}
duration=${E2E_DURATION:-5s}
warmup=${E2E_WARMUP:-3s}
threads=${E2E_THREADS:-2}
connections=${E2E_CONNECTIONS:-32}
for tool in wrk java curl; do
  command -v "$tool" >/dev/null || { echo "$e2e_name: $tool is missing (apt-get install -y wrk curl)" >&2; exit 1; }
done
mkdir -p "$out"
csv="$out/$e2e_name.csv"
echo "mode,contender,baseline,round,order,requests_per_sec,errors" > "$csv"
XFF="203.0.113.7, 10.0.0.3, 10.0.0.2"

work=$(mktemp -d)
server_pid=
extra_pids=()
e2e_cleanup() {
  local pid
  for pid in "${extra_pids[@]}" $server_pid; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap e2e_cleanup EXIT

# start_server CLASS: starts CLASS (writing OUT_DIR/<script name>-server.log), waits for its ports.
start_server() {
  java -Xms512m -Xmx512m -cp "$cp" "$1" "$work/ports" > "$out/$e2e_name-server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do [ -f "$work/ports" ] && break; sleep 0.1; done
  [ -f "$work/ports" ] || { echo "$e2e_name: server did not start, see $out/$e2e_name-server.log" >&2; exit 1; }
}

# port NAME: the port the server wrote for NAME.
port() { awk -v n="$1" '$1 == n { print $2 }' "$work/ports"; }

# Every contender must answer right before its throughput means anything.
# check NAME URL EXPECTED_CLIENT [curl args...]
check() {
  local name=$1 url=$2 expected=$3 body; shift 3
  body=$(curl -s --max-time 5 "$@" "$url" || true)
  [ "$body" = "hello $expected" ] || { echo "$e2e_name: $name answered '$body', expected 'hello $expected'" >&2; exit 1; }
}
# check_raw NAME PORT PRINTF_FORMAT_OF_THE_PREFIX EXPECTED_CLIENT: the prefix (a PROXY header)
# then a GET on one new connection.
check_raw() {
  local name=$1 p=$2 fmt=$3 expected=$4 body
  body=$(exec 3<>"/dev/tcp/127.0.0.1/$p"; printf "$fmt"'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&3; cat <&3 | tail -n 1)
  [ "$body" = "hello $expected" ] || { echo "$e2e_name: $name answered '$body', expected 'hello $expected'" >&2; exit 1; }
}

# run_wrk DURATION: prints "rps errors" for the URL and ARGS (wrk arguments) target() set.
run_wrk() {
  local text rps errors
  text=$(wrk -t"$threads" -c"$connections" -d"$1" "${ARGS[@]}" "$URL" 2>&1)
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$text")
  errors=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/[^0-9 ]/, " "); n += $1 + $2 + $3 + $4 } END { print n + 0 }' <<<"$text")
  echo "${rps:-0} $errors"
}

# measure MODE BASELINE CONTENDER...: the caller defines target MODE CONTENDER (sets URL and
# ARGS). Warms every contender once, then rounds in rotating order, so no contender always runs
# first or right after the same neighbour; ratios are taken to BASELINE within each round.
measure() {
  local mode=$1 names=("${@:2}") n=$(($# - 1)) r k c rps errors
  echo "$e2e_name: $mode warm-up" >&2
  for c in "${names[@]}"; do target "$mode" "$c"; run_wrk "$warmup" > /dev/null; done
  for r in $(seq 1 "$rounds"); do
    for k in $(seq 0 $((n - 1))); do
      c=${names[$(( (k + r) % n ))]}
      target "$mode" "$c"
      read -r rps errors < <(run_wrk "$duration")
      echo "$mode,$c,$2,$r,$k,$rps,$errors" >> "$csv"
      echo "$e2e_name: $mode round $r $c $rps req/s ($errors errors) load $(cut -d' ' -f1 /proc/loadavg)" >&2
    done
  done
}
